"""Every garbage-collection pass runs on the GUI thread's timers once started (a pass on a
worker thread could free a Qt object there); collection is given back after."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from app.gcpause import paused_gc
from ui.collector import YOUNG_EVERY_MS, YOUNG_IDLE_MS, Collector


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only a collection frees it


def nodes() -> int:
    return sum(type(o) is Node for o in gc.get_objects())


@pytest.fixture
def collector(qapp) -> Iterator[Collector]:
    was = gc.isenabled()
    gc.enable()  # as the app runs before start
    started = Collector()
    yield started
    if started.active():
        started.stop()
    if not was:
        gc.disable()


def test_start_freezes_and_turns_automatic_collection_off(collector: Collector) -> None:
    collector.start()
    try:
        assert not gc.isenabled()  # no pass on whichever thread allocates
        assert gc.get_freeze_count() > 0
        assert collector.active()
    finally:
        collector.stop()
    assert gc.isenabled()  # given back as it was
    assert gc.get_freeze_count() == 0
    assert not collector.active()


def test_a_worker_thread_never_collects(qtbot, collector: Collector) -> None:
    """Cyclic garbage made while a worker allocates far past the young threshold (objects it
    keeps) is still there when the worker ends: only the GUI thread's timer frees it."""
    collector.start()
    collector.young_timer.stop()  # this test says when the GUI thread collects
    kept: list[list[int]] = []

    def worker() -> None:
        Node()
        kept.extend([n] for n in range(gc.get_threshold()[0] * 20))  # would trigger passes

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert nodes() == 1
    collector.young_timer.setInterval(5)
    collector.young_timer.start()
    qtbot.waitUntil(lambda: nodes() == 0, timeout=5000)
    assert collector.young_passes >= 1


def test_young_passes_wait_while_a_worker_has_collection_paused(qtbot,
                                                               collector: Collector) -> None:
    collector.start()
    collector.young_timer.setInterval(5)
    with paused_gc():
        Node()
        kept = [[n] for n in range(gc.get_threshold()[0] * 5)]
        qtbot.wait(50)  # ticks come and go: bulk work under way
        assert nodes() == 1
    qtbot.waitUntil(lambda: nodes() == 0, timeout=5000)
    assert len(kept) > 0
    assert not gc.isenabled()  # the pause ending did not turn automatic collection back on


def test_the_timer_makes_full_passes(qtbot, collector: Collector) -> None:
    collector.start()
    collector.young_timer.stop()
    collector.timer.setInterval(10)
    Node()
    assert nodes() == 1
    with qtbot.waitSignal(collector.timer.timeout, timeout=5000):
        pass
    assert nodes() == 0
    assert collector.passes >= 1
    assert collector.longest > 0


def test_an_idle_app_checks_ever_less_often_and_skips_its_full_pass(
        collector: Collector) -> None:
    """Nothing made between two checks: the next comes twice as late, up to YOUNG_IDLE_MS
    (a window left open does not wake the machine ten times a second); the first check that
    sees objects made comes back to YOUNG_EVERY_MS, and a full pass with nothing new to see
    is skipped."""
    collector.start()
    collector.young_timer.stop()  # the test makes the checks
    collector.timer.stop()
    assert collector.young_timer.interval() == YOUNG_EVERY_MS
    collector.tick()  # the first full pass
    passes = collector.passes
    intervals = []
    for _ in range(8):
        collector.young_tick()
        intervals.append(collector.young_timer.interval())
    assert intervals[0] == 2 * YOUNG_EVERY_MS
    assert intervals == sorted(intervals)
    assert intervals[-1] == YOUNG_IDLE_MS
    collector.tick()
    assert collector.passes == passes  # nothing new since the last full pass
    kept = [[n] for n in range(200)]  # the window is used again
    collector.young_tick()
    assert collector.young_timer.interval() == YOUNG_EVERY_MS
    kept += [[n] for n in range(gc.get_threshold()[0] * 2)]
    collector.young_tick()  # past the threshold: a young pass, so the full one runs again
    collector.tick()
    assert collector.passes == passes + 1
    assert len(kept) > 0
