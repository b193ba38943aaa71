"""Migration 0014 (asio_links WITHOUT ROWID, no index on the platform's ids): a workspace at
0013 holding links of every kind opens at the head after a backup with every link as it was;
links are then saved, replaced and read as before; going back down to 0013 keeps them all and
brings the index back."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from alembic import command

from app.services.sample import populate_sample
from app.services.workspace import Workspace
from storage import migrate as migrate_mod
from storage.asio_repository import AsioRepository, Link
from storage.database import Database
from storage.schema import HEAD_REVISION

REMOTE_INDEX = "ix_asio_links_entity_remote_id"


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _links(path: Path) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT entity, local_id, remote_id, remote_parent_id, remote_name, "
                            "state, linked_at FROM asio_links ORDER BY entity, local_id"
                            ).fetchall()


def _table_sql(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND "
                                "name = 'asio_links'").fetchone()[0])


def _indexes(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = "
                                           "'index' AND tbl_name = 'asio_links'")}


def _workspace_at_0013_with_links(path: Path) -> list[tuple[Any, ...]]:
    ws = Workspace.open(path, create=True)
    try:
        populate_sample(ws)
        company = ws.companies.all()[0]
        site = ws.sites.all()[0]
        devices = ws.devices.all()
        links = [Link("company", company.id, "rc-1", "", company.name),
                 Link("site", site.id, "rs-1", "rc-1", site.name),
                 Link("device", devices[0].id, "re-1", "rs-1", "FRONT-DESK-01"),
                 Link("device", devices[1].id, "re-2", "rs-1", "Büro Ärztin", "vanished"),
                 Link("contact", "p-1", "rp-1", "rs-1", "Ana O'Neil")]
        with ws.db.write() as s:
            AsioRepository(s).save_links(links)
        with ws.db.engine.begin() as conn:
            command.downgrade(migrate_mod.alembic_config(conn), "0013")
    finally:
        ws.close()
    assert _revision(path) == "0013"
    assert "WITHOUT ROWID" not in _table_sql(path)
    assert REMOTE_INDEX in _indexes(path)
    rows = _links(path)
    assert len(rows) == 5
    return rows


def test_a_0013_workspace_keeps_every_link_at_the_head(workspace_path: Path) -> None:
    before = _workspace_at_0013_with_links(workspace_path)

    Database.open(workspace_path).close()  # migrates: backup first, then 0013 → head

    assert _revision(workspace_path) == HEAD_REVISION == "0014"
    assert _links(workspace_path) == before
    assert "WITHOUT ROWID" in _table_sql(workspace_path)
    assert REMOTE_INDEX not in _indexes(workspace_path)
    (backup,) = sorted(workspace_path.parent.glob(f"{workspace_path.name}.backup-0013-*"))
    assert _links(backup) == before

    ws = Workspace.open(workspace_path)
    try:
        with ws.db.read() as s:
            held = AsioRepository(s).links("device")
        assert sorted(held.values()) == sorted(Link(*r[:6]) for r in before if r[0] == "device")
        vanished = next(x for x in held.values() if x.state == "vanished")
        moved = vanished._replace(remote_parent_id="rs-2", state="linked")  # it came back
        with ws.db.write() as s:  # in place of the one held, as before
            AsioRepository(s).save_links([moved, Link("device", "d-new", "re-3", "rs-2", "NEW")])
        with ws.db.read() as s:
            after = AsioRepository(s).links("device")
        assert after[moved.local_id] == moved
        assert after["d-new"] == Link("device", "d-new", "re-3", "rs-2", "NEW")
        assert len(after) == 3
        with ws.db.engine.begin() as conn:  # down again: every link kept, the index back
            command.downgrade(migrate_mod.alembic_config(conn), "0013")
    finally:
        ws.close()
    assert _revision(workspace_path) == "0013"
    assert "WITHOUT ROWID" not in _table_sql(workspace_path)
    assert REMOTE_INDEX in _indexes(workspace_path)
    assert [r[:6] for r in _links(workspace_path)] == sorted(
        [*[r[:6] for r in before if r[1] != moved.local_id], tuple(moved),
         ("device", "d-new", "re-3", "rs-2", "NEW", "linked")])
