"""Companies, sites, devices and device overrides; package assignment to sites."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from app.domain.errors import NotFound, RuleViolation
from app.domain.model import Company, Device, DeviceOverride, Site, new_id
from app.domain.names import clean_name
from app.domain.overrides import override_value
from app.domain.settings import SettingValue
from app.services.lookup import find_one
from app.services.removal_views import Removal
from app.services.views import (
    AssignmentResult,
    CompanyView,
    DeviceView,
    SiteAssignmentChange,
    SiteView,
)
from storage import removal
from storage.database import Database
from storage.repository import Repository
from storage.tables import SiteRow


def resolve_company(repo: Repository, ref: str) -> Company:
    return find_one("company", ref, repo.company, repo.companies_named)


def resolve_site(repo: Repository, ref: str) -> Site:
    def where(site: Site) -> str:
        company = repo.company(site.company_id)
        return f"in {company.name}" if company else ""

    return find_one("site", ref, repo.site, repo.sites_named, where)


def resolve_device(repo: Repository, ref: str) -> Device:
    def where(device: Device) -> str:
        site = repo.site(device.site_id)
        return f"at {site.name}" if site else ""

    return find_one("device", ref, repo.device, repo.devices_named, where)


def _company_name(repo: Repository, site: Site) -> str:
    company = repo.company(site.company_id)
    return company.name if company else ""


def site_view(repo: Repository, site: Site, device_counts: dict[str, int] | None = None,
              company_names: dict[str, str] | None = None,
              package_names: dict[str, str] | None = None) -> SiteView:
    if company_names is None:
        company = repo.company(site.company_id)
        company_names = {site.company_id: company.name if company else ""}
    if package_names is None:
        package = repo.package(site.package_id) if site.package_id else None
        package_names = {package.id: package.name} if package else {}
    counts = device_counts if device_counts is not None else repo.device_counts()
    return SiteView(
        site.id, site.name, site.company_id, company_names.get(site.company_id, ""),
        site.package_id, package_names.get(site.package_id or ""), counts.get(site.id, 0),
    )


class CompanyService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[CompanyView]:
        with self.db.read() as s:
            repo = Repository(s)
            counts = repo.site_counts()
            return [CompanyView(c.id, c.name, counts.get(c.id, 0)) for c in repo.companies()]

    def get(self, ref: str) -> CompanyView:
        with self.db.read() as s:
            repo = Repository(s)
            company = resolve_company(repo, ref)
            return CompanyView(company.id, company.name, repo.site_counts().get(company.id, 0))

    def create(self, name: str) -> CompanyView:
        clean = clean_name("company", name)
        with self.db.write() as s:
            repo = Repository(s)
            if repo.same_name("company", clean):
                raise RuleViolation(f"a company named '{clean}' already exists")
            company = Company(new_id(), clean)
            repo.save_company(company, "company.create")
            return CompanyView(company.id, company.name, 0)

    def rename(self, ref: str, name: str) -> CompanyView:
        clean = clean_name("company", name)
        with self.db.write() as s:
            repo = Repository(s)
            company = resolve_company(repo, ref)
            if any(i != company.id for i, _ in repo.same_name("company", clean)):
                raise RuleViolation(f"a company named '{clean}' already exists")
            renamed = replace(company, name=clean)
            if renamed != company:  # the same name again is no change: nothing to sync
                repo.save_company(renamed, "company.rename")
            return CompanyView(renamed.id, renamed.name, repo.site_counts().get(company.id, 0))

    def preview_delete(self, ref: str) -> Removal:
        """What `delete` would take with the company, counted; nothing is written."""
        with self.db.read() as s:
            repo = Repository(s)
            company = resolve_company(repo, ref)
            return _removal("company", (company.id, company.name, ""),
                            removal.counts(s, company_ids=[company.id]))

    def delete(self, ref: str) -> Removal:
        """Tombstone a company with its sites and everything of them, in one transaction
        (each delete travels to the server); the result counts what went."""
        with self.db.write() as s:
            repo = Repository(s)
            company = resolve_company(repo, ref)
            planned = removal.plan(s, company_ids=[company.id])
            removed = removal.remove(s, planned, repo.partner_id())
            return _removal("company", (company.id, company.name, ""), planned, removed)

    def restore(self, deleted: Removal) -> CompanyView:
        """Undo of `delete`: everything it tombstoned is live again and queued for sync."""
        with self.db.write() as s:
            repo = Repository(s)
            _restore(repo, deleted)
            company = repo.company(deleted.id)
            if company is None:
                raise NotFound(f"company '{deleted.name}' is gone for good; it cannot come back")
            return CompanyView(company.id, company.name, repo.site_counts().get(company.id, 0))


def _removal(kind: str, target: tuple[str, str, str],
             planned: Mapping[str, Sequence[object] | int],
             removed: removal.Removed | None = None) -> Removal:
    """`target`: (id, name, owner: the company of a site); `planned`: the rows (or counts)
    per entity."""
    def n(entity: str) -> int:
        found = planned.get(entity, 0)
        return found if isinstance(found, int) else len(found)

    return Removal(kind, *target, n("site"), n("device"), n("device_override"),
                   n("client_profile"), n("helpdesk_section"), n("vault_item"),
                   dict(removed.ids) if removed is not None else {})


def _restore(repo: Repository, deleted: Removal) -> None:
    if not deleted.removed_ids:
        raise RuleViolation(f"nothing to bring back of {deleted.title}")
    live_packages = {p.id for p in repo.packages()}

    def package_of(site: Any) -> str | None:
        # a package deleted since cannot be the site's again: it inherits the default then
        return site.package_id if site.package_id in live_packages else None

    removal.restore(repo.s, removal.Removed(deleted.removed_ids), repo.partner_id(),
                    fix_site=package_of)


class SiteService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self, company: str | None = None) -> list[SiteView]:
        with self.db.read() as s:
            repo = Repository(s)
            company_id = resolve_company(repo, company).id if company else None
            names = {c.id: c.name for c in repo.companies()}
            packages = {p.id: p.name for p in repo.packages()}
            counts = repo.device_counts()
            sites = repo.sites(company_id)
            views = [site_view(repo, x, counts, names, packages) for x in sites]
            return sorted(views, key=lambda v: (v.company.casefold(), v.name.casefold()))

    def get(self, ref: str) -> SiteView:
        with self.db.read() as s:
            repo = Repository(s)
            return site_view(repo, resolve_site(repo, ref))

    def create(self, company: str, name: str) -> SiteView:
        clean = clean_name("site", name)
        with self.db.write() as s:
            repo = Repository(s)
            owner = resolve_company(repo, company)
            if any(scope == owner.id for _, scope in repo.same_name("site", clean)):
                raise RuleViolation(f"company '{owner.name}' already has a site named '{clean}'")
            site = Site(new_id(), owner.id, clean)
            repo.save_sites([site], "site.create")
            return site_view(repo, site, {})

    def rename(self, ref: str, name: str) -> SiteView:
        clean = clean_name("site", name)
        with self.db.write() as s:
            repo = Repository(s)
            site = resolve_site(repo, ref)
            if any(scope == site.company_id and i != site.id
                   for i, scope in repo.same_name("site", clean)):
                raise RuleViolation(f"this company already has a site named '{clean}'")
            renamed = replace(site, name=clean)
            if renamed != site:  # the same name again is no change: nothing to sync
                repo.save_sites([renamed], "site.rename")
            return site_view(repo, renamed)

    def preview_delete(self, ref: str) -> Removal:
        """What `delete` would take with the site, counted; nothing is written."""
        with self.db.read() as s:
            repo = Repository(s)
            site = resolve_site(repo, ref)
            return _removal("site", (site.id, site.name, _company_name(repo, site)),
                            removal.counts(s, site_ids=[site.id]))

    def delete(self, ref: str) -> Removal:
        """Tombstone a site with its devices, their overrides, its client profiles, Help Desk
        sections and vault items, in one transaction; the result counts what went."""
        with self.db.write() as s:
            repo = Repository(s)
            site = resolve_site(repo, ref)
            planned = removal.plan(s, site_ids=[site.id])
            removed = removal.remove(s, planned, repo.partner_id())
            return _removal("site", (site.id, site.name, _company_name(repo, site)), planned,
                            removed)

    def restore(self, deleted: Removal) -> SiteView:
        """Undo of `delete`: everything it tombstoned is live again and queued for sync.
        Refused when its company is deleted meanwhile (bring that back first)."""
        with self.db.write() as s:
            repo = Repository(s)
            row = s.get(SiteRow, deleted.id)
            if row is not None and repo.company(row.company_id) is None:
                raise RuleViolation(f"the company of site '{deleted.name}' was deleted; "
                                    "undo that delete first")
            _restore(repo, deleted)
            site = repo.site(deleted.id)
            if site is None:
                raise NotFound(f"site '{deleted.name}' is gone for good; it cannot come back")
            return site_view(repo, site)

    def preview_assign(self, package: str | None, sites: Sequence[str]) -> AssignmentResult:
        """What `assign` (or `unassign`, package None) would change; nothing is written."""
        with self.db.read() as s:
            return self._plan(Repository(s), package, sites)[0]

    def assign(self, package: str, sites: Sequence[str]) -> AssignmentResult:
        """Give every named site this package (replacing theirs) in one transaction."""
        with self.db.write() as s:
            repo = Repository(s)
            result, targets, package_id = self._plan(repo, package, sites)
            repo.set_site_packages(targets, package_id, "site.assign")
            return result

    def unassign(self, sites: Sequence[str]) -> AssignmentResult:
        with self.db.write() as s:
            repo = Repository(s)
            result, targets, _ = self._plan(repo, None, sites)
            repo.set_site_packages(targets, None, "site.unassign")
            return result

    def _plan(self, repo: Repository, package: str | None, refs: Sequence[str]
              ) -> tuple[AssignmentResult, list[Site], str | None]:
        from app.services.packages import resolve_package

        if not refs:
            raise RuleViolation("name at least one site")
        new = resolve_package(repo, package) if package is not None else None
        by_id = {x.id: x for x in repo.sites()}
        chosen: dict[str, Site] = {}
        for ref in refs:
            site = by_id.get(ref) or resolve_site(repo, ref)
            chosen.setdefault(site.id, site)
        companies = {c.id: c.name for c in repo.companies()}
        names = {p.id: p.name for p in repo.packages()}
        new_id_ = new.id if new else None
        changes = tuple(
            SiteAssignmentChange(
                x.id, x.name, companies.get(x.company_id, ""),
                names.get(x.package_id) if x.package_id else None,
                new.name if new else None, x.package_id != new_id_,
            )
            for x in chosen.values()
        )
        targets = [x for x in chosen.values() if x.package_id != new_id_]
        return AssignmentResult(new.name if new else None, changes), targets, new_id_


class DeviceService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self, site: str | None = None) -> list[DeviceView]:
        with self.db.read() as s:
            repo = Repository(s)
            site_id = resolve_site(repo, site).id if site else None
            return [
                DeviceView(d.id, d.name, d.site_id, d.kind, d.os, len(repo.overrides(d.id)))
                for d in repo.devices(site_id)
            ]

    def create(self, site: str, name: str, kind: str = "desktop", os: str = "") -> DeviceView:
        clean = clean_name("device", name)
        if kind not in ("desktop", "server"):
            raise RuleViolation(f"device kind '{kind}' must be desktop or server")
        with self.db.write() as s:
            repo = Repository(s)
            owner = resolve_site(repo, site)
            device = Device(new_id(), owner.id, clean, kind, os)
            repo.save_device(device, "device.create")
            return DeviceView(device.id, device.name, owner.id, kind, os)

    def set_override(self, device: str, type_id: str, key: str,
                     value: SettingValue | str, *, from_text: bool = False) -> DeviceOverride:
        """A device sets one setting for itself; only Devices policy types can be overridden."""
        return self.set_overrides(device, [(type_id, key, value)], from_text=from_text)[0]

    def set_overrides(self, device: str, items: Sequence[tuple[str, str, SettingValue | str]],
                      *, from_text: bool = False) -> list[DeviceOverride]:
        """Set several overrides of one device in one transaction: all of them, or none."""
        with self.db.write() as s:
            repo = Repository(s)
            target = resolve_device(repo, device)
            current = {(o.type_id, o.key): o for o in repo.overrides(target.id)}
            saved = []
            for type_id, key, value in items:
                typed = override_value(target.name, target.kind, type_id, key, value,
                                       from_text=from_text)
                existing = current.get((type_id, key))
                override = DeviceOverride(existing.id if existing else new_id(), target.id,
                                          type_id, key, typed, existing.version if existing else 0)
                repo.save_override(override, "device.override")
                current[(type_id, key)] = override
                saved.append(override)
            return saved

    def clear_override(self, device: str, type_id: str, key: str) -> None:
        from storage.repository import override_payload

        with self.db.write() as s:
            repo = Repository(s)
            target = resolve_device(repo, device)
            existing = next((o for o in repo.overrides(target.id)
                             if o.type_id == type_id and o.key == key), None)
            if existing is None:
                setting = f"{type_id}.{key}" if key else type_id
                raise NotFound(f"device '{target.name}' does not override {setting}")
            repo.tombstone("device_override", existing.id, override_payload(existing),
                           existing.version, "device.clear_override")
