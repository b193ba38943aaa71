"""The workspace side of sync: the outbox as a plan of ops, remote changes applied to the cache
tables, conflicts kept, counts. Blocking SQLite work; the engine runs it in a worker thread.

Remote rows are written with SQLAlchemy Core executemany (docs/architecture.md §3) and never write
outbox or audit rows: they are the server's changes, not the user's.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Table, bindparam, delete, func, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.sync.transport import Op, RemoteChange
from storage.changes import BATCH, Change, record
from storage.database import now_iso
from storage.profile_repository import ProfileRepository
from storage.repository import device_payloads
from storage.tables import (
    AuditRow,
    ClientProfileRow,
    CompanyRow,
    DeviceOverrideRow,
    DeviceRow,
    GoLiveStepRow,
    HelpDeskSectionRow,
    NotificationRuleRow,
    OutboxRow,
    PackagePolicyRow,
    PackageRow,
    PolicyRow,
    SiteRow,
    SyncConflictRow,
    VaultItemRow,
    VaultRow,
    WorkspaceInfo,
)

CURSOR_KEY = "sync.cursor"
LAST_SYNC_KEY = "sync.last_sync"
KEY_NAMESPACE = uuid.UUID("6f1d8a52-3c55-4a8e-9b8e-52b1c3a0f7d1")
Row = dict[str, Any]


def _table(cls: Any) -> Table:
    table: Table = cls.__table__
    return table


def _s(value: Any, default: str = "") -> str:
    return default if value is None else str(value)


def _company(p: Row, partner_id: str) -> Row:
    return {"partner_id": partner_id, "name": _s(p.get("name"))}


def _site(p: Row, _partner: str) -> Row:
    return {"company_id": _s(p.get("companyId")), "name": _s(p.get("name")),
            "package_id": p.get("packageId") or None}


def _device(p: Row, _partner: str) -> Row:
    return {"site_id": _s(p.get("siteId")), "name": _s(p.get("name")),
            "kind": _s(p.get("kind"), "desktop"), "os": _s(p.get("os"))}


def _policy(p: Row, _partner: str) -> Row:
    return {"type_id": _s(p.get("type")), "name": _s(p.get("name")),
            "settings_json": json.dumps(p.get("settings") or {}, sort_keys=True)}


def _package(p: Row, _partner: str) -> Row:
    return {"name": _s(p.get("name")), "is_default": bool(p.get("is_default"))}


def _override(p: Row, _partner: str) -> Row:
    return {"device_id": _s(p.get("deviceId")), "type_id": _s(p.get("type")),
            "key": _s(p.get("key")), "value_json": json.dumps(p.get("value"))}


_PROFILE_TEXT = ("first_name", "last_name", "email", "title", "mobile_country_code",
                 "mobile_phone", "mobile_provider", "mobile_sms_gateway", "office_country_code",
                 "office_phone", "office_extension", "home_country_code", "home_phone",
                 "computer_name", "notes")


def _profile(p: Row, _partner: str) -> Row:
    from app.profiles.profile import profile_key

    row: Row = {name: _s(p.get(name)) for name in _PROFILE_TEXT}
    row["vip"] = bool(p.get("vip"))
    row["site_id"] = _s(p.get("site_id") or p.get("siteId"))
    key = profile_key(row["first_name"], row["last_name"], row["email"],
                      [row["mobile_phone"], row["office_phone"], row["home_phone"]])
    row["match_key"] = json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))
    return row


def _vault(p: Row, _partner: str) -> Row:
    kdf = p.get("kdf") or {}
    return {"format_version": int(p.get("formatVersion") or 1),
            "kdf_json": kdf if isinstance(kdf, str) else json.dumps(kdf, sort_keys=True),
            "wrapped_key": _s(p.get("wrappedKey")), "key_check": _s(p.get("keyCheck"))}


def _vault_item(p: Row, _partner: str) -> Row:
    props = p.get("properties", [])
    return {"site_id": p.get("site_id") or p.get("siteId"), "kind": _s(p.get("kind")),
            "title": _s(p.get("title")), "username": _s(p.get("username")),
            "url": _s(p.get("url")), "application": _s(p.get("application")),
            "password_ct": p.get("password_ct"), "notes_ct": p.get("notes_ct"),
            "properties_json": props if isinstance(props, str) else json.dumps(props)}


def _helpdesk(p: Row, _partner: str) -> Row:
    return {"site_id": _s(p.get("site_id")), "section": _s(p.get("section")),
            "document_json": json.dumps(p.get("document"), sort_keys=True, ensure_ascii=False)}


def _golive(p: Row, _partner: str) -> Row:
    reviews = p.get("reviews") or []
    return {"site_id": p.get("site_id") or None, "step": _s(p.get("step")),
            "status": _s(p.get("status"), "open"), "date": p.get("date") or None,
            "by": _s(p.get("by")), "note": _s(p.get("note")),
            "reviews_json": reviews if isinstance(reviews, str) else json.dumps(reviews)}


def _rule(p: Row, _partner: str) -> Row:
    return {"name": _s(p.get("name")),
            "paths_json": json.dumps(p.get("paths") or [], sort_keys=True, ensure_ascii=False)}


@dataclass(frozen=True)
class Mapping:
    entity: str
    table: Table
    to_row: Callable[[Row, str], Row]


# In dependency order: a row's references come earlier (the pull applies in this order).
MAPPINGS: dict[str, Mapping] = {m.entity: m for m in (
    Mapping("company", _table(CompanyRow), _company),
    Mapping("notification_rule", _table(NotificationRuleRow), _rule),
    Mapping("policy", _table(PolicyRow), _policy),
    Mapping("package", _table(PackageRow), _package),
    Mapping("site", _table(SiteRow), _site),
    Mapping("device", _table(DeviceRow), _device),
    Mapping("device_override", _table(DeviceOverrideRow), _override),
    Mapping("client_profile", _table(ClientProfileRow), _profile),
    Mapping("vault", _table(VaultRow), _vault),
    Mapping("vault_item", _table(VaultItemRow), _vault_item),
    Mapping("helpdesk_section", _table(HelpDeskSectionRow), _helpdesk),
    Mapping("golive_step", _table(GoLiveStepRow), _golive),
)}
RANK = {entity: i for i, entity in enumerate(MAPPINGS)}
OUTBOX = _table(OutboxRow)
AUDIT = _table(AuditRow)
CONFLICTS = _table(SyncConflictRow)
LINKS = _table(PackagePolicyRow)


@dataclass(frozen=True)
class PlannedOp:
    """An op for the server and the outbox rows it stands for (all rows of one record)."""

    op: Op
    seqs: tuple[int, ...]
    keys: tuple[str, ...]

    @property
    def first_seq(self) -> int:
        return self.seqs[0]


@dataclass
class ApplyStats:
    upserts: int = 0
    tombstones: int = 0
    skipped_pending: int = 0
    duplicates: list[str] = field(default_factory=list)


def get_info(s: Session, key: str) -> str | None:
    row = s.get(WorkspaceInfo, key)
    return None if row is None else row.value


def set_info(s: Session, key: str, value: str) -> None:
    s.merge(WorkspaceInfo(key=key, value=value))


def open_conflict_keys(s: Session) -> set[tuple[str, str]]:
    rows = s.execute(select(CONFLICTS.c.entity, CONFLICTS.c.entity_id)
                     .where(CONFLICTS.c.resolved_at.is_(None)))
    return {(e, i) for e, i in rows}


def pending_keys(s: Session) -> set[tuple[str, str]]:
    rows = s.execute(select(OUTBOX.c.entity, OUTBOX.c.entity_id).distinct())
    return {(e, i) for e, i in rows}


def plan(s: Session, *, exclude: set[tuple[str, str]] | None = None) -> list[PlannedOp]:
    """The outbox as ops: one per record (its newest state, against the version its first
    pending change was made on), in the order of each record's first change."""
    held = open_conflict_keys(s) | (exclude or set())
    groups: dict[tuple[str, str], list[Any]] = {}
    for row in s.execute(select(OUTBOX).order_by(OUTBOX.c.seq)):
        key = (row.entity, row.entity_id)
        if key not in held:
            groups.setdefault(key, []).append(row)
    bare: dict[str, list[str]] = {}  # the records whose newest change carries no payload
    for (entity, entity_id), rows in groups.items():
        if rows[-1].payload_json is None and rows[-1].op != "delete":
            bare.setdefault(entity, []).append(entity_id)
    current = {(entity, obj_id): payload for entity, ids in bare.items()
               for obj_id, payload in _current(s, entity, ids).items()}
    out = []
    for (entity, entity_id), rows in groups.items():
        last = rows[-1]
        kind: Literal["upsert", "delete"] = "delete" if last.op == "delete" else "upsert"
        if last.payload_json is not None:
            payload = json.loads(last.payload_json)
        elif kind == "upsert" and current.get((entity, entity_id)) is not None:
            payload = current[(entity, entity_id)]
        else:  # a delete, or a record no longer there: its current state is "deleted"
            kind, payload = "delete", {"id": entity_id}
        op = Op(entity, entity_id, kind, int(rows[0].base_version), payload,
                str(last.idempotency_key))
        out.append(PlannedOp(op, tuple(r.seq for r in rows),
                             tuple(str(r.idempotency_key) for r in rows)))
    out.sort(key=lambda p: p.first_seq)
    return out


