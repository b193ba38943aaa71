"""Shared pieces of the sync GUI tests (no tests here): the real server on 127.0.0.1
(tests.server.live), the real main window over a sample workspace set up to sync with it, a
qasync loop to drive async scenarios in (docs/architecture.md §5: `qtbot.waitUntil` spins a loop
where asyncio is not running), and scripted questions."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtCore import Qt

from app.services.sync import SyncSettings
from app.services.workspace import Workspace
from app.sync import RetryPolicy
from tests.server.live import CLIENTS, LiveServer
from tests.sync.helpers import outbox
from tests.ui.conftest import wait_idle
from ui import background
from ui.main_window import MainWindow
from ui.sync.controller import Asks, Outcome, SyncController
from ui.sync.wiring import SyncUi
from ui.ui_settings import UiSettings

T = TypeVar("T")
CLIENT = "alpha"
SECRET = CLIENTS[CLIENT][0]


class ScriptedAsks(Asks):
    """Answers a sync's questions from queues and records its error messages."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: list[str | None] = []
        self.unlocks: list[Callable[[], bool]] = []
        self.errors: list[tuple[str, str]] = []
        self.fixes: list[tuple[str, Callable[[], object]] | None] = []  # the offered buttons
        self.asked: list[str] = []
        self.send_samples: list[bool] = []  # answers to "send the sample data?"; none: send
        self.sample_asked: list[tuple[int, str]] = []

    async def send_sample(self, pending: int, server: str) -> bool:
        self.sample_asked.append((pending, server))
        return self.send_samples.pop(0) if self.send_samples else True

    async def unlock_vault(self) -> bool:
        self.asked.append("unlock")
        return self.unlocks.pop(0)()

    def ask_secret(self, client_id: str) -> str | None:
        self.asked.append(f"secret {client_id}")
        return self.secrets.pop(0) if self.secrets else None

    def show_error(self, title: str, text: str,
                   fix: tuple[str, Callable[[], object]] | None = None) -> None:
        self.errors.append((title, text))
        self.fixes.append(fix)


def fast_retry() -> RetryPolicy:
    return RetryPolicy(attempts=3, base=0.01, cap=0.05)


def patient_retry() -> RetryPolicy:
    """Enough tries to outwait a delayed batch still in flight on the server (409)."""
    return RetryPolicy(attempts=12, base=0.1, cap=0.5)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path / "server.db").start()
    yield live
    live.stop()


@pytest.fixture
def loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop; scenarios run inside `drive(loop, ...)`."""
    event_loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    yield event_loop
    event_loop.close()
    asyncio.set_event_loop(None)
    # A closed qasync loop leaves its Qt timers registered until they fire (httpx's timeouts,
    # `wait_for`); if the loop (and its timer QObject) were garbage-collected meanwhile — on
    # whichever thread the cyclic GC runs, a worker's included — a timer would fire on a
    # deleted object and crash the process. Closed loops are kept for the whole session.
    _closed_loops.append(event_loop)


_closed_loops: list[asyncio.AbstractEventLoop] = []


def drive(loop: asyncio.AbstractEventLoop, scenario: Callable[[], Coroutine[Any, Any, T]],
          timeout: float = 60.0) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(scenario(), timeout)

    return loop.run_until_complete(bounded())


async def until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the loop run until `predicate()` holds (an event-driven wait, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.005)


async def settled() -> None:
    """Every background read (counts, pages) has delivered."""
    await background.wait_idle()


@pytest.fixture
def sync_window(qtbot: Any, sample_workspace: Workspace, ui_settings: UiSettings,
                server: LiveServer, loop: asyncio.AbstractEventLoop) -> Iterator[MainWindow]:
    """The main window over the sample workspace, its sync pointed at the live server with
    the right client id (secret: scripted per test), scripted questions, quick retries."""
    sample_workspace.sync.save_settings(SyncSettings(server.url, CLIENT))
    win = MainWindow(sample_workspace, ui_settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_page("companies")
    wait_idle(qtbot)
    controller = sync_ui(win).controller
    assert controller is not None
    controller.asks = ScriptedAsks()
    controller.retry = fast_retry
    yield win
    drive(loop, controller.aclose)
    wait_idle(qtbot)


def sync_ui(window: MainWindow) -> SyncUi:
    ui = window.sync_ui
    assert ui is not None
    return ui


def controller_of(window: MainWindow) -> SyncController:
    controller = sync_ui(window).controller
    assert controller is not None
    return controller


def asks(window: MainWindow) -> ScriptedAsks:
    found = controller_of(window).asks
    assert isinstance(found, ScriptedAsks)
    return found


async def click_sync(qtbot: Any, window: MainWindow) -> Outcome:
    """Click the status bar's Sync button and wait for the outcome (and the counts)."""
    ui = sync_ui(window)
    qtbot.mouseClick(ui.widget.sync_button, Qt.MouseButton.LeftButton)
    controller = controller_of(window)
    assert controller.running
    assert not ui.sync_action.isEnabled()  # one sync at a time
    outcome = await controller.wait()
    await settled()
    assert outcome is not None
    return outcome


def pending(ws: Workspace) -> int:
    return outbox(ws)


__all__ = ["CLIENT", "SECRET", "ScriptedAsks", "asks", "click_sync", "controller_of", "drive",
           "fast_retry", "patient_retry", "pending", "settled", "sync_ui", "until"]
