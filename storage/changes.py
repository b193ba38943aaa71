"""The outbox and the audit trail, written in the same transaction as the change they record."""

from __future__ import annotations

import getpass
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, insert
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
