"""One workspace's sync as the GUI sees it: a kept asyncio task (qasync) running
`SyncEngine.sync()`, its progress and outcome as Qt signals, Cancel, and the status the status
bar shows (last sync, pending changes, open conflicts, online/offline).

Cancel cancels the task. The engine removes an outbox row only in the transaction that records
the server's answer to it, so a cancel lands in one of three places, none of which loses work:
awaiting the server (the rows stay; the next sync sends the same batch with the same
Idempotency-Key, and the server answers a replay or skips op keys it has applied), awaiting a
worker thread's transaction (the thread finishes it — rows confirmed with their answer, or a
pulled page with its cursor — or it rolls back), or between steps. The next sync picks up there.

Pages read and resolve through the same controller (`plan`, `conflicts`, `resolve`, blocking:
call them off the GUI thread), so everything refreshes on `data_changed`.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from app.services.sample_mark import clear_sample_mark, is_sample
from app.sync import AuthError, RetryPolicy, SyncError, SyncReport
from app.vault.errors import VaultLocked
from ui.background import run_blocking

if TYPE_CHECKING:
    import httpx

    from app.sync import Conflict, PlanItem, SyncEngine
    from ui.sync.models import Side

log = logging.getLogger(__name__)

DONE, CANCELLED, AUTH, OFFLINE, ERROR, CONFIG = (
    "done", "cancelled", "auth", "offline", "error", "config")
AUTH_MESSAGE = ("The server refused the client id and secret: check client id/secret in "
                "Preferences (Edit → Preferences → Sync).")


@dataclass(frozen=True)
class Status:
    pending: int = 0
    conflicts: int = 0
    last_sync: str | None = None
    online: bool | None = None  # None: no request made yet this session
    server: str = ""


@dataclass(frozen=True)
class Outcome:
    kind: str  # DONE | CANCELLED | AUTH | OFFLINE | ERROR | CONFIG
    message: str
    report: SyncReport | None = None


class Asks:
    """The questions a sync asks the user (tests put a scripted one in its place)."""

    def __init__(self, parent: Any = None) -> None:
        self.parent = parent
        self.vault_session: Any = None  # ui.vault.session.VaultSession, when wired

    async def unlock_vault(self) -> bool:
        """Open the vault's own unlock dialog; True once the vault is unlocked."""
        session = self.vault_session
        if session is None:
            return False
        from ui.vault.session import UNLOCKED
        from ui.vault.unlock_dialog import request_unlock

        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def settle(value: bool) -> None:
            if not future.done():
                future.set_result(value)

        def changed(state: str) -> None:
            if state == UNLOCKED:
                settle(True)

        def shown(dialog: Any) -> None:
            dialog.finished.connect(lambda _r: settle(session.state == UNLOCKED))

        session.state_changed.connect(changed)
        try:
            request_unlock(session, self.parent, shown)
            return await future
        finally:
            session.state_changed.disconnect(changed)

    async def send_sample(self, pending: int, server: str) -> bool:
        """The workspace is the sample: send its fake data to `server` anyway?"""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, "Send the sample data?",
                          f"This is the sample workspace: its {pending:,} pending changes are "
                          f"made-up companies, sites and devices. Send them to {server}?",
                          QMessageBox.StandardButton.NoButton, self.parent)
        box.setInformativeText("Most people keep the sample to themselves: open or create "
                               "your own workspace (File → New Workspace) to sync real data.")
        send = box.addButton("Send the Sample Data", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Don't Send", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def answered(_result: int) -> None:
            if not future.done():
                future.set_result(box.clickedButton() is send)

        box.finished.connect(answered)
        box.open()
        return await future

    def ask_secret(self, client_id: str) -> str | None:
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        value, ok = QInputDialog.getText(
            self.parent, "Client Secret",
            f"Client secret of '{client_id}' (kept in memory for this session only; set it in "
            "Preferences to keep it in the vault):", QLineEdit.EchoMode.Password)
        return value if ok and value else None

    def show_error(self, title: str, text: str,
                   fix: tuple[str, Callable[[], object]] | None = None) -> None:
        """`fix`: a button that goes where the problem is mended ("Open Preferences")."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                          QMessageBox.StandardButton.Close, self.parent)
        box.setObjectName("syncProblem")
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if fix is not None:
            label, action = fix
            button = box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(button)
            button.clicked.connect(lambda _c=False: action())
        box.open()


class SyncController(QObject):
    started = Signal()
    progressed = Signal(str, int, int)  # phase, done, total (0: unknown)
    finished = Signal(object)  # Outcome
    status_changed = Signal(object)  # Status
    data_changed = Signal()  # the plan or the conflicts may differ now

    def __init__(self, workspace: Any, *, retry: Callable[[], RetryPolicy] = RetryPolicy,
                 timeout: float = 30.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = weakref.ref(workspace)  # the workspace owns us, not the reverse
        self.retry = retry
        self.timeout = timeout
        # Pages of 500 changes: each is parsed on the GUI thread (httpx, JSON), which a page of
        # the engine's default 2,000 keeps busy for 30-40 ms; a no-change sync is still one
        # request.
        self.batch_size, self.page_size = 500, 500
        self.asks = Asks()
        self.status = Status()
        self.last_outcome: Outcome | None = None
        self.task: asyncio.Task[Outcome] | None = None
        self._client: httpx.AsyncClient | None = None
        self._session_secret: tuple[str, str] | None = None  # (client id, secret), memory only
        self._reader: SyncEngine = workspace.sync.engine()  # reads, resolves; sends nothing

    @property
    def workspace(self) -> Any:
        found = self._workspace()
        if found is None:
            raise RuntimeError("the workspace of this sync controller is gone")
        return found

    # --- reading and resolving (blocking: off the GUI thread) ---------------------------------

    def plan(self) -> list[PlanItem]:
        return self._reader.plan()

    def conflicts(self) -> list[Conflict]:
        return self._reader.conflicts()

    def resolve(self, seq: int, choice: Side | dict[str, str]) -> None:
        self._reader.resolve(seq, choice)

    def read_status(self) -> Status:
        return Status(self.workspace.pending_changes(), len(self._reader.conflicts()),
                      self._reader.last_sync(), self.status.online,
                      self.workspace.sync.settings().server)

    # --- status -----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.task is not None

    @property
    def has_client(self) -> bool:
        return self._client is not None

    def refresh(self) -> None:
        """Read the counts again (after an edit, a resolve) and tell the status bar."""
        run_blocking(self, self.read_status, self._set_status, lambda _exc: None)

    def _set_status(self, status: Status) -> None:
        self.status = Status(status.pending, status.conflicts, status.last_sync,
                             self.status.online, status.server)
        self.status_changed.emit(self.status)

    def _set_online(self, online: bool | None) -> None:
        self.status = Status(self.status.pending, self.status.conflicts, self.status.last_sync,
                             online, self.status.server)

    def remember_secret(self, client_id: str, secret: str) -> None:
        """Keep a secret in memory for this session (no vault, no keychain)."""
        self._session_secret = (client_id, secret)

    def forget_session_secret(self) -> None:
        self._session_secret = None

    # --- the sync task ----------------------------------------------------------------------

    def start(self) -> bool:
        """Start a sync in the background; False when one is running already."""
        if self.task is not None:
            return False
        self.task = asyncio.get_running_loop().create_task(self._run(), name="preflight-sync")
        _kept.add(self.task)
        self.task.add_done_callback(self._task_done)
        self.started.emit()
        return True

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    async def wait(self) -> Outcome | None:
        """Until the running sync (if any) has ended; its outcome."""
        task = self.task
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)
        return self.last_outcome

    async def aclose(self) -> None:
        """Cancel a running sync, wait for it, close the HTTP client (on quit or switch)."""
        self.cancel()
        await self.wait()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _task_done(self, task: asyncio.Task[Outcome]) -> None:
        _kept.discard(task)
        if self.task is task:
            self.task = None
        if task.cancelled():
            outcome = Outcome(CANCELLED, "Sync cancelled: nothing was lost; changes not yet "
                                         "confirmed by the server stay pending.")
        elif task.exception() is not None:
            exc = task.exception()
            assert exc is not None
            outcome = Outcome(ERROR, f"Sync failed: {exc}")
            from ui.ops import present_failure

            present_failure(exc, None)  # a bug: the excepthook dialog and the log
        else:
            outcome = task.result()
        self.last_outcome = outcome
        self.refresh()
        self.data_changed.emit()
        self.finished.emit(outcome)

    async def _run(self) -> Outcome:
        config = await asyncio.to_thread(self.workspace.sync.settings)
        if not config.complete:
            return Outcome(CONFIG, "Set the sync server URL and client id in Preferences "
                                   "(Edit → Preferences → Sync) first.")
        if await asyncio.to_thread(is_sample, self.workspace):
            pending = await asyncio.to_thread(self.workspace.pending_changes)
            if not await self.asks.send_sample(pending, config.server):
                return Outcome(CONFIG, "Not synced: this is the sample workspace, and its "
                                       "made-up data stays here. Open or create your own "
                                       "workspace (File → New Workspace) to sync.")
            await asyncio.to_thread(clear_sample_mark, self.workspace)
        secret = await self._secret(config.client_id)
        if not secret:
            return Outcome(CONFIG, "No client secret: set it in Preferences (Edit → "
                                   "Preferences → Sync).")
        sync = self.workspace.sync
        transport = sync.transport(config, secret, client=await self._http(),
                                   retry=self.retry(), timeout=self.timeout)
        engine = sync.engine(transport, batch_size=self.batch_size, page_size=self.page_size,
                             progress=self.progressed.emit)
        try:
            report = await engine.sync()
        except AuthError:
            self._set_online(True)  # the server answered; it refused the credentials
            self._session_secret = None
            return Outcome(AUTH, AUTH_MESSAGE)
        except SyncError as exc:
            unreachable = str(exc).startswith("cannot reach")
            self._set_online(not unreachable)
            if unreachable:
                return Outcome(OFFLINE, f"Offline: {exc}. Your changes stay pending and go "
                                        "with the next sync.")
            return Outcome(ERROR, f"Sync failed: {exc}. Your changes stay pending.")
        except asyncio.CancelledError:
            log.info("sync cancelled after %d request(s)", transport.requests)
            raise
        finally:
            await transport.aclose()
        self._set_online(True)
        return Outcome(DONE, _summary(report), report)

    async def _http(self) -> httpx.AsyncClient:
        """The one shared client, made on first use off the GUI thread (its TLS context loads
        the CA bundle: tens of milliseconds)."""
        if self._client is None:
            import httpx

            # One sync at a time: nobody else makes it meanwhile.
            self._client = await asyncio.to_thread(httpx.AsyncClient, timeout=self.timeout)
        return self._client

    async def _secret(self, client_id: str) -> str | None:
        if self._session_secret is not None and self._session_secret[0] == client_id:
            return self._session_secret[1]
        read: Callable[[str], str | None] = self.workspace.sync.secrets.read
        try:
            found = await asyncio.to_thread(read, client_id)
        except VaultLocked:
            if await self.asks.unlock_vault():
                try:
                    found = await asyncio.to_thread(read, client_id)
                except VaultLocked:
                    found = None
            else:
                found = None
        if found:
            return found
        typed = self.asks.ask_secret(client_id)
        if typed:
            self.remember_secret(client_id, typed)
        return typed


def _summary(report: SyncReport) -> str:
    parts = [f"sent {report.applied + report.merged}", f"received {report.pulled}"]
    if report.conflicts or report.rejected:
        parts.append(f"{report.conflicts + report.rejected} conflict(s) to resolve")
    if report.files_uploaded or report.files_downloaded:
        parts.append(f"{report.files_uploaded + report.files_downloaded} attached file(s)")
    text = "Synced: " + ", ".join(parts) + "."
    if report.file_problems:  # the sections are kept; the files are tried again next sync
        count = len(report.file_problems)
        text += (f" {count} attached file(s) could not be synced and will be tried again at "
                 f"the next sync: {report.file_problems[0]}")
    return text


_kept: set[asyncio.Task[Any]] = set()  # strong references to running syncs
_controllers: weakref.WeakKeyDictionary[Any, SyncController] = weakref.WeakKeyDictionary()


def controller_for(workspace: Any) -> SyncController:
    """The one sync controller of `workspace` (the pages and the status bar share it)."""
    controller = _controllers.get(workspace)
    if controller is None or not shiboken6.isValid(controller):
        controller = SyncController(workspace)
        _controllers[workspace] = controller
    return controller


__all__ = ["AUTH", "CANCELLED", "CONFIG", "DONE", "ERROR", "OFFLINE", "Asks", "Outcome",
           "Status", "SyncController", "controller_for"]
