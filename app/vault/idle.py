"""Lock after idle time: a clock-injectable timer, so the GUI only calls `touch()` on activity
and `check()` from a timer, and tests move a fake clock instead of sleeping."""

from __future__ import annotations

import time
from collections.abc import Callable

DEFAULT_IDLE_SECONDS = 5 * 60.0


class IdleTimer:
    def __init__(self, timeout: float | None = DEFAULT_IDLE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """`timeout` None or <= 0: never expires."""
        self.timeout = timeout
        self.clock = clock
        self._last = clock()

    def touch(self) -> None:
        self._last = self.clock()

    def idle_for(self) -> float:
        return max(0.0, self.clock() - self._last)

    def remaining(self) -> float | None:
        if not self.timeout or self.timeout <= 0:
            return None
        return max(0.0, self.timeout - self.idle_for())

    def expired(self) -> bool:
        remaining = self.remaining()
        return remaining is not None and remaining <= 0
