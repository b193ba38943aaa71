"""The vault's use cases over a workspace: `workspace.vault` (issue 6, docs/architecture.md §6).

For front ends (the GUI calls exactly these; the CLI too):

    vault.state                      VaultState.NONE | LOCKED | UNLOCKED (`is_unlocked`, `exists`)
    vault.init(password)             create the vault (unlocked afterwards)
    vault.unlock(password, remember=False) -> UnlockResult   WrongPassword after a short delay
    vault.unlock_from_keychain() -> bool   True when a remembered key opened it
    vault.keychain_available / keychain_message / remember_on_device() / forget_device()
    vault.lock()                     drops (overwrites) the key; also on idle and on close
    vault.touch() / vault.check_idle() -> bool   activity; lock when idle (call from a timer)
    vault.set_idle_timeout(seconds)  default 300; None/0 = never
    vault.verify_password(pw) -> bool   re-ask before a plaintext export, say
    vault.add_listener(fn)           fn(VaultState) on every lock/unlock (e.g. the status bar)
    vault.change_password(old, new)  re-wraps the key only
    vault.add(site, kind, title, username=, password=, url=, notes=, application=, properties=)
    vault.update(item_id, ...)       None = keep; "" = clear
    vault.delete(item_id) / vault.get(item_id) -> ItemView
    vault.list(site, kind=None, search=None) -> list[ItemView]   (no key needed, no secrets)
    vault.reveal(item_id, field)     field "password" | "notes" | "property:<id or name>"
    vault.set_app_secret(name, value) / set_app_secrets({name: value}) (one transaction)
    vault.app_secret(name) / app_secrets() / delete_app_secret
    VaultService.generate_password(length, classes) / password_strength(pw) / generated_strength
    vault.export_encrypted(site, path, export_password) -> int
    vault.import_encrypted(path, password, site) -> int
    vault.validate_csv(path, site) -> Report ; vault.import_csv(path, site, skip_invalid=False)
    vault.export_plaintext(site, path, *, confirmed) -> int   refused unless confirmed

Every method that needs the key raises `VaultLocked` (a RuleViolation) when the vault is locked.
init/unlock/change_password/upgrade_kdf/export_encrypted/import_encrypted run Argon2id (64 MiB,
0.2–0.6 s) and a wrong password sleeps `wrong_password_delay` (0.75 s): call them off the GUI
thread. Listeners are called on the thread that locked/unlocked (marshal to Qt yourself).
Outbox and audit rows of vault items carry ciphertexts only; sync ships them as they are.
"""

from __future__ import annotations

import builtins
import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from app.domain.errors import NotFound, RuleViolation
from app.domain.model import new_id
from app.services.hierarchy import resolve_site
from app.vault import crypto
from app.vault.crypto import FIELD, KdfParams, VaultKey, associated_data
from app.vault.errors import (
    NoSecureKeyring,
    VaultError,
    VaultExists,
    VaultLocked,
    VaultNotInitialized,
    WeakPassword,
    WrongPassword,
)
from app.vault.exchange import open_export, plaintext_csv, seal_export, write_private
from app.vault.idle import DEFAULT_IDLE_SECONDS, IdleTimer
from app.vault.items import (
    APP_SECRET,
    KINDS,
    LIMITS,
    MAX_SECRET_CHARS,
    ItemView,
    Property,
    PropertyView,
)
from app.vault.keychain import Keychain
from app.vault.passwords import (
    DEFAULT_CLASSES,
    Strength,
    estimate_strength,
    generate_password,
    generated_entropy,
)
from storage.changes import Change, Payload, record
from storage.database import Database, now_iso
from storage.repository import Repository
from storage.tables import VaultItemRow, VaultRow
from storage.vault_items import properties_of as _props
from storage.vault_items import vault_item_payload as _payload

log = logging.getLogger(__name__)

