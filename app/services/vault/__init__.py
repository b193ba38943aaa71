"""The vault's use cases over a workspace: `workspace.vault` (docs/architecture.md, "Vault").

`Vault` bundles one service per purpose, sharing one key session:

    vault.session      VaultKeySession: state (NONE | LOCKED | UNLOCKED), init, unlock (password
                       or the key remembered on this device), lock, idle lock, change_password,
                       upgrade_kdf, listeners
    vault.items        VaultItemService: add, update, delete, get, list (no secrets), reveal
    vault.app_secrets  AppSecretService: the application's own secrets by name (set, set_many,
                       get, list, has, delete)
    vault.exchange     VaultExchangeService: encrypted export/import, CSV validate/import,
                       plaintext export (confirmed only)
    vault.generator    PasswordGenerator: generate_password, generated_strength,
                       password_strength

Every method that needs the key raises `VaultLocked` (a RuleViolation) when the vault is locked.
The SQL is in `storage.vault_repository` and `storage.vault_item_repository`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from app.services.vault.app_secrets import AppSecretService
from app.services.vault.exchange import CsvImportResult, ImportRefused, VaultExchangeService
from app.services.vault.generation import PasswordGenerator
from app.services.vault.items import VaultItemService
from app.services.vault.session import (
    DEFAULT_WRONG_PASSWORD_DELAY,
    MIN_MASTER_PASSWORD,
    UnlockResult,
    VaultKeySession,
    VaultState,
)
from app.vault.crypto import KdfParams
from app.vault.idle import DEFAULT_IDLE_SECONDS
from app.vault.keychain import Keychain
from storage.database import Database


class Vault:
    def __init__(self, db: Database, *, keychain: Keychain | None = None,
                 idle_seconds: float | None = DEFAULT_IDLE_SECONDS,
                 clock: Callable[[], float] = time.monotonic,
                 wrong_password_delay: float = DEFAULT_WRONG_PASSWORD_DELAY,
                 sleep: Callable[[float], None] = time.sleep,
                 kdf: KdfParams | None = None) -> None:
        self.session = VaultKeySession(db, keychain=keychain, idle_seconds=idle_seconds,
                                       clock=clock, wrong_password_delay=wrong_password_delay,
                                       sleep=sleep, kdf=kdf)
        self.items = VaultItemService(self.session)
        self.app_secrets = AppSecretService(self.session)
        self.exchange = VaultExchangeService(self.session, self.items)
        self.generator = PasswordGenerator()

    def close(self) -> None:
        """Lock (the workspace closes)."""
        self.session.close()


__all__ = ["MIN_MASTER_PASSWORD", "AppSecretService", "CsvImportResult", "ImportRefused",
           "PasswordGenerator", "UnlockResult", "Vault", "VaultExchangeService",
           "VaultItemService", "VaultKeySession", "VaultState"]
