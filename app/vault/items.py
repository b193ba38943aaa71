"""The vault's items as plain dataclasses for front ends: never a secret in a view.

Seed 004 lists the site's Passwords tab types: Servers, Desktops, Lights Out Management,
Pre-defined and Custom Applications, Custom Passwords & Properties. `app-secret` items hold
the secrets the application itself needs (PSA API key pairs, the sync client secret) and
belong to no site.

What is encrypted: the password, the notes (they often hold a PIN or a recovery code) and
every custom property marked secret. What stays plain, so a site's vault can be listed and
searched without the key: kind, title, username, URL/host, application and non-secret
properties. A username alone opens nothing; it is what the NOC searches for, and the seed's
Passwords tab shows it in its lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS: dict[str, str] = {
    "server": "Servers",
    "desktop": "Desktops",
    "lom": "Lights Out Management",
    "application": "Applications",
    "custom": "Custom Passwords & Properties",
}
APP_SECRET = "app-secret"
ALL_KINDS = (*KINDS, APP_SECRET)
# Pre-defined applications of the Applications tab (anything else is a custom application).
APPLICATIONS = ("Microsoft 365", "Google Workspace", "QuickBooks", "Active Directory",
                "Firewall", "Backup", "VPN", "Email", "Line-of-business application")
SECRET_FIELDS = ("password", "notes")
LIMITS = {"title": 200, "username": 255, "url": 500, "application": 100, "property": 100}
MAX_SECRET_CHARS = 10_000


@dataclass(frozen=True)
class Property:
    """A custom property as the user enters it. `value` is plaintext here (input only)."""

    name: str
    value: str
    secret: bool = False
    id: str | None = None  # kept when editing an existing property

    def __repr__(self) -> str:  # a secret value never reaches a log line through repr
        shown = "***" if self.secret else repr(self.value)
        return f"Property(name={self.name!r}, value={shown}, secret={self.secret})"


@dataclass(frozen=True)
class PropertyView:
    id: str
    name: str
    secret: bool
    value: str | None  # None when secret: reveal it with `reveal(item, "property:<id>")`

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "secret": self.secret, "value": self.value}


@dataclass(frozen=True)
class ItemView:
    """An item without its secrets: what lists, tables and `vault list` show."""

    id: str
    site_id: str | None
    kind: str
    title: str
    username: str = ""
    url: str = ""
    application: str = ""
    has_password: bool = False
    has_notes: bool = False
    properties: tuple[PropertyView, ...] = field(default_factory=tuple)
    updated_at: str = ""
    version: int = 0

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, "Application secret")

    @property
    def name(self) -> str:  # `list --json` objects have `id` and `name` (docs/architecture.md §10)
        return self.title

    def secret_fields(self) -> list[str]:
        """The fields `reveal` accepts for this item."""
        names = [f for f, has in (("password", self.has_password),
                                  ("notes", self.has_notes)) if has]
        return names + [f"property:{p.id}" for p in self.properties if p.secret]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.title, "title": self.title, "kind": self.kind,
                "site_id": self.site_id, "username": self.username, "url": self.url,
                "application": self.application, "has_password": self.has_password,
                "has_notes": self.has_notes,
                "properties": [p.to_dict() for p in self.properties],
                "updated_at": self.updated_at, "version": self.version}
