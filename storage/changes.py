"""The outbox and the audit trail, written in the same transaction as the change they record."""

from __future__ import annotations

import getpass
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from storage.database import now_iso
from storage.tables import AuditRow, OutboxRow

Payload = dict[str, Any]


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
    session.execute(
        insert(OutboxRow),
        [
            {
                "entity": c.entity,
                "entity_id": c.entity_id,
                "op": c.op,
                "payload_json": _dump(c.after if c.after is not None else {"id": c.entity_id}),
                "base_version": c.base_version,
                "idempotency_key": str(uuid.uuid4()),
                "created_at": at,
            }
            for c in changes
        ],
    )
    session.execute(
        insert(AuditRow),
        [
            {
                "at": at,
                "actor": actor,
                "action": c.action,
                "entity": c.entity,
                "entity_id": c.entity_id,
                "before_json": _dump(c.before),
                "after_json": _dump(c.after),
            }
            for c in changes
        ],
    )
