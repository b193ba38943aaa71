"""'Remember on this device': the vault key in the OS keyring, and only in a trusted one.

`keyring` picks a backend by priority; on a headless Linux it is `fail.Keyring`, and with
`keyrings.alt` installed it silently becomes a plaintext file (docs/architecture.md §6). So a
backend is used only when its class is on the allow-list: Windows Credential Locker, macOS Keychain,
Secret Service / libsecret, KWallet, plus names the caller adds explicitly (`extra_trusted`, or
the `PREFLIGHT_TRUSTED_KEYRINGS` variable: comma-separated `module.Class` names). Anything else
— fail, null, keyrings.alt, unknown third-party backends — means "no secure keyring on this
machine": the vault then unlocks with the password alone.

Only the 256-bit vault key is stored (44 base64 characters; Windows refuses secrets over 2,560
bytes), under the service `Preflight vault` and the workspace id. Never anything in SQLite, a
settings file or beside the workspace.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from collections.abc import Iterable
from typing import Any

from app.vault.crypto import KEY_LEN, VaultKey, wipe
from app.vault.errors import NoSecureKeyring

log = logging.getLogger(__name__)

SERVICE = "Preflight vault"
TRUSTED_ENV = "PREFLIGHT_TRUSTED_KEYRINGS"
TRUSTED_BACKENDS = frozenset({
    "keyring.backends.Windows.WinVaultKeyring",
    "keyring.backends.macOS.Keyring",
    "keyring.backends.SecretService.Keyring",
    "keyring.backends.libsecret.Keyring",
    "keyring.backends.kwallet.DBusKeyring",
    "keyring.backends.kwallet.DBusKeyringKWallet4",
})
# Never trusted, whatever an allow-list says: they store nothing, or store it in plaintext.
NEVER_TRUSTED_PREFIXES = ("keyring.backends.fail.", "keyring.backends.null.", "keyrings.alt.")
NO_KEYRING = ("no secure keyring on this machine (found {found}); the vault unlocks with the "
              "master password only")


def backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


class Keychain:
    """The OS keyring as the vault uses it. `backend` defaults to keyring's own choice."""

    def __init__(self, backend: Any | None = None, *,
                 extra_trusted: Iterable[str] = ()) -> None:
        self._backend = backend
        env = os.environ.get(TRUSTED_ENV, "")
        self.trusted = TRUSTED_BACKENDS | set(extra_trusted) | {
            n.strip() for n in env.split(",") if n.strip()}

    def _current(self) -> Any:
        if self._backend is not None:
            return self._backend
        import keyring  # imported late: it scans entry points (~50 ms)

        return keyring.get_keyring()

    def is_trusted(self, backend: Any) -> bool:
        name = backend_name(backend)
        if name.startswith(NEVER_TRUSTED_PREFIXES):
            return False
        return name in self.trusted

    def secure_backend(self) -> Any | None:
        """The trusted backend to use, or None. A chainer is searched for a trusted member."""
        try:
            current = self._current()
        except Exception:  # a broken keyring install must not stop the vault
            log.warning("the OS keyring could not be loaded", exc_info=True)
            return None
        members = getattr(current, "backends", None)
        candidates = list(members) if isinstance(members, (list, tuple)) else [current]
        return next((b for b in candidates if self.is_trusted(b)), None)

    def describe(self) -> str:
        try:
            return backend_name(self._current())
        except Exception:
            return "none"

    @property
    def available(self) -> bool:
        return self.secure_backend() is not None

    def unavailable_message(self) -> str:
        return NO_KEYRING.format(found=self.describe())

    def _require(self) -> Any:
        backend = self.secure_backend()
        if backend is None:
            raise NoSecureKeyring(self.unavailable_message())
        return backend

    def store(self, workspace_id: str, key: VaultKey) -> str:
        """Remember the key on this device; returns the backend's name."""
        backend = self._require()
        raw = key.raw()
        try:
            backend.set_password(SERVICE, workspace_id, base64.b64encode(raw).decode("ascii"))
        except Exception as exc:
            raise NoSecureKeyring(f"the OS keyring refused to store the key "
                                  f"({type(exc).__name__})") from None
        finally:
            wipe(raw)
        return backend_name(backend)

    def load(self, workspace_id: str) -> VaultKey | None:
        """The remembered key, or None when there is none (or no trusted keyring)."""
        backend = self.secure_backend()
        if backend is None:
            return None
        try:
            text = backend.get_password(SERVICE, workspace_id)
        except Exception as exc:
            log.warning("the OS keyring could not be read (%s)", type(exc).__name__)
            return None
        if not text:
            return None
        try:
            raw = bytearray(base64.b64decode(text, validate=True))
        except (binascii.Error, ValueError):
            return None
        try:
            return VaultKey(raw) if len(raw) == KEY_LEN else None
        finally:
            wipe(raw)

    def forget(self, workspace_id: str) -> bool:
        backend = self.secure_backend()
        if backend is None:
            return False
        try:
            if backend.get_password(SERVICE, workspace_id) is None:
                return False
            backend.delete_password(SERVICE, workspace_id)
        except Exception as exc:
            log.warning("the OS keyring could not forget the key (%s)", type(exc).__name__)
            return False
        return True
