"""Sync as the front ends use it (the GUI and `preflight sync` alike): which server and client,
where the client secret lives, and the engine that pushes and pulls (docs/architecture.md,
"Sync").

    sync = workspace.sync
    sync.settings() / save_settings(SyncSettings(server, client_id))   kept in the workspace
    sync.resolve(server, client_id, environ)   a flag, else $PREFLIGHT_SYNC_SERVER /
                                               $PREFLIGHT_SYNC_CLIENT_ID, else the last used
    sync.secrets                               the client secret's store (ClientSecretStore:
                                               vault, else a trusted OS keychain, else none)
    sync.engine()                              an engine that sends nothing (plan, conflicts)
    sync.transport(settings, secret, ...)      the HTTP transport to the server
    await sync.run(settings, secret, ...)      one sync; the settings are remembered after it

The server URL and client id are plain settings; the secret never is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from app.services.client_secrets import ClientSecretStore
from app.services.sync_env import CLIENT_ENV, SECRET_ENV, SERVER_ENV
from app.sync import Conflict, SyncEngine, SyncError, SyncReport, Transport
from app.sync.local import get_info, set_info
from app.sync.retry import RetryPolicy
from storage.database import Database

if TYPE_CHECKING:
    import httpx

    from app.services.vault import Vault
    from app.sync.http import HttpTransport

SERVER_KEY, CLIENT_KEY = "sync.server", "sync.client_id"  # workspace info
SECRET_NAME = "sync.client_secret"  # the vault's application secret
KEYCHAIN_SERVICE = "Preflight sync"


@dataclass(frozen=True)
class SyncSettings:
    server: str = ""
    client_id: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.server and self.client_id)


@dataclass(frozen=True)
class SyncRun:
    report: SyncReport
    open_conflicts: list[Conflict]


def normalise_url(text: str) -> str:
    """The server URL as typed, trimmed; a bare host gets `https://`."""
    url = text.strip().rstrip("/")
    if url and "://" not in url:
        url = f"https://{url}"
    return url


def url_problem(text: str) -> str | None:
    """Why `text` is not a server URL, or None (empty is allowed: no server yet)."""
    if not text.strip():
        return None
    parts = urlsplit(normalise_url(text))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "The server URL must look like https://sync.example.com"
    return None


class OfflineTransport:
    """The transport of an engine that only reads and resolves locally: it sends nothing."""

    requests = 0

    async def push(self, ops: Any, idempotency_key: str) -> Any:
        raise SyncError("not connected")

    async def changes(self, since: int, limit: int) -> Any:
        raise SyncError("not connected")

    async def counts(self) -> Any:
        raise SyncError("not connected")

    async def aclose(self) -> None:
        return None


class SyncService:
    def __init__(self, db: Database, vault: Callable[[], Vault]) -> None:
        self.db = db
        self.secrets = ClientSecretStore(db, vault, SECRET_NAME, KEYCHAIN_SERVICE)

    # --- settings -----------------------------------------------------------------------------

    def settings(self) -> SyncSettings:
        """The server and client id this workspace syncs with ("" when not set)."""
        with self.db.read() as s:
            return SyncSettings(get_info(s, SERVER_KEY) or "", get_info(s, CLIENT_KEY) or "")

    def save_settings(self, settings: SyncSettings) -> None:
        self._remember(SyncSettings(settings.server.strip(), settings.client_id.strip()))

    def _remember(self, settings: SyncSettings) -> None:
        with self.db.write() as s:
            set_info(s, SERVER_KEY, settings.server)
            set_info(s, CLIENT_KEY, settings.client_id)

    def resolve(self, server: str | None = None, client_id: str | None = None,
                environ: Mapping[str, str] | None = None) -> SyncSettings:
        """Each of server and client id: as given, else from the environment, else the one
        this workspace used last ("" when none)."""
        env = os.environ if environ is None else environ
        saved = self.settings()
        return SyncSettings(server or env.get(SERVER_ENV) or saved.server,
                            client_id or env.get(CLIENT_ENV) or saved.client_id)

    # --- the engine ---------------------------------------------------------------------------

    def engine(self, transport: Transport | None = None, **options: Any) -> SyncEngine:
        """An engine over this workspace; without a transport it sends nothing (the plan,
        the conflicts and their resolution work offline). `options`: SyncEngine's."""
        return SyncEngine(self.db, transport or OfflineTransport(), **options)

    @staticmethod
    def transport(settings: SyncSettings, secret: str, *,
                  client: httpx.AsyncClient | None = None, retry: RetryPolicy | None = None,
                  timeout: float = 30.0) -> HttpTransport:
        if not settings.complete:
            raise ValueError("a transport needs the server and the client id")
        from app.sync.http import HttpTransport  # httpx: loaded by the first sync

        return HttpTransport(settings.server, settings.client_id, secret, client=client,
                             retry=retry, timeout=timeout)

    async def run(self, settings: SyncSettings, secret: str, **options: Any) -> SyncRun:
        """Push the outbox and pull the server's changes; the settings are remembered once
        the sync succeeded. Raises SyncError (AuthError when the server refused the
        client)."""
        transport = self.transport(settings, secret)
        try:
            engine = self.engine(transport, **options)
            report = await engine.sync()
            conflicts = engine.conflicts()
        finally:
            await transport.aclose()
        self._remember(settings)
        return SyncRun(report, conflicts)


__all__ = ["CLIENT_ENV", "CLIENT_KEY", "KEYCHAIN_SERVICE", "SECRET_ENV", "SECRET_NAME",
           "SERVER_ENV", "SERVER_KEY", "OfflineTransport", "SyncRun", "SyncService",
           "SyncSettings", "normalise_url", "url_problem"]
