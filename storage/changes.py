"""The outbox and the audit trail, written in the same transaction as the change they record."""

from __future__ import annotations

import getpass
import json
import os
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from storage.database import now_iso
from storage.tables import AuditRow, OutboxRow

Payload = dict[str, Any]
OUTBOX: Table = OutboxRow.__table__  # type: ignore[assignment]
AUDIT: Table = AuditRow.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Change:
    entity: str  # company | site | device | policy | package | device_override
    entity_id: str
    action: str  # e.g. "package.add_policy"; audit only
    before: Payload | None
    after: Payload | None
    base_version: int

    @property
    def op(self) -> str:
        return "delete" if self.after is None else "upsert"


def _actor() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (service accounts, some containers)
        return "unknown"


def actor() -> str:
    """Who makes the changes of this process: the audit's actor, and the "by" of a record."""
    return _actor()


def _dump(payload: Payload | None) -> str | None:
    return None if payload is None else json.dumps(payload, sort_keys=True, ensure_ascii=False)


def record(session: Session, changes: list[Change]) -> None:
    """Append outbox and audit rows with two executemany inserts (cheap for bulk changes)."""
    if not changes:
        return
    at = now_iso()
    actor = _actor()
    outbox, audit = [], []
    for c in changes:
        after = _dump(c.after)
        outbox.append({
            "entity": c.entity,
            "entity_id": c.entity_id,
            "op": c.op,
            "payload_json": after if after is not None else _dump({"id": c.entity_id}),
            "base_version": c.base_version,
            "idempotency_key": str(uuid.uuid4()),
            "created_at": at,
        })
        audit.append({
            "at": at,
            "actor": actor,
            "action": c.action,
            "entity": c.entity,
            "entity_id": c.entity_id,
            "before_json": _dump(c.before),
            "after_json": after,
        })
    # Plain Core inserts on the tables: the ORM's bulk layer costs more for nothing here.
    connection = session.connection()
    connection.execute(insert(OUTBOX), outbox)
    connection.execute(insert(AUDIT), audit)


# --- the bulk path (imports): pre-serialised payloads, one executemany per table -------------

def time_ordered_ids(count: int) -> list[str]:
    """`count` new, distinct UUIDs of version 7 (RFC 9562): the millisecond clock, 12 random
    bits, then a 62-bit counter from a random start (its "monotonic random" method). They sort
    in the order they were made, so a bulk insert appends to the indexes on ids instead of
    writing all over them, and they stay unguessable enough for ids and idempotency keys."""
    if count <= 0:
        return []
    return counter_ids(*_new_counter(), count)


class IdSeries:
    """`time_ordered_ids` handed out as they are needed, all of one series: a pull makes its
    new devices' ids a page at a time, and they still follow on (an index on them is appended
    to, not written all over). Each `take` is one C call holding the GIL for its ids only."""

    def __init__(self) -> None:
        self._prefix, self._next = _new_counter()

    def take(self, count: int) -> list[str]:
        if count <= 0:
            return []
        ids = counter_ids(self._prefix, self._next, count)
        self._next += count
        return ids


def _new_counter() -> tuple[str, int]:
    """The prefix (clock, random bits) and the counter's random start of a series of ids."""
    ms = time.time_ns() // 1_000_000
    rand_a = int.from_bytes(os.urandom(2)) & 0xFFF
    h = f"{ms & 0xFFFF_FFFF_FFFF:012x}"
    prefix = f"{h[:8]}-{h[8:]}-7{rand_a:03x}-"
    return prefix, int.from_bytes(os.urandom(8)) >> 4  # 60 bits: room for any count after it


def counter_ids(prefix: str, start: int, count: int) -> list[str]:
    """The ids of counters `start`… after `prefix` (`time_ordered_ids`): each is
    f"{prefix}{0x8000 | counter >> 48:04x}-{counter & 0xFFFF_FFFF_FFFF:012x}"."""
    ids: list[str] = []
    # By runs of one value of the counter's top 12 bits: then only its low 48 bits are
    # formatted per id (str.format through `map`, no Python code per id).
    while count > 0:
        low = start & _LOW_48
        run = min(count, _LOW_48 + 1 - low)
        ids += map(f"{prefix}{0x8000 | start >> 48:04x}-{{:012x}}".format, range(low, low + run))
        start, count = start + run, count - run
    return ids


_LOW_48 = 0xFFFF_FFFF_FFFF