DEFAULT_WRONG_PASSWORD_DELAY = 0.75  # seconds; slows guessing at the prompt, not at the file
MIN_MASTER_PASSWORD = 10
ITEMS: Table = VaultItemRow.__table__  # type: ignore[assignment]


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
class CsvImportResult:
    report: Any  # app.profiles.validation.Report
    imported: int
    skipped_rows: tuple[int, ...]


class ImportRefused(RuleViolation):
    def __init__(self, report: Any) -> None:
        rows = len({i.row for i in report.issues if i.severity == "error"})
        super().__init__(f"{rows} row(s) of the file have errors; nothing was imported (fix "
                         "them, or import with skip_invalid to leave them out)")
        self.report = report


def _clean(name: str, value: str | None, limit: int) -> str:
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise RuleViolation(f"{name} is {len(text)} characters; at most {limit}")
    return text


def _check_secret(name: str, value: str) -> None:
    if len(value) > MAX_SECRET_CHARS:
        raise RuleViolation(f"{name} is longer than {MAX_SECRET_CHARS} characters")


def _view(row: Any) -> ItemView:
    """A row (ORM object or Core row with has_password/has_notes or the *_ct columns)."""
    props = tuple(
        PropertyView(p["id"], p["name"], bool(p.get("secret")),
                     None if p.get("secret") else str(p.get("value", "")))
        for p in _props(row.properties_json)
    )
    has_password = getattr(row, "has_password", None)
    if has_password is None:
        has_password = row.password_ct is not None
        has_notes = row.notes_ct is not None
    else:
        has_notes = row.has_notes
    return ItemView(row.id, row.site_id, row.kind, row.title, row.username, row.url,
                    row.application, bool(has_password), bool(has_notes), props,
                    row.updated_at, row.version)


def _vault_payload(row: VaultRow) -> Payload:
    return {"id": row.id, "formatVersion": row.format_version,
            "kdf": json.loads(row.kdf_json), "wrappedKey": row.wrapped_key,
            "keyCheck": row.key_check}


