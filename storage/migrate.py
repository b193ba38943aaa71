"""Alembic, configured in code, with the migration scripts shipped as package data."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
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


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _inspect(conn: Connection, path: Path) -> str | None:
    """Refuse foreign or newer databases; return the current Alembic revision (None = empty)."""
    app_id = conn.exec_driver_sql("PRAGMA application_id").scalar_one()
    major = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
    tables = {
        row[0]
        for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables - {"alembic_version"}):
        raise WorkspaceError(
            f"{path} is an SQLite database of another program, not a Preflight workspace"
        )
    if major > SCHEMA_MAJOR:
        raise WorkspaceError(
            f"workspace {path} was written by a newer Preflight (schema {major}); this version "
            f"reads schema {SCHEMA_MAJOR} — update Preflight to open it"
        )
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision is not None:
        script = ScriptDirectory.from_config(alembic_config())
        try:
            known = script.get_revision(revision)
        except CommandError:
            known = None
        if known is None:
            raise WorkspaceError(
                f"workspace {path} was written by a newer Preflight (schema revision "
                f"{revision}); update Preflight to open it"
            )
    return revision


def migrate(engine: Engine, path: Path) -> None:
    with engine.connect() as conn:
        current = _inspect(conn, path)
        conn.rollback()
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
