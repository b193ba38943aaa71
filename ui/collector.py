"""Python's full garbage-collection passes, run when the GUI thread chooses (docs/architecture.md
§5).

Left alone, CPython starts a full pass over every tracked object whenever enough objects have
survived; it runs on whichever thread happens to allocate. With a loaded workspace such a pass
took 20–60 ms of CPU here (100+ ms on a busy machine), and whether it ran on the GUI thread or on
a worker holding the GIL, the window froze meanwhile: the Assignments page's longest stalls with
5,000 sites. So once start-up is over, `Collector.start` freezes everything built so far
(`gc.freeze`: kept out of every later pass) and stops automatic *full* passes; the young
generations are still collected automatically (passes over at most a few thousand objects, well
under a millisecond), and a GUI-thread timer makes one full pass a minute, which costs
milliseconds once the start-up objects are frozen. Reference counting still frees all but cyclic
garbage at once, as always.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

FULL_EVERY_MS = 60_000
NEVER = 2**30  # a threshold the oldest generation's count does not reach


class Collector(QObject):
    """Owns the process's full collections while started; `stop` gives them back."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setInterval(FULL_EVERY_MS)
        self.timer.timeout.connect(self.tick)
        self.passes = 0
        self.longest = 0.0  # seconds, the longest full pass so far
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Collect and freeze what start-up built; from now on full passes run on the timer.
        Automatic collection is on from here, also when the start ran without it
        (`preflight.main.launch_gui`)."""
        gc.collect()
        gc.freeze()
        gc.enable()
        young, middle, _old = self._thresholds = gc.get_threshold()
        gc.set_threshold(young, middle, NEVER)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None
        gc.unfreeze()

    def active(self) -> bool:
        return self.timer.isActive()

    def tick(self) -> None:
        self.passes += 1
        self.collect()

    def collect(self) -> float:
        """One full pass (the frozen start-up objects aside); returns how long it took."""
        start = time.perf_counter()
        gc.collect()
        spent = time.perf_counter() - start
        self.longest = max(self.longest, spent)
        return spent


__all__ = ["FULL_EVERY_MS", "Collector"]
