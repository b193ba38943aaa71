"""Python's garbage-collection passes, all of them on the GUI thread (docs/architecture.md §5).

Left alone, CPython starts a pass whenever enough objects have been allocated, on whichever
thread happens to allocate. That is a crash waiting to happen in a Qt program: a pass on a
worker thread (a service call building rows) may free cyclic garbage holding a Qt object (a
closed dialog's wrapper, a lambda connected to a widget), and destroying it off the GUI thread
can bring the process down (a segmentation fault, met in the test suite). It was also slow: a
full pass over a loaded workspace took 20–60 ms of CPU (100+ ms on a busy machine), freezing
the window wherever it ran.

So once start-up is over, `Collector.start` freezes everything built so far (`gc.freeze`: kept
out of every later pass) and turns automatic collection off; a GUI-thread timer makes the young
passes the collector would have made (checked every `YOUNG_EVERY_MS`, by the same thresholds:
well under a millisecond each) and one full pass a minute. While a worker has collection
paused for bulk work (`app.gcpause`), the young passes wait too. Reference counting
still frees all but cyclic garbage at once, as always.

An idle window allocates nothing: then the checks slow down, doubling up to `YOUNG_IDLE_MS`
apart, and the minute's full pass is skipped when nothing was collected or made since the
last one, so an app left open on a laptop does not wake the machine ten times a second. The
first check that sees objects made goes back to `YOUNG_EVERY_MS`.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

from app.gcpause import is_paused

FULL_EVERY_MS = 60_000
YOUNG_EVERY_MS = 100
YOUNG_IDLE_MS = 2_000  # the slowest checks, while nothing is made
IDLE_GROWTH = 16  # objects made between two checks that still count as idle (the check's own)


class Collector(QObject):
    """Owns the process's collections while started; `stop` gives them back."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)  # the full passes
        self.timer.setInterval(FULL_EVERY_MS)
        self.timer.timeout.connect(self.tick)
        self.young_timer = QTimer(self)
        self.young_timer.setInterval(YOUNG_EVERY_MS)
        self.young_timer.timeout.connect(self.young_tick)
        self.passes = 0
        self.young_passes = 0
        self.longest = 0.0  # seconds, the longest full pass so far
        self._was_enabled: bool | None = None
        self._young_seen = 0  # the young generation's count at the last check
        self._young_passes_at_full = -1  # young passes made by the last full pass's time

    def start(self) -> None:
        """Collect and freeze what start-up built; from now on every pass runs on the timers
        (also when the start ran without collection: `preflight.main.launch_gui`)."""
        gc.collect()
        gc.freeze()
        if self._was_enabled is None:  # started once; a second start changes nothing
            self._was_enabled = gc.isenabled()
        gc.disable()
        self._young_seen = gc.get_count()[0]
        self.young_timer.setInterval(YOUNG_EVERY_MS)
        self.timer.start()
        self.young_timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.young_timer.stop()
        if self._was_enabled is not None:
            if self._was_enabled:
                gc.enable()
            self._was_enabled = None
        gc.unfreeze()

    def active(self) -> bool:
        return self.timer.isActive()

    def tick(self) -> None:
        """The minute's full pass, unless nothing was made or collected since the last."""
        if self.young_passes == self._young_passes_at_full \
                and gc.get_count()[0] <= IDLE_GROWTH:
            return
        self.passes += 1
        self.collect()
        self._young_passes_at_full = self.young_passes

    def young_tick(self) -> None:
        """The young passes CPython would have made by now (by its thresholds), here; and
        the pace of these checks (slower while nothing is made)."""
        young, middle, _old = gc.get_count()
        made = young - self._young_seen
        self._young_seen = young
        self._pace(busy=is_paused() or made > IDLE_GROWTH)
        if is_paused():
            return  # bulk work under way: its objects are not garbage yet
        first, second, _third = gc.get_threshold()
        if young > first:
            self.young_passes += 1
            gc.collect(1 if middle >= second else 0)
            self._young_seen = gc.get_count()[0]

    def _pace(self, *, busy: bool) -> None:
        interval = YOUNG_EVERY_MS if busy \
            else min(self.young_timer.interval() * 2, YOUNG_IDLE_MS)
        if interval != self.young_timer.interval():
            self.young_timer.setInterval(interval)

    def collect(self) -> float:
        """One full pass (the frozen start-up objects aside); returns how long it took."""
        start = time.perf_counter()
        gc.collect()
        spent = time.perf_counter() - start
        self.longest = max(self.longest, spent)
        return spent


__all__ = ["FULL_EVERY_MS", "YOUNG_EVERY_MS", "YOUNG_IDLE_MS", "Collector"]
