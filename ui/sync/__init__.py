"""Sync with the backend in the GUI (issue 7): the Sync action and status, the Pending
Changes and Conflicts pages, the Preferences section. Built on `app.sync`."""
