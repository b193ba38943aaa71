"""The vault's lock state: create, unlock (master password or the key remembered on this
device), lock (on demand, when idle, on close), and the master password's wrap of the vault key.

The other vault services ask this one for the key (`require_key`); it raises `VaultLocked` (a
RuleViolation) when the vault is locked and `VaultNotInitialized` when there is none.

init/unlock/change_password/upgrade_kdf/verify_password run Argon2id (64 MiB, 0.2–0.6 s) and a
wrong password sleeps `wrong_password_delay` (0.75 s): call them off the GUI thread. Listeners
are called on the thread that locked or unlocked (marshal to Qt yourself).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum

from app.vault import crypto
from app.vault.crypto import KdfParams, VaultKey
from app.vault.errors import (
    NoSecureKeyring,
    VaultError,
    VaultExists,
    VaultLocked,
    VaultNotInitialized,
    WeakPassword,
    WrongPassword,
)
from app.vault.idle import DEFAULT_IDLE_SECONDS, IdleTimer
from app.vault.keychain import Keychain
from app.vault.passwords import estimate_strength
from storage.database import Database
from storage.tables import VaultRow
from storage.vault_repository import VaultRepository

log = logging.getLogger(__name__)

DEFAULT_WRONG_PASSWORD_DELAY = 0.75  # seconds; slows guessing at the prompt, not at the file
MIN_MASTER_PASSWORD = 10


class VaultState(StrEnum):
    NONE = "none"  # no vault in this workspace yet
    LOCKED = "locked"
    UNLOCKED = "unlocked"


@dataclass(frozen=True)
class UnlockResult:
    remembered: bool = False  # the key is now in the OS keyring
    keyring_message: str | None = None  # why it was not remembered (no secure keyring)
    upgraded: bool = False  # the wrap was re-made with stronger Argon2id parameters


@dataclass(frozen=True)
class _Wrap:
    """What the vault row says about the key's wrap (read in one transaction)."""

    params: KdfParams
    wrapped_key: str
    key_check: str


