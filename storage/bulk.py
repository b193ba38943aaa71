"""The bulk-insert path for imports and generated workspaces: SQLAlchemy Core executemany.

The ORM's unit of work costs about ten times as much per row (docs/architecture.md §3); imports of
tens of thousands of rows go through here, in the caller's single transaction, outbox and audit
included.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.domain.model import Company, Device, Policy, Site
from app.domain.packages import Package
from storage.changes import (
    Change,
    record,
)
from storage.database import now_iso
from storage.repository import (
    company_payload,
    device_payload,
    package_payload,
    policy_payload,
    site_payload,
)
from storage.tables import (
    CompanyRow,
    DeviceRow,
    PackagePolicyRow,
    PackageRow,
    PolicyRow,
    SiteRow,
)


def insert_companies(session: Session, companies: Sequence[Company], partner_id: str) -> None:
    at = now_iso()
    session.execute(insert(CompanyRow), [
        {"id": c.id, "partner_id": partner_id, "name": c.name, "updated_at": at}
        for c in companies
    ])
    record(session, [
        Change("company", c.id, "company.import", None, company_payload(c, partner_id), 0)
        for c in companies
    ])


def insert_sites(session: Session, sites: Sequence[Site]) -> None:
    at = now_iso()
    session.execute(insert(SiteRow), [
        {"id": s.id, "company_id": s.company_id, "name": s.name, "package_id": s.package_id,
         "updated_at": at}
        for s in sites
    ])
    record(session, [Change("site", s.id, "site.import", None, site_payload(s), 0) for s in sites])


def insert_devices(session: Session, devices: Sequence[Device]) -> None:
    at = now_iso()
    session.execute(insert(DeviceRow), [
        {"id": d.id, "site_id": d.site_id, "name": d.name, "kind": d.kind, "os": d.os,
         "updated_at": at}
        for d in devices
    ])
    record(session, [
        Change("device", d.id, "device.import", None, device_payload(d), 0) for d in devices
    ])


def insert_policies(session: Session, policies: Sequence[Policy]) -> None:
    """New policies whose settings the caller has already checked (`build_settings`)."""
    if not policies:
        return
    at = now_iso()
    session.execute(insert(PolicyRow), [
        {"id": p.id, "type_id": p.type_id, "name": p.name,
         "settings_json": json.dumps(p.settings, sort_keys=True), "updated_at": at}
        for p in policies
    ])
    record(session, [
        Change("policy", p.id, "policy.import", None, policy_payload(p), 0) for p in policies
    ])


def insert_packages(session: Session, packages: Sequence[Package]) -> None:
    """New packages with their policy links; their policies must exist (insert those first).

    The caller keeps the package rules (at least one policy, one per type, one default); the
    database refuses a second policy of a type or a second default all the same.
    """
    if not packages:
        return
    at = now_iso()
    session.execute(insert(PackageRow), [
        {"id": p.id, "name": p.name, "is_default": p.is_default, "updated_at": at}
        for p in packages
    ])
    links = [
        {"package_id": p.id, "type_id": type_id, "policy_id": policy_id, "position": position}
        for p in packages
        for position, (type_id, policy_id) in enumerate(p.policies)
    ]
    if links:
        session.execute(insert(PackagePolicyRow), links)
    record(session, [
        Change("package", p.id, "package.import", None, package_payload(p), 0) for p in packages
    ])
