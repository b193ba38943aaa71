"""The application's own secrets (PSA API keys, the sync and Asio client secrets, ...): vault
items of no site, kind `app-secret`, one per name."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from sqlalchemy.orm import Session

from app.services.vault.sealing import Sealer, check_secret, clean, item_view
from app.services.vault.session import VaultKeySession
from app.vault.items import APP_SECRET, LIMITS, ItemView
from storage.tables import VaultItemRow
from storage.vault_item_repository import VaultItemRepository
from storage.vault_items import vault_item_payload

log = logging.getLogger(__name__)
ACTION = "vault.app_secret"


class AppSecretService:
    def __init__(self, session: VaultKeySession) -> None:
        self.session = session
        self.db = session.db

    def set(self, name: str, value: str, *, username: str = "") -> ItemView:
        """Create or replace the application secret `name` (e.g. "psa.private_key")."""
        sealer = Sealer(self.session.require_key("store an application secret"),
                        self.session.workspace_id)
        with self.db.write() as s:
            return _put(s, sealer, name, value, username)

    def set_many(self, secrets: Mapping[str, str]) -> list[ItemView]:
        """`set` for several secrets in one transaction: all are stored, or (a value breaks a
        rule, the vault is locked) none is."""
        sealer = Sealer(self.session.require_key("store an application secret"),
                        self.session.workspace_id)
        with self.db.write() as s:
            return [_put(s, sealer, name, value, "") for name, value in secrets.items()]

    def get(self, name: str) -> str | None:
        """The secret's plaintext, or None when there is none by that name."""
        sealer = Sealer(self.session.require_key("read an application secret"),
                        self.session.workspace_id)
        with self.db.read() as s:
            row = VaultItemRepository(s).app_secret(name)
        return None if row is None else sealer.reveal(row, "password")

    def list(self) -> list[ItemView]:
        """The stored application secrets, by name, without their values (no key needed)."""
        with self.db.read() as s:
            return [item_view(r) for r in VaultItemRepository(s).app_secrets()]

    def has(self, name: str) -> bool:
        with self.db.read() as s:
            return VaultItemRepository(s).app_secret(name) is not None

    def delete(self, name: str) -> bool:
        """Tombstone the secret `name`; False when there is none."""
        with self.db.write() as s:
            repo = VaultItemRepository(s)
            row = repo.app_secret(name)
            if row is None:
                return False
            self.session.require_key("delete an item")
            repo.tombstone(row, "vault.delete")
            log.info("vault item %s deleted", row.id)
            return True


def _put(s: Session, sealer: Sealer, name: str, value: str, username: str) -> ItemView:
    repo = VaultItemRepository(s)
    existing = repo.app_secret(name)
    if existing is None:
        row = VaultItemRow(**sealer.new_values(
            None, APP_SECRET, name, username=username, password=value, url="", notes="",
            application="", properties=()))
        return item_view(repo.add(row, ACTION))
    before = vault_item_payload(existing)
    check_secret("the secret", value)
    existing.password_ct = sealer.seal(existing.id, "password", value)
    existing.username = clean("the username", username, LIMITS["username"])
    return item_view(repo.changed(existing, before, ACTION))


__all__ = ["AppSecretService"]
