"""Checks of the Qt binding this process runs on (pure helpers; no widgets).

PySide6/shiboken6 6.12.0 releases a reference to None (and to True/False) that it never took,
on every call of a method that returns nothing (`widget.setEnabled`, `processEvents`, ...) or
emits a signal. From Python 3.12 on, None, True and False are immortal and nothing happens; on
Python 3.11 their count drains with each call and the process aborts ("Fatal Python error:
none_dealloc: deallocating None") after a long enough session. 6.11.2 does not do this.
"""

from __future__ import annotations

import sys

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QElapsedTimer

PROBE_CALLS = 64


def none_refcount_leak() -> int:
    """How many references to None `PROBE_CALLS` void calls lose (0 on a sound binding)."""
    timer = QElapsedTimer()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        timer.start()
    return before - sys.getrefcount(None)


def binding_problem() -> str | None:
    """A one-line warning when this Qt binding will crash a long session, else None."""
    if sys.version_info >= (3, 12):
        return None
    lost = none_refcount_leak()
    if lost < PROBE_CALLS // 2:
        return None
    return (f"PySide6 {PYSIDE_VERSION} on Python {sys.version_info.major}."
            f"{sys.version_info.minor} drops a reference to None on every Qt call and will "
            "crash a long session; use Python 3.12 or later, or PySide6 6.11")
