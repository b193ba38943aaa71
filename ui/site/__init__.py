"""The selected site's tabs (Devices, Help Desk → Client Profiles, …) on the Companies page."""
