"""Environment errors of the workspace file (CLI exit 2): shown to the user, never a bug."""

from __future__ import annotations

from app.domain.errors import PreflightError


class WorkspaceError(PreflightError):
    """The workspace file cannot be used: missing, not SQLite, damaged, newer, unwritable."""
