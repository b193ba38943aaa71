"""Where the secret of an API client (the sync server's, the Asio connector's) is kept: the one
place that decides.

- The workspace has a vault: in it, as the application secret `name` (reading or storing it
  needs the vault unlocked: `VaultLocked` otherwise).
- No vault, and a trusted OS keychain exists (the vault's allow-list, `app.vault.keychain`):
  there, under `keychain_service`, account "<workspace id>:<client id>".
- Neither: nowhere (SESSION): the caller keeps it in memory for this session.

Never in the workspace's settings, QSettings or a file. Every method blocks (SQLite, keyring,
crypto): call them off the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from storage.database import Database

if TYPE_CHECKING:
    from app.services.vault import Vault

log = logging.getLogger(__name__)

VAULT, KEYCHAIN, SESSION = "vault", "keychain", "session"


class ClientSecretStore:
    def __init__(self, db: Database, vault: Callable[[], Vault], name: str,
                 keychain_service: str) -> None:
        self.db = db
        self._vault = vault  # made on first use (its crypto loads then)
        self.name = name
        self.keychain_service = keychain_service

    @property
    def vault(self) -> Vault:
        return self._vault()

    def _account(self, client_id: str) -> str:
        return f"{self.db.info('workspace_id') or self.db.path}:{client_id}"

    def _keychain(self) -> Any | None:
        """The trusted OS keyring backend, or None (untrusted ones count as none)."""
        return self.vault.session.keychain.secure_backend()

    def home(self) -> str:
        """Where a secret given now would be kept: VAULT, KEYCHAIN or SESSION."""
        if self.vault.session.exists:
            return VAULT
        return KEYCHAIN if self._keychain() is not None else SESSION

    def stored(self) -> str | None:
        """VAULT when the vault holds the secret (known without the key), else None (a
        keychain is not read just to find out)."""
        vault = self.vault
        if vault.session.exists and vault.app_secrets.has(self.name):
            return VAULT
        return None

    def read(self, client_id: str) -> str | None:
        """The stored secret, or None when none is stored. Raises `VaultLocked` when the
        vault holds it and is locked (the caller asks to unlock it)."""
        vault = self.vault
        if vault.session.exists:
            if not vault.app_secrets.has(self.name):
                return None  # nothing to unlock the vault for
            return vault.app_secrets.get(self.name)
        backend = self._keychain()
        if backend is None:
            return None
        try:
            found: str | None = backend.get_password(self.keychain_service,
                                                     self._account(client_id))
        except Exception as exc:  # a broken keyring never blocks: the caller asks instead
            log.warning("the OS keychain could not be read (%s)", type(exc).__name__)
            return None
        return found

    def store(self, client_id: str, secret: str) -> str:
        """Keep the secret; returns where: VAULT, KEYCHAIN or SESSION (not stored: the caller
        keeps it in memory). Raises `VaultLocked` when the vault is locked (nothing stored)."""
        vault = self.vault
        if vault.session.exists:
            vault.app_secrets.set(self.name, secret, username=client_id)
            return VAULT
        backend = self._keychain()
        if backend is None:
            return SESSION
        try:
            backend.set_password(self.keychain_service, self._account(client_id), secret)
        except Exception as exc:
            log.warning("the OS keychain refused the secret (%s)", type(exc).__name__)
            return SESSION
        return KEYCHAIN


__all__ = ["KEYCHAIN", "SESSION", "VAULT", "ClientSecretStore"]
