"""Full garbage-collection passes run on the GUI thread's timer once started; given back after."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from ui.collector import NEVER, Collector


@pytest.fixture
def collector(qapp) -> Iterator[Collector]:
    started = Collector()
    yield started
    if started.active():
        started.stop()


def test_start_freezes_and_stops_automatic_full_passes(collector: Collector) -> None:
    before = gc.get_threshold()
    collector.start()
    try:
        assert gc.isenabled()  # the young generations are still collected automatically
        assert gc.get_threshold() == (before[0], before[1], NEVER)
        assert gc.get_freeze_count() > 0
        assert collector.active()
    finally:
        collector.stop()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert not collector.active()


def test_the_timer_makes_full_passes(qtbot, collector: Collector) -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self

    collector.start()
    collector.timer.setInterval(10)
    gc.disable()  # only the collector's pass may free the cycle in this test
    try:
        Node()  # a cycle: only a collection frees it
        assert any(type(o) is Node for o in gc.get_objects())
        with qtbot.waitSignal(collector.timer.timeout, timeout=5000):
            pass
    finally:
        gc.enable()
    assert not any(type(o) is Node for o in gc.get_objects())
    assert collector.passes >= 1
    assert collector.longest > 0