def _current(s: Session, entity: str, ids: Sequence[str]) -> dict[str, Row | None]:
    """The records as the push sends them now (None: deleted), for outbox rows written
    without a payload (bulk changes: storage.changes.record_outbox)."""
    if entity == "client_profile":
        return ProfileRepository(s).payloads(ids)
    if entity == "device":  # devices a pull from Asio added
        return device_payloads(s, ids)
    raise ValueError(f"outbox rows of {entity} records must carry their payload")


def states_before(s: Session, planned: Sequence[PlannedOp]) -> dict[tuple[str, str], Any]:
    """For each planned update of a record the server has (base version > 0): the record as it
    was before its first pending change, from that change's audit row (written in the same
    transaction as its outbox row, so with the same time). Lets a view show the fields changed,
    not every field sent. Records without such a row are left out."""
    updates = {(p.op.entity, p.op.id): p.first_seq for p in planned
               if p.op.op == "upsert" and p.op.base_version > 0}
    if not updates:
        return {}
    first = OUTBOX.alias("first")
    before = (select(AUDIT.c.before_json)
              .where(AUDIT.c.entity == first.c.entity, AUDIT.c.entity_id == first.c.entity_id,
                     AUDIT.c.at >= first.c.created_at)
              .order_by(AUDIT.c.seq).limit(1).scalar_subquery())
    own_seq = (select(AUDIT.c.seq)
               .where(AUDIT.c.entity == first.c.entity, AUDIT.c.entity_id == first.c.entity_id,
                      AUDIT.c.at >= first.c.created_at)
               .order_by(AUDIT.c.seq).limit(1).scalar_subquery())
    seqs = sorted(updates.values())
    found: dict[tuple[str, str], tuple[int, str | None, str]] = {}
    for start in range(0, len(seqs), 900):  # SQLite's bound-parameter limit
        rows = s.execute(select(first.c.entity, first.c.entity_id, own_seq, before,
                                first.c.created_at)
                         .where(first.c.seq.in_(seqs[start:start + 900])))
        for entity, entity_id, seq, before_json, created_at in rows:
            found[(entity, entity_id)] = (2**62 if seq is None else int(seq), before_json,
                                          created_at)
    # A bulk change wrote one audit row for the batch, with the before-states of what it
    # updated: the first change of a record may be in one (the oldest entry wins).
    since = min((created_at for _seq, _before, created_at in found.values()), default="")
    batches = s.execute(select(AUDIT.c.seq, AUDIT.c.at, AUDIT.c.before_json,
                               func.json_extract(AUDIT.c.after_json, "$.entity"))
                        .where(AUDIT.c.entity == BATCH, AUDIT.c.at >= since)
                        .order_by(AUDIT.c.seq))
    for seq, at, before_map, entity in batches:
        if not before_map or before_map == "{}":
            continue
        for obj_id, state in json.loads(before_map).items():
            mine = found.get((entity, obj_id))
            if mine is not None and seq < mine[0] and at >= mine[2]:
                found[(entity, obj_id)] = (seq, json.dumps(state), mine[2])
    return {key: json.loads(before_json) for key, (_seq, before_json, _at) in found.items()
            if before_json is not None}


