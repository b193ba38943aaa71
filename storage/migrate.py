"""Alembic, configured in code, with the migration scripts shipped as package data."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text

from storage.database import backup
from storage.errors import WorkspaceError
from storage.schema import APPLICATION_ID, SCHEMA_MAJOR

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


def migrate(engine: Engine, path: Path, current: str | None) -> None:
    """Upgrade to the head revision after a backup; refuse a revision we do not know."""
    head = head_revision()
    if current == head:
        return
    if current is not None:
        try:
            known = _scripts().get_revision(current)
        except CommandError:
            known = None
        # get_revision also accepts prefixes and symbolic names: only an exact id is known.
        if known is None or getattr(known, "revision", None) != current:
            raise WorkspaceError(
                f"workspace {path} was written by a newer Preflight (schema revision "
                f"{current}); update Preflight to open it"
            )
        backup(path, current)
    elif path.stat().st_size > 0:
        # An unversioned but non-empty file (e.g. stamped down to base): keep a copy all the same.
        backup(path, "base")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
        conn.execute(text(f"PRAGMA application_id = {APPLICATION_ID}"))
        conn.execute(text(f"PRAGMA user_version = {SCHEMA_MAJOR}"))
    log.info("migrated %s from %s to %s", path, current, head)
