"""Sync with the backend (issue 7): the transport interface, its HTTP implementation, the
engine (push, pull, conflicts, count check). No Qt; the GUI drives it through qasync."""

from typing import TYPE_CHECKING

from app.sync.engine import Conflict, PlanItem, SyncEngine, SyncReport
from app.sync.retry import RetryPolicy
from app.sync.transport import AuthError, CursorExpired, SyncError, Transport

if TYPE_CHECKING:
    from app.sync.http import HttpTransport


def __getattr__(name: str) -> object:
    # The HTTP client (httpx) is loaded by the first sync, not by the desktop's start.
    if name == "HttpTransport":
        from app.sync.http import HttpTransport

        return HttpTransport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["AuthError", "Conflict", "CursorExpired", "HttpTransport", "PlanItem", "RetryPolicy",
           "SyncEngine", "SyncError", "SyncReport", "Transport"]
