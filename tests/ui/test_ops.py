"""`ui.ops`: one write queue per undo stack, latest-only reads, the default failure presenter."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.domain.errors import RuleViolation
from tests.ui.conftest import ScriptedDialogs, wait_idle
from ui import excepthook
from ui.ops import (
    Latest,
    PageOps,
    is_refusal,
    present_in_dialog,
    present_to,
    refusal_text,
    write_queue,
)
from ui.widgets.policy_common import NoticeBar


class Page(QWidget):
    """The smallest page: a notice bar and its ops."""

    def __init__(self, undo_stack: QUndoStack) -> None:
        super().__init__()
        self.notice = NoticeBar(self)
        self.ops = PageOps(self, undo_stack, self.notice)


@pytest.fixture
def pages(qtbot: Any, undo_stack: QUndoStack) -> Iterator[tuple[Page, Page]]:
    first, second = Page(undo_stack), Page(undo_stack)
    for page in (first, second):
        qtbot.addWidget(page)
        page.show()
    yield first, second
    wait_idle(qtbot)


@pytest.fixture
def hooked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", excepthook.handle)


def test_one_queue_per_undo_stack(qapp: Any) -> None:
    stack, other = QUndoStack(), QUndoStack()
    assert write_queue(stack) is write_queue(stack)
    assert write_queue(stack) is not write_queue(other)


def test_writes_of_two_pages_land_in_the_order_asked(qtbot: Any,
                                                     pages: tuple[Page, Page]) -> None:
    first, second = pages
    release = threading.Event()
    ran: list[str] = []
    delivered: list[str] = []

    def slow_write() -> str:
        release.wait(5)
        ran.append("first")
        return "first"

    def quick_write() -> str:
        ran.append("second")
        return "second"

    first.ops.write(slow_write, delivered.append)
    second.ops.write(quick_write, delivered.append)
    assert first.ops.writes.busy()
    release.set()
    wait_idle(qtbot)
    assert ran == ["first", "second"]
    assert delivered == ["first", "second"]


def test_a_refusal_goes_to_the_pages_notice(qtbot: Any, pages: tuple[Page, Page],
                                            error_dialogs: Any, hooked: None) -> None:
    page = pages[0]

    def refused() -> None:
        raise RuleViolation("site 'Main' is not ready")

    page.ops.write(refused, lambda _r: None, what="Could not assign")
    wait_idle(qtbot)
    assert page.notice.text() == "Could not assign: Site 'Main' is not ready."
    assert page.notice.kind == "error"
    assert error_dialogs.reports == []


def test_a_bug_goes_to_the_error_dialog_and_the_log(qtbot: Any, pages: tuple[Page, Page],
                                                    error_dialogs: Any, hooked: None,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    page = pages[0]

    def broken() -> None:
        raise KeyError("column")

    with caplog.at_level(logging.ERROR, logger="ui.excepthook"):
        page.ops.read(broken, lambda _r: None, what="Could not load")
        wait_idle(qtbot)
    assert page.notice.text() == ""  # a bug is not the user's to fix
    [report] = error_dialogs.reports
    assert report.is_bug
    assert "KeyError: 'column'" in report.details
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)


def test_a_page_may_present_its_own_failure(qtbot: Any, pages: tuple[Page, Page],
                                            error_dialogs: Any, hooked: None) -> None:
    page = pages[0]
    seen: list[BaseException] = []

    def refused() -> None:
        raise RuleViolation("no")

    page.ops.write(refused, lambda _r: None, on_failure=seen.append)
    wait_idle(qtbot)
    assert isinstance(seen[0], RuleViolation)
    assert page.notice.text() == ""


def test_the_queue_goes_on_after_a_failure(qtbot: Any, pages: tuple[Page, Page]) -> None:
    first, second = pages
    delivered: list[str] = []

    def refused() -> str:
        raise RuleViolation("no")

    first.ops.write(refused, delivered.append)
    second.ops.write(lambda: "after", delivered.append)
    wait_idle(qtbot)
    assert delivered == ["after"]
    assert first.notice.text() == "No."


def test_an_older_read_finishing_last_is_dropped(qtbot: Any, pages: tuple[Page, Page]) -> None:
    page = pages[0]
    slot: Latest = page.ops.latest()
    release = threading.Event()
    started = threading.Event()
    shown: list[str] = []

    def old() -> str:
        started.set()
        release.wait(5)
        return "old"

    slot.run(old, shown.append)
    assert started.wait(5)
    slot.run(lambda: "new", shown.append)
    qtbot.waitUntil(lambda: shown == ["new"], timeout=5000)
    release.set()
    wait_idle(qtbot)
    assert shown == ["new"]


def test_an_older_reads_refusal_is_dropped_but_a_bug_is_not(
        qtbot: Any, pages: tuple[Page, Page], error_dialogs: Any, hooked: None) -> None:
    page = pages[0]
    slot = page.ops.latest("Could not load")
    release = threading.Event()

    def old_refused() -> str:
        release.wait(5)
        raise RuleViolation("stale")

    def old_broken() -> str:
        release.wait(5)
        raise KeyError("stale bug")

    slot.run(old_refused, lambda _r: None)
    slot.run(old_broken, lambda _r: None)
    slot.run(lambda: "new", lambda _r: None)
    release.set()
    wait_idle(qtbot)
    assert page.notice.text() == ""
    assert [r.is_bug for r in error_dialogs.reports] == [True]


def test_cancel_drops_the_read_in_flight(qtbot: Any, pages: tuple[Page, Page]) -> None:
    page = pages[0]
    slot = page.ops.latest()
    release = threading.Event()
    shown: list[str] = []

    def slow() -> str:
        release.wait(5)
        return "late"

    slot.run(slow, shown.append)
    slot.cancel()
    release.set()
    wait_idle(qtbot)
    assert shown == []


def test_a_closed_pages_write_still_lands_and_the_queue_goes_on(
        qtbot: Any, undo_stack: QUndoStack) -> None:
    gone, staying = Page(undo_stack), Page(undo_stack)
    qtbot.addWidget(staying)
    release = threading.Event()
    ran: list[str] = []
    delivered: list[str] = []

    def slow() -> str:
        release.wait(5)
        ran.append("gone")
        return "gone"

    def staying_write() -> str:
        ran.append("staying")
        return "staying"

    gone.ops.write(slow, delivered.append)
    staying.ops.write(staying_write, delivered.append)
    gone.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(gone), timeout=5000)
    release.set()
    wait_idle(qtbot)
    assert ran == ["gone", "staying"]
    assert delivered == ["staying"]


# the other presenters: a refusal (and an OSError where asked) to its place, a bug always to
# the error dialog and the log

def fail_with(exc: BaseException) -> Any:
    def work() -> None:
        raise exc
    return work


def test_what_is_a_bug_is_decided_in_one_place() -> None:
    assert is_refusal(RuleViolation("no"))
    assert not is_refusal(OSError(28, "No space left on device"))
    assert is_refusal(OSError(28, "No space left on device"), environment=True)
    assert not is_refusal(KeyError("column"), environment=True)


def test_present_in_dialog_a_refusal_and_an_os_error_to_the_titled_box(
        qtbot: Any, pages: tuple[Page, Page], error_dialogs: Any, hooked: None) -> None:
    page, dialogs = pages[0], ScriptedDialogs()
    for exc in (RuleViolation("the file is not a client-profile sheet"),
                FileNotFoundError(2, "No such file or directory", "/tmp/gone.xlsx")):
        page.ops.read(fail_with(exc), lambda _r: None,
                      on_failure=lambda e: present_in_dialog(e, dialogs, "Client Profiles"))
        wait_idle(qtbot)
    assert dialogs.errors == [
        ("Client Profiles", "the file is not a client-profile sheet"),
        ("Client Profiles", "[Errno 2] No such file or directory: '/tmp/gone.xlsx'")]
    assert error_dialogs.reports == []
    assert page.notice.text() == ""


def test_present_in_dialog_without_environment_an_os_error_is_a_bug(
        qtbot: Any, pages: tuple[Page, Page], error_dialogs: Any, hooked: None) -> None:
    page, dialogs = pages[0], ScriptedDialogs()
    page.ops.read(fail_with(PermissionError(13, "Permission denied")), lambda _r: None,
                  on_failure=lambda e: present_in_dialog(e, dialogs, "Cannot open the workspace",
                                                         environment=False))
    wait_idle(qtbot)
    assert dialogs.errors == []
    [report] = error_dialogs.reports
    assert report.is_bug
    assert "PermissionError" in report.details


def test_present_in_dialog_a_bug_to_the_error_dialog_and_the_log(
        qtbot: Any, pages: tuple[Page, Page], error_dialogs: Any, hooked: None,
        caplog: pytest.LogCaptureFixture) -> None:
    page, dialogs = pages[0], ScriptedDialogs()
    with caplog.at_level(logging.ERROR, logger="ui.excepthook"):
        page.ops.read(fail_with(KeyError("column")), lambda _r: None,
                      on_failure=lambda e: present_in_dialog(e, dialogs, "Client Profiles"))
        wait_idle(qtbot)
    assert dialogs.errors == []  # not the user's to fix: no box that says it is
    [report] = error_dialogs.reports
    assert report.is_bug
    assert "KeyError: 'column'" in report.details
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)


def test_present_to_a_refusal_to_its_place_in_its_words(
        qtbot: Any, pages: tuple[Page, Page], error_dialogs: Any, hooked: None) -> None:
    page = pages[0]
    shown: list[str] = []
    tidied: list[str] = []

    def tidy() -> None:
        tidied.append("cleared")

    page.ops.write(fail_with(RuleViolation("the master password is wrong")), lambda _r: None,
                   on_failure=lambda e: present_to(e, shown.append, text=refusal_text,
                                                   on_bug=tidy))
    wait_idle(qtbot)
    assert shown == ["The master password is wrong."]
    assert tidied == []
    assert error_dialogs.reports == []


def test_present_to_an_os_error_only_where_the_environment_is_the_users(
        qtbot: Any, pages: tuple[Page, Page], error_dialogs: Any, hooked: None) -> None:
    page = pages[0]
    shown: list[str] = []
    full = OSError(28, "No space left on device")
    page.ops.write(fail_with(full), lambda _r: None,
                   on_failure=lambda e: present_to(e, shown.append, environment=True,
                                                   text=lambda x: f"Nothing was written: {x}"))
    wait_idle(qtbot)
    assert shown == ["Nothing was written: [Errno 28] No space left on device"]
    assert error_dialogs.reports == []
    page.ops.write(fail_with(full), lambda _r: None,
                   on_failure=lambda e: present_to(e, shown.append))
    wait_idle(qtbot)
    assert len(shown) == 1  # without `environment`, an OSError is a bug
    [report] = error_dialogs.reports
    assert report.is_bug


def test_present_to_a_bug_tidies_then_goes_to_the_error_dialog_and_the_log(
        qtbot: Any, pages: tuple[Page, Page], error_dialogs: Any, hooked: None,
        caplog: pytest.LogCaptureFixture) -> None:
    page = pages[0]
    shown: list[str] = []
    tidied: list[str] = []

    def tidy() -> None:
        tidied.append("cleared")

    with caplog.at_level(logging.ERROR, logger="ui.excepthook"):
        page.ops.write(fail_with(ZeroDivisionError("division by zero")), lambda _r: None,
                       on_failure=lambda e: present_to(e, shown.append, on_bug=tidy))
        wait_idle(qtbot)
    assert shown == []
    assert tidied == ["cleared"]
    [report] = error_dialogs.reports
    assert report.is_bug
    assert "ZeroDivisionError: division by zero" in report.details
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)
