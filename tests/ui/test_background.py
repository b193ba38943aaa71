"""`run_blocking`: work in a worker thread, outcome on the GUI thread, with or without qasync."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import qasync
import shiboken6
from PySide6.QtCore import QObject

from app.domain.errors import RuleViolation
from tests.ui.conftest import wait_idle
from ui import background, excepthook


@pytest.fixture
def owner(qapp: Any) -> Iterator[QObject]:
    obj = QObject()
    yield obj
    if shiboken6.isValid(obj):
        obj.deleteLater()


def test_result_comes_back_on_the_gui_thread(qtbot, owner: QObject) -> None:
    gui = threading.get_ident()
    seen: list[tuple[int, int]] = []
    background.run_blocking(owner, threading.get_ident,
                            lambda worker: seen.append((worker, threading.get_ident())))
    wait_idle(qtbot)
    assert len(seen) == 1
    worker, delivered_on = seen[0]
    assert worker != gui
    assert delivered_on == gui


def test_errors_go_to_on_error(qtbot, owner: QObject) -> None:
    errors: list[BaseException] = []

    def refuse() -> None:
        raise RuleViolation("no")

    background.run_blocking(owner, refuse, lambda _r: None, errors.append)
    wait_idle(qtbot)
    assert isinstance(errors[0], RuleViolation)


def test_errors_without_a_handler_reach_the_excepthook(qtbot, owner: QObject,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       error_dialogs: Any) -> None:
    monkeypatch.setattr(sys, "excepthook", excepthook.handle)

    def broken() -> None:
        raise ValueError("a bug")

    background.run_blocking(owner, broken, lambda _r: None)
    wait_idle(qtbot)
    report = error_dialogs.reports[0]
    assert report.is_bug
    assert "ValueError: a bug" in report.details


def test_results_for_a_deleted_owner_are_dropped(qtbot, owner: QObject) -> None:
    seen: list[int] = []
    started = threading.Event()
    release = threading.Event()

    def slow() -> int:
        started.set()
        release.wait(5)
        return 1

    background.run_blocking(owner, slow, seen.append)
    assert started.wait(5)
    shiboken6.delete(owner)
    release.set()
    wait_idle(qtbot)
    assert seen == []


def test_serial_queue_keeps_order(qtbot, owner: QObject) -> None:
    queue = background.SerialQueue(owner)
    order: list[int] = []
    for n in range(5):
        queue.submit(lambda n=n: n, order.append)
    qtbot.waitUntil(lambda: not queue.busy())
    assert order == [0, 1, 2, 3, 4]


def test_under_qasync_it_uses_tasks_and_idle_is_signalled(qapp: Any, owner: QObject) -> None:
    loop = qasync.QEventLoop(qapp)
    gui = threading.get_ident()

    async def scenario() -> tuple[int, int, int]:
        future: asyncio.Future[tuple[int, int]] = asyncio.get_running_loop().create_future()
        background.run_blocking(owner, threading.get_ident,
                                lambda w: future.set_result((w, threading.get_ident())))
        tasks = len(background._tasks)
        await background.wait_idle()
        worker, delivered_on = await future
        return tasks, worker, delivered_on

    try:
        with loop:
            tasks, worker, delivered_on = loop.run_until_complete(scenario())
    finally:
        asyncio.set_event_loop(None)
    assert tasks == 1
    assert worker != gui
    assert delivered_on == gui
    assert background.pending() == 0


def test_a_failing_callback_under_qasync_reaches_the_excepthook(
        qapp: Any, owner: QObject, monkeypatch: pytest.MonkeyPatch, error_dialogs: Any) -> None:
    monkeypatch.setattr(sys, "excepthook", excepthook.handle)
    loop = qasync.QEventLoop(qapp)

    def broken(_value: object) -> None:
        raise KeyError("in the callback")

    async def scenario() -> None:
        background.run_blocking(owner, lambda: 1, broken)
        await background.wait_idle()

    try:
        with loop:
            loop.run_until_complete(scenario())
    finally:
        asyncio.set_event_loop(None)
    assert "KeyError" in error_dialogs.reports[0].text
