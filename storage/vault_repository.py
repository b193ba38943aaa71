"""Reads and writes of the vault's own row (table `vaults`): the wrapped vault key, the
Argon2id parameters of its wrap and the key check. Nothing here can open anything: the row is
useless without the master password (app/vault/FORMAT.md)."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.changes import Change, Payload, record
from storage.database import now_iso
from storage.tables import VaultRow

ENTITY = "vault"


def vault_payload(row: VaultRow) -> Payload:
    return {"id": row.id, "formatVersion": row.format_version,
            "kdf": json.loads(row.kdf_json), "wrappedKey": row.wrapped_key,
            "keyCheck": row.key_check}


class VaultRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def live_ids(self) -> list[str]:
        """The ids of the live vaults, oldest first (a synced workspace may hold its own and
        the partner's)."""
        return list(self.s.scalars(select(VaultRow.id).where(VaultRow.deleted_at.is_(None))
                                   .order_by(VaultRow.updated_at, VaultRow.id)))

    def live(self, vault_id: str) -> VaultRow | None:
        row = self.s.get(VaultRow, vault_id)
        return None if row is None or row.deleted_at else row

    def any(self, vault_id: str) -> bool:
        """A row with this id exists, deleted or not."""
        return self.s.get(VaultRow, vault_id) is not None

    def create(self, vault_id: str, format_version: int, kdf: dict[str, object],
               wrapped_key: str, key_check: str) -> VaultRow:
        row = VaultRow(id=vault_id, format_version=format_version,
                       kdf_json=json.dumps(kdf, sort_keys=True), wrapped_key=wrapped_key,
                       key_check=key_check, updated_at=now_iso())
        self.s.add(row)
        self.s.flush()
        record(self.s, [Change(ENTITY, row.id, "vault.init", None, vault_payload(row), 0)])
        return row

    def rewrap(self, row: VaultRow, kdf: dict[str, object], wrapped_key: str,
               action: str) -> None:
        """A new wrap of the same key (a password change, stronger parameters)."""
        before = vault_payload(row)
        row.kdf_json = json.dumps(kdf, sort_keys=True)
        row.wrapped_key = wrapped_key
        row.updated_at = now_iso()
        self.s.flush()
        record(self.s, [Change(ENTITY, row.id, action, before, vault_payload(row),
                               row.version)])


__all__ = ["VaultRepository", "vault_payload"]