def insert_many(session: Session, table: Table, columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows given as tuples in `columns` order: Core's `insert(table)` compiled once and
    handed to the driver's executemany, which skips building a parameter dict per row
    (SQLAlchemy's own executemany path costs about 5 µs a row on top of SQLite's work)."""
    if not rows:
        return
    connection = session.connection()
    statement = insert(table).compile(dialect=connection.dialect, column_keys=list(columns))
    order = tuple(statement.positiontup or ())
    if order != tuple(columns):
        where = [list(columns).index(name) for name in order]
        rows = [tuple(row[i] for i in where) for row in rows]
    connection.exec_driver_sql(statement.string, rows)


OUTBOX_COLUMNS = ("entity", "entity_id", "op", "payload_json", "base_version",
                  "idempotency_key", "created_at")
AUDIT_COLUMNS = ("at", "actor", "action", "entity", "entity_id", "before_json", "after_json")
BulkChange = tuple[str, str | None, str | None, int]  # entity id, before, after (JSON), base


def record_bulk(session: Session, entity: str, action: str,
                changes: Sequence[BulkChange]) -> None:
    """`record` for many changes of one kind whose payloads are already JSON text (`after`
    None = a delete): one executemany each into the outbox and the audit trail, in the
    caller's transaction."""
    if not changes:
        return
    at = now_iso()
    actor = _actor()
    keys = time_ordered_ids(len(changes))
    outbox = [
        (entity, entity_id, "delete" if after is None else "upsert",
         after if after is not None else _dump({"id": entity_id}), base, key, at)
        for (entity_id, _before, after, base), key in zip(changes, keys, strict=True)
    ]
    audit = [(at, actor, action, entity, entity_id, before, after)
             for entity_id, before, after, _base in changes]
    insert_many(session, OUTBOX, OUTBOX_COLUMNS, outbox)
    insert_many(session, AUDIT, AUDIT_COLUMNS, audit)


# --- the batch path (imports, their undo and redo): no copies of the records ------------------

OutboxOp = tuple[str, str, int]  # entity id, "upsert" | "delete", base version
_BARE_OUTBOX_COLUMNS = ("entity", "entity_id", "op", "base_version", "idempotency_key",
                        "created_at")
BATCH = "batch"  # the audit `entity` of a row that records a whole bulk change


def record_outbox(session: Session, entity: str, ops: Sequence[OutboxOp], at: str) -> None:
    """Outbox rows without a payload, one executemany: the push reads each record as it is
    then (the outbox is folded per record, so only the newest state is sent anyway)."""
    if not ops:
        return
    keys = time_ordered_ids(len(ops))
    insert_many(session, OUTBOX, _BARE_OUTBOX_COLUMNS, [
        (entity, entity_id, op, base, key, at)
        for (entity_id, op, base), key in zip(ops, keys, strict=True)])


def record_new_outbox(session: Session, entity: str, ids: Sequence[str], at: str) -> None:
    """`record_outbox` of new records (an upsert each against version 0), the rows built in
    C (`zip`): an import creates up to 100k of them at once."""
    if not ids:
        return
    keys = time_ordered_ids(len(ids))
    insert_many(session, OUTBOX, _BARE_OUTBOX_COLUMNS, list(zip(
        repeat(entity), ids, repeat("upsert"), repeat(0), keys, repeat(at))))


def record_batch(session: Session, action: str, what: Payload, before: dict[str, str],
                 at: str) -> str:
    """One audit row for a whole bulk change, standing for its records: `what`
    says what it was and the ids it touched (lists under "created", "updated", "deleted",
    "restored", with "entity"); `before` maps the id of each record it updated to that
    record's state before, as JSON text. Returns the batch's id (the row's `entity_id`)."""
    batch_id = str(uuid.uuid4())
    before_json = "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in before.items()) + "}"
    insert_many(session, AUDIT, AUDIT_COLUMNS, [
        (at, _actor(), action, BATCH, batch_id, before_json,
         json.dumps(what, ensure_ascii=False, separators=(",", ":")))])
    return batch_id


_BATCH_KINDS = ("created", "updated", "deleted", "restored")


@dataclass(frozen=True)
class HistoryEntry:
    """One change of one record, from its own audit row or from a batch's: a batch entry has
    `batch` (its id) and the record's state before (for an update), not the state after."""

    seq: int
    at: str
    actor: str
    action: str
    before: Payload | None
    after: Payload | None
    batch: str | None = None


def record_history(session: Session, entity: str, entity_id: str) -> list[HistoryEntry]:
    """Every audit entry of one record, oldest first: its own rows and the batches that name
    it (the audit view shows each record's history whichever way it was written)."""
    own = session.execute(
        select(AUDIT.c.seq, AUDIT.c.at, AUDIT.c.actor, AUDIT.c.action, AUDIT.c.before_json,
               AUDIT.c.after_json)
        .where(AUDIT.c.entity == entity, AUDIT.c.entity_id == entity_id))
    entries = [HistoryEntry(int(seq), at, actor, action, _load(before), _load(after))
               for seq, at, actor, action, before, after in own]
    named = " OR ".join(
        f"EXISTS (SELECT 1 FROM json_each(audit.after_json, '$.{kind}') WHERE value = :id)"
        for kind in _BATCH_KINDS)
    batches = session.execute(text(
        "SELECT seq, at, actor, action, entity_id, json_extract(before_json, :path) FROM audit "
        f"WHERE entity = :batch AND json_extract(after_json, '$.entity') = :entity "
        f"AND ({named})"),
        {"batch": BATCH, "entity": entity, "id": entity_id, "path": f'$."{entity_id}"'})
    entries += [HistoryEntry(int(seq), at, actor, action, _load(before), None, batch_id)
                for seq, at, actor, action, batch_id, before in batches]
    return sorted(entries, key=lambda e: e.seq)


def _load(text_: str | None) -> Payload | None:
    return None if text_ is None else dict(json.loads(text_))
