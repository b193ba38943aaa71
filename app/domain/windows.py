"""Scheduled windows written `HH:MM-HH:MM` in the site's local time; they may cross midnight."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WINDOW = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class TimeWindow:
    start_minute: int
    end_minute: int

    @property
    def duration_minutes(self) -> int:
        """Length of the window; an end equal to the start means the whole day."""
        length = (self.end_minute - self.start_minute) % MINUTES_PER_DAY
        return length or MINUTES_PER_DAY

    @property
    def crosses_midnight(self) -> bool:
        return self.end_minute <= self.start_minute

    def __str__(self) -> str:
        return f"{_hhmm(self.start_minute)}-{_hhmm(self.end_minute)}"


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_window(text: str) -> TimeWindow:
    """Parse `HH:MM-HH:MM` (24-hour clock; `24:00` allowed as an end). Raises ValueError."""
    match = _WINDOW.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a window; write it as HH:MM-HH:MM, e.g. 22:00-04:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
        raise ValueError(f"'{text}' has a time that does not exist on a 24-hour clock")
    return TimeWindow(h1 * 60 + m1, (h2 * 60 + m2) % MINUTES_PER_DAY)


def describe_minutes(minutes: int) -> str:
    """3 h 59 min, 1 h, 45 min."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} h"
    return f"{rest} min"
