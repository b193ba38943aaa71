"""Bulk work on a worker thread that leaves the GUI thread its turns at the GIL.

Python switches threads only between bytecodes: one long C call keeps every other thread out
for as long as it runs. `list.sort` compares in C, so sorting 100k profiles by name held the
GIL for ~130 ms in one piece, and the window froze that long while a site loaded in the
background (docs/architecture.md §5: the GUI thread never blocks on bulk work). `sorted_in_runs`
sorts short runs and merges them in Python, which gives the GIL up every few milliseconds.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
RUN = 4096  # one run sorts in ~3 ms: the longest the GIL is held in one piece here


def sorted_in_runs(items: Sequence[T], key: Callable[[T], Any], *, reverse: bool = False,
                   run: int = RUN) -> list[T]:
    """`sorted(items, key=key, reverse=reverse)`, stable like it, in GIL-friendly pieces."""
    if len(items) <= run:
        return sorted(items, key=key, reverse=reverse)
    runs = [sorted(items[start:start + run], key=key, reverse=reverse)
            for start in range(0, len(items), run)]
    # heapq.merge is a Python generator: the interpreter may switch threads between items.
    # Equal keys come out in run order, so the result is as stable as sorted()'s.
    return list(heapq.merge(*runs, key=key, reverse=reverse))
