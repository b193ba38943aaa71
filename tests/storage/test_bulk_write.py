"""Storage: `Database.bulk_write`, the import transaction whose log copy runs afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.services.workspace import Workspace
from storage.database import WAL_AUTOCHECKPOINT_PAGES, Database

ROWS = 3_000  # enough pages (> 1,000) that a normal commit would checkpoint


def _fill(db: Database, *, fail: bool = False) -> None:
    with db.bulk_write() as s:
        s.execute(text("CREATE TABLE IF NOT EXISTS bulk_probe (n INTEGER, pad TEXT)"))
        s.execute(text("INSERT INTO bulk_probe VALUES (:n, :pad)"),
                  [{"n": n, "pad": "x" * 2_000} for n in range(ROWS)])
        if fail:
            raise RuntimeError("the import failed half way")


def _count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM bulk_probe").fetchone()[0])
    finally:
        conn.close()


def test_commit_is_visible_to_another_connection_before_the_checkpoint(
        workspace: Workspace) -> None:
    _fill(workspace.db)
    assert _count(workspace.db.path) == ROWS


def test_failure_rolls_back_everything(workspace: Workspace) -> None:
    with pytest.raises(RuntimeError):
        _fill(workspace.db, fail=True)
    conn = sqlite3.connect(workspace.db.path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert "bulk_probe" not in tables


def test_automatic_checkpoints_come_back_on_every_pooled_connection(
        workspace: Workspace) -> None:
    _fill(workspace.db)
    with workspace.db.engine.connect() as conn:
        value = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert value == WAL_AUTOCHECKPOINT_PAGES


def test_background_checkpoint_moves_the_log_into_the_file(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    _fill(ws.db)
    for thread in list(ws.db._checkpoints):
        thread.join(timeout=30)
    wal = workspace_path.with_name(workspace_path.name + "-wal")
    # The log still exists (WAL keeps it for reuse) but its pages are now in the file:
    # the main file alone, read without the log, holds every row.
    assert wal.exists()
    copy = workspace_path.with_name("copy.preflight")
    copy.write_bytes(workspace_path.read_bytes())
    assert _count(copy) == ROWS
    ws.close()
    assert not wal.exists() or wal.stat().st_size == 0
    assert _count(workspace_path) == ROWS
