"""Stable locations the readiness checklist points to: `site:<site id>/<place>`.

The GUI maps each place to the tab that fixes the item; the CLI prints them as they are. A place
is a contract like the finding codes: add places, never rename one. Besides the fixed places,
`policy/<policy id>` is the policy that gives the site a setting (opened in the Policies page's
editor): readiness links there, not to the effective settings, where a package's value cannot be
changed. `device/<device id>` is a device's own settings (its overrides, changed on the
Effective Settings page with the device chosen): where a device's override is the finding.
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
    "assignments": "Assignments (the package the site gets)",
}
POLICY_PLACE = "policy/"  # + the policy id
DEVICE_PLACE = "device/"  # + the device id
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


def is_place(place: str) -> bool:
    return (place in PLACES or policy_of_place(place) is not None
            or device_of_place(place) is not None)


def _id_place(prefix: str, what: str, object_id: str) -> str:
    if not object_id or "/" in object_id:
        raise ValueError(f"not a {what} id: {object_id!r}")
    return prefix + object_id


def _id_of_place(prefix: str, place: str) -> str | None:
    if not place.startswith(prefix):
        return None
    object_id = place[len(prefix):]
    return object_id if object_id and "/" not in object_id else None


def policy_place(policy_id: str) -> str:
    return _id_place(POLICY_PLACE, "policy", policy_id)


def policy_of_place(place: str) -> str | None:
    """The policy id of a `policy/<id>` place; None for the other places."""
    return _id_of_place(POLICY_PLACE, place)


def device_place(device_id: str) -> str:
    return _id_place(DEVICE_PLACE, "device", device_id)


def device_of_place(place: str) -> str | None:
    """The device id of a `device/<id>` place; None for the other places."""
    return _id_of_place(DEVICE_PLACE, place)


def place_label(place: str) -> str:
    """What a place is, for people (reports, tooltips)."""
    if policy_of_place(place) is not None:
        return "Policies → the policy that gives the site the setting"
    if device_of_place(place) is not None:
        return "Effective settings → the device's own settings (its overrides)"
    return PLACES[place]


def site_link(site_id: str, place: str) -> str:
    if not is_place(place):
        raise ValueError(f"unknown place {place!r}")
    return f"site:{site_id}/{place}"


def parse_link(link: str) -> tuple[str, str]:
    """(site id, place) of a link made by `site_link`. Raises ValueError otherwise."""
    scheme, _, rest = link.partition(":")
    site_id, _, place = rest.partition("/")
    if scheme != "site" or not site_id or not is_place(place):
        raise ValueError(f"{link!r} is not a site link")
    return site_id, place
