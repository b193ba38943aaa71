"""Effective settings of a site or device, each with its provenance (docs/rules.md).

Resolution per policy type: device override → site package's policy of that type → default
package's policy of that type → none. A device gets only the types that apply to its kind (the
patching types are per kind). The result has the shape of the Asio API's
`EffectivePolicy`: `settings` (domain → key → value) and `mapping` (domain → key → link to the
container, package and policy the value came from).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from app.domain.model import Company, Device, DeviceOverride, Policy, Site
from app.domain.packages import Package
from app.domain.policy_types import POLICY_TYPES, applies_to
from app.domain.settings import SettingValue


class Level(Enum):
    DEFAULT_PACKAGE = "default-package"
    SITE_PACKAGE = "site-package"
    DEVICE_OVERRIDE = "device-override"


@dataclass(frozen=True)
class Provenance:
    level: Level
    package: Package | None = None
    policy: Policy | None = None
    device: Device | None = None


@dataclass(frozen=True)
class EffectiveSetting:
    type_id: str
    key: str
    value: SettingValue
    source: Provenance


@dataclass(frozen=True)
class EffectivePolicy:
    company: Company
    site: Site
    device: Device | None
    partner_id: str
    items: tuple[EffectiveSetting, ...]

    def value(self, type_id: str, key: str) -> SettingValue:
        for item in self.items:
            if item.type_id == type_id and item.key == key:
                return item.value
        raise KeyError(f"{type_id}.{key}")

    def source(self, type_id: str, key: str) -> Provenance:
        for item in self.items:
            if item.type_id == type_id and item.key == key:
                return item.source
        raise KeyError(f"{type_id}.{key}")

    def to_json(self) -> dict[str, Any]:
        """The Asio `EffectivePolicy` shape, with our `level` added to each mapping link."""
        settings: dict[str, dict[str, Any]] = {}
        mapping: dict[str, dict[str, Any]] = {}
        for item in self.items:
            settings.setdefault(item.type_id, {})[item.key] = item.value
            mapping.setdefault(item.type_id, {})[item.key] = self._link(item.source)
        return {"settings": settings, "mapping": mapping}

    def _link(self, source: Provenance) -> dict[str, Any]:
        link: dict[str, Any] = {"level": source.level.value}
        if source.level is Level.DEFAULT_PACKAGE:
            link["container"] = {"partnerID": self.partner_id}
        elif source.level is Level.SITE_PACKAGE:
            link["container"] = {"clientID": self.company.id, "siteID": self.site.id}
        else:
            device = source.device
            link["container"] = {
                "clientID": self.company.id,
                "siteID": self.site.id,
                "endpointID": device.id if device else None,
            }
        if source.package is not None:
            link["package"] = {
                "id": source.package.id,
                "name": source.package.name,
                "is_default": source.package.is_default,
            }
        if source.policy is not None:
            link["policy"] = {
                "id": source.policy.id,
                "name": source.policy.name,
                "type": source.policy.type_id,
            }
        return link


def resolve(
    *,
    partner_id: str,
    company: Company,
    site: Site,
    site_package: Package | None,
    default_package: Package | None,
    policies: Mapping[str, Policy],
    device: Device | None = None,
    overrides: Sequence[DeviceOverride] = (),
) -> EffectivePolicy:
    """Compute the effective settings; `policies` maps policy id → policy for both packages."""
    items: list[EffectiveSetting] = []
    by_type = {(o.type_id, o.key): o for o in overrides} if device is not None else {}
    # One provenance per policy type, shared by its settings (hundreds of thousands of
    # settings for thousands of sites: the allocations are most of the cost).
    override_source = Provenance(Level.DEVICE_OVERRIDE, device=device)
    for type_id, ptype in POLICY_TYPES.items():
        if device is not None and not applies_to(type_id, device.kind):
            continue  # a server takes no OS Patching Desktop settings, a desktop no Server ones
        chosen: tuple[Provenance, Policy] | None = None
        for level, package in (
            (Level.SITE_PACKAGE, site_package),
            (Level.DEFAULT_PACKAGE, default_package),
        ):
            if package is None:
                continue
            policy_id = package.policy_for_type(type_id)
            if policy_id is not None and policy_id in policies:
                policy = policies[policy_id]
                chosen = (Provenance(level, package, policy), policy)
                break
        for spec in ptype.settings:
            override = by_type.get((type_id, spec.key))
            if override is not None:
                items.append(EffectiveSetting(type_id, spec.key, override.value, override_source))
            elif chosen is not None:
                source, policy = chosen
                value = policy.settings.get(spec.key, spec.default)
                items.append(EffectiveSetting(type_id, spec.key, value, source))
    return EffectivePolicy(company, site, device, partner_id, tuple(items))
