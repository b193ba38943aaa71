"""Weekly time slots and their coverage gaps."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.helpdesk import Gap, TimeSlot, Weekday, coverage_gaps, parse_slots
from app.domain.helpdesk.coverage import (
    MINUTES_PER_WEEK,
    covered_intervals,
    covers_whole_week,
    describe_slots,
)


def test_parse_slots_ranges_and_single_days() -> None:
    slots = parse_slots("Mon-Fri 08:00-17:00")
    assert [s.weekday for s in slots] == list(Weekday)[:5]
    assert str(slots[0]) == "Mon 08:00-17:00"
    assert parse_slots("sat 22:00-06:00") == (TimeSlot(Weekday.SATURDAY, 22 * 60, 6 * 60),)
    assert str(parse_slots("Sun 00:00-24:00")[0]) == "Sun 00:00-24:00"
    assert len(parse_slots("Sat-Mon 09:00-12:00")) == 3  # wraps over the week end


@pytest.mark.parametrize("text", ["Mon", "Xyz 08:00-17:00", "Mon 8-17", "Mon 25:00-26:00"])
def test_parse_slots_refuses(text: str) -> None:
    with pytest.raises(ValueError, match=r"slot|window|24-hour"):
        parse_slots(text)


def test_business_hours_leave_nights_and_the_weekend() -> None:
    gaps = coverage_gaps(parse_slots("Mon-Fri 08:00-17:00"))
    assert [str(g) for g in gaps] == ["Mon 17:00–Tue 08:00", "Tue 17:00–Wed 08:00",
                                      "Wed 17:00–Thu 08:00", "Thu 17:00–Fri 08:00",
                                      "Fri 17:00–Mon 08:00"]


def test_gap_over_sunday_midnight_is_one_gap() -> None:
    gaps = coverage_gaps(parse_slots("Mon-Sat 00:00-24:00") + parse_slots("Sun 00:00-18:00"))
    assert gaps == (Gap(6 * 1440 + 18 * 60, 6 * 60),)
    assert str(gaps[0]) == "Sun 18:00–Mon 00:00"


def test_slot_crossing_midnight_covers_the_next_morning() -> None:
    slots = parse_slots("Mon-Sun 08:00-22:00") + parse_slots("Mon-Sun 22:00-08:00")
    assert coverage_gaps(slots) == ()
    assert covers_whole_week(slots)


def test_no_slots_is_the_whole_week() -> None:
    assert coverage_gaps([]) == (Gap(0, MINUTES_PER_WEEK),)
    assert str(coverage_gaps([])[0]) == "the whole week"


slots_strategy = st.lists(
    st.builds(TimeSlot, st.sampled_from(list(Weekday)), st.integers(0, 1439),
              st.integers(0, 1440)), max_size=12)


def _minutes(slots: list[TimeSlot]) -> set[int]:
    covered: set[int] = set()
    for slot in slots:
        start = slot.weekday * 1440 + slot.start_minute
        covered.update((start + i) % MINUTES_PER_WEEK for i in range(slot.minutes))
    return covered


@given(slots_strategy)
def test_gaps_are_exactly_the_uncovered_minutes(slots: list[TimeSlot]) -> None:
    covered = _minutes(slots)
    gap_minutes: list[int] = []
    for gap in coverage_gaps(slots):
        assert gap.minutes > 0
        gap_minutes.extend((gap.start + i) % MINUTES_PER_WEEK for i in range(gap.minutes))
    assert len(gap_minutes) == len(set(gap_minutes))  # gaps do not overlap
    assert set(gap_minutes) == set(range(MINUTES_PER_WEEK)) - covered


@given(slots_strategy)
def test_covers_24x7_iff_no_gaps(slots: list[TimeSlot]) -> None:
    assert covers_whole_week(slots) == (coverage_gaps(slots) == ())
    assert covers_whole_week(slots) == (len(_minutes(slots)) == MINUTES_PER_WEEK)


@given(slots_strategy)
def test_covered_intervals_are_sorted_and_disjoint(slots: list[TimeSlot]) -> None:
    intervals = covered_intervals(slots)
    for (s1, e1), (s2, e2) in itertools.pairwise(intervals):
        assert s1 < e1 < s2 < e2
    assert sum(e - s for s, e in intervals) == len(_minutes(slots))


def test_describe_slots_joins_consecutive_days() -> None:
    slots = (*parse_slots("Sat 09:00-12:00"), *parse_slots("Mon-Fri 08:00-17:00"),
             *parse_slots("Wed 18:00-20:00"), *parse_slots("Mon 08:00-17:00"))
    assert describe_slots(slots) == ["Mon-Fri 08:00-17:00", "Wed 18:00-20:00",
                                     "Sat 09:00-12:00"]
    assert describe_slots(parse_slots("Mon-Sun 00:00-24:00")) == ["Mon-Sun 00:00-24:00"]
    assert describe_slots(parse_slots("Mon 08:00-12:00") + parse_slots("Wed 08:00-12:00")) == [
        "Mon 08:00-12:00", "Wed 08:00-12:00"]
    assert describe_slots([]) == []


@given(slots_strategy)
def test_described_slots_parse_back(slots: list[TimeSlot]) -> None:
    # The same time, not always the same values: "to 00:00" reads back as "to 24:00".
    parsed = [p for text in describe_slots(slots) for p in parse_slots(text)]
    assert covered_intervals(parsed) == covered_intervals(slots)
    assert len(parsed) == len(set(slots))
