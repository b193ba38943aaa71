"""Where sync finds its server, client id and client secret.

The server URL and client id live in the workspace, under the keys `preflight sync` uses
(`app.cli.sync_commands.SERVER_KEY`/`CLIENT_KEY`, read and written with `app.sync.local`), so the
CLI and the GUI agree on them. The client secret goes into the workspace's vault
(`VaultService.set_app_secret`); a workspace without a vault keeps it in the OS keychain when a
trusted one exists (`app.vault.keychain`), else only in memory for this session. Never in
QSettings. All functions here block (SQLite, keyring, crypto): call them off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.cli.sync_commands import CLIENT_KEY, SERVER_KEY
from app.sync.local import get_info, set_info

SECRET_NAME = "sync.client_secret"  # the vault's application secret
KEYCHAIN_SERVICE = "Preflight sync"
VAULT, KEYCHAIN, SESSION = "vault", "keychain", "session"


@dataclass(frozen=True)
class SyncSettings:
    server: str = ""
    client_id: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.server and self.client_id)


def load_settings(workspace: Any) -> SyncSettings:
    with workspace.db.read() as s:
        return SyncSettings(get_info(s, SERVER_KEY) or "", get_info(s, CLIENT_KEY) or "")


def save_settings(workspace: Any, settings: SyncSettings) -> None:
    with workspace.db.write() as s:
        set_info(s, SERVER_KEY, settings.server.strip())
        set_info(s, CLIENT_KEY, settings.client_id.strip())


def normalise_url(text: str) -> str:
    """The server URL as typed, trimmed; a bare host gets `https://`."""
    url = text.strip().rstrip("/")
    if url and "://" not in url:
        url = f"https://{url}"
    return url


def url_problem(text: str) -> str | None:
    from urllib.parse import urlsplit

    if not text.strip():
        return None
    parts = urlsplit(normalise_url(text))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "The server URL must look like https://sync.example.com"
    return None


def _keychain_account(workspace: Any, client_id: str) -> str:
    return f"{workspace.db.info('workspace_id') or workspace.path}:{client_id}"


def _keychain_backend(workspace: Any) -> Any | None:
    """The trusted OS keyring (the vault's allow-list), or None."""
    return workspace.vault.keychain.secure_backend()


def read_secret(workspace: Any, client_id: str, *, name: str = SECRET_NAME,
                service: str = KEYCHAIN_SERVICE) -> str | None:
    """The stored client secret, or None when none is stored. Raises `VaultLocked` when the
    workspace has a vault and it is locked (the caller asks to unlock it). `name`/`service`:
    another client's secret kept the same way (the Asio connector's)."""
    vault = workspace.vault
    if vault.exists:
        if secret_stored(workspace, name=name) is None:
            return None  # nothing to unlock the vault for
        found: str | None = vault.app_secret(name)  # VaultLocked when locked
        return found
    backend = _keychain_backend(workspace)
    if backend is None:
        return None
    try:
        text: str | None = backend.get_password(service,
                                                _keychain_account(workspace, client_id))
    except Exception:  # a broken keyring never blocks a sync: ask for the secret instead
        return None
    return text


def store_secret(workspace: Any, client_id: str, secret: str, *, name: str = SECRET_NAME,
                 service: str = KEYCHAIN_SERVICE) -> str:
    """Keep the client secret; returns where: VAULT, KEYCHAIN or SESSION (not stored: the
    caller keeps it in memory for this session). Raises `VaultLocked` when the vault is."""
    vault = workspace.vault
    if vault.exists:
        vault.set_app_secret(name, secret, username=client_id)
        return VAULT
    backend = _keychain_backend(workspace)
    if backend is not None:
        try:
            backend.set_password(service, _keychain_account(workspace, client_id),
                                 secret)
            return KEYCHAIN
        except Exception:
            return SESSION
    return SESSION


def secret_home(workspace: Any) -> str:
    """Where a secret typed now would be kept: VAULT, KEYCHAIN or SESSION."""
    if workspace.vault.exists:
        return VAULT
    return KEYCHAIN if _keychain_backend(workspace) is not None else SESSION


def secret_stored(workspace: Any, *, name: str = SECRET_NAME) -> str | None:
    """Where a secret is stored, without reading it (VAULT, KEYCHAIN) — or None."""
    vault = workspace.vault
    if vault.exists:
        return VAULT if any(v.title == name for v in vault.app_secrets()) else None
    return None


__all__ = ["KEYCHAIN", "SECRET_NAME", "SESSION", "VAULT", "SyncSettings", "load_settings",
           "normalise_url", "read_secret", "save_settings", "secret_home", "secret_stored",
           "store_secret", "url_problem"]
