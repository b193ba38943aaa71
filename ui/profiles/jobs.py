"""Long work (reading, validating, importing a sheet) off the GUI thread, with progress and
Cancel. The work gets `progress(done, total)` and `cancelled()` callables; progress crosses to
the GUI thread through a queued signal, Cancel is a `threading.Event` the work polls between
chunks. The outcome comes back through `ui.background.run_blocking`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from ui.background import run_blocking

T = TypeVar("T")
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class Job(QObject):
    """One run of cancellable work; `progressed(done, total)` arrives on the GUI thread."""

    progressed = Signal(int, int)
    finished = Signal()  # after on_result/on_error ran

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self.running = False

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def start(self, work: Callable[[Progress, Cancelled], T], on_result: Callable[[T], None],
              on_error: Callable[[BaseException], None]) -> None:
        self.running = True
        emit = self.progressed.emit
        cancelled = self._cancel.is_set

        def done(value: Any) -> None:
            self.running = False
            try:
                on_result(value)
            finally:
                self.finished.emit()

        def failed(exc: BaseException) -> None:
            self.running = False
            try:
                on_error(exc)
            finally:
                self.finished.emit()

        run_blocking(self, lambda: work(emit, cancelled), done, failed)
