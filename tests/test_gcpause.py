"""`gcpause`: a pause of the cyclic collector nests, and `collect_young` frees the cyclic
garbage a paused worker makes as it goes (a pull's closed connections), without waiting for
the pause to end."""

from __future__ import annotations

import gc
import weakref

from app.gcpause import collect_young, paused_gc


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


def test_young_cyclic_garbage_is_freed_during_a_pause_every_tenth_call() -> None:
    with paused_gc():
        made = [_cycle() for _ in range(50)]
        for calls in range(9):
            collect_young(calls)
        assert all(ref() is not None for ref in made)  # the pause keeps them
        collect_young(9)
        assert all(ref() is None for ref in made)
        assert not gc.isenabled()


def test_garbage_moved_up_a_generation_is_freed_by_every_hundredth_call() -> None:
    with paused_gc():
        held = _Node()
        held.other = _Node()
        held.other.other = held
        ref = weakref.ref(held)
        collect_young(9)  # alive at this pass: it moves up to the middle generation
        del held
        for calls in range(10, 99):
            collect_young(calls)
        assert ref() is not None  # the youngest generation's passes do not see it
        collect_young(99)
        assert ref() is None
