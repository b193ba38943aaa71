"""`gcpause`: a pause of the cyclic collector nests, and `collect_young` frees the cyclic
garbage a paused worker makes as it goes (a pull's closed connections), without waiting for
the pause to end."""

from __future__ import annotations

import gc
import weakref

from app.gcpause import MIDDLE_PASS_EVERY, YOUNG_PASS_OBJECTS, collect_young, paused_gc


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_pauses_nest_and_the_collector_comes_back_after_the_outermost() -> None:
    assert gc.isenabled()
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def _grow_young() -> list[list[int]]:
    """Enough new tracked objects, kept alive, to make the next `collect_young` pass."""
    return [[] for _ in range(YOUNG_PASS_OBJECTS + 100)]


def test_young_cyclic_garbage_is_freed_during_a_pause_once_enough_was_made() -> None:
    with paused_gc():
        gc.collect(1)  # the counts start from nothing
        made = [_cycle() for _ in range(50)]
        for _ in range(20):  # calls alone make no pass: a pass waits for the objects
            collect_young()
        assert all(ref() is not None for ref in made)  # the pause keeps them
        kept = _grow_young()
        collect_young()
        assert all(ref() is None for ref in made)
        assert gc.get_count()[0] < len(kept)  # the pass is over: the count starts again
        assert not gc.isenabled()


def test_garbage_moved_up_a_generation_is_freed_by_every_fifth_pass() -> None:
    with paused_gc():
        gc.collect(1)
        held = _Node()
        held.other = _Node()
        held.other.other = held
        ref = weakref.ref(held)
        kept = [_grow_young()]
        collect_young()  # alive at this pass: it moves up to the middle generation
        del held
        for _ in range(MIDDLE_PASS_EVERY - 2):
            kept.append(_grow_young())
            collect_young()
        assert ref() is not None  # the youngest generation's passes do not see it
        kept.append(_grow_young())
        collect_young()
        assert ref() is None


def test_a_pass_scans_only_what_is_new_however_big_the_pieces() -> None:
    """Pieces of work that each keep many objects (a page of 500 endpoints) still make
    passes over at most a bounded number of objects: what was made since the last pass."""
    scanned: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            scanned.append(sum(len(gc.get_objects(g)) for g in range(info["generation"] + 1)))

    kept: list[list[tuple[str, ...]]] = []
    with paused_gc():
        gc.collect(1)
        gc.callbacks.append(count)
        try:
            for page in range(100):
                kept.append([_Row(f"{page}-{n}") for n in range(2_000)])
                collect_young()
        finally:
            gc.callbacks.remove(count)
    assert len(scanned) >= 30  # passes as the pieces came, not one at the end
    assert max(scanned) <= MIDDLE_PASS_EVERY * (YOUNG_PASS_OBJECTS + 2_100)


class _Row(tuple[str, ...]):  # a NamedTuple's kind: a tuple subclass stays tracked
    pass
