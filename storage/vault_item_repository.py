"""Reads and writes of vault items (table `vault_items`): a site's items, the application's
secrets (`site_id` NULL), and lookups by id or title.

Rows arrive here already sealed: this layer never sees a plaintext secret, only the ciphertexts
the vault services made. Every change records its outbox and audit rows (ciphertexts only,
`storage.vault_items.vault_item_payload`) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from app.domain.errors import NotFound, RuleViolation
from storage.changes import Change, Payload, record
from storage.database import now_iso
from storage.tables import VaultItemRow
from storage.vault_items import vault_item_payload

ENTITY = "vault_item"
ITEMS: Table = VaultItemRow.__table__  # type: ignore[assignment]


class VaultItemRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    # --- reads ------------------------------------------------------------------------------

    def find(self, ref: str) -> VaultItemRow:
        """A live item by id, or by exact title when exactly one live item has it."""
        row = self.s.get(VaultItemRow, ref)
        if row is not None and not row.deleted_at:
            return row
        rows = list(self.s.scalars(select(VaultItemRow).where(
            VaultItemRow.deleted_at.is_(None), VaultItemRow.title == ref.strip())))
        if len(rows) == 1:
            return rows[0]
        if not rows:
            raise NotFound(f"no vault item with id or title '{ref}'")
        raise RuleViolation(f"{len(rows)} vault items are titled '{ref}'; use the id")

    def summaries(self, site_id: str, kind: str | None = None) -> list[Any]:
        """A site's live items without their ciphertexts: `has_password`/`has_notes` say
        whether there is one (a list never carries secrets, even sealed)."""
        c = ITEMS.c
        query = select(
            c.id, c.site_id, c.kind, c.title, c.username, c.url, c.application,
            c.properties_json, c.updated_at, c.version,
            c.password_ct.is_not(None).label("has_password"),
            c.notes_ct.is_not(None).label("has_notes"),
        ).where(c.site_id == site_id, c.deleted_at.is_(None))
        if kind is not None:
            query = query.where(c.kind == kind)
        return list(self.s.connection().execute(query).all())

    def site_rows(self, site_id: str) -> list[Any]:
        """A site's live items with their ciphertexts, by kind then title (exports)."""
        return list(self.s.connection().execute(select(ITEMS).where(
            ITEMS.c.site_id == site_id, ITEMS.c.deleted_at.is_(None)
        ).order_by(ITEMS.c.kind, ITEMS.c.title)).all())

    def app_secret(self, name: str) -> VaultItemRow | None:
        """The live application secret titled `name` (at most one: a unique index)."""
        return self.s.scalars(select(VaultItemRow).where(
            VaultItemRow.site_id.is_(None), VaultItemRow.deleted_at.is_(None),
            VaultItemRow.title == name)).first()

    def app_secrets(self) -> list[VaultItemRow]:
        return list(self.s.scalars(select(VaultItemRow).where(
            VaultItemRow.site_id.is_(None), VaultItemRow.deleted_at.is_(None)
        ).order_by(VaultItemRow.title)))

    # --- writes (each records its outbox and audit rows) --------------------------------------

    def add(self, row: VaultItemRow, action: str) -> VaultItemRow:
        self.s.add(row)
        self.s.flush()
        record(self.s, [Change(ENTITY, row.id, action, None, vault_item_payload(row), 0)])
        return row

    def add_many(self, rows: Sequence[dict[str, Any]], action: str) -> None:
        """Bulk insert with Core executemany (an import), outbox and audit rows included."""
        if not rows:
            return
        self.s.connection().execute(insert(ITEMS), list(rows))
        record(self.s, [Change(ENTITY, r["id"], action, None, vault_item_payload(r), 0)
                        for r in rows])

    def changed(self, row: VaultItemRow, before: Payload, action: str) -> VaultItemRow:
        """Record a change made to `row` (its `before` payload taken first)."""
        row.updated_at = now_iso()
        self.s.flush()
        record(self.s, [Change(ENTITY, row.id, action, before, vault_item_payload(row),
                               row.version)])
        return row

    def tombstone(self, row: VaultItemRow, action: str) -> VaultItemRow:
        """Mark deleted: the ciphertexts stay until the server knows (sync)."""
        before = vault_item_payload(row)
        row.deleted_at = row.updated_at = now_iso()
        self.s.flush()
        record(self.s, [Change(ENTITY, row.id, action, before, None, row.version)])
        return row


__all__ = ["ITEMS", "VaultItemRepository"]
