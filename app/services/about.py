"""What Help → About and bug reports show: the versions Preflight runs with.

The front end gets them here, as a plain dataclass, rather than asking the database layer
itself (the UI never imports storage, docs/architecture.md §1).
"""

from __future__ import annotations

import platform
import sqlite3
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app import __version__
from storage.schema import HEAD_REVISION, inspect_file

if TYPE_CHECKING:
    from app.services.workspace import Workspace


@dataclass(frozen=True)
class Versions:
    app: str
    python: str
    sqlite: str
    platform: str
    schema_head: str  # the newest workspace schema revision this build writes
    workspace_schema: str | None  # the open workspace's revision; None: none open or unreadable

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs, in the order About and bug reports show them."""
        schema = self.workspace_schema or "—"
        if self.workspace_schema and self.workspace_schema != self.schema_head:
            schema += f" (this build: {self.schema_head})"
        return [
            ("Preflight", self.app),
            ("Python", self.python),
            ("SQLite", self.sqlite),
            ("Workspace schema", schema),
            ("System", self.platform),
        ]


def workspace_schema(workspace: Workspace) -> str | None:
    """The schema revision recorded in the open workspace's file (read-only)."""
    try:
        return inspect_file(workspace.path)
    except Exception:  # unreadable or refused: About must open all the same
        return None


def versions(workspace: Workspace | None = None) -> Versions:
    return Versions(
        app=__version__,
        python=platform.python_version() + (" (frozen)" if getattr(sys, "frozen", False)
                                            else ""),
        sqlite=sqlite3.sqlite_version,
        platform=platform.platform(terse=True),
        schema_head=HEAD_REVISION,
        workspace_schema=workspace_schema(workspace) if workspace is not None else None,
    )


__all__ = ["Versions", "versions", "workspace_schema"]
