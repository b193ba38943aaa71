"""Alembic, configured in code, with the migration scripts shipped as package data."""

from __future__ import annotations

import functools
import logging
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text

from storage.database import APPLICATION_ID, SCHEMA_MAJOR, backup
from storage.errors import WorkspaceError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    """Parsed once per process: opening a workspace should not re-read every migration."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None
    return head


def _inspect(path: Path) -> str | None:
    """Refuse foreign or newer databases; return the current Alembic revision (None = empty).

    Read through a read-only connection, so a refused file is left exactly as it was (an
    engine connection would already switch it to WAL).
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
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
    if revision is not None:
        try:
            known = _scripts().get_revision(revision)
        except CommandError:
            known = None
        if known is None:
            raise WorkspaceError(
                f"workspace {path} was written by a newer Preflight (schema revision "
                f"{revision}); update Preflight to open it"
            )
    return revision


def migrate(engine: Engine, path: Path) -> None:
    current = _inspect(path)
    head = head_revision()
    if current == head:
        return
    if current is not None:
        backup(path, current)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
        conn.execute(text(f"PRAGMA application_id = {APPLICATION_ID}"))
        conn.execute(text(f"PRAGMA user_version = {SCHEMA_MAJOR}"))
    log.info("migrated %s from %s to %s", path, current, head)
