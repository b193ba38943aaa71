"""The connector's runs for the dialog: each in a worker thread with its own asyncio loop and
HTTP client (the pull saves tens of thousands of rows; the GUI thread never waits for it),
progress and outcome as Qt signals, Cancel between two objects. A cancelled push keeps every
link the platform confirmed; the next run's mapping lookup finds the rest."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from PySide6.QtCore import QObject, Signal

from app.asio import AsioClient, AsioError
from app.asio.client import READ_SCOPES, WRITE_SCOPES
from app.asio.service import AsioService, Plan, PullReport, PushReport
from app.domain.errors import PreflightError
from app.services.client_secrets import SESSION, ClientSecretStore
from app.vault.errors import VaultLocked

log = logging.getLogger("preflight.asio")
SECRET_NAME = "asio.client_secret"  # the vault's application secret
KEYCHAIN_SERVICE = "Preflight ConnectWise Asio"
PULL, PLAN, PUSH = "pull", "plan", "push"
DONE, CANCELLED, FAILED = "done", "cancelled", "failed"


class Cancelled(Exception):
    """Raised in the worker between two objects once Cancel was clicked."""


@dataclass(frozen=True)
class Outcome:
    kind: str  # DONE | CANCELLED | FAILED
    action: str  # PULL | PLAN | PUSH
    message: str
    result: PullReport | PushReport | Plan | None = None


@dataclass(frozen=True)
class Connection:
    url: str
    client_id: str
    secret: str  # typed now, or "" to use the stored one


class AsioController(QObject):
    progressed = Signal(int, int, str)  # done, total, what (from the worker: queued)
    finished = Signal(object)  # Outcome

    def __init__(self, workspace: Any, parent: QObject | None = None, *,
                 http: Callable[[], httpx.AsyncClient] | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.service = AsioService(workspace.db)
        self._http = http  # tests: an AsyncClient on the fake
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._session_secret: tuple[str, str] | None = None
        self.plan: Plan | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, action: str, connection: Connection, sites: list[str] | None = None) -> bool:
        if self.running:
            return False
        self._cancel.clear()
        self._thread = threading.Thread(target=self._work, args=(action, connection, sites or []),
                                        name=f"asio-{action}", daemon=True)
        self._thread.start()
        return True

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float = 30.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    # --- the worker thread --------------------------------------------------------------------

    def _progress(self, done: int, total: int, what: str) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.progressed.emit(done, total, what)

    def _work(self, action: str, connection: Connection, sites: list[str]) -> None:
        try:
            result = asyncio.run(self._run(action, connection, sites))
            outcome = Outcome(DONE, action, _summary(action, result), result)
        except Cancelled:
            outcome = Outcome(CANCELLED, action, "Cancelled: what the platform confirmed is "
                                                 "kept; the next push goes on from there.")
        except VaultLocked:
            outcome = Outcome(FAILED, action, "The vault is locked: unlock it (the lock in the "
                                              "status bar) — the client secret is kept there.")
        except PreflightError as exc:
            outcome = Outcome(FAILED, action, str(exc))
        except Exception as exc:  # a bug: logged whole; the dialog says so and stays usable
            log.exception("ConnectWise %s failed", action)
            outcome = Outcome(FAILED, action, f"Unexpected error ({type(exc).__name__}: {exc}); "
                                              "details are in the log.")
        self.finished.emit(outcome)

    async def _run(self, action: str, connection: Connection,
                   sites: list[str]) -> PullReport | PushReport | Plan:
        secret = self._secret(connection)
        scopes = READ_SCOPES + (WRITE_SCOPES if action == PUSH else ())
        http = self._http() if self._http else None
        client = AsioClient(connection.url, connection.client_id, secret,
                            instance=self.service.instance_id(), scopes=scopes, client=http)
        try:
            if action == PULL:
                result: PullReport | PushReport | Plan = await self.service.pull(
                    client, sites, progress=self._progress)
            elif action == PLAN:
                result = await self.service.plan(client, sites)
                self.plan = result
            else:
                plan, self.plan = self.plan, None  # a plan is pushed once: re-plan after
                result = await self.service.push(client, sites, plan=plan,
                                                 progress=self._progress)
            if client.tokens_fetched:
                self.service.remember(connection.url, connection.client_id)
            return result
        finally:
            await client.aclose()
            if http is not None:  # made for this run, in this run's loop
                await http.aclose()

    def _secret(self, connection: Connection) -> str:
        """The secret typed now (then kept: vault, OS keychain, else this session only), or
        the one kept before. Raises when there is none."""
        if connection.secret:
            where = self._secrets().store(connection.client_id, connection.secret)
            if where == SESSION:
                self._session_secret = (connection.client_id, connection.secret)
            return connection.secret
        if self._session_secret and self._session_secret[0] == connection.client_id:
            return self._session_secret[1]
        secrets = self._secrets()
        stored = secrets.read(connection.client_id)
        if not stored:
            raise AsioError("Enter the client secret. " + (
                "With no vault set up and no OS keychain on this computer it is kept only "
                "until Preflight quits (never in the settings): set up the vault (Vault menu) "
                "to keep it." if secrets.home() == SESSION else
                "It is kept in the workspace's vault, or the OS keychain, never in the "
                "settings."))
        return stored

    def secret_home(self) -> str:
        return self._secrets().home()

    def _secrets(self) -> ClientSecretStore:
        store: ClientSecretStore = self.workspace.client_secrets(SECRET_NAME, KEYCHAIN_SERVICE)
        return store


def _platform_only(result: PullReport) -> str:
    """What the platform has that this workspace does not (a pull adds no company or site:
    it links the ones both have, by id or by name)."""
    companies, sites = result.companies_remote_only, result.sites_remote_only
    if not companies and not sites:
        return ""
    shown = ", ".join(f"'{n}'" for n in (companies or sites)[:3])
    more = "…" if len(companies or sites) > 3 else ""
    return (f" On the platform only, not linked: {len(companies)} companies and {len(sites)} "
            f"sites ({shown}{more}); a company or site of the same name here links at the "
            "next pull.")


def _summary(action: str, result: Any) -> str:
    if isinstance(result, PullReport):
        text = (f"Pulled: {result.companies_linked} companies and {result.sites_linked} sites "
                f"linked; devices {result.devices_added} added, {result.devices_vanished} "
                f"vanished; {result.drift} setting(s) drift.")
        if result.drift_skipped:
            text += (f" Drift not fetched for {result.drift_skipped} endpoints (one request "
                     "each): pull a site from the Drift tab.")
        if result.ambiguous:
            text += (f" {len(result.ambiguous)} name(s) match several platform objects and "
                     "were not linked: " + ", ".join(a.name for a in result.ambiguous))
        text += _platform_only(result)
        return text
    if isinstance(result, PushReport):
        c = result.created
        return (f"Pushed: created {c['company']} companies, {c['site']} sites, {c['contact']} "
                f"contacts; updated {result.updated} sites.")
    assert isinstance(result, Plan)
    return (f"Plan: {result.count('create')} to create, {result.count('update')} to update, "
            f"{result.count('skip')} to skip. Review it, then Push.")
