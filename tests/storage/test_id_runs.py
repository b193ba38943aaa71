"""`time_ordered_id_runs`: the ids of one `time_ordered_ids` call, made a run at a time (each
run one C call, so a thread waiting for the GIL waits for one run, not for all of them)."""

from __future__ import annotations

import uuid
from itertools import chain

from storage.changes import time_ordered_id_runs


def test_runs_of_the_asked_size_that_join_into_one_sorted_series() -> None:
    runs = list(time_ordered_id_runs(2_500, 1_000))
    assert [len(r) for r in runs] == [1_000, 1_000, 500]
    ids = list(chain.from_iterable(runs))
    assert len(set(ids)) == 2_500
    assert ids == sorted(ids)  # one series: the runs follow on, none starts afresh
    for text in (ids[0], ids[999], ids[1_000], ids[-1]):
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122


def test_each_run_is_made_when_asked_for() -> None:
    runs = time_ordered_id_runs(3, 2)
    first = next(runs)
    assert len(first) == 2
    assert [len(r) for r in runs] == [1]
    assert list(time_ordered_id_runs(0, 1_000)) == []
