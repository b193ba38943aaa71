"""Where each readiness link (`site:<id>/<place>`) opens: a site tab (group, title), or a page."""

from __future__ import annotations

HELP_DESK = "Help Desk"
READINESS = "Readiness"

# place → (group or None, tab title) on the site's tabs
SITE_TABS: dict[str, tuple[str | None, str]] = {
    "devices": (None, "Devices"),
    "helpdesk/product-options": (HELP_DESK, "Product Options"),
    "helpdesk/basic-info": (HELP_DESK, "Basic Info"),
    "helpdesk/client-profiles": (HELP_DESK, "Client Profiles"),
    "helpdesk/security-requests": (HELP_DESK, "Security Requests"),
    "helpdesk/passwords": (None, "Passwords"),  # a site tab of its own (ui/site/build.py)
    "helpdesk/network-info": (HELP_DESK, "Network Info"),
    "helpdesk/references": (HELP_DESK, "References"),
}
# place → main-window page
# (notification rules are partner-level objects: their own page)
PAGES: dict[str, str] = {"effective": "effective",
                         "helpdesk/notification-rules": "notification-rules"}
PAGE_TITLES = {"effective": "Effective Settings", "notification-rules": "Notification Rules"}


def button_text(place: str) -> str:
    if place in PAGES:
        return f"{PAGE_TITLES[PAGES[place]]} →"
    return f"{SITE_TABS[place][1]} →" if place in SITE_TABS else place
