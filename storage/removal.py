"""Deleting a site or a company takes everything of it, and undo brings all of it back.

Everything of a site: its devices and their overrides, its client profiles, its Help Desk
sections (references included, with the attachment hashes their documents name) and its vault
items (ciphertexts, read without the vault key). All of it is tombstoned in the caller's
transaction with an outbox and an audit row per record, so each delete travels to the server.
`restore` clears exactly those tombstones again and queues an
upsert of each record's current state, so the next sync pushes them back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, func, null, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.errors import RuleViolation
from storage.changes import BulkChange, record_bulk
from storage.database import now_iso
from storage.golive_repository import step_payload
from storage.profile_repository import PROFILE_FIELDS, payload_json
from storage.tables import (
    ClientProfileRow,
    CompanyRow,
    DeviceOverrideRow,
    DeviceRow,
    GoLiveStepRow,
    HelpDeskSectionRow,
    SiteRow,
    VaultItemRow,
)
from storage.vault_items import vault_item_payload

_CHUNK = 900  # ids per `IN (…)`: below SQLite's bound-parameter limit


def _t(cls: Any) -> Table:
    table: Table = cls.__table__
    return table


def _dump(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False)


def _company(r: Any, partner_id: str) -> str:
    return _dump({"id": r.id, "name": r.name, "partnerId": partner_id})


def _site(r: Any, _partner: str) -> str:
    return _dump({"id": r.id, "companyId": r.company_id, "name": r.name,
                  "packageId": r.package_id})


def _device(r: Any, _partner: str) -> str:
    return _dump({"id": r.id, "siteId": r.site_id, "name": r.name, "kind": r.kind, "os": r.os})


def _override(r: Any, _partner: str) -> str:
    return _dump({"id": r.id, "deviceId": r.device_id, "type": r.type_id, "key": r.key,
                  "value": json.loads(r.value_json)})


def _profile(r: Any, _partner: str) -> str:
    return payload_json(r.id, r.site_id, tuple(getattr(r, f) for f in PROFILE_FIELDS))


def _section(r: Any, _partner: str) -> str:
    return _dump({"id": r.id, "site_id": r.site_id, "section": r.section,
                  "document": json.loads(r.document_json)})


def _golive_step(r: Any, _partner: str) -> str:
    return _dump(step_payload(r))


def _vault_item(r: Any, _partner: str) -> str:
    return _dump(vault_item_payload(r._mapping))


@dataclass(frozen=True)
class _Kind:
    entity: str
    table: Table
    payload: Callable[[Any, str], str]
    owner: Callable[[Table], Any]  # the column naming what the row belongs to


# Children first: the order deletes are recorded in (restore goes the other way round).
_KINDS: tuple[_Kind, ...] = (
    _Kind("device_override", _t(DeviceOverrideRow), _override, lambda t: t.c.device_id),
    _Kind("device", _t(DeviceRow), _device, lambda t: t.c.site_id),
    _Kind("client_profile", _t(ClientProfileRow), _profile, lambda t: t.c.site_id),
    _Kind("helpdesk_section", _t(HelpDeskSectionRow), _section, lambda t: t.c.site_id),
    _Kind("vault_item", _t(VaultItemRow), _vault_item, lambda t: t.c.site_id),
    _Kind("golive_step", _t(GoLiveStepRow), _golive_step, lambda t: t.c.site_id),
    _Kind("site", _t(SiteRow), _site, lambda t: t.c.company_id),
    _Kind("company", _t(CompanyRow), _company, lambda t: t.c.id),
)
_BY_ENTITY = {k.entity: k for k in _KINDS}


@dataclass(frozen=True)
class Removed:
    """The ids a delete tombstoned, per entity (device_override, device, client_profile,
    helpdesk_section, vault_item, site, company): what `restore` brings back."""

    ids: Mapping[str, tuple[str, ...]]

    def count(self, entity: str) -> int:
        return len(self.ids.get(entity, ()))


def _live(s: Session, kind: _Kind, owners: Sequence[str]) -> list[Any]:
    table = kind.table
    rows: list[Any] = []
    for start in range(0, len(owners), _CHUNK):
        rows += s.execute(select(table).where(
            kind.owner(table).in_(owners[start:start + _CHUNK]),
            table.c.deleted_at.is_(None)).order_by(table.c.id)).all()
    return rows


def _by_ids(s: Session, kind: _Kind, ids: Sequence[str]) -> list[Any]:
    table = kind.table
    rows: list[Any] = []
    for start in range(0, len(ids), _CHUNK):
        rows += s.execute(select(table).where(table.c.id.in_(ids[start:start + _CHUNK]))).all()
    return rows


def _set_deleted(s: Session, table: Table, ids: Sequence[str], at: str | None,
                 stamp: str) -> None:
    if not ids:
        return
    s.connection().execute(
        update(table).where(table.c.id == bindparam("b_id"))
        .values(deleted_at=null() if at is None else bindparam("b_at"),
                updated_at=bindparam("b_stamp")),
        [{"b_id": i, "b_at": at, "b_stamp": stamp} for i in ids])


def plan(s: Session, *, site_ids: Sequence[str] = (), company_ids: Sequence[str] = ()
         ) -> dict[str, list[Any]]:
    """The live rows a delete of these sites (and companies, with all their sites) takes,
    per entity, children first. Nothing is written: the confirmation's counts come from here."""
    rows: dict[str, list[Any]] = {}
    if company_ids:
        rows["company"] = _live(s, _BY_ENTITY["company"], list(company_ids))
        rows["site"] = _live(s, _BY_ENTITY["site"], list(company_ids))
        site_ids = [*site_ids, *(r.id for r in rows["site"])]
    else:
        table = _BY_ENTITY["site"].table
        rows["site"] = [r for i in range(0, len(site_ids), _CHUNK)
                        for r in s.execute(select(table).where(
                            table.c.id.in_(list(site_ids)[i:i + _CHUNK]),
                            table.c.deleted_at.is_(None))).all()]
    sites = list(site_ids)
    for entity in ("device", "client_profile", "helpdesk_section", "vault_item", "golive_step"):
        rows[entity] = _live(s, _BY_ENTITY[entity], sites)
    rows["device_override"] = _live(s, _BY_ENTITY["device_override"],
                                    [r.id for r in rows["device"]])
    return {k.entity: rows.get(k.entity, []) for k in _KINDS}