class VaultKeySession:
    def __init__(self, db: Database, *, keychain: Keychain | None = None,
                 idle_seconds: float | None = DEFAULT_IDLE_SECONDS,
                 clock: Callable[[], float] = time.monotonic,
                 wrong_password_delay: float = DEFAULT_WRONG_PASSWORD_DELAY,
                 sleep: Callable[[float], None] = time.sleep,
                 kdf: KdfParams | None = None) -> None:
        self.db = db
        self.keychain = keychain or Keychain()
        self.idle = IdleTimer(idle_seconds, clock)
        self.wrong_password_delay = wrong_password_delay
        self._sleep = sleep
        self._kdf = kdf  # None: crypto.target_kdf() (the defaults)
        self._key: VaultKey | None = None
        self._workspace_id: str | None = None
        self._listeners: list[Callable[[VaultState], None]] = []
        self.locked_reason: str | None = None  # "idle", "on demand", "closed"

    # --- state --------------------------------------------------------------------------------

    @property
    def target_kdf(self) -> KdfParams:
        return self._kdf or crypto.target_kdf()

    @property
    def workspace_id(self) -> str:
        """The vault's id, which every ciphertext's associated data names: the id of the
        workspace that created the vault. A vault pulled by sync into another workspace of
        the partner keeps its creator's id, so its items decrypt there with the same master
        password; a workspace with no vault yet uses its own id."""
        if self._workspace_id is None:
            own = self.db.info("workspace_id")
            if not own:
                raise VaultError("this workspace has no id; open it once with this version")
            with self.db.read() as s:
                ids = VaultRepository(s).live_ids()
            if not ids:
                return own  # not cached: a sync may still bring the partner's vault
            self._workspace_id = own if own in ids else ids[0]
        return self._workspace_id

    def _wrap(self) -> _Wrap | None:
        with self.db.read() as s:
            row = VaultRepository(s).live(self.workspace_id)
            if row is None:
                return None
            return _Wrap(_params(row), row.wrapped_key, row.key_check)

    def _require_wrap(self) -> _Wrap:
        wrap = self._wrap()
        if wrap is None:
            raise VaultNotInitialized()
        return wrap

    @property
    def exists(self) -> bool:
        with self.db.read() as s:
            return VaultRepository(s).live(self.workspace_id) is not None

    @property
    def state(self) -> VaultState:
        self.check_idle()
        if self._key is not None:
            return VaultState.UNLOCKED
        return VaultState.LOCKED if self.exists else VaultState.NONE

    @property
    def is_unlocked(self) -> bool:
        return self.state is VaultState.UNLOCKED

    def add_listener(self, listener: Callable[[VaultState], None]) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[VaultState], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, state: VaultState) -> None:
        for listener in list(self._listeners):
            listener(state)

    # --- idle and lock --------------------------------------------------------------------------

    def set_idle_timeout(self, seconds: float | None) -> None:
        """Lock after this many idle seconds (None or 0: never). Default 5 minutes."""
        self.idle.timeout = seconds
        self.idle.touch()

    def touch(self) -> None:
        """The user did something: restart the idle clock."""
        self.idle.touch()

    def check_idle(self) -> bool:
        """Lock if idle for longer than the timeout; True when this call locked the vault."""
        if self._key is not None and self.idle.expired():
            self._drop("idle")
            log.info("vault locked after %.0f s idle", self.idle.timeout or 0)
            return True
        return False

    def lock(self, reason: str = "on demand") -> None:
        if self._key is not None:
            self._drop(reason)
            log.info("vault locked (%s)", reason)

    def close(self) -> None:
        self.lock("closed")

    def _drop(self, reason: str) -> None:
        if self._key is not None:
            self._key.wipe()
        self._key = None
        self.locked_reason = reason
        self._notify(VaultState.LOCKED)

    def _set_key(self, key: VaultKey) -> None:
        if self._key is not None:
            self._key.wipe()
        self._key = key
        self.locked_reason = None
        self.idle.touch()
        self._notify(VaultState.UNLOCKED)

    def require_key(self, what: str) -> VaultKey:
        """The key, for the item services; `what` completes "unlock the vault to …"."""
        self.check_idle()
        if self._key is None:
            if not self.exists:
                raise VaultNotInitialized()
            raise VaultLocked(what)
        self.idle.touch()
        return self._key

    def wrong(self, what: str = "master password") -> WrongPassword:
        """The error of a wrong password, after the delay that slows guessing at the prompt."""
        if self.wrong_password_delay > 0:
            self._sleep(self.wrong_password_delay)
        log.info("vault: wrong %s", what)
        return WrongPassword(what)

    # --- create, unlock, password -------------------------------------------------------------

    def init(self, password: str) -> None:
        """Create the vault with a new random key wrapped by `password`; it stays unlocked."""
        check_master(password)
        key = VaultKey.generate()
        params = self.target_kdf.with_new_salt()
        vault_id = self.workspace_id
        try:
            with self.db.write() as s:
                repo = VaultRepository(s)
                if repo.any(vault_id):
                    raise VaultExists()
                repo.create(vault_id, crypto.FORMAT_VERSION, params.to_dict(),
                            crypto.wrap_key(key, password, params, vault_id, vault_id),
                            crypto.key_check(key, vault_id))
        except BaseException:
            key.wipe()
            raise
        self._set_key(key)
        log.info("vault created (%s)", params.cost())

    def _unwrap(self, password: str) -> tuple[VaultKey, _Wrap]:
        wrap = self._require_wrap()
        try:
            key = crypto.unwrap_key(wrap.wrapped_key, password, wrap.params,
                                    self.workspace_id, self.workspace_id)
        except WrongPassword:
            raise self.wrong() from None
        return key, wrap

    def verify_password(self, password: str) -> bool:
        """True when `password` opens the vault (after the wrong-password delay if not)."""
        try:
            key, _wrap = self._unwrap(password)
        except WrongPassword:
            return False
        key.wipe()
        return True

    def unlock(self, password: str, *, remember: bool = False) -> UnlockResult:
        key, wrap = self._unwrap(password)
        upgraded = False
        if wrap.params.weaker_than(self.target_kdf):
            self._rewrap(key, password, "vault.upgrade_kdf")
            upgraded = True
        self._set_key(key)
        log.info("vault unlocked with the master password")
        remembered, message = False, None
        if remember:
            remembered, message = self._try_remember()
        return UnlockResult(remembered, message, upgraded)

    def _try_remember(self) -> tuple[bool, str | None]:
        key = self.require_key("remember it on this device")
        try:
            where = self.keychain.store(self.workspace_id, key)
        except NoSecureKeyring as exc:
            return False, str(exc)
        log.info("vault key remembered in %s", where)
        return True, None

    def remember_on_device(self) -> None:
        """Keep the key in the OS keyring (NoSecureKeyring when there is no trusted one)."""
        remembered, message = self._try_remember()
        if not remembered:
            raise NoSecureKeyring(message or self.keychain.unavailable_message())

    def forget_device(self) -> bool:
        return self.keychain.forget(self.workspace_id)

    @property
    def keychain_available(self) -> bool:
        return self.keychain.available

    @property
    def keychain_message(self) -> str | None:
        """None when a trusted keyring exists, else the sentence to show the user."""
        return None if self.keychain.available else self.keychain.unavailable_message()

    def unlock_from_keychain(self) -> bool:
        """Unlock with the key remembered on this device; False when there is none (or it
        no longer opens this vault: it is then forgotten)."""
        wrap = self._wrap()
        if wrap is None:
            return False
        key = self.keychain.load(self.workspace_id)
        if key is None:
            return False
        if not crypto.verify_key_check(key, wrap.key_check, self.workspace_id):
            key.wipe()
            self.keychain.forget(self.workspace_id)
            log.warning("the remembered vault key does not open this vault; forgotten")
            return False
        self._set_key(key)
        log.info("vault unlocked with the key remembered on this device")
        return True

    def change_password(self, old: str | None, new: str) -> None:
        """Re-wrap the vault key with a key derived from `new` (new salt, current parameters).
        No item is re-encrypted; a key remembered on this device stays valid.

        `old=None` changes it in the unlocked session: its key is already in memory, so only
        the new password is derived (one Argon2id run, the cost of one unlock). With `old`
        given, the two derivations (old password to check, new one to wrap) run side by side.
        No fast verifier of the old password is kept in memory for this: a memory dump would
        let an attacker test guesses at hash speed instead of Argon2id speed."""
        check_master(new)
        wrap = self._require_wrap()
        vault_id = self.workspace_id
        fresh = self.target_kdf.with_new_salt()
        if old is None:
            key = self.require_key("change the master password")
            self._store_wrap(fresh, crypto.wrap_key(key, new, fresh, vault_id, vault_id),
                             "vault.change_password")
            log.info("vault master password changed (unlocked session)")
            return
        with ThreadPoolExecutor(max_workers=2) as pool:  # argon2-cffi releases the GIL
            old_job = pool.submit(wrap.params.derive, old)
            new_job = pool.submit(fresh.derive, new)
            old_kek, new_kek = old_job.result(), new_job.result()
        try:
            key = crypto.unwrap_with_kek(wrap.wrapped_key, old_kek, vault_id, vault_id)
        except WrongPassword:
            crypto.wipe(new_kek)
            raise self.wrong() from None
        finally:
            crypto.wipe(old_kek)
        try:
            self._store_wrap(fresh, crypto.wrap_with_kek(key, new_kek, vault_id, vault_id),
                             "vault.change_password")
        finally:
            crypto.wipe(new_kek)
            key.wipe()
        log.info("vault master password changed")

    def upgrade_kdf(self, password: str, params: KdfParams | None = None) -> KdfParams:
        """Re-wrap with stronger Argon2id parameters (default: the current defaults)."""
        key, _wrap = self._unwrap(password)
        try:
            return self._rewrap(key, password, "vault.upgrade_kdf", params)
        finally:
            key.wipe()

    def kdf_params(self) -> KdfParams:
        return self._require_wrap().params

    def _rewrap(self, key: VaultKey, password: str, action: str,
                params: KdfParams | None = None) -> KdfParams:
        fresh = (params or self.target_kdf).with_new_salt()
        wrapped = crypto.wrap_key(key, password, fresh, self.workspace_id, self.workspace_id)
        self._store_wrap(fresh, wrapped, action)
        return fresh

    def _store_wrap(self, params: KdfParams, wrapped: str, action: str) -> None:
        with self.db.write() as s:
            repo = VaultRepository(s)
            row = repo.live(self.workspace_id)
            if row is None:
                raise VaultNotInitialized()
            repo.rewrap(row, params.to_dict(), wrapped, action)


def check_master(password: str) -> None:
    """A master (or export) password long and hard enough to guess, or WeakPassword."""
    if len(password) < MIN_MASTER_PASSWORD:
        raise WeakPassword(f"the master password must have at least {MIN_MASTER_PASSWORD} "
                           "characters")
    if estimate_strength(password).bits < 36:
        raise WeakPassword("the master password is too easy to guess; use a longer one "
                           "(a few unrelated words work well)")


def _params(row: VaultRow) -> KdfParams:
    return KdfParams.from_dict(json.loads(row.kdf_json))


__all__ = ["DEFAULT_WRONG_PASSWORD_DELAY", "MIN_MASTER_PASSWORD", "UnlockResult",
           "VaultKeySession", "VaultState", "check_master"]
