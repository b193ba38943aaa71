"""Pause Python's cyclic garbage collector during bulk reading and validation.

Reading and validating 100k rows allocates millions of container objects (row lists, keys,
findings) and none of them form reference cycles; the cyclic collector would still run full
collections over all of them, repeatedly: measured here, about 0.2 s of a 0.45 s CSV read and
0.2 s of a 0.8 s validation. Reference counting frees everything as usual; only the cycle
search waits until the outermost pause ends. Pauses nest and may overlap across threads.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    global _depth, _was_enabled  # noqa: PLW0603 - one process-wide collector to pause
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def is_paused() -> bool:
    """Whether some worker has the collector paused (`paused_gc`) right now."""
    return _depth > 0


def keep_out_of_collections() -> None:
    """Leave every object alive now out of all later cyclic-collection passes (`gc.freeze`).

    For a worker that has just built a big, long-lived, cycle-free structure under
    `paused_gc` (a site's 100k profile records): otherwise the first young-generation pass after
    the pause scans all of it in one C call (~100–160 ms holding the GIL, a frozen window), and
    every later full pass (ui.collector's, once a minute on the GUI thread) scans it again.
    Reference counting still frees these objects when they are dropped; only cyclic garbage
    among them would wait for a `gc.unfreeze()`, and they make none.
    """
    gc.freeze()


YOUNG_PASS_OBJECTS = 5_000  # net new tracked objects that make a pass over the youngest
MIDDLE_PASS_EVERY = 5  # young passes that make one over the middle generation too


def collect_young() -> None:
    """Call once per piece of a paused worker's work (a pull's page). Once the objects the
    collector tracks have grown by YOUNG_PASS_OBJECTS since its last pass, a pass over the
    youngest generation; every MIDDLE_PASS_EVERY-th of them over the middle one too (the
    oldest is left alone: a full pass would scan everything the worker keeps).

    For cyclic garbage a paused worker makes as it goes: a pull's every request leaves its
    closed connection in a cycle (~80 objects, httpx and anyio). Kept for the end of the pause,
    500 requests' worth (41k objects) went in one pass of 100+ ms holding the GIL, which froze
    the window. A connection still open at a pass moves up a generation and is garbage there
    later: hence the middle generation's passes.

    Paced by what the work made, not by the calls: a pass scans what is new and still alive
    since the last one (a pull keeps its parsed endpoints), so its length, a GIL hold, stays
    bounded however much a page holds. Paced by pages, 100 pages of 500 endpoints made one
    middle pass over 100k objects: 50 ms of a frozen window. Here a young pass scans about
    5,000 objects (1-3 ms) and a middle one about 25,000 (10-15 ms)."""
    young, young_passes, _ = gc.get_count()
    if young >= YOUNG_PASS_OBJECTS:
        gc.collect(1 if young_passes + 1 >= MIDDLE_PASS_EVERY else 0)
