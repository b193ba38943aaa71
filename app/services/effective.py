"""Effective settings of sites and devices, with provenance, and site-to-site comparison."""

from __future__ import annotations

from collections.abc import Iterator

from app.domain.effective import EffectivePolicy, EffectiveSetting, Level, Provenance, resolve
from app.domain.errors import RuleViolation
from app.domain.model import Device, Site
from app.domain.overrides import can_override
from app.domain.packages import Package
from app.domain.policy_types import policy_type
from app.domain.settings import SettingValue
from app.services.hierarchy import resolve_device, resolve_site, site_view
from app.services.views import ComparisonRow, DeviceView, EffectiveRow, EffectiveView
from storage.database import Database
from storage.repository import Repository
from storage.rule_repository import RuleRepository

# Settings that hold a notification rule's id: shown by the rule's name.
_RULE_SETTINGS = frozenset({("rmm-site-configuration", "notification_rule")})

LEVEL_LABELS = {
    Level.DEFAULT_PACKAGE: "Default package",
    Level.SITE_PACKAGE: "Site package",
    Level.DEVICE_OVERRIDE: "Device override",
}


def describe_source(source: Provenance) -> str:
    label = LEVEL_LABELS[source.level]
    if source.level is Level.DEVICE_OVERRIDE:
        return label
    package = source.package.name if source.package else "?"
    policy = source.policy.name if source.policy else "?"
    return f"{label} '{package}', policy '{policy}'"


class _Resolver:
    """Loads packages and policies once, then resolves any number of sites and devices."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.partner_id = repo.partner_id()
        self.packages = {p.id: p for p in repo.packages()}
        self.default = next((p for p in self.packages.values() if p.is_default), None)
        self.policies = {p.id: p for p in repo.policies()}
        self.companies = {c.id: c for c in repo.companies()}
        self._by_package: dict[str, tuple[EffectiveSetting, ...]] = {}

    def site_package(self, site: Site) -> Package | None:
        return self.packages.get(site.package_id) if site.package_id else None

    def resolve(self, site: Site, device: Device | None = None) -> EffectivePolicy:
        if device is None:
            # Without a device a site's settings depend only on its package (and the default):
            # resolve each package once, however many sites share it.
            key = site.package_id or ""
            items = self._by_package.get(key)
            if items is None:
                items = self._resolve(site, None).items
                self._by_package[key] = items
            return EffectivePolicy(self.companies[site.company_id], site, None,
                                   self.partner_id, items)
        return self._resolve(site, device)

    def _resolve(self, site: Site, device: Device | None) -> EffectivePolicy:
        return resolve(
            partner_id=self.partner_id,
            company=self.companies[site.company_id],
            site=site,
            site_package=self.site_package(site),
            default_package=self.default,
            policies=self.policies,
            device=device,
            overrides=self.repo.overrides(device.id) if device else (),
        )


def rule_names(repo: Repository) -> dict[str, str]:
    return {r.id: r.name for r in RuleRepository(repo.s).all()}


def shown_value(type_id: str, key: str, value: SettingValue, names: dict[str, str]
                ) -> SettingValue:
    """What a person reads for a setting: a notification rule by its name (a reference to a rule
    that does not exist is shown as written, marked)."""
    if (type_id, key) in _RULE_SETTINGS and isinstance(value, str) and value:
        return names.get(value, f"{value} (no such rule)")
    return value


def _rows(effective: EffectivePolicy, names: dict[str, str],
          device: Device | None) -> tuple[EffectiveRow, ...]:
    """The settings as rows; with a device, each says whether the device may override it
    (`app.domain.overrides`)."""
    rows = []
    for item in effective.items:
        ptype = policy_type(item.type_id)
        source = item.source
        overridable = device is not None and can_override(item.type_id, device.kind)
        rows.append(EffectiveRow(
            item.type_id, ptype.label, item.key, ptype.spec(item.key).label,
            shown_value(item.type_id, item.key, item.value, names),
            source.level.value,
            source.package.name if source.package else None,
            source.policy.name if source.policy else None,
            source.policy.id if source.policy else None,
            overridable,
        ))
    return tuple(rows)


class EffectiveService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def for_site(self, site_ref: str, device_ref: str | None = None) -> EffectiveView:
        with self.db.read() as s:
            repo = Repository(s)
            site = resolve_site(repo, site_ref)
            device = resolve_device(repo, device_ref) if device_ref else None
            if device is not None and device.site_id != site.id:
                raise RuleViolation(f"device '{device.name}' is not at site '{site.name}'")
            effective = _Resolver(repo).resolve(site, device)
            device_view = None
            if device is not None:
                device_view = DeviceView(device.id, device.name, device.site_id, device.kind,
                                         device.os, len(repo.overrides(device.id)))
            return EffectiveView(site_view(repo, site), device_view,
                                 _rows(effective, rule_names(repo), device),
                                 effective.to_json())

    def site_policy(self, site_ref: str) -> EffectivePolicy:
        """One site's effective settings with their provenance (the policies they come from)."""
        with self.db.read() as s:
            repo = Repository(s)
            return _Resolver(repo).resolve(resolve_site(repo, site_ref))

    def all_sites(self) -> Iterator[EffectivePolicy]:
        """Every site's effective settings (packages and policies are loaded once)."""
        with self.db.read() as s:
            repo = Repository(s)
            resolver = _Resolver(repo)
            sites = repo.sites()
        yield from (resolver.resolve(site) for site in sites)

    def compare(self, left_ref: str, right_ref: str) -> list[ComparisonRow]:
        with self.db.read() as s:
            repo = Repository(s)
            resolver = _Resolver(repo)
            left = resolver.resolve(resolve_site(repo, left_ref))
            right = resolver.resolve(resolve_site(repo, right_ref))
            names = rule_names(repo)
        left_items = {(i.type_id, i.key): i for i in left.items}
        right_items = {(i.type_id, i.key): i for i in right.items}
        rows = []
        for type_id, key in sorted(left_items.keys() | right_items.keys()):
            a, b = left_items.get((type_id, key)), right_items.get((type_id, key))
            rows.append(ComparisonRow(
                type_id, key, policy_type(type_id).spec(key).label,
                shown_value(type_id, key, a.value, names) if a else None,
                describe_source(a.source) if a else "not set",
                shown_value(type_id, key, b.value, names) if b else None,
                describe_source(b.source) if b else "not set",
            ))
        return rows
