"""Storage: the workspace file, its schema and migrations, refusals (seed 000 §3)."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from app.services.sample import populate_sample
from app.services.workspace import Workspace
from storage import migrate as migrate_mod
from storage.database import Database, backup
from storage.errors import WorkspaceError
from storage.repository import Repository
from storage.schema import HEAD_REVISION, SCHEMA_MAJOR
from storage.tables import Base


def _revision(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def test_round_trip_across_reopen(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    company = ws.companies.create("Acme")
    site = ws.sites.create("Acme", "HQ")
    ws.close()
    again = Workspace.open(workspace_path)
    try:
        with again.db.read() as s:
            repo = Repository(s)
            assert [(c.id, c.name) for c in repo.companies()] == [(company.id, "Acme")]
            assert [(x.id, x.name, x.company_id) for x in repo.sites()] == [
                (site.id, "HQ", company.id)
            ]
    finally:
        again.close()


def test_company_list_after_reopen(workspace_path: Path) -> None:
    """CompanyService.all() counts sites via Repository.site_counts (Result.tuples())."""
    ws = Workspace.open(workspace_path, create=True)
    ws.companies.create("Acme")
    ws.close()
    again = Workspace.open(workspace_path)
    try:
        assert [c.name for c in again.companies.all()] == ["Acme"]
    finally:
        again.close()


def test_zero_byte_file_opens_at_head(workspace_path: Path) -> None:
    workspace_path.write_bytes(b"")
    db = Database.open(workspace_path)
    db.close()
    assert _revision(workspace_path) == HEAD_REVISION


def test_models_match_alembic_head(workspace: Workspace) -> None:
    with workspace.db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def test_downgrade_and_upgrade_again(workspace: Workspace) -> None:
    engine = workspace.db.engine
    with engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "base")
    with engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
    assert "companies" not in tables
    with engine.begin() as conn:
        command.upgrade(migrate_mod.alembic_config(conn), "head")
    assert _revision(workspace.path) == HEAD_REVISION
    workspace.ensure_partner()
    created = workspace.companies.create("Back")
    with workspace.db.read() as s:
        assert [c.id for c in Repository(s).companies()] == [created.id]


def test_head_revision_constant() -> None:
    assert migrate_mod.head_revision() == HEAD_REVISION


def _refused_unchanged(path: Path, *words: str) -> WorkspaceError:
    before = path.read_bytes()
    with pytest.raises(WorkspaceError) as info:
        Database.open(path)
    for word in words:
        assert word in str(info.value)
    assert path.read_bytes() == before
    return info.value


def test_newer_user_version_refused(workspace_path: Path) -> None:
    Database.open(workspace_path, create=True).close()
    conn = sqlite3.connect(workspace_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_MAJOR + 1}")
    conn.close()
    _refused_unchanged(workspace_path, "newer")


def test_unknown_revision_refused(workspace_path: Path) -> None:
    Database.open(workspace_path, create=True).close()
    conn = sqlite3.connect(workspace_path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    _refused_unchanged(workspace_path, "newer", "9999")


def test_png_refused(workspace_path: Path) -> None:
    workspace_path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    _refused_unchanged(workspace_path, "not a Preflight workspace")


def test_truncated_workspace_refused(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    populate_sample(ws)
    ws.close()
    data = workspace_path.read_bytes()
    for extra in (Path(f"{workspace_path}-wal"), Path(f"{workspace_path}-shm")):
        assert not extra.exists() or extra.stat().st_size >= 0
    workspace_path.write_bytes(data[: len(data) // 2])
    _refused_unchanged(workspace_path, "truncated")


def test_other_programs_database_refused(workspace_path: Path) -> None:
    conn = sqlite3.connect(workspace_path)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    _refused_unchanged(workspace_path, "another program")


def test_read_only_folder_refused(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/preflight-test/ws.preflight")
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        target = folder / "ws.preflight"
    with pytest.raises(WorkspaceError, match="cannot create workspace"):
        Database.open(target, create=True)
    assert not target.exists()


def test_file_mode_0600(workspace: Workspace) -> None:
    assert stat.S_IMODE(workspace.path.stat().st_mode) == 0o600


def test_pragmas_in_session(workspace: Workspace) -> None:
    with workspace.db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2


def test_older_revision_is_backed_up(workspace_path: Path) -> None:
    db = Database.open(workspace_path, create=True)
    with db.engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "base")
    db.close()
    assert _revision(workspace_path) is None
    Database.open(workspace_path).close()
    backups = list(workspace_path.parent.glob(f"{workspace_path.name}.backup-*"))
    assert len(backups) == 1, "opening a workspace at an older revision must back it up first"
    conn = sqlite3.connect(backups[0])
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert _revision(workspace_path) == HEAD_REVISION


def test_backup_is_a_valid_sqlite_copy(sample_workspace: Workspace) -> None:
    copy = backup(sample_workspace.path, "0001")
    assert copy.name.startswith(f"{sample_workspace.path.name}.backup-")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        (count,) = conn.execute("SELECT COUNT(*) FROM companies").fetchone()
    finally:
        conn.close()
    with sample_workspace.db.read() as s:
        assert count == len(Repository(s).companies()) > 0
