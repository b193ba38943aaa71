"""Stable locations the readiness checklist points to: `site:<site id>/<place>`.

The GUI maps each place to the tab that fixes the item; the CLI prints them as they are. A place
is a contract like the finding codes: add places, never rename one.
"""

from __future__ import annotations

PLACES: dict[str, str] = {
    "devices": "Devices",
    "effective": "Effective settings (the site's package and its policies)",
    "helpdesk/product-options": "Help Desk → Product Options",
    "helpdesk/basic-info": "Help Desk → Basic Info",
    "helpdesk/client-profiles": "Help Desk → Client Profiles",
    "helpdesk/security-requests": "Help Desk → Security Requests",
    "helpdesk/notification-rules": "Help Desk → Notification Rules",
    "helpdesk/passwords": "Help Desk → Passwords",
    "helpdesk/network-info": "Help Desk → Network Info",
    "helpdesk/references": "Help Desk → References",
}
# The place of each findings section (Finding.section).
SECTION_PLACES: dict[str, str] = {
    "product-options": "helpdesk/product-options",
    "basic-info": "helpdesk/basic-info",
    "security-requests": "helpdesk/security-requests",
    "notification-rules": "helpdesk/notification-rules",
    "network-info": "helpdesk/network-info",
    "references": "helpdesk/references",
    "psa-integration": "effective",
}


def site_link(site_id: str, place: str) -> str:
    if place not in PLACES:
        raise ValueError(f"unknown place {place!r}")
    return f"site:{site_id}/{place}"


def parse_link(link: str) -> tuple[str, str]:
    """(site id, place) of a link made by `site_link`. Raises ValueError otherwise."""
    scheme, _, rest = link.partition(":")
    site_id, _, place = rest.partition("/")
    if scheme != "site" or not site_id or place not in PLACES:
        raise ValueError(f"{link!r} is not a site link")
    return site_id, place
