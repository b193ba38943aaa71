"""`IdSeries`: time-ordered ids handed out a few at a time, all of one series (a pull makes
its new devices' ids a page at a time; they must still sort in the order they were made)."""

from __future__ import annotations

import uuid

from storage.changes import IdSeries, time_ordered_ids


def test_takes_of_any_size_join_into_one_sorted_series() -> None:
    series = IdSeries()
    taken = [series.take(n) for n in (1_000, 1, 0, 1_499)]
    assert [len(t) for t in taken] == [1_000, 1, 0, 1_499]
    ids = [i for t in taken for i in t]
    assert len(set(ids)) == 2_500
    assert ids == sorted(ids)  # one series: no take starts afresh
    for text in (ids[0], ids[999], ids[1_000], ids[-1]):
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122


def test_a_take_crossing_the_counters_low_48_bits_stays_in_order() -> None:
    series = IdSeries()
    series._next = (5 << 48) - 3  # three ids before the counter's top bits change
    ids = series.take(6)
    assert ids == sorted(ids)
    assert len(set(ids)) == 6
    assert [i.split("-")[3] for i in ids] == ["8004"] * 3 + ["8005"] * 3


def test_two_series_do_not_share_ids() -> None:
    assert not set(IdSeries().take(1_000)) & set(IdSeries().take(1_000))
    assert not set(IdSeries().take(10)) & set(time_ordered_ids(10))
