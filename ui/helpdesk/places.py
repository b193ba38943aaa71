"""Where each readiness link (`site:<id>/<place>`) opens: a site tab (group, title), a page,
(`policy/<id>`) the policy in the Policies page's editor, or (`device/<id>`) the device's own
settings on Effective Settings."""

from __future__ import annotations

HELP_DESK = "Help Desk"
CLIENT_INFO = "Client Info"  # the site's Client Profiles, Network Info and References
READINESS = "Readiness"

# place → (group or None, tab title) on the site's tabs
SITE_TABS: dict[str, tuple[str | None, str]] = {
    "devices": (None, "Devices"),
    "helpdesk/product-options": (HELP_DESK, "Product Options"),
    "helpdesk/basic-info": (HELP_DESK, "Basic Info"),
    "helpdesk/client-profiles": (CLIENT_INFO, "Client Profiles"),
    "helpdesk/security-requests": (HELP_DESK, "Security Requests"),
    "helpdesk/passwords": (None, "Passwords"),  # a site tab of its own (ui/site/build.py)
    "helpdesk/network-info": (CLIENT_INFO, "Network Info"),
    "helpdesk/references": (CLIENT_INFO, "References"),
}
# place → main-window page (its `show_site(site_id)` shows the site there); notification rules
# are partner-level objects: their own page
PAGES: dict[str, str] = {"effective": "effective", "assignments": "assignments",
                         "helpdesk/notification-rules": "notification-rules"}
PAGE_BUTTONS = {"effective": "Effective Settings →", "assignments": "Assign Package →",
                "helpdesk/notification-rules": "Notification Rules →"}
POLICIES_PAGE = "policies"


def _is_policy(place: str) -> bool:
    # imported here: the Help Desk domain package loads with the first link, not with the
    # site's tab bar at start-up
    from app.domain.helpdesk.links import policy_of_place

    return policy_of_place(place) is not None


def _is_device(place: str) -> bool:
    from app.domain.helpdesk.links import device_of_place

    return device_of_place(place) is not None


def open_text(place: str) -> str:
    """What following the link does, for tooltips."""
    if _is_policy(place):
        return "Open the policy that gives the site this setting, in the Policies editor"
    if _is_device(place):
        return "Open the device's own settings on Effective Settings, to change its override"
    if place == "assignments":
        return "Open Assignments with the site checked, to give it a package with the policy"
    return f"Open {button_text(place).rstrip(' →')}"


def button_text(place: str) -> str:
    if _is_policy(place):
        return "Edit Policy →"
    if _is_device(place):
        return "Device Settings →"
    if place in PAGES:
        return PAGE_BUTTONS[place]
    return f"{SITE_TABS[place][1]} →" if place in SITE_TABS else place
