"""Reads and writes of the domain's objects. Every write records its outbox and audit rows.

The repository speaks the domain's dataclasses; no ORM object leaves this module.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, literal, select, update
from sqlalchemy.orm import Session

from app.domain.model import Company, Device, DeviceOverride, Partner, Policy, Site
from app.domain.names import name_key
from app.domain.packages import Package
from storage.changes import Change, Payload, record
from storage.database import now_iso
from storage.tables import (
    CompanyRow,
    DeviceOverrideRow,
    DeviceRow,
    OutboxRow,
    PackagePolicyRow,
    PackageRow,
    PartnerRow,
    PolicyRow,
    SiteRow,
    WorkspaceInfo,
)

_NAMED: dict[str, type[CompanyRow] | type[SiteRow] | type[PolicyRow] | type[PackageRow]] = {
    "company": CompanyRow, "site": SiteRow, "policy": PolicyRow, "package": PackageRow,
}

# --- payloads: the shape that goes to the outbox, the audit trail and (later) the server -----

def company_payload(c: Company, partner_id: str) -> Payload:
    return {"id": c.id, "name": c.name, "partnerId": partner_id}


def site_payload(s: Site) -> Payload:
    return {"id": s.id, "companyId": s.company_id, "name": s.name, "packageId": s.package_id}


def device_payload(d: Device) -> Payload:
    return {"id": d.id, "siteId": d.site_id, "name": d.name, "kind": d.kind, "os": d.os}


def device_payloads(session: Session, ids: Sequence[str]) -> dict[str, Payload | None]:
    """What the push sends for these devices now, by id: the payload of each live one, None
    for a deleted one; unknown ids are left out (outbox rows written without a payload)."""
    found: dict[str, Payload | None] = {}
    for start in range(0, len(ids), 5_000):  # SQLite allows 32,766 parameters a statement
        rows = session.execute(
            select(DeviceRow.id, DeviceRow.site_id, DeviceRow.name, DeviceRow.kind, DeviceRow.os,
                   DeviceRow.deleted_at).where(DeviceRow.id.in_(ids[start:start + 5_000])))
        for device_id, site_id, name, kind, os_name, deleted_at in rows:
            found[device_id] = None if deleted_at is not None else device_payload(
                Device(device_id, site_id, name, kind, os_name))
    return found


def policy_payload(p: Policy) -> Payload:
    return {"id": p.id, "type": p.type_id, "name": p.name, "settings": p.settings}


def package_payload(p: Package) -> Payload:
    # The Asio `package` schema: {id, name, is_default, policies: [ids]}.
    return {"id": p.id, "name": p.name, "is_default": p.is_default, "policies": p.policy_ids}


def override_payload(o: DeviceOverride) -> Payload:
    return {"id": o.id, "deviceId": o.device_id, "type": o.type_id, "key": o.key, "value": o.value}


# --- row -> domain ----------------------------------------------------------------------------

def _company(r: CompanyRow) -> Company:
    return Company(r.id, r.name, r.version)


def _site(r: SiteRow) -> Site:
    return Site(r.id, r.company_id, r.name, r.package_id, r.version)


def _device(r: DeviceRow) -> Device:
    return Device(r.id, r.site_id, r.name, r.kind, r.os, r.version)


def _policy(r: PolicyRow) -> Policy:
    return Policy(r.id, r.type_id, r.name, json.loads(r.settings_json), r.version)


def _override(r: DeviceOverrideRow) -> DeviceOverride:
    return DeviceOverride(r.id, r.device_id, r.type_id, r.key, json.loads(r.value_json), r.version)


def _chunks(ids: list[str], size: int = 900) -> Iterable[list[str]]:
    """Split id lists below SQLite's bound-parameter limit."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