def batch_key(ops: Sequence[PlannedOp]) -> str:
    """The batch's Idempotency-Key, made from its ops' keys: the same batch sent again (a retry,
    or the next sync after a lost answer) carries the same key."""
    joined = "|".join(f"{p.op.op_key}@{p.op.base_version}" for p in ops)
    return str(uuid.uuid5(KEY_NAMESPACE, joined))


def _tables_ids(s: Session, mapping: Mapping, ids: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    chunk: list[str] = []
    table = mapping.table

    def flush() -> None:
        for row in s.execute(select(table.c.id, table.c.version, table.c.deleted_at)
                             .where(table.c.id.in_(chunk))):
            out[row.id] = row
        chunk.clear()

    for obj_id in ids:
        chunk.append(obj_id)
        if len(chunk) >= 900:
            flush()
    if chunk:
        flush()
    return out


def confirm(s: Session, planned: PlannedOp, version: int, *, upto_key: str | None = None
            ) -> None:
    """The server holds this record at `version`: drop the confirmed outbox rows (all of the
    op's, or those up to `upto_key`), rebase any newer ones, and note the version locally."""
    seqs = planned.seqs
    if upto_key is not None and upto_key in planned.keys:
        seqs = seqs[:planned.keys.index(upto_key) + 1]
    s.execute(delete(OUTBOX).where(OUTBOX.c.seq.in_(seqs)))
    op = planned.op
    s.execute(update(OUTBOX).where(OUTBOX.c.entity == op.entity,
                                   OUTBOX.c.entity_id == op.id)
              .values(base_version=version))
    mapping = MAPPINGS.get(op.entity)
    if mapping is not None:
        table = mapping.table
        s.execute(update(table).where(table.c.id == op.id, table.c.version < version)
                  .values(version=version))


def confirm_many(s: Session, confirmed: Sequence[tuple[PlannedOp, int]]) -> None:
    """`confirm` for a whole batch: one statement per table, not per op."""
    if not confirmed:
        return
    seqs = [seq for planned, _ in confirmed for seq in planned.seqs]
    for start in range(0, len(seqs), 900):
        s.execute(delete(OUTBOX).where(OUTBOX.c.seq.in_(seqs[start:start + 900])))
    params = [{"b_entity": p.op.entity, "b_id": p.op.id, "b_version": v} for p, v in confirmed]
    s.execute(update(OUTBOX).where(OUTBOX.c.entity == bindparam("b_entity"),
                                   OUTBOX.c.entity_id == bindparam("b_id"))
              .values(base_version=bindparam("b_version")), params)
    by_entity: dict[str, list[dict[str, Any]]] = {}
    for planned, version in confirmed:
        by_entity.setdefault(planned.op.entity, []).append(
            {"b_id": planned.op.id, "b_version": version})
    for entity, rows in by_entity.items():
        mapping = MAPPINGS.get(entity)
        if mapping is None:
            continue
        table = mapping.table
        s.execute(update(table).where(table.c.id == bindparam("b_id"),
                                      table.c.version < bindparam("b_version"))
                  .values(version=bindparam("b_version")), rows)


def replace_pending(s: Session, entity: str, entity_id: str, payload: Row | None, *,
                    base_version: int, action: str, before: Row | None) -> None:
    """The record's pending changes become one (a merge or a resolution), in this
    transaction, with its own outbox and audit rows."""
    s.execute(delete(OUTBOX).where(OUTBOX.c.entity == entity,
                                   OUTBOX.c.entity_id == entity_id))
    if payload is None and entity in MAPPINGS:
        tombstone(s, MAPPINGS[entity], [(entity_id, base_version, now_iso())])
    elif payload is not None:
        write_local(s, entity, entity_id, payload, base_version)
    record(s, [Change(entity, entity_id, action, before, payload, base_version)])


def write_local(s: Session, entity: str, entity_id: str, payload: Row, version: int, *,
                updated_at: str | None = None) -> None:
    mapping = MAPPINGS.get(entity)
    if mapping is None:
        return
    _upsert(s, mapping, [(entity_id, payload, version, updated_at or now_iso())],
            partner_id(s))


def partner_id(s: Session) -> str:
    return get_info(s, "partner_id") or ""


def _upsert(s: Session, mapping: Mapping, items: Sequence[tuple[str, Row, int, str]],
            partner: str) -> None:
    if not items:
        return
    rows = []
    for obj_id, payload, version, updated_at in items:
        row = mapping.to_row(payload, partner)
        row.update(id=obj_id, version=version, updated_at=updated_at, deleted_at=None)
        rows.append(row)
    statement = sqlite_insert(mapping.table)
    columns = [c for c in rows[0] if c != "id"]
    statement = statement.on_conflict_do_update(
        index_elements=["id"], set_={c: statement.excluded[c] for c in columns})
    s.execute(statement, rows)
    if mapping.entity == "package":
        _package_links(s, items)


def _package_links(s: Session, items: Sequence[tuple[str, Row, int, str]]) -> None:
    ids = [obj_id for obj_id, *_ in items]
    for start in range(0, len(ids), 900):
        s.execute(delete(LINKS).where(LINKS.c.package_id.in_(ids[start:start + 900])))
    wanted = {pid for _, payload, _, _ in items for pid in payload.get("policies") or []}
    types: dict[str, str] = {}
    wanted_ids = sorted(wanted)
    for start in range(0, len(wanted_ids), 900):
        for pid, type_id in s.execute(select(PolicyRow.id, PolicyRow.type_id).where(
                PolicyRow.id.in_(wanted_ids[start:start + 900]))):
            types[pid] = type_id
    links = []
    for obj_id, payload, _, _ in items:
        seen: set[str] = set()
        for position, pid in enumerate(payload.get("policies") or []):
            slot = types.get(pid)
            if slot is None or slot in seen:
                continue  # a policy this workspace does not have (yet): nothing to link
            seen.add(slot)
            links.append({"package_id": obj_id, "type_id": slot, "policy_id": pid,
                          "position": position})
    if links:
        s.execute(LINKS.insert(), links)


def tombstone(s: Session, mapping: Mapping, items: Sequence[tuple[str, int, str]]) -> None:
    table = mapping.table
    for obj_id, version, at in items:
        s.execute(update(table).where(table.c.id == obj_id)
                  .values(deleted_at=at, updated_at=at, version=version))
    if mapping.entity == "package":
        ids = [obj_id for obj_id, _, _ in items]
        for start in range(0, len(ids), 900):
            s.execute(delete(LINKS).where(LINKS.c.package_id.in_(ids[start:start + 900])))


def apply_remote(s: Session, changes: Sequence[RemoteChange], *, full: bool) -> ApplyStats:
    """Write the server's changes into the cache, in this one transaction. Records with
    pending local changes or an open conflict are left alone (a conflict gets the newer server
    copy). With `full`, `changes` is the whole server state: synced local rows it does not
    hold were deleted there and are tombstoned here."""
    stats = ApplyStats()
    s.execute(text("PRAGMA defer_foreign_keys = ON"))  # references may come later in the feed
    pending = pending_keys(s)
    conflicts = open_conflict_keys(s)
    newest: dict[tuple[str, str], RemoteChange] = {}
    for change in changes:
        newest[(change.entity, change.id)] = change
    partner = partner_id(s)
    by_entity: dict[str, list[RemoteChange]] = {}
    for key, change in newest.items():
        if key in conflicts:
            _refresh_conflict(s, change)
            continue
        if key in pending:
            stats.skipped_pending += 1
            continue
        if change.entity in MAPPINGS:
            by_entity.setdefault(change.entity, []).append(change)
    for entity, mapping in MAPPINGS.items():
        items = by_entity.get(entity, [])
        ups = [c for c in items if not c.deleted]
        if entity == "package":  # clear old defaults before the new one is set
            ups.sort(key=lambda c: bool(c.payload.get("is_default")))
        _upsert_guarded(s, mapping, ups, partner, stats)
        stats.upserts += len(ups)
        dead = [c for c in items if c.deleted]
        known = _tables_ids(s, mapping, [c.id for c in dead])
        gone = [(c.id, c.version, c.updated_at) for c in dead if c.id in known]
        tombstone(s, mapping, gone)
        stats.tombstones += len(gone)
    if full:
        alive = {key for key, c in newest.items() if not c.deleted}
        for entity, mapping in MAPPINGS.items():
            table = mapping.table
            rows = s.execute(select(table.c.id).where(table.c.version > 0,
                                                      table.c.deleted_at.is_(None)))
            stale = [(obj_id, 0, now_iso()) for (obj_id,) in rows
                     if (entity, obj_id) not in alive and (entity, obj_id) not in pending
                     and (entity, obj_id) not in conflicts]
            for obj_id, _v, at in stale:
                s.execute(update(table).where(table.c.id == obj_id)
                          .values(deleted_at=at, updated_at=at))
            stats.tombstones += len(stale)
    return stats


def _upsert_guarded(s: Session, mapping: Mapping, ups: Sequence[RemoteChange], partner: str,
                    stats: ApplyStats) -> None:
    items = [(c.id, c.payload, c.version, c.updated_at) for c in ups]
    try:
        with s.begin_nested():
            _upsert(s, mapping, items, partner)
        return
    except IntegrityError:
        pass
    # One of them breaks a local rule (two live objects of one name made offline on two
    # machines): apply the others, keep the refused ones as conflicts for the user.
    for item, change in zip(items, ups, strict=True):
        try:
            with s.begin_nested():
                _upsert(s, mapping, [item], partner)
        except IntegrityError as exc:
            stats.duplicates.append(f"{change.entity} {change.id}")
            add_conflict(s, change.entity, change.id, kind="refused", base=None, mine=None,
                         theirs=change.payload, theirs_version=change.version,
                         fields=[f"refused by this workspace: {exc.orig}"])


def _refresh_conflict(s: Session, change: RemoteChange) -> None:
    s.execute(update(CONFLICTS).where(
        CONFLICTS.c.entity == change.entity, CONFLICTS.c.entity_id == change.id,
        CONFLICTS.c.resolved_at.is_(None), CONFLICTS.c.theirs_version < change.version)
        .values(theirs_json=None if change.deleted else json.dumps(change.payload),
                theirs_version=change.version))


def add_conflict(s: Session, entity: str, entity_id: str, *, kind: str, base: Row | None,
                 mine: Row | None, theirs: Row | None, theirs_version: int,
                 fields: Sequence[str]) -> None:
    s.execute(update(CONFLICTS).where(
        CONFLICTS.c.entity == entity, CONFLICTS.c.entity_id == entity_id,
        CONFLICTS.c.resolved_at.is_(None)).values(resolved_at=now_iso(),
                                                  resolution="superseded"))
    s.execute(CONFLICTS.insert().values(
        entity=entity, entity_id=entity_id, kind=kind,
        base_json=None if base is None else json.dumps(base, sort_keys=True),
        mine_json=None if mine is None else json.dumps(mine, sort_keys=True),
        theirs_json=None if theirs is None else json.dumps(theirs, sort_keys=True),
        theirs_version=theirs_version, fields_json=json.dumps(list(fields)),
        created_at=now_iso()))


def local_counts(s: Session) -> dict[str, int]:
    out = {}
    for entity, mapping in MAPPINGS.items():
        table = mapping.table
        out[entity] = int(s.scalar(select(func.count()).select_from(table)
                                   .where(table.c.deleted_at.is_(None))) or 0)
    return out
