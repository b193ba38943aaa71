"""Where a workspace file is: the default one and what a `--workspace` value names.

Kept apart from `storage.database` (and so from SQLAlchemy) so that the desktop app's start-up
can resolve the path before it pays for importing the database layer.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from storage.errors import WorkspaceError

WORKSPACE_SUFFIX = ".preflight"
DEFAULT_FILE_NAME = "workspace" + WORKSPACE_SUFFIX


def default_workspace_path() -> Path:
    return platformdirs.user_data_path("Preflight", appauthor=False) / DEFAULT_FILE_NAME


def resolve_workspace_path(path: str | os.PathLike[str] | None) -> Path:
    """The workspace file for a `--workspace` value: a file, or a folder holding the default."""
    if path is None:
        return default_workspace_path()
    if not str(path).strip():
        # An unset shell variable must not silently mean the user's real workspace.
        raise WorkspaceError("--workspace is empty; give a workspace file, or leave it out "
                             "to use the default one")
    candidate = Path(path).expanduser()
    if candidate.is_dir():
        return candidate / DEFAULT_FILE_NAME
    return candidate
