"""What a workspace file is, read without Alembic (importing it costs ~0.1 s at start-up).

`HEAD_REVISION` must name the newest migration in storage/migrations/versions; a test checks it
against Alembic's own head. Files already at the head open without loading Alembic at all.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.errors import WorkspaceError

HEAD_REVISION = "0014"
APPLICATION_ID = 0x50464C54  # "PFLT" in the SQLite header: marks a Preflight workspace.
SCHEMA_MAJOR = 1


def inspect_file(path: Path) -> str | None:
    """Refuse foreign or newer databases; return the current Alembic revision (None = empty).

    Read through a read-only connection, so a refused file is left exactly as it was (an
    engine connection would already switch it to WAL).
    """
    # With no -wal file there is nothing outside the main file to read: open it immutable, so
    # a WAL-mode file that is then refused does not get empty -wal/-shm files beside it.
    has_wal = Path(f"{path}-wal").exists()
    uri = f"{path.resolve().as_uri()}?{'mode=ro' if has_wal else 'immutable=1'}"
    conn = sqlite3.connect(uri, uri=True)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        major = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    finally:
        conn.close()
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables - {"alembic_version"}):
        raise WorkspaceError(
            f"{path} is an SQLite database of another program, not a Preflight workspace"
        )
    if major > SCHEMA_MAJOR:
        raise WorkspaceError(
            f"workspace {path} was written by a newer Preflight (schema {major}); this version "
            f"reads schema {SCHEMA_MAJOR} — update Preflight to open it"
        )
    return str(revision) if revision is not None else None
