"""Reads and writes of the recorded go-live steps (table `golive_steps`, issue 19).

A site's steps have its `site_id`; the partner-wide ones (`interest`, `course`) have none, so
every site sees the same record. One live row per (site or partner, step); a change writes its
outbox and audit rows in the same transaction, and a change to the same state records nothing.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from storage.changes import Change, record
from storage.database import now_iso
from storage.tables import GoLiveStepRow

ENTITY = "golive_step"
STEPS_TABLE: Table = GoLiveStepRow.__table__  # type: ignore[assignment]
Payload = dict[str, Any]


def step_payload(row: Any) -> Payload:
    """A recorded step as it syncs (also what a site delete tombstones)."""
    return {"id": str(row.id), "site_id": row.site_id, "step": row.step, "status": row.status,
            "date": row.date, "by": row.by, "note": row.note,
            "reviews": json.loads(row.reviews_json or "[]")}


class GoLiveRepository:
    """One transaction's view of the recorded steps (`with db.write() as s: …(s)`)."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def records(self, site_id: str, partner_wide: frozenset[str]) -> dict[str, Payload]:
        """Step id → its live record: the site's own, and the partner's for `partner_wide`
        steps (the newest when two admins recorded one before syncing)."""
        t = STEPS_TABLE
        rows = self.s.execute(select(t).where(
            t.c.deleted_at.is_(None),
            (t.c.site_id == site_id) | t.c.site_id.is_(None)).order_by(t.c.updated_at))
        out: dict[str, Payload] = {}
        for row in rows:
            if (row.site_id is None) == (row.step in partner_wide):
                out[row.step] = step_payload(row)
        return out

    def save(self, site_id: str | None, payload: Payload, action: str) -> bool:
        """Store a step's record (`payload` without id/site_id); False when unchanged."""
        t = STEPS_TABLE
        site_clause = t.c.site_id.is_(None) if site_id is None else t.c.site_id == site_id
        row = self.s.execute(select(t).where(site_clause, t.c.step == payload["step"],
                                             t.c.deleted_at.is_(None))
                             .order_by(t.c.updated_at.desc())).first()
        values = {"status": payload["status"], "date": payload["date"],
                  "by": payload["by"], "note": payload["note"],
                  "reviews_json": json.dumps(payload["reviews"])}
        if row is not None and all(getattr(row, k) == v for k, v in values.items()):
            return False
        at = now_iso()
        if row is None:
            step_id, version, before = str(uuid.uuid4()), 0, None
            self.s.execute(insert(t).values(id=step_id, version=0, updated_at=at,
                                            site_id=site_id, step=payload["step"], **values))
        else:
            step_id, version, before = str(row.id), int(row.version), step_payload(row)
            self.s.execute(update(t).where(t.c.id == step_id).values(updated_at=at, **values))
        after = {**payload, "id": step_id, "site_id": site_id}
        record(self.s, [Change(ENTITY, step_id, action, before, after, version)])
        return True

    def sites_with_records(self) -> set[str]:
        t = STEPS_TABLE
        return {str(r) for r in self.s.execute(select(t.c.site_id).distinct().where(
            t.c.deleted_at.is_(None), t.c.site_id.is_not(None))).scalars()}
