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


def collect_young(calls: int) -> None:
    """Call once per piece of a paused worker's work (a pull's page), counting the calls:
    every tenth makes a pass over the youngest generation, every hundredth over the middle one
    too (the collector's own ratio). Each pass scans only what is new and still alive since the
    last, well under a millisecond; rarer passes would scan less (more of it dies first) but
    free later.

    For cyclic garbage a paused worker makes as it goes: a pull's every request leaves its
    closed connection in a cycle (~80 objects, httpx and anyio). Kept for the end of the pause,
    500 requests' worth (41k objects) went in one pass of 100+ ms holding the GIL, which froze
    the window. A connection still open at a pass moves up a generation and is garbage there
    later: hence the middle generation's passes. The oldest is left alone (a full pass would
    scan everything the worker keeps)."""
    if calls % 10 == 9:
        gc.collect(1 if calls % 100 == 99 else 0)