class Repository:
    """One transaction's view of the workspace (`with db.write() as s: Repository(s)`)."""

    def __init__(self, session: Session) -> None:
        self.s = session

    # --- workspace facts ----------------------------------------------------------------------

    def get_info(self, key: str) -> str | None:
        row = self.s.get(WorkspaceInfo, key)
        return None if row is None else row.value

    def set_info(self, key: str, value: str) -> None:
        self.s.merge(WorkspaceInfo(key=key, value=value))

    def partner(self) -> Partner | None:
        row = self.s.scalars(select(PartnerRow).where(PartnerRow.deleted_at.is_(None))).first()
        return None if row is None else Partner(row.id, row.name)

    def create_partner(self, partner: Partner) -> None:
        self.s.add(PartnerRow(id=partner.id, name=partner.name, updated_at=now_iso()))
        self.s.flush()
        self.set_info("partner_id", partner.id)

    def partner_id(self) -> str:
        partner = self.partner()
        return partner.id if partner else ""

    def outbox_count(self) -> int:
        return int(self.s.scalar(select(func.count()).select_from(OutboxRow)) or 0)

    # --- companies ----------------------------------------------------------------------------

    def companies(self) -> list[Company]:
        rows = self.s.scalars(
            select(CompanyRow).where(CompanyRow.deleted_at.is_(None)).order_by(CompanyRow.name)
        )
        return [_company(r) for r in rows]

    def company(self, company_id: str) -> Company | None:
        row = self.s.get(CompanyRow, company_id)
        return None if row is None or row.deleted_at else _company(row)

    def same_name(self, entity: str, name: str) -> list[tuple[str, str | None]]:
        """Live rows of `entity` (company, site, policy, package) whose name is the same name by
        the domain's `name_key` (case, width and invisible characters folded; SQLite's NOCASE
        folds only ASCII), as (id, company id for sites else None). For the duplicate-name
        rules, not for lookups."""
        table = _NAMED[entity]
        scope = table.company_id if table is SiteRow else literal(None)
        rows = self.s.execute(
            select(table.id, scope).where(
                table.deleted_at.is_(None),
                func.pf_name_key(table.name) == name_key(name),
            )
        )
        return [(row[0], row[1]) for row in rows]

    def companies_named(self, name: str) -> list[Company]:
        rows = self.s.scalars(
            select(CompanyRow).where(CompanyRow.deleted_at.is_(None), CompanyRow.name == name)
        )
        return [_company(r) for r in rows]

    def site_counts(self) -> dict[str, int]:
        rows = self.s.execute(
            select(SiteRow.company_id, func.count())
            .where(SiteRow.deleted_at.is_(None))
            .group_by(SiteRow.company_id)
        )
        return {key: int(count) for key, count in rows}

    def save_company(self, company: Company, action: str) -> None:
        partner_id = self.partner_id()
        row = self.s.get(CompanyRow, company.id)
        before = None if row is None else company_payload(_company(row), partner_id)
        if row is None:
            row = CompanyRow(id=company.id, partner_id=partner_id)
            self.s.add(row)
        row.name = company.name
        row.updated_at = now_iso()
        self.s.flush()
        record(self.s, [Change("company", company.id, action, before,
                               company_payload(company, partner_id), row.version)])

    # --- sites --------------------------------------------------------------------------------

    def sites(self, company_id: str | None = None) -> list[Site]:
        query = select(SiteRow).where(SiteRow.deleted_at.is_(None))
        if company_id is not None:
            query = query.where(SiteRow.company_id == company_id)
        return [_site(r) for r in self.s.scalars(query.order_by(SiteRow.name))]

    def site(self, site_id: str) -> Site | None:
        row = self.s.get(SiteRow, site_id)
        return None if row is None or row.deleted_at else _site(row)

    def sites_named(self, name: str) -> list[Site]:
        rows = self.s.scalars(
            select(SiteRow).where(SiteRow.deleted_at.is_(None), SiteRow.name == name)
        )
        return [_site(r) for r in rows]

    def device_counts(self) -> dict[str, int]:
        rows = self.s.execute(
            select(DeviceRow.site_id, func.count())
            .where(DeviceRow.deleted_at.is_(None))
            .group_by(DeviceRow.site_id)
        )
        return {key: int(count) for key, count in rows}

    def save_sites(self, sites: Sequence[Site], action: str) -> None:
        """Insert or update sites; one outbox/audit row each, all in this transaction."""
        ids = [s.id for s in sites]
        existing = {
            r.id: r
            for chunk in _chunks(ids)
            for r in self.s.scalars(select(SiteRow).where(SiteRow.id.in_(chunk)))
        }
        at = now_iso()
        changes = []
        for site in sites:
            row = existing.get(site.id)
            before = None if row is None else site_payload(_site(row))
            if row is None:
                row = SiteRow(id=site.id)
                self.s.add(row)
            row.company_id = site.company_id
            row.name = site.name
            row.package_id = site.package_id
            row.updated_at = at
            changes.append(Change("site", site.id, action, before, site_payload(site),
                                  row.version or 0))
        self.s.flush()
        record(self.s, changes)

    def set_site_packages(self, sites: Sequence[Site], package_id: str | None,
                          action: str) -> None:
        """Bulk (re)assignment: one UPDATE for all sites, executemany for outbox and audit."""
        if not sites:
            return
        at = now_iso()
        for chunk in _chunks([s.id for s in sites]):
            self.s.execute(
                update(SiteRow).where(SiteRow.id.in_(chunk))
                .values(package_id=package_id, updated_at=at)
                .execution_options(synchronize_session=False)
            )
        record(self.s, [
            Change("site", s.id, action, site_payload(s),
                   site_payload(Site(s.id, s.company_id, s.name, package_id, s.version)),
                   s.version)
            for s in sites
        ])

    # --- devices and overrides ----------------------------------------------------------------

    def devices(self, site_id: str | None = None) -> list[Device]:
        query = select(DeviceRow).where(DeviceRow.deleted_at.is_(None))
        if site_id is not None:
            query = query.where(DeviceRow.site_id == site_id)
        return [_device(r) for r in self.s.scalars(query.order_by(DeviceRow.name))]

    def device(self, device_id: str) -> Device | None:
        row = self.s.get(DeviceRow, device_id)
        return None if row is None or row.deleted_at else _device(row)

    def devices_named(self, name: str) -> list[Device]:
        rows = self.s.scalars(
            select(DeviceRow).where(DeviceRow.deleted_at.is_(None), DeviceRow.name == name)
        )
        return [_device(r) for r in rows]

    def save_device(self, device: Device, action: str) -> None:
        row = self.s.get(DeviceRow, device.id)
        before = None if row is None else device_payload(_device(row))
        if row is None:
            row = DeviceRow(id=device.id)
            self.s.add(row)
        row.site_id, row.name = device.site_id, device.name
        row.kind, row.os = device.kind, device.os
        row.updated_at = now_iso()
        self.s.flush()
        record(self.s, [Change("device", device.id, action, before, device_payload(device),
                               row.version)])

    def overrides(self, device_id: str) -> list[DeviceOverride]:
        rows = self.s.scalars(
            select(DeviceOverrideRow).where(
                DeviceOverrideRow.deleted_at.is_(None), DeviceOverrideRow.device_id == device_id
            )
        )
        return [_override(r) for r in rows]

    def save_override(self, override: DeviceOverride, action: str) -> None:
        row = self.s.get(DeviceOverrideRow, override.id)
        before = None if row is None else override_payload(_override(row))
        if row is None:
            row = DeviceOverrideRow(id=override.id, device_id=override.device_id,
                                    type_id=override.type_id, key=override.key)
            self.s.add(row)
        row.value_json = json.dumps(override.value)
        row.updated_at = now_iso()
        self.s.flush()
        record(self.s, [Change("device_override", override.id, action, before,
                               override_payload(override), row.version)])

    # --- policies -----------------------------------------------------------------------------

    def policies(self, ids: Iterable[str] | None = None) -> list[Policy]:
        query = select(PolicyRow).where(PolicyRow.deleted_at.is_(None))
        if ids is not None:
            query = query.where(PolicyRow.id.in_(list(ids)))
        return [_policy(r) for r in self.s.scalars(query.order_by(PolicyRow.name))]

    def policy(self, policy_id: str) -> Policy | None:
        row = self.s.get(PolicyRow, policy_id)
        return None if row is None or row.deleted_at else _policy(row)

    def policies_named(self, name: str) -> list[Policy]:
        rows = self.s.scalars(
            select(PolicyRow).where(PolicyRow.deleted_at.is_(None), PolicyRow.name == name)
        )
        return [_policy(r) for r in rows]

    def save_policy(self, policy: Policy, action: str) -> None:
        row = self.s.get(PolicyRow, policy.id)
        before = None if row is None else policy_payload(_policy(row))
        if row is None:
            row = PolicyRow(id=policy.id, type_id=policy.type_id)
            self.s.add(row)
        row.name = policy.name
        row.settings_json = json.dumps(policy.settings, sort_keys=True)
        row.updated_at = now_iso()
        self.s.flush()
        record(self.s, [Change("policy", policy.id, action, before, policy_payload(policy),
                               row.version)])

    def packages_using(self, policy_id: str) -> list[Package]:
        ids = set(self.s.scalars(
            select(PackagePolicyRow.package_id).where(PackagePolicyRow.policy_id == policy_id)
        ))
        return [p for p in self.packages() if p.id in ids]

    # --- packages -----------------------------------------------------------------------------

    def packages(self) -> list[Package]:
        rows = list(self.s.scalars(
            select(PackageRow).where(PackageRow.deleted_at.is_(None)).order_by(PackageRow.name)
        ))
        slots: dict[str, list[tuple[str, str]]] = {}
        for link in self.s.scalars(
            select(PackagePolicyRow).order_by(PackagePolicyRow.package_id,
                                              PackagePolicyRow.position)
        ):
            slots.setdefault(link.package_id, []).append((link.type_id, link.policy_id))
        return [
            Package(r.id, r.name, tuple(slots.get(r.id, [])), r.is_default, r.version)
            for r in rows
        ]

    def package(self, package_id: str) -> Package | None:
        row = self.s.get(PackageRow, package_id)
        if row is None or row.deleted_at:
            return None
        links = self.s.scalars(
            select(PackagePolicyRow).where(PackagePolicyRow.package_id == package_id)
            .order_by(PackagePolicyRow.position)
        )
        return Package(row.id, row.name, tuple((ln.type_id, ln.policy_id) for ln in links),
                       row.is_default, row.version)

    def packages_named(self, name: str) -> list[Package]:
        ids = self.s.scalars(
            select(PackageRow.id).where(PackageRow.deleted_at.is_(None), PackageRow.name == name)
        )
        return [p for p in (self.package(i) for i in ids) if p is not None]

    def default_package(self) -> Package | None:
        pid = self.s.scalars(
            select(PackageRow.id).where(PackageRow.deleted_at.is_(None),
                                        PackageRow.is_default.is_(True))
        ).first()
        return None if pid is None else self.package(pid)

    def save_package(self, package: Package, action: str) -> None:
        row = self.s.get(PackageRow, package.id)
        before_pkg = None if row is None else self.package(package.id)
        before = None if before_pkg is None else package_payload(before_pkg)
        if row is None:
            row = PackageRow(id=package.id)
            self.s.add(row)
        row.name = package.name
        row.is_default = package.is_default
        row.updated_at = now_iso()
        self.s.flush()
        self.s.query(PackagePolicyRow).filter(
            PackagePolicyRow.package_id == package.id
        ).delete(synchronize_session=False)
        self.s.add_all(
            PackagePolicyRow(package_id=package.id, type_id=t, policy_id=p, position=i)
            for i, (t, p) in enumerate(package.policies)
        )
        self.s.flush()
        record(self.s, [Change("package", package.id, action, before, package_payload(package),
                               row.version)])

    # --- tombstones ---------------------------------------------------------------------------

    def restore_row(self, entity: str, entity_id: str) -> None:
        """Clear a tombstone (undo of a delete); the caller saves the row, which records it."""
        table: Any = {"package": PackageRow}[entity]
        self.s.execute(
            update(table).where(table.id == entity_id)
            .values(deleted_at=None, updated_at=now_iso())
            .execution_options(synchronize_session=False)
        )
        self.s.expire_all()

    def tombstone(self, entity: str, entity_id: str, before: Payload, version: int,
                  action: str) -> None:
        table: Any = {
            "company": CompanyRow, "site": SiteRow, "device": DeviceRow, "policy": PolicyRow,
            "package": PackageRow, "device_override": DeviceOverrideRow,
        }[entity]
        self.s.execute(
            update(table).where(table.id == entity_id)
            .values(deleted_at=now_iso(), updated_at=now_iso())
            .execution_options(synchronize_session=False)
        )
        if entity == "package":
            self.s.query(PackagePolicyRow).filter(
                PackagePolicyRow.package_id == entity_id
            ).delete(synchronize_session=False)
        record(self.s, [Change(entity, entity_id, action, before, None, version)])
