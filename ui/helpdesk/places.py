"""Where each readiness link (`site:<id>/<place>`) opens: a site tab (group, title), or a page."""

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
    "helpdesk/notification-rules": (HELP_DESK, "Notification Rules"),
    "helpdesk/passwords": (None, "Passwords"),  # a site tab of its own (ui/site/build.py)
    "helpdesk/network-info": (CLIENT_INFO, "Network Info"),
    "helpdesk/references": (CLIENT_INFO, "References"),
}
# place → main-window page
PAGES: dict[str, str] = {"effective": "effective"}


def button_text(place: str) -> str:
    if place in PAGES:
        return "Effective Settings →"
    return f"{SITE_TABS[place][1]} →" if place in SITE_TABS else place
