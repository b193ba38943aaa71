"""Sync with the backend (issue 7): the transport interface, its HTTP implementation, the
engine (push, pull, conflicts, count check). No Qt; the GUI drives it through qasync."""

from app.sync.engine import Conflict, PlanItem, SyncEngine, SyncReport
from app.sync.http import HttpTransport
from app.sync.retry import RetryPolicy
from app.sync.transport import AuthError, CursorExpired, SyncError, Transport

__all__ = ["AuthError", "Conflict", "CursorExpired", "HttpTransport", "PlanItem", "RetryPolicy",
           "SyncEngine", "SyncError", "SyncReport", "Transport"]
