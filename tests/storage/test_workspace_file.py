"""The workspace file (docs/architecture.md §3): created 0600, WAL + foreign keys + synchronous
FULL, and every file that is not a usable workspace refused with a clear WorkspaceError,
untouched."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.errors import RuleViolation
from app.services.sample import populate_sample
from app.services.workspace import Workspace
from storage.database import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    DEFAULT_FILE_NAME,
    SCHEMA_MAJOR,
    Database,
    WorkspaceError,
    resolve_workspace_path,
)

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def _pragma(path: Path, name: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(f"PRAGMA {name}").fetchone()[0])


def _siblings(path: Path) -> set[str]:
    """Other files next to the workspace, SQLite's own -wal/-shm included: a refused file must
    not get any (the read-only look opens a file without a -wal as immutable)."""
    return {p.name for p in path.parent.iterdir() if p != path}


@pytest.fixture
def opened(workspace_path: Path) -> Iterator[Database]:
    db = Database.open(workspace_path, create=True)
    yield db
    db.close()


# --- creation ------------------------------------------------------------------------------


def test_file_created_with_mode_0600(opened: Database) -> None:
    assert stat.S_IMODE(opened.path.stat().st_mode) == 0o600


def test_wal_and_shm_files_are_0600_too(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    with workspace.db.read() as s:  # keep a connection open so the -wal file is there
        s.execute(text("SELECT 1"))
        for suffix in ("-wal", "-shm"):
            extra = Path(f"{workspace.path}{suffix}")
            assert extra.exists()
            assert stat.S_IMODE(extra.stat().st_mode) == 0o600


def test_missing_folders_are_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "client.preflight"
    Database.open(target, create=True).close()
    assert target.is_file()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_header_marks_a_preflight_workspace(opened: Database) -> None:
    assert _pragma(opened.path, "application_id") == APPLICATION_ID
    assert _pragma(opened.path, "user_version") == SCHEMA_MAJOR
    header = opened.path.read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert header[18:20] == b"\x02\x02", "WAL is recorded in the file header"


def test_missing_workspace_not_created_without_create(workspace_path: Path) -> None:
    with pytest.raises(WorkspaceError) as info:
        Database.open(workspace_path)
    assert "no workspace at" in str(info.value)
    assert "preflight init" in str(info.value)
    assert not workspace_path.exists()


def test_a_folder_means_the_default_file_in_it(tmp_path: Path) -> None:
    db = Database.open(tmp_path, create=True)
    try:
        assert db.path == tmp_path / DEFAULT_FILE_NAME
    finally:
        db.close()
    assert (tmp_path / DEFAULT_FILE_NAME).is_file()
    assert resolve_workspace_path(tmp_path) == tmp_path / DEFAULT_FILE_NAME


def test_a_folder_in_place_of_the_file_refused(tmp_path: Path) -> None:
    (tmp_path / DEFAULT_FILE_NAME).mkdir()
    with pytest.raises(WorkspaceError, match="is not a file"):
        Database.open(tmp_path, create=True)


@pytest.mark.parametrize("raw", ["", "   "])
def test_empty_workspace_path_refused(raw: str) -> None:
    with pytest.raises(WorkspaceError, match="--workspace is empty"):
        Database.open(raw, create=True)


def test_reopening_with_create_keeps_the_data(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    acme = ws.companies.create("Acme")
    partner = ws.db.info("partner_id")
    ws.close()
    again = Workspace.open(workspace_path, create=True)
    try:
        assert [c.id for c in again.companies.all()] == [acme.id]
        assert again.db.info("partner_id") == partner
        assert again.ensure_partner().id == partner
    finally:
        again.close()


# --- pragmas in effect --------------------------------------------------------------------


def _session_pragmas(db: Database, write: bool) -> dict[str, object]:
    context = db.write() if write else db.read()
    with context as s:
        return {name: s.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")}


@pytest.mark.parametrize("write", [False, True])
def test_pragmas_on_session_connections(opened: Database, write: bool) -> None:
    assert _session_pragmas(opened, write) == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 2,  # FULL
        "busy_timeout": BUSY_TIMEOUT_MS,
    }


def test_pragmas_on_every_pooled_connection(opened: Database) -> None:
    with opened.engine.connect() as a, opened.engine.connect() as b:
        for conn in (a, b):
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2


def test_foreign_keys_are_enforced(workspace: Workspace) -> None:
    def orphan_site() -> None:
        with workspace.db.write() as s:
            s.execute(text(
                "INSERT INTO sites (id, version, updated_at, company_id, name) "
                "VALUES ('s1', 0, 'now', 'no-such-company', 'Orphan')"))

    with pytest.raises(RuleViolation, match="refused by the workspace: FOREIGN KEY"):
        orphan_site()
    with closing(sqlite3.connect(workspace.path)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sites").fetchone()[0] == 0


def test_write_sessions_take_the_write_lock_at_begin(workspace: Workspace) -> None:
    """BEGIN IMMEDIATE: a second writer is told at once that the file is busy."""
    with workspace.db.write() as s:
        s.execute(text("SELECT 1"))
        other = sqlite3.connect(workspace.path, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


# --- refusals -------------------------------------------------------------------------------


def _refused(path: Path, *words: str) -> WorkspaceError:
    """Opening is refused with a WorkspaceError naming the file, and nothing is touched."""
    before = path.read_bytes()
    others = _siblings(path)
    with pytest.raises(WorkspaceError) as info:
        Database.open(path)
    message = str(info.value)
    assert str(path) in message
    for word in words:
        assert word in message
    assert "Traceback" not in message
    assert "\n" not in message, "one clear line"
    assert not isinstance(info.value, RuleViolation), "an environment error, not a rule"
    assert path.read_bytes() == before, "a refused file is left exactly as it was"
    assert _siblings(path) == others, "no backup or other file appears"
    with pytest.raises(WorkspaceError):
        Workspace.open(path)
    return info.value


def test_png_refused(workspace_path: Path) -> None:
    workspace_path.write_bytes(PNG)
    _refused(workspace_path, "not a Preflight workspace", "not an SQLite database")


@pytest.mark.parametrize("content", [b"hello, world\n", b"x", b"SQLite", b"\x00" * 4096])
def test_other_files_refused(workspace_path: Path, content: bytes) -> None:
    workspace_path.write_bytes(content)
    _refused(workspace_path, "not a Preflight workspace")


def _sample_file(path: Path) -> bytes:
    ws = Workspace.open(path, create=True)
    populate_sample(ws)
    ws.close()
    assert not Path(f"{path}-wal").exists(), "closing checkpoints the WAL into the file"
    return path.read_bytes()


def test_truncated_workspace_refused(workspace_path: Path) -> None:
    data = _sample_file(workspace_path)
    assert len(data) > 4 * 4096
    workspace_path.write_bytes(data[: len(data) // 2])
    error = _refused(workspace_path, "damaged", "truncated")
    assert f"{workspace_path.name}.backup-" in str(error), "it says where the backups are"


@pytest.mark.parametrize("keep", [50, 100, 4096, 4097])
def test_workspace_truncated_anywhere_refused(workspace_path: Path, keep: int) -> None:
    data = _sample_file(workspace_path)
    workspace_path.write_bytes(data[:keep])
    _refused(workspace_path, "damaged", "truncated")


def test_another_programs_database_refused(workspace_path: Path) -> None:
    with closing(sqlite3.connect(workspace_path)) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
        conn.execute("INSERT INTO recipes (title) VALUES ('bread')")
        conn.commit()
    _refused(workspace_path, "another program", "not a Preflight workspace")


def test_another_programs_application_id_refused(workspace_path: Path) -> None:
    with closing(sqlite3.connect(workspace_path)) as conn:
        conn.execute("PRAGMA application_id = 1234")
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    _refused(workspace_path, "another program")


def test_newer_schema_major_refused(workspace_path: Path) -> None:
    Workspace.open(workspace_path, create=True).close()
    with closing(sqlite3.connect(workspace_path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_MAJOR + 1}")
    error = _refused(workspace_path, "newer", f"schema {SCHEMA_MAJOR + 1}",
                     f"reads schema {SCHEMA_MAJOR}", "update Preflight")
    assert isinstance(error, WorkspaceError)


def test_newer_schema_major_refused_even_when_far_ahead(workspace_path: Path) -> None:
    Workspace.open(workspace_path, create=True).close()
    with closing(sqlite3.connect(workspace_path)) as conn:
        conn.execute("PRAGMA user_version = 99")
    _refused(workspace_path, "newer", "schema 99")


@pytest.mark.parametrize("revision", ["0999", "9999", "ffffffffffff", "a1b2c3d4e5f6"])
def test_unknown_alembic_revision_refused(workspace_path: Path, revision: str) -> None:
    Workspace.open(workspace_path, create=True).close()
    with closing(sqlite3.connect(workspace_path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    _refused(workspace_path, "newer", revision, "update Preflight")


def test_revision_that_only_starts_like_a_known_one_refused(workspace_path: Path) -> None:
    """'000' is no revision of ours: it must not be taken for 0001 by Alembic's prefix match.

    Opened as if known, the file is "migrated" without its stamp changing, so every later open
    makes another backup and runs the migrations again, never reaching the head.
    """
    Workspace.open(workspace_path, create=True).close()
    with closing(sqlite3.connect(workspace_path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '000'")
    _refused(workspace_path, "newer", "000")


def _read_only_target(tmp_path: Path, name: str) -> Path:
    if os.geteuid() == 0:
        # root writes through chmod 0o555; /proc refuses new files for everyone.
        return Path("/proc") / name
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder / name


@pytest.mark.parametrize("name", ["x.preflight", "preflight-test/x.preflight"])
def test_path_in_a_read_only_folder_refused(tmp_path: Path, name: str) -> None:
    target = _read_only_target(tmp_path, name)
    with pytest.raises(WorkspaceError) as info:
        Database.open(target, create=True)
    message = str(info.value)
    assert "cannot create workspace" in message
    assert str(target) in message
    assert "read-only" in message
    assert "--workspace" in message
    assert not target.exists()
    with pytest.raises(WorkspaceError, match="cannot create workspace"):
        Workspace.open(target, create=True)


# --- two handles on one file ------------------------------------------------------------------


def test_two_handles_see_each_others_commits(workspace_path: Path) -> None:
    first = Workspace.open(workspace_path, create=True)
    second = Workspace.open(workspace_path)
    try:
        assert first.is_empty()
        assert second.pending_changes() == 0
        acme = first.companies.create("Acme")
        assert [c.id for c in second.companies.all()] == [acme.id]
        assert second.pending_changes() == first.pending_changes() == 1
        assert not second.is_empty()
        with pytest.raises(RuleViolation, match="already exists"):
            second.companies.create("acme")
    finally:
        second.close()
        first.close()
