"""Fixtures of the GUI tests: real widgets on a real workspace file, no modal dialogs.

Questions pages ask go through their `dialogs` service; `ScriptedDialogs` answers them from a
script. Background work is awaited with `qtbot.waitUntil`/`waitSignal`, never with sleeps.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QWidget

from app.services.workspace import Workspace
from ui import background, excepthook
from ui.main_window import MainWindow
from ui.ui_settings import UiSettings


class ScriptedDialogs:
    """Stands in for `ui.dialogs.DialogService`: answers from queues, records what was asked.

    A confirmation takes the next answer of `confirms`; with none queued, `answer` (None: the
    question was not expected, and the test fails)."""

    def __init__(self, answer: bool | None = None) -> None:
        self.answer = answer
        self.texts: list[str | None] = []
        self.confirms: list[bool] = []
        self.paths: list[Path | None] = []
        self.asked: list[tuple[str, str]] = []
        self.errors: list[tuple[str, str]] = []
        self.unsaved: list[str] = []  # answers to the quit guard: "save", "discard", "cancel"
        self.unsaved_asked: list[list[str]] = []  # the lines each quit-guard question listed

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        self.asked.append((title, label))
        return self.texts.pop(0)

    def confirm(self, title: str, text: str, accept: str = "OK", *,
                destructive: bool = False, details: str = "") -> bool:
        self.asked.append((title, f"{text} {details}".strip()))
        if self.confirms:
            return self.confirms.pop(0)
        if self.answer is None:
            raise AssertionError(f"unexpected question: {title}: {text}")
        return self.answer

    def ask_unsaved(self, action: str, pending: list[Any]) -> str:
        self.asked.append(("Unsaved changes", action))
        self.unsaved_asked.append([line for p in pending for line in p.lines])
        # none queued: Discard, so closing a window at a test's end never blocks
        return self.unsaved.pop(0) if self.unsaved else "discard"

    def show_error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def save_path(self, title: str, start: Path) -> Path | None:
        self.asked.append((title, str(start)))
        return self.paths.pop(0)

    def open_path(self, title: str, start: Path) -> Path | None:
        self.asked.append((title, str(start)))
        return self.paths.pop(0)

    def about(self, title: str, text: str) -> None:
        self.asked.append((title, text))


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs()


@pytest.fixture(autouse=True)
def collect_on_this_thread() -> Iterator[None]:
    """As in the app (`ui.collector`): no automatic garbage collection while a GUI test runs,
    so a worker thread never frees a Qt object (a crash: met once as a segmentation fault in
    a worker's SQL); what the test leaves is collected at its end, on this, the GUI thread."""
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.fixture(autouse=True)
def error_dialogs() -> Iterator[excepthook.RecordingDialogService]:
    """The excepthook's dialog service records instead of showing a modal box."""
    recorder = excepthook.RecordingDialogService()
    previous = excepthook.set_dialog_service(recorder)
    yield recorder
    excepthook.set_dialog_service(previous)


@pytest.fixture
def ui_settings(tmp_path: Path) -> UiSettings:
    """QSettings in a file of this test, never the user's."""
    return UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def undo_stack() -> QUndoStack:
    return QUndoStack()


def wait_idle(qtbot: Any, timeout: int = 10_000) -> None:
    """Wait until every background job has delivered its result, and what a result put off to
    the next round of the event loop (a question asked once the write queue has moved on,
    `ui.ops.after_queue`) has run too."""
    def settled() -> bool:
        if background.pending():
            return False
        QApplication.processEvents()  # zero-delay timers due now
        return background.pending() == 0

    qtbot.waitUntil(settled, timeout=timeout)


Page = TypeVar("Page", bound=QWidget)


def shown_page(qtbot: Any, page: Page, dialogs: ScriptedDialogs) -> Iterator[Page]:
    """A page fixture's body: the page shown at the window's size with its data loaded, its
    questions answered yes by `dialogs`; after the test, its background work finished."""
    qtbot.addWidget(page)
    if dialogs.answer is None:
        dialogs.answer = True
    page.dialogs = dialogs  # type: ignore[attr-defined]
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):  # type: ignore[attr-defined]
        page.refresh()  # type: ignore[attr-defined]
    yield page
    wait_idle(qtbot)


@pytest.fixture
def window(qtbot: Any, sample_workspace: Workspace, ui_settings: UiSettings
           ) -> Iterator[MainWindow]:
    win = MainWindow(sample_workspace, ui_settings)
    win.dialogs = ScriptedDialogs(answer=None)  # type: ignore[assignment]  # no modal box
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_page("companies")
    wait_idle(qtbot)
    yield win
    wait_idle(qtbot)