def counts(s: Session, *, site_ids: Sequence[str] = (), company_ids: Sequence[str] = ()
           ) -> dict[str, int]:
    """How many live rows of each entity `plan` would take, counted in SQL (no rows read):
    what a confirmation shows, cheap even for a site with a hundred thousand profiles."""
    sites_t = _BY_ENTITY["site"].table
    if company_ids:
        site_query = select(sites_t.c.id).where(sites_t.c.company_id.in_(list(company_ids)),
                                                sites_t.c.deleted_at.is_(None))
    else:
        site_query = select(sites_t.c.id).where(sites_t.c.id.in_(list(site_ids)),
                                                sites_t.c.deleted_at.is_(None))
    sites = site_query.scalar_subquery()
    devices_t = _BY_ENTITY["device"].table
    devices = select(devices_t.c.id).where(devices_t.c.site_id.in_(sites),
                                           devices_t.c.deleted_at.is_(None)).scalar_subquery()
    out = {"company": len(company_ids),
           "site": int(s.scalar(select(func.count()).select_from(site_query.subquery())) or 0)}
    for kind in _KINDS:
        if kind.entity in out:
            continue
        owners = devices if kind.entity == "device_override" else sites
        table = kind.table
        out[kind.entity] = int(s.scalar(select(func.count()).select_from(table).where(
            kind.owner(table).in_(owners), table.c.deleted_at.is_(None))) or 0)
    return out


def remove(s: Session, planned: Mapping[str, list[Any]], partner_id: str) -> Removed:
    """Tombstone the planned rows, recording a delete of each (outbox + audit, action
    "<entity>.delete"), children first, in the caller's transaction."""
    at = now_iso()
    ids: dict[str, tuple[str, ...]] = {}
    for kind in _KINDS:
        rows = planned.get(kind.entity, [])
        if not rows:
            continue
        _set_deleted(s, kind.table, [r.id for r in rows], at, at)
        changes: list[BulkChange] = [(r.id, kind.payload(r, partner_id), None, int(r.version))
                                     for r in rows]
        record_bulk(s, kind.entity, f"{kind.entity}.delete", changes)
        ids[kind.entity] = tuple(r.id for r in rows)
    s.expire_all()
    return Removed(ids)


def restore(s: Session, removed: Removed, partner_id: str,
            fix_site: Callable[[Any], str | None] | None = None) -> None:
    """Bring back what `remove` tombstoned: parents first, an upsert of each record's current
    state recorded (action "<entity>.restore") so the next sync pushes it again. Rows no
    longer tombstoned are left as they are. `fix_site(row)` may give a site another package
    id (its own was deleted since). Raises RuleViolation when a live object took a restored
    one's place (same name)."""
    at = now_iso()
    for kind in reversed(_KINDS):
        rows = [r for r in _by_ids(s, kind, list(removed.ids.get(kind.entity, ())))
                if r.deleted_at is not None]
        if not rows:
            continue
        if kind.entity == "site" and fix_site is not None:
            rows = _refit_sites(s, kind.table, rows, fix_site, at)
        try:
            _set_deleted(s, kind.table, [r.id for r in rows], None, at)
        except IntegrityError as exc:
            names = ", ".join(f"'{n}'" for n in _names(rows))
            raise RuleViolation(
                f"cannot bring back {kind.entity.replace('_', ' ')} {names}: another one of "
                "that name was created since; rename or delete it first") from exc
        changes: list[BulkChange] = [
            (r.id, None, kind.payload(r, partner_id), int(r.version)) for r in rows]
        record_bulk(s, kind.entity, f"{kind.entity}.restore", changes)
    s.expire_all()  # ORM rows read before this transaction's Core updates are stale now


def _refit_sites(s: Session, table: Table, rows: list[Any],
                 fix_site: Callable[[Any], str | None], at: str) -> list[Any]:
    out = []
    for row in rows:
        package_id = fix_site(row)
        if package_id == row.package_id:
            out.append(row)
            continue
        s.execute(update(table).where(table.c.id == row.id)
                  .values(package_id=package_id, updated_at=at))
        out.append(s.execute(select(table).where(table.c.id == row.id)).one())
    return out


def _names(rows: Iterable[Any]) -> list[str]:
    return [str(getattr(r, "name", None) or getattr(r, "title", None) or r.id) for r in rows]
