"""The domain's entities as plain, immutable dataclasses.

Partner (one per workspace) → Company → Site → Device. Policies are grouped in Packages; a site
has at most one package; one package may be the partner-wide default.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from app.domain.policy_types import Category, policy_type
from app.domain.settings import Settings, SettingValue


def new_id() -> str:
    """Ids are made by the client so work done offline can sync later (docs/architecture.md §3)."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Partner:
    id: str
    name: str


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    version: int = 0


@dataclass(frozen=True)
class Site:
    id: str
    company_id: str
    name: str
    package_id: str | None = None
    version: int = 0


@dataclass(frozen=True)
class Device:
    id: str
    site_id: str
    name: str
    kind: str = "desktop"  # desktop | server
    os: str = ""
    version: int = 0


@dataclass(frozen=True)
class Policy:
    id: str
    type_id: str
    name: str
    settings: Settings = field(default_factory=dict)
    version: int = 0

    @property
    def category(self) -> Category:
        return policy_type(self.type_id).category


@dataclass(frozen=True)
class DeviceOverride:
    """One setting a device sets for itself, above whatever its site's packages say."""

    id: str
    device_id: str
    type_id: str
    key: str
    value: SettingValue
    version: int = 0
