"""Weekly time slots and the gaps they leave (notification rules: "time slots per weekday").

A slot is a weekday and a window in local time; like the policy windows (`app.domain.windows`)
a slot whose end is not after its start runs over midnight into the next day, and start == end
means a whole day. Times are minutes; the week runs Monday 00:00 (0) to Sunday 24:00 (10080) and
wraps around, so a Sunday-night slot may cover Monday morning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from app.domain.windows import MINUTES_PER_DAY, parse_window

MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


class Weekday(IntEnum):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6

    @property
    def short(self) -> str:
        return self.name[:3].title()


@dataclass(frozen=True)
class TimeSlot:
    weekday: Weekday
    start_minute: int  # 0–1439
    end_minute: int  # 0–1440; not after the start: runs into the next day

    @property
    def minutes(self) -> int:
        return (self.end_minute - self.start_minute) % MINUTES_PER_DAY or MINUTES_PER_DAY

    @property
    def is_valid(self) -> bool:
        return 0 <= self.start_minute < MINUTES_PER_DAY and 0 <= self.end_minute <= MINUTES_PER_DAY

    def __str__(self) -> str:
        return f"{self.weekday.short} {_hhmm(self.start_minute)}-{_hhmm(self.end_minute)}"


@dataclass(frozen=True)
class Gap:
    """Uncovered time: `minutes` long from week minute `start` (may wrap past Sunday 24:00)."""

    start: int
    minutes: int

    def __str__(self) -> str:
        if self.minutes >= MINUTES_PER_WEEK:
            return "the whole week"
        end = self.start + self.minutes
        return f"{describe_week_minute(self.start)}–{describe_week_minute(end)}"


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def describe_week_minute(minute: int) -> str:
    """"Tue 18:00" for a week minute (taken modulo the week)."""
    day, rest = divmod(minute % MINUTES_PER_WEEK, MINUTES_PER_DAY)
    return f"{Weekday(day).short} {_hhmm(rest)}"


_DAYS = {d.short.lower(): d for d in Weekday}
_SLOT_TEXT = re.compile(r"^\s*([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(.+)$", re.IGNORECASE)


def parse_slots(text: str) -> tuple[TimeSlot, ...]:
    """"Mon 08:00-17:00", "Mon-Fri 08:00-17:00" or "Sat-Sun 00:00-24:00" → slots. Raises
    ValueError with what to write instead."""
    match = _SLOT_TEXT.match(text)
    first = _DAYS.get(match.group(1).lower()) if match else None
    last = _DAYS.get((match.group(2) or match.group(1)).lower()) if match else None
    if match is None or first is None or last is None:
        raise ValueError(f"'{text}' is not a time slot; write e.g. Mon-Fri 08:00-17:00")
    window = parse_window(match.group(3))
    end = window.end_minute or MINUTES_PER_DAY
    days = [Weekday((first + i) % 7) for i in range((last - first) % 7 + 1)]
    return tuple(TimeSlot(day, window.start_minute, end) for day in days)


def describe_slots(slots: Iterable[TimeSlot]) -> list[str]:
    """Slots as `parse_slots` texts, consecutive days with the same window joined:
    ["Mon-Fri 08:00-17:00", "Sat 09:00-12:00"] (duplicates dropped)."""
    by_window: dict[tuple[int, int], set[Weekday]] = {}
    for slot in slots:
        by_window.setdefault((slot.start_minute, slot.end_minute), set()).add(slot.weekday)
    texts: list[tuple[int, str]] = []
    for (start, end), days in by_window.items():
        window = f"{_hhmm(start)}-{_hhmm(end)}"
        ordered = sorted(days)
        run = [ordered[0]]
        for day in [*ordered[1:], None]:
            if day is not None and day == run[-1] + 1:
                run.append(day)
                continue
            name = run[0].short if len(run) == 1 else f"{run[0].short}-{run[-1].short}"
            texts.append((run[0] * MINUTES_PER_DAY + start, f"{name} {window}"))
            if day is not None:
                run = [day]
    return [text for _, text in sorted(texts)]


def covered_intervals(slots: Iterable[TimeSlot]) -> list[tuple[int, int]]:
    """The union of the slots as sorted, disjoint [start, end) week-minute intervals."""
    pieces: list[tuple[int, int]] = []
    for slot in slots:
        start = slot.weekday * MINUTES_PER_DAY + slot.start_minute
        end = start + slot.minutes
        if end <= MINUTES_PER_WEEK:
            pieces.append((start, end))
        else:  # Sunday night into Monday morning
            pieces.append((start, MINUTES_PER_WEEK))
            pieces.append((0, end - MINUTES_PER_WEEK))
    pieces.sort()
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def coverage_gaps(slots: Iterable[TimeSlot]) -> tuple[Gap, ...]:
    """The uncovered stretches of the week, in week order; one running over Sunday midnight is
    one gap (Sun 18:00–Mon 08:00), not two."""
    covered = covered_intervals(slots)
    if not covered:
        return (Gap(0, MINUTES_PER_WEEK),)
    gaps: list[Gap] = []
    cursor = 0
    for start, end in covered:
        if start > cursor:
            gaps.append(Gap(cursor, start - cursor))
        cursor = end
    if cursor < MINUTES_PER_WEEK:
        tail = Gap(cursor, MINUTES_PER_WEEK - cursor)
        if gaps and gaps[0].start == 0:
            gaps[0] = Gap(tail.start, tail.minutes + gaps[0].minutes)
            gaps.append(gaps.pop(0))  # it starts latest in the week
        else:
            gaps.append(tail)
    return tuple(gaps)


def covers_whole_week(slots: Iterable[TimeSlot]) -> bool:
    return covered_intervals(slots) == [(0, MINUTES_PER_WEEK)]