class VaultService:
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
                ids = list(s.scalars(select(VaultRow.id).where(VaultRow.deleted_at.is_(None))
                                     .order_by(VaultRow.updated_at, VaultRow.id)))
            if not ids:
                return own  # not cached: a sync may still bring the partner's vault
            self._workspace_id = own if own in ids else ids[0]
        return self._workspace_id

    def _row(self, s: Session) -> VaultRow | None:
        row = s.get(VaultRow, self.workspace_id)
        return None if row is None or row.deleted_at else row

    @property
    def exists(self) -> bool:
        with self.db.read() as s:
            return self._row(s) is not None

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

    def _require_key(self, what: str) -> VaultKey:
        self.check_idle()
        if self._key is None:
            if not self.exists:
                raise VaultNotInitialized()
            raise VaultLocked(what)
        self.idle.touch()
        return self._key

    def _wrong(self, what: str = "master password") -> WrongPassword:
        if self.wrong_password_delay > 0:
            self._sleep(self.wrong_password_delay)
        log.info("vault: wrong %s", what)
        return WrongPassword(what)

    # --- create, unlock, password -------------------------------------------------------------

    def init(self, password: str) -> None:
        """Create the vault with a new random key wrapped by `password`; it stays unlocked."""
        self._check_master(password)
        key = VaultKey.generate()
        params = self.target_kdf.with_new_salt()
        try:
            with self.db.write() as s:
                if s.get(VaultRow, self.workspace_id) is not None:
                    raise VaultExists()
                row = VaultRow(
                    id=self.workspace_id, format_version=crypto.FORMAT_VERSION,
                    kdf_json=json.dumps(params.to_dict(), sort_keys=True),
                    wrapped_key=crypto.wrap_key(key, password, params, self.workspace_id,
                                                self.workspace_id),
                    key_check=crypto.key_check(key, self.workspace_id), updated_at=now_iso())
                s.add(row)
                s.flush()
                record(s, [Change("vault", row.id, "vault.init", None, _vault_payload(row), 0)])
        except BaseException:
            key.wipe()
            raise
        self._set_key(key)
        log.info("vault created (%s)", params.cost())

    @staticmethod
    def _check_master(password: str) -> None:
        if len(password) < MIN_MASTER_PASSWORD:
            raise WeakPassword(f"the master password must have at least {MIN_MASTER_PASSWORD} "
                               "characters")
        if estimate_strength(password).bits < 36:
            raise WeakPassword("the master password is too easy to guess; use a longer one "
                               "(a few unrelated words work well)")

    def _params(self, row: VaultRow) -> KdfParams:
        return KdfParams.from_dict(json.loads(row.kdf_json))

    def _unwrap(self, password: str) -> tuple[VaultKey, VaultRow]:
        with self.db.read() as s:
            row = self._row(s)
            if row is None:
                raise VaultNotInitialized()
        try:
            key = crypto.unwrap_key(row.wrapped_key, password, self._params(row),
                                    self.workspace_id, self.workspace_id)
        except WrongPassword:
            raise self._wrong() from None
        return key, row

    def verify_password(self, password: str) -> bool:
        """True when `password` opens the vault (after the wrong-password delay if not)."""
        try:
            key, _row = self._unwrap(password)
        except WrongPassword:
            return False
        key.wipe()
        return True

    def unlock(self, password: str, *, remember: bool = False) -> UnlockResult:
        key, row = self._unwrap(password)
        upgraded = False
        if self._params(row).weaker_than(self.target_kdf):
            self._rewrap(key, password, "vault.upgrade_kdf")
            upgraded = True
        self._set_key(key)
        log.info("vault unlocked with the master password")
        remembered, message = False, None
        if remember:
            remembered, message = self._try_remember()
        return UnlockResult(remembered, message, upgraded)

    def _try_remember(self) -> tuple[bool, str | None]:
        key = self._require_key("remember it on this device")
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
        with self.db.read() as s:
            row = self._row(s)
            if row is None:
                return False
            check = row.key_check
        key = self.keychain.load(self.workspace_id)
        if key is None:
            return False
        if not crypto.verify_key_check(key, check, self.workspace_id):
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
        self._check_master(new)
        with self.db.read() as s:
            row = self._row(s)
            if row is None:
                raise VaultNotInitialized()
        if old is None:
            key = self._require_key("change the master password")
            fresh = self.target_kdf.with_new_salt()
            wrapped = crypto.wrap_key(key, new, fresh, self.workspace_id, self.workspace_id)
            self._store_wrap(fresh, wrapped, "vault.change_password")
            log.info("vault master password changed (unlocked session)")
            return
        fresh = self.target_kdf.with_new_salt()
        with ThreadPoolExecutor(max_workers=2) as pool:  # argon2-cffi releases the GIL
            old_job = pool.submit(self._params(row).derive, old)
            new_job = pool.submit(fresh.derive, new)
            old_kek, new_kek = old_job.result(), new_job.result()
        try:
            key = crypto.unwrap_with_kek(row.wrapped_key, old_kek, self.workspace_id,
                                         self.workspace_id)
        except WrongPassword:
            raise self._wrong() from None
        finally:
            crypto.wipe(old_kek)
        try:
            wrapped = crypto.wrap_with_kek(key, new_kek, self.workspace_id, self.workspace_id)
            self._store_wrap(fresh, wrapped, "vault.change_password")
        finally:
            crypto.wipe(new_kek)
            key.wipe()
        log.info("vault master password changed")

    def upgrade_kdf(self, password: str, params: KdfParams | None = None) -> KdfParams:
        """Re-wrap with stronger Argon2id parameters (default: the current defaults)."""
        key, _row = self._unwrap(password)
        try:
            return self._rewrap(key, password, "vault.upgrade_kdf", params)
        finally:
            key.wipe()

    def kdf_params(self) -> KdfParams:
        with self.db.read() as s:
            row = self._row(s)
            if row is None:
                raise VaultNotInitialized()
            return self._params(row)

    def _rewrap(self, key: VaultKey, password: str, action: str,
                params: KdfParams | None = None) -> KdfParams:
        fresh = (params or self.target_kdf).with_new_salt()
        wrapped = crypto.wrap_key(key, password, fresh, self.workspace_id, self.workspace_id)
        self._store_wrap(fresh, wrapped, action)
        return fresh

    def _store_wrap(self, params: KdfParams, wrapped: str, action: str) -> None:
        with self.db.write() as s:
            row = self._row(s)
            if row is None:
                raise VaultNotInitialized()
            before = _vault_payload(row)
            row.kdf_json = json.dumps(params.to_dict(), sort_keys=True)
            row.wrapped_key = wrapped
            row.updated_at = now_iso()
            s.flush()
            record(s, [Change("vault", row.id, action, before, _vault_payload(row),
                              row.version)])

    # --- items --------------------------------------------------------------------------------

    def _ad(self, item_id: str, field: str) -> bytes:
        return associated_data(FIELD, self.workspace_id, item_id, field)

    def _seal(self, key: VaultKey, item_id: str, field: str, value: str) -> str | None:
        if value == "":
            return None
        return crypto.seal(key.aead, value, self._ad(item_id, field))

    def _open(self, key: VaultKey, text: str, item_id: str, field: str, title: str) -> str:
        return crypto.open_text(key.aead, text, self._ad(item_id, field),
                                what=f"the {field} of vault item '{title}' ({item_id})")

    def _seal_props(self, key: VaultKey, item_id: str, props: Iterable[Property],
                    old: Sequence[dict[str, Any]] = ()) -> str:
        out: list[dict[str, Any]] = []
        names: set[str] = set()
        old_ids = {p["id"] for p in old}
        for prop in props:
            name = _clean("a property name", prop.name, LIMITS["property"])
            if not name:
                raise RuleViolation("a custom property needs a name")
            if name.casefold() in names:
                raise RuleViolation(f"two custom properties are named '{name}'")
            names.add(name.casefold())
            pid = prop.id if prop.id in old_ids else uuid.uuid4().hex[:12]
            assert pid is not None
            if prop.secret:
                _check_secret(f"property '{name}'", prop.value)
                out.append({"id": pid, "name": name, "secret": True,
                            "value_ct": crypto.seal(key.aead, prop.value,
                                                    self._ad(item_id, f"property:{pid}"))})
            else:
                out.append({"id": pid, "name": name, "secret": False,
                            "value": _clean(f"property '{name}'", prop.value, 2000)})
        return json.dumps(out, ensure_ascii=False)

    def _site_id(self, s: Session, site: str) -> str:
        return resolve_site(Repository(s), site).id

    def _new_values(self, key: VaultKey, site_id: str | None, kind: str, title: str, *,
                    username: str, password: str, url: str, notes: str, application: str,
                    properties: Iterable[Property], at: str | None = None) -> dict[str, Any]:
        """The columns of a new item, its secrets sealed under its new id."""
        if kind not in KINDS and kind != APP_SECRET:
            raise RuleViolation(f"kind '{kind}' must be one of {', '.join(KINDS)}")
        clean_title = _clean("the title", title, LIMITS["title"])
        if not clean_title:
            raise RuleViolation("a vault item needs a title")
        _check_secret("the password", password)
        _check_secret("the notes", notes)
        item_id = new_id()
        return {
            "id": item_id, "site_id": site_id, "kind": kind, "title": clean_title,
            "username": _clean("the username", username, LIMITS["username"]),
            "url": _clean("the URL", url, LIMITS["url"]),
            "application": _clean("the application", application, LIMITS["application"]),
            "password_ct": self._seal(key, item_id, "password", password),
            "notes_ct": self._seal(key, item_id, "notes", notes),
            "properties_json": self._seal_props(key, item_id, properties),
            "version": 0, "updated_at": at or now_iso(), "deleted_at": None,
        }

    def _new_row(self, key: VaultKey, site_id: str | None, kind: str, title: str, *,
                 username: str, password: str, url: str, notes: str, application: str,
                 properties: Iterable[Property]) -> VaultItemRow:
        return VaultItemRow(**self._new_values(
            key, site_id, kind, title, username=username, password=password, url=url,
            notes=notes, application=application, properties=properties))

    def add(self, site: str, kind: str, title: str, *, username: str = "", password: str = "",
            url: str = "", notes: str = "", application: str = "",
            properties: Iterable[Property] = ()) -> ItemView:
        key = self._require_key("add an item")
        if kind == APP_SECRET:
            raise RuleViolation("application secrets are added with set_app_secret")
        with self.db.write() as s:
            row = self._new_row(key, self._site_id(s, site), kind, title, username=username,
                                password=password, url=url, notes=notes,
                                application=application, properties=properties)
            s.add(row)
            s.flush()
            record(s, [Change("vault_item", row.id, "vault.add", None, _payload(row), 0)])
            log.info("vault item %s added (%s)", row.id, kind)
            return _view(row)

    def _item(self, s: Session, item_id: str) -> VaultItemRow:
        row = s.get(VaultItemRow, item_id)
        if row is None or row.deleted_at:
            raise NotFound(f"no vault item with id '{item_id}'")
        return row

    def _find(self, s: Session, ref: str) -> VaultItemRow:
        """An item by id, or by exact title when exactly one live item has it."""
        row = s.get(VaultItemRow, ref)
        if row is not None and not row.deleted_at:
            return row
        rows = list(s.scalars(select(VaultItemRow).where(
            VaultItemRow.deleted_at.is_(None), VaultItemRow.title == ref.strip())))
        if len(rows) == 1:
            return rows[0]
        if not rows:
            raise NotFound(f"no vault item with id or title '{ref}'")
        raise RuleViolation(f"{len(rows)} vault items are titled '{ref}'; use the id")

    def get(self, item: str) -> ItemView:
        with self.db.read() as s:
            return _view(self._find(s, item))

    def update(self, item: str, *, title: str | None = None, username: str | None = None,
               password: str | None = None, url: str | None = None, notes: str | None = None,
               application: str | None = None, kind: str | None = None,
               properties: Iterable[Property] | None = None) -> ItemView:
        """Change fields; None keeps a field, "" clears it. `properties` replaces the item's
        properties (pass each kept one with its `id`, and its value: a secret one is re-sealed
        with the value given, so reveal it first to keep it)."""
        key = self._require_key("edit an item")
        with self.db.write() as s:
            row = self._find(s, item)
            before = _payload(row)
            if kind is not None:
                if kind not in KINDS or row.kind == APP_SECRET:
                    raise RuleViolation(f"kind '{kind}' must be one of {', '.join(KINDS)}")
                row.kind = kind
            if title is not None:
                clean = _clean("the title", title, LIMITS["title"])
                if not clean:
                    raise RuleViolation("a vault item needs a title")
                row.title = clean
            if username is not None:
                row.username = _clean("the username", username, LIMITS["username"])
            if url is not None:
                row.url = _clean("the URL", url, LIMITS["url"])
            if application is not None:
                row.application = _clean("the application", application,
                                         LIMITS["application"])
            if password is not None:
                _check_secret("the password", password)
                row.password_ct = self._seal(key, row.id, "password", password)
            if notes is not None:
                _check_secret("the notes", notes)
                row.notes_ct = self._seal(key, row.id, "notes", notes)
            if properties is not None:
                row.properties_json = self._seal_props(key, row.id, properties,
                                                       _props(row.properties_json))
            row.updated_at = now_iso()
            s.flush()
            record(s, [Change("vault_item", row.id, "vault.update", before, _payload(row),
                              row.version)])
            log.info("vault item %s updated", row.id)
            return _view(row)

    def delete(self, item: str) -> ItemView:
        """Tombstone an item (its ciphertexts stay until the server knows; docs/architecture.md
        §3)."""
        self._require_key("delete an item")
        with self.db.write() as s:
            row = self._find(s, item)
            before = _payload(row)
            row.deleted_at = row.updated_at = now_iso()
            s.flush()
            record(s, [Change("vault_item", row.id, "vault.delete", before, None,
                              row.version)])
            log.info("vault item %s deleted", row.id)
            return _view(row)

    def list(self, site: str, kind: str | None = None,
             search: str | None = None) -> list[ItemView]:
        """A site's items without secrets, by kind then title. `search` matches title,
        username, URL, application and non-secret properties (case-insensitive)."""
        if kind is not None and kind not in KINDS:
            raise RuleViolation(f"kind '{kind}' must be one of {', '.join(KINDS)}")
        self.touch()
        with self.db.read() as s:
            site_id = self._site_id(s, site)
            c = ITEMS.c
            query = select(
                c.id, c.site_id, c.kind, c.title, c.username, c.url, c.application,
                c.properties_json, c.updated_at, c.version,
                c.password_ct.is_not(None).label("has_password"),
                c.notes_ct.is_not(None).label("has_notes"),
            ).where(c.site_id == site_id, c.deleted_at.is_(None))
            if kind is not None:
                query = query.where(c.kind == kind)
            rows = s.connection().execute(query).all()
        views = [_view(r) for r in rows]
        if search and search.strip():
            needle = search.strip().casefold()
            views = [v for v in views if needle in " ".join(
                [v.title, v.username, v.url, v.application,
                 *(f"{p.name} {p.value or ''}" for p in v.properties)]).casefold()]
        order = {k: i for i, k in enumerate(KINDS)}
        return sorted(views, key=lambda v: (order.get(v.kind, 99), v.title.casefold(), v.id))

    def reveal(self, item: str, field: str = "password") -> str:
        """The plaintext of one secret field: "password", "notes" or "property:<id or name>"."""
        key = self._require_key("reveal a secret")
        with self.db.read() as s:
            row = self._find(s, item)
        return self._reveal_row(key, row, field)

    def _reveal_row(self, key: VaultKey, row: Any, field: str) -> str:
        if field in ("password", "notes"):
            text = row.password_ct if field == "password" else row.notes_ct
            return "" if text is None else self._open(key, text, row.id, field, row.title)
        if field.startswith("property:"):
            ref = field.split(":", 1)[1]
            for prop in _props(row.properties_json):
                if ref in (prop["id"], prop["name"]):
                    if not prop.get("secret"):
                        return str(prop.get("value", ""))
                    return self._open(key, prop["value_ct"], row.id, f"property:{prop['id']}",
                                      row.title)
            raise NotFound(f"vault item '{row.title}' has no property '{ref}'")
        raise RuleViolation(f"field '{field}' must be password, notes or property:<name>")

    def _plain(self, key: VaultKey, row: Any) -> dict[str, Any]:
        """An item with its secrets in clear (exports only)."""
        props = [{"name": p["name"], "secret": bool(p.get("secret")),
                  "value": self._reveal_row(key, row, f"property:{p['id']}")}
                 for p in _props(row.properties_json)]
        return {"kind": row.kind, "title": row.title, "username": row.username, "url": row.url,
                "application": row.application,
                "password": self._reveal_row(key, row, "password"),
                "notes": self._reveal_row(key, row, "notes"), "properties": props}

    # --- application secrets (PSA API keys, the sync client secret, ...) ----------------------

    def set_app_secret(self, name: str, value: str, *, username: str = "") -> ItemView:
        """Create or replace the application secret `name` (e.g. "psa.private_key")."""
        key = self._require_key("store an application secret")
        with self.db.write() as s:
            return self._put_app_secret(s, key, name, value, username)

    def set_app_secrets(self, secrets: Mapping[str, str]) -> builtins.list[ItemView]:
        """`set_app_secret` for several secrets in one transaction: all are stored, or (a
        value breaks a rule, the vault is locked) none is."""
        key = self._require_key("store an application secret")
        with self.db.write() as s:
            return [self._put_app_secret(s, key, name, value, "")
                    for name, value in secrets.items()]

    def _put_app_secret(self, s: Session, key: VaultKey, name: str, value: str,
                        username: str) -> ItemView:
        existing = s.scalars(select(VaultItemRow).where(
            VaultItemRow.site_id.is_(None), VaultItemRow.deleted_at.is_(None),
            VaultItemRow.title == name)).first()
        if existing is not None:
            before = _payload(existing)
            _check_secret("the secret", value)
            existing.password_ct = self._seal(key, existing.id, "password", value)
            existing.username = _clean("the username", username, LIMITS["username"])
            existing.updated_at = now_iso()
            s.flush()
            record(s, [Change("vault_item", existing.id, "vault.app_secret", before,
                              _payload(existing), existing.version)])
            return _view(existing)
        row = self._new_row(key, None, APP_SECRET, name, username=username, password=value,
                            url="", notes="", application="", properties=())
        s.add(row)
        s.flush()
        record(s, [Change("vault_item", row.id, "vault.app_secret", None, _payload(row), 0)])
        return _view(row)

    def app_secret(self, name: str) -> str | None:
        key = self._require_key("read an application secret")
        with self.db.read() as s:
            row = s.scalars(select(VaultItemRow).where(
                VaultItemRow.site_id.is_(None), VaultItemRow.deleted_at.is_(None),
                VaultItemRow.title == name)).first()
        return None if row is None else self._reveal_row(key, row, "password")

    def app_secrets(self) -> builtins.list[ItemView]:
        with self.db.read() as s:
            rows = s.scalars(select(VaultItemRow).where(
                VaultItemRow.site_id.is_(None), VaultItemRow.deleted_at.is_(None)
            ).order_by(VaultItemRow.title))
            return [_view(r) for r in rows]

    def delete_app_secret(self, name: str) -> bool:
        found = [v for v in self.app_secrets() if v.title == name]
        if not found:
            return False
        self.delete(found[0].id)
        return True

    # --- passwords ----------------------------------------------------------------------------

    @staticmethod
    def generate_password(length: int = 20, classes: Iterable[str] = DEFAULT_CLASSES, *,
                          avoid_ambiguous: bool = False) -> str:
        return generate_password(length, classes, avoid_ambiguous=avoid_ambiguous)

    @staticmethod
    def generated_strength(length: int = 20,
                           classes: Iterable[str] = DEFAULT_CLASSES) -> Strength:
        return generated_entropy(length, classes)

    @staticmethod
    def password_strength(password: str) -> Strength:
        return estimate_strength(password)

    # --- export and import --------------------------------------------------------------------

    def _site_rows(self, site: str) -> tuple[str, builtins.list[Any]]:
        with self.db.read() as s:
            target = resolve_site(Repository(s), site)
            rows = s.connection().execute(select(ITEMS).where(
                ITEMS.c.site_id == target.id, ITEMS.c.deleted_at.is_(None)
            ).order_by(ITEMS.c.kind, ITEMS.c.title)).all()
        return target.name, list(rows)

    def export_encrypted(self, site: str, path: str | os.PathLike[str],
                         export_password: str) -> int:
        """Write a password-protected export of the site's vault (app/vault/exchange.py)."""
        key = self._require_key("export it")
        if len(export_password) < MIN_MASTER_PASSWORD:
            raise WeakPassword(f"the export password must have at least {MIN_MASTER_PASSWORD} "
                               "characters")
        name, rows = self._site_rows(site)
        items = [self._plain(key, r) for r in rows]
        write_private(Path(path), seal_export(items, name, export_password, self.target_kdf))
        log.info("vault of site %s exported encrypted (%d items)", name, len(items))
        return len(items)

    def import_encrypted(self, path: str | os.PathLike[str], password: str, site: str) -> int:
        """Add the items of an encrypted export to `site` (new ids, this vault's key)."""
        key = self._require_key("import into it")
        try:
            payload = open_export(Path(path), password)
        except WrongPassword:
            raise self._wrong("export password") from None
        entries = []
        for item in payload["items"]:
            props = [Property(str(p["name"]), str(p["value"]), bool(p.get("secret")))
                     for p in item.get("properties", [])]
            kind = str(item.get("kind", "custom"))
            entries.append((kind if kind in KINDS else "custom", item, props))
        with self.db.write() as s:
            site_id = self._site_id(s, site)
            at = now_iso()
            rows = [self._new_values(key, site_id, kind, str(item.get("title", "")),
                                  username=str(item.get("username", "")),
                                  password=str(item.get("password", "")),
                                  url=str(item.get("url", "")),
                                  notes=str(item.get("notes", "")),
                                  application=str(item.get("application", "")),
                                  properties=props, at=at)
                    for kind, item, props in entries]
            self._insert(s, rows, "vault.import")
        log.info("imported %d vault items from an encrypted export", len(rows))
        return len(rows)

    def _insert(self, s: Session, rows: builtins.list[dict[str, Any]], action: str) -> None:
        """Bulk insert with Core executemany (docs/architecture.md §3), outbox and audit rows
        included."""
        if not rows:
            return
        s.connection().execute(insert(ITEMS), rows)
        record(s, [Change("vault_item", r["id"], action, None, _payload(r), 0) for r in rows])

    def _existing_keys(self, site: str) -> set[tuple[str, str]]:
        return {(v.title.casefold(), v.username.casefold()) for v in self.list(site)}

    def validate_csv(self, path: str | os.PathLike[str], site: str | None = None) -> Any:
        """The validation report of an IT Glue / Hudu-style CSV (no key needed, no secrets in
        it): `app.profiles.validation.Report`."""
        from app.vault.csvimport import plan_csv

        existing = self._existing_keys(site) if site else set()
        return plan_csv(path, existing).report

    def import_csv(self, path: str | os.PathLike[str], site: str, *,
                   skip_invalid: bool = False, dry_run: bool = False) -> CsvImportResult:
        """Import a password CSV into `site` in one transaction. With errors in the file,
        nothing is imported unless `skip_invalid` (then the rows with errors are left out)."""
        from app.vault.csvimport import plan_csv

        key = self._require_key("import into it")
        plan = plan_csv(path, self._existing_keys(site))
        report = plan.report
        error_rows = tuple(sorted({i.row for i in report.issues if i.severity == "error"}))
        if any(i.row == 1 and i.severity == "error" for i in report.issues):
            raise ImportRefused(report)
        if error_rows and not skip_invalid:
            raise ImportRefused(report)
        if dry_run:
            return CsvImportResult(report, 0, error_rows)
        with self.db.write() as s:
            site_id = self._site_id(s, site)
            at = now_iso()
            rows = [self._new_values(
                key, site_id, e.kind, e.title, username=e.username, password=e.password,
                url=e.url, notes=e.notes, application=e.application, at=at,
                properties=[Property(n, v, sec) for n, v, sec in e.properties]
                + ([Property("OTP secret", e.otp, True)]
                   if e.otp and all(n.casefold() != "otp secret" for n, _v, _s in e.properties)
                   else []))
                for e in plan.entries]
            self._insert(s, rows, "vault.import_csv")
        log.info("imported %d vault items from a CSV file", len(rows))
        return CsvImportResult(report, len(rows), error_rows)

    def export_plaintext(self, site: str, path: str | os.PathLike[str], *,
                         confirmed: bool) -> int:
        """Every secret of the site in clear, as CSV (re-importable). Refused unless the user
        confirmed explicitly that an unencrypted file is what they want."""
        if confirmed is not True:
            raise RuleViolation("a plaintext export writes the site's passwords unencrypted; "
                                "it needs an explicit confirmation (nothing was written)")
        key = self._require_key("export it")
        name, rows = self._site_rows(site)
        data = plaintext_csv(self._plain(key, r) for r in rows)  # formula cells guarded
        write_private(Path(path), data)
        log.warning("vault of site %s exported in PLAINTEXT (%d items) at the user's explicit "
                    "request", name, len(rows))
        return len(rows)

    def close(self) -> None:
        self.lock("closed")
