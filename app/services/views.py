"""What services hand to the CLI and the GUI: plain, frozen dataclasses (never ORM rows)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from app.domain.settings import Settings, SettingValue


@dataclass(frozen=True)
class CompanyView:
    id: str
    name: str
    site_count: int = 0


@dataclass(frozen=True)
class SiteView:
    id: str
    name: str
    company_id: str
    company: str
    package_id: str | None
    package: str | None
    device_count: int = 0


@dataclass(frozen=True)
class DeviceView:
    id: str
    name: str
    site_id: str
    kind: str
    os: str
    override_count: int = 0


@dataclass(frozen=True)
class PolicyRef:
    id: str
    name: str
    type: str
    type_label: str


@dataclass(frozen=True)
class PolicyView:
    id: str
    name: str
    type: str
    type_label: str
    category: str
    settings: Settings
    packages: tuple[str, ...] = ()

    @property
    def ref(self) -> PolicyRef:
        return PolicyRef(self.id, self.name, self.type, self.type_label)


@dataclass(frozen=True)
class PackageView:
    id: str
    name: str
    is_default: bool
    policies: tuple[PolicyRef, ...]
    site_count: int = 0  # sites it is assigned to
    inherited_by: int = 0  # the default package: sites without a package of their own

    @property
    def sites_using(self) -> int:
        return self.site_count + self.inherited_by


@dataclass(frozen=True)
class PackageSaved:
    package: PackageView
    replaced: tuple[PolicyRef, ...] = ()  # policies that left because one of their type came in
    previous_default: PackageView | None = None


@dataclass(frozen=True)
class SiteAssignmentChange:
    site_id: str
    site: str
    company: str
    previous_package: str | None
    new_package: str | None
    changed: bool


@dataclass(frozen=True)
class AssignmentResult:
    package: str | None
    changes: tuple[SiteAssignmentChange, ...]

    @property
    def changed(self) -> list[SiteAssignmentChange]:
        return [c for c in self.changes if c.changed]

    @property
    def replaced(self) -> list[SiteAssignmentChange]:
        return [c for c in self.changes if c.changed and c.previous_package is not None]


@dataclass(frozen=True)
class EffectiveRow:
    type: str
    type_label: str
    key: str
    label: str
    value: SettingValue
    level: str  # default-package | site-package | device-override
    package: str | None
    policy: str | None
    policy_id: str | None = None  # the policy it came from (None for a device override)
    overridable: bool = False  # the device shown may set it for itself (device overrides)


@dataclass(frozen=True)
class EffectiveView:
    site: SiteView
    device: DeviceView | None
    rows: tuple[EffectiveRow, ...]
    document: dict[str, Any] = field(default_factory=dict)  # the Asio EffectivePolicy shape


@dataclass(frozen=True)
class ComparisonRow:
    type: str
    key: str
    label: str
    left: SettingValue
    left_source: str
    right: SettingValue
    right_source: str

    @property
    def differs(self) -> bool:
        return self.left != self.right


def to_json(obj: Any) -> Any:
    """A view (or a list of views) as JSON-ready data."""
    if isinstance(obj, list | tuple):
        return [to_json(o) for o in obj]
    return asdict(obj)
