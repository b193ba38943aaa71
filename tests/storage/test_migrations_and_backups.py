"""Alembic migrations configured in code (docs/architecture.md §3): an empty file gets the head
schema, the models match the head, every revision goes down to base and up again, and a workspace
that needs migrating is first backed up with SQLite's backup API."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text

from app.services.workspace import Workspace
from storage import migrate as migrate_mod
from storage.database import BACKUPS_KEPT, Database, backup
from storage.schema import APPLICATION_ID, HEAD_REVISION, SCHEMA_MAJOR
from storage.tables import Base

APP_TABLES = set(Base.metadata.tables)


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def _revision(path: Path) -> str | None:
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def _backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.backup-*"))


def _diffs(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))


def _revisions() -> list[str]:
    """Every revision, base first."""
    scripts = ScriptDirectory.from_config(migrate_mod.alembic_config())
    return [s.revision for s in reversed(list(scripts.walk_revisions()))]


@pytest.fixture
def plain_engine(tmp_path: Path) -> Iterator[Engine]:
    """A bare SQLite engine, no Database wrapper: Alembic alone builds the schema."""
    engine = create_engine(f"sqlite+pysqlite:///{tmp_path / 'plain.db'}")
    yield engine
    engine.dispose()


# --- from an empty file -----------------------------------------------------------------------


def test_zero_byte_file_opens_with_the_head_schema(workspace_path: Path) -> None:
    workspace_path.write_bytes(b"")
    db = Database.open(workspace_path)
    try:
        assert _diffs(db.engine) == []
    finally:
        db.close()
    assert _revision(workspace_path) == HEAD_REVISION
    assert _tables(workspace_path) == APP_TABLES | {"alembic_version"}
    with closing(sqlite3.connect(workspace_path)) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_MAJOR
    assert _backups(workspace_path) == [], "an empty file has nothing to back up"


def test_zero_byte_file_becomes_a_usable_workspace(workspace_path: Path) -> None:
    workspace_path.write_bytes(b"")
    ws = Workspace.open(workspace_path, create=True)
    try:
        acme = ws.companies.create("Acme")
        assert [c.id for c in ws.companies.all()] == [acme.id]
        assert ws.db.info("partner_id")
    finally:
        ws.close()


def test_models_match_the_alembic_head(plain_engine: Engine) -> None:
    with plain_engine.begin() as conn:
        command.upgrade(migrate_mod.alembic_config(conn), "head")
    assert _diffs(plain_engine) == []


def test_models_match_a_workspace_made_by_the_app(workspace: Workspace) -> None:
    assert _diffs(workspace.db.engine) == []


def test_head_constant_is_alembics_head() -> None:
    assert migrate_mod.head_revision() == HEAD_REVISION
    assert _revisions()[-1] == HEAD_REVISION


def test_revisions_form_one_line() -> None:
    scripts = ScriptDirectory.from_config(migrate_mod.alembic_config())
    assert len(scripts.get_heads()) == 1
    assert len(scripts.get_bases()) == 1


def test_every_revision_down_to_base_and_up_again(plain_engine: Engine) -> None:
    revisions = _revisions()
    with plain_engine.begin() as conn:
        command.upgrade(migrate_mod.alembic_config(conn), "head")

    def current() -> str | None:
        with plain_engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def tables() -> set[str]:
        with plain_engine.connect() as conn:
            return {r[0] for r in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))}

    # Down, one revision at a time.
    for expected in [*reversed(revisions[:-1]), None]:
        with plain_engine.begin() as conn:
            command.downgrade(migrate_mod.alembic_config(conn), "-1")
        assert current() == expected
    assert tables() - {"alembic_version"} == set(), "base leaves none of our tables"
    # Up, one revision at a time.
    for expected in revisions:
        with plain_engine.begin() as conn:
            command.upgrade(migrate_mod.alembic_config(conn), "+1")
        assert current() == expected
    assert _diffs(plain_engine) == []
    assert tables() >= APP_TABLES


def test_down_and_up_on_a_workspace_keeps_it_usable(workspace: Workspace) -> None:
    engine = workspace.db.engine
    workspace.companies.create("Before")
    with engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "base")
    assert _tables(workspace.path) == {"alembic_version"}
    with engine.begin() as conn:
        command.upgrade(migrate_mod.alembic_config(conn), "head")
    assert _revision(workspace.path) == HEAD_REVISION
    workspace.ensure_partner()
    after = workspace.companies.create("After")
    assert [c.id for c in workspace.companies.all()] == [after.id]


def test_opening_a_head_workspace_runs_no_migration(workspace_path: Path) -> None:
    Workspace.open(workspace_path, create=True).close()
    mtime = workspace_path.stat().st_mtime_ns
    for _ in range(3):
        Database.open(workspace_path).close()
    assert _backups(workspace_path) == []
    assert workspace_path.stat().st_mtime_ns == mtime


# --- older workspaces: backup first -------------------------------------------------------------


def _make_older(path: Path) -> None:
    """A workspace at base (our oldest state), holding a table of the user's own notes."""
    db = Database.open(path, create=True)
    with db.engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "base")
    db.close()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE legacy_notes (note TEXT)")
        conn.execute("INSERT INTO legacy_notes VALUES ('kept by the backup')")
    assert _revision(path) is None


def test_migrating_an_older_workspace_backs_it_up_first(workspace_path: Path) -> None:
    _make_older(workspace_path)
    Database.open(workspace_path).close()
    assert _revision(workspace_path) == HEAD_REVISION
    (copy,) = _backups(workspace_path)
    assert copy.name.startswith(f"{workspace_path.name}.backup-")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert copy.read_bytes().startswith(b"SQLite format 3\x00")
    with closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT note FROM legacy_notes").fetchall() == [
            ("kept by the backup",)]
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    # Taken before the migration: the backup has none of the head's tables.
    assert _tables(copy) == {"alembic_version", "legacy_notes"}
    assert _tables(workspace_path) >= APP_TABLES


def test_the_backup_opens_as_a_workspace_again(workspace_path: Path) -> None:
    _make_older(workspace_path)
    Database.open(workspace_path).close()
    (copy,) = _backups(workspace_path)
    restored = copy.with_name("restored.preflight")
    restored.write_bytes(copy.read_bytes())
    ws = Workspace.open(restored, create=True)
    try:
        assert _revision(restored) == HEAD_REVISION
        assert ws.companies.create("Restored").name == "Restored"
    finally:
        ws.close()


def test_backup_of_a_live_workspace_is_a_consistent_copy(sample_workspace: Workspace) -> None:
    # Writes sit in the -wal file; a file copy of the main file would miss them.
    extra = sample_workspace.companies.create("Only in the WAL")
    assert Path(f"{sample_workspace.path}-wal").stat().st_size > 0
    copy = backup(sample_workspace.path, HEAD_REVISION)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = {r[0] for r in conn.execute("SELECT name FROM companies")}
        outbox = conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
    assert extra.name in names
    assert names == {c.name for c in sample_workspace.companies.all()}
    assert outbox == sample_workspace.pending_changes()


def test_only_the_newest_backups_are_kept(workspace: Workspace) -> None:
    made = [backup(workspace.path, HEAD_REVISION) for _ in range(BACKUPS_KEPT + 2)]
    assert len({p.name for p in made}) == len(made), "each backup has its own name"
    left = _backups(workspace.path)
    assert len(left) == BACKUPS_KEPT
    assert made[-1] in left, "the backup just made is never the one removed"
    assert set(left) == set(made[-BACKUPS_KEPT:])
