"""Blocking work off the GUI thread, with its result delivered back to the GUI thread.

`run_blocking(owner, fn, on_result, on_error)` is the one way pages run service calls (SQLite,
parsing) without freezing the window (docs/architecture.md §5):

* under a running qasync loop, `fn` runs through `asyncio.to_thread` in a task we keep a strong
  reference to, and the callbacks run in the loop, which is the GUI thread;
* with no running asyncio loop (a plain `QApplication.exec()`, or pytest-qt's `waitUntil`, which
  spins a nested Qt loop where asyncio is not running), `fn` runs on the global `QThreadPool` and
  its outcome comes back through a queued signal.

Callbacks are dropped when `owner` has been deleted meanwhile, or after `shutdown()` (called on
`QCoreApplication.aboutToQuit`). An exception with no `on_error` goes to `sys.excepthook`, which
`ui.excepthook` turns into a dialog and a log line: nothing fails silently.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from app.domain.errors import PreflightError

log = logging.getLogger(__name__)

T = TypeVar("T")
ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]

_tasks: set[asyncio.Task[Any]] = set()
_relays: set[_Relay] = set()


class Monitor(QObject):
    """Tells when background work starts and when none is left (status bar, screenshots)."""

    busy = Signal()
    idle = Signal()


class _State:
    monitor: Monitor | None = None
    hooked_app: QCoreApplication | None = None


def monitor() -> Monitor:
    if _State.monitor is None or not shiboken6.isValid(_State.monitor):
        _State.monitor = Monitor()
    return _State.monitor


def _settled() -> None:
    if not pending():
        monitor().idle.emit()


class _Relay(QObject):
    """Lives in the GUI thread; the worker emits `finished`, Qt queues it to the GUI thread."""

    finished = Signal(bool, object)  # ok, result or exception

    def __init__(self, owner: QObject, on_result: ResultCallback,
                 on_error: ErrorCallback | None) -> None:
        super().__init__()
        self.owner = owner
        self.on_result = on_result
        self.on_error = on_error
        self.cancelled = False
        self.finished.connect(self._deliver)

    def _deliver(self, ok: bool, value: object) -> None:
        _relays.discard(self)
        try:
            if not self.cancelled:
                _deliver(self.owner, ok, value, self.on_result, self.on_error)
        finally:
            self.deleteLater()
            _settled()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:
            self.relay.finished.emit(False, exc)
        else:
            self.relay.finished.emit(True, result)


def _alive(owner: QObject) -> bool:
    return shiboken6.isValid(owner)


def _deliver(owner: QObject, ok: bool, value: object, on_result: ResultCallback,
             on_error: ErrorCallback | None) -> None:
    if not _alive(owner):
        log.debug("background result dropped: its owner is gone")
        return
    if ok:
        on_result(value)
        return
    assert isinstance(value, BaseException)
    report_error(value, on_error)


def report_error(exc: BaseException, on_error: ErrorCallback | None = None) -> None:
    """Give `exc` to `on_error`, or (none given) to `sys.excepthook`."""
    if on_error is not None:
        on_error(exc)
    else:
        sys.excepthook(type(exc), exc, exc.__traceback__)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _hook_quit() -> None:
    app = QCoreApplication.instance()
    if app is not None and app is not _State.hooked_app:
        app.aboutToQuit.connect(shutdown)
        _State.hooked_app = app


def run_blocking(owner: QObject, fn: Callable[[], T], on_result: Callable[[T], None],
                 on_error: Callable[[BaseException], None] | None = None) -> None:
    """Run `fn()` in a worker thread; call `on_result(value)` or `on_error(exc)` on the GUI
    thread afterwards, unless `owner` was deleted meanwhile. Call this on the GUI thread."""
    _hook_quit()
    was_idle = not pending()
    loop = _running_loop()
    if loop is not None:
        task = loop.create_task(asyncio.to_thread(fn))
        _tasks.add(task)

        def done(finished: asyncio.Task[Any]) -> None:
            _tasks.discard(finished)
            try:
                if finished.cancelled():
                    return
                exc = finished.exception()
                if exc is None:
                    _deliver(owner, True, finished.result(), on_result, on_error)
                else:
                    _deliver(owner, False, exc, on_result, on_error)
            except Exception as bug:  # a failing callback: the excepthook, not asyncio's log
                report_error(bug)
            finally:
                _settled()

        task.add_done_callback(done)
    else:
        relay = _Relay(owner, on_result, on_error)
        _relays.add(relay)
        QThreadPool.globalInstance().start(_Job(fn, relay))
    if was_idle:
        monitor().busy.emit()


def pending() -> int:
    """How many background jobs have not delivered their outcome yet (tests wait on 0)."""
    return len(_tasks) + len(_relays)


def shutdown(timeout_ms: int = 5000) -> None:
    """Cancel every job's delivery and wait (bounded) for running workers to finish."""
    for task in list(_tasks):
        task.cancel()
    _tasks.clear()
    for relay in list(_relays):
        relay.cancelled = True
    _relays.clear()
    QThreadPool.globalInstance().waitForDone(timeout_ms)


async def aclose() -> None:
    """Cancel the asyncio jobs and wait until they have unwound (the launcher calls this)."""
    tasks = list(_tasks)
    shutdown(timeout_ms=0)
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)


class SerialQueue(QObject):
    """Jobs that must run one after another, in order (writes, undo and redo of writes):
    each goes through `run_blocking` once the one before it has delivered."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: deque[tuple[Callable[[], Any], ResultCallback, ErrorCallback | None,
                                QObject | None]] = deque()
        self._running = False

    def submit(self, fn: Callable[[], T], on_result: Callable[[T], None],
               on_error: Callable[[BaseException], None] | None = None, *,
               owner: QObject | None = None) -> None:
        """Queue `fn`; its callbacks are dropped if `owner` (say, the page that asked) has been
        deleted by then, and the queue goes on with the next job either way."""
        self._jobs.append((fn, on_result, on_error, owner))
        if not self._running:
            self._next()

    def busy(self) -> bool:
        return self._running or bool(self._jobs)

    def _next(self) -> None:
        if not self._jobs:
            self._running = False
            return
        self._running = True
        fn, on_result, on_error, owner = self._jobs.popleft()

        def ok(value: Any) -> None:
            try:
                if owner is None or _alive(owner):
                    on_result(value)
            finally:
                self._next()

        def failed(exc: BaseException) -> None:
            try:
                if owner is None or _alive(owner):
                    report_error(exc, on_error)
                elif isinstance(exc, PreflightError):  # refused, and nobody left to tell
                    log.warning("a queued write was refused after its page closed: %s", exc)
                else:
                    report_error(exc)  # a bug is shown even so
            finally:
                self._next()

        run_blocking(self, fn, ok, failed)


async def wait_idle() -> None:
    """Return once no background job is pending (the qasync loop must be running)."""
    while pending():
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def wake(future: asyncio.Future[None] = future) -> None:
            if not future.done():
                future.set_result(None)

        monitor().idle.connect(wake)
        try:
            if pending():
                await future
        finally:
            monitor().idle.disconnect(wake)


__all__ = ["Monitor", "SerialQueue", "aclose", "monitor", "pending", "report_error", "run_blocking",
           "shutdown", "wait_idle"]
