"""Migration 0011 (the Asio connector's links, lookups and drift): a workspace at 0006 holding
data opens at the head with everything kept, after a backup; the new tables work; it goes
down and up again."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from app.services.sample import populate_sample
from app.services.workspace import Workspace
from storage import migrate as migrate_mod
from storage.asio_repository import AsioRepository, DriftRecord, Link
from storage.database import Database
from storage.schema import HEAD_REVISION

NEW_TABLES = {"asio_links", "asio_lookups", "asio_drift"}


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_a_0006_workspace_with_data_upgrades_and_keeps_it(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    populate_sample(ws)
    companies = sorted(c.name for c in ws.companies.all())
    devices = len(ws.devices.all())
    pending = ws.pending_changes()
    with ws.db.engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "0006")
    ws.close()
    assert _revision(workspace_path) == "0006"
    assert not NEW_TABLES & _tables(workspace_path)

    db = Database.open(workspace_path)  # migrates: backup first, then 0006 → head
    try:
        links = {c["name"] for c in inspect(db.engine).get_columns("asio_links")}
    finally:
        db.close()
    assert _revision(workspace_path) == HEAD_REVISION == migrate_mod.head_revision()
    assert links == {"entity", "local_id", "remote_id", "remote_parent_id", "remote_name",
                     "state", "linked_at"}
    (backup,) = sorted(workspace_path.parent.glob(f"{workspace_path.name}.backup-0006-*"))
    assert not NEW_TABLES & _tables(backup)

    again = Workspace.open(workspace_path)
    try:
        assert sorted(c.name for c in again.companies.all()) == companies
        assert len(again.devices.all()) == devices
        assert again.pending_changes() == pending
        site = again.sites.all()[0]
        with again.db.write() as s:
            repo = AsioRepository(s)
            repo.save_links([Link("site", site.id, "remote-1", "remote-c", site.name)])
            repo.replace_lookups({"priorities": [("p1", "Priority 1 - Critical")]})
            repo.replace_drift([site.id], [DriftRecord(site.id, "d-1", "communicator",
                                                       "enabled", False, True, {})])
        with again.db.read() as s:
            repo = AsioRepository(s)
            assert repo.links("site")[site.id].remote_id == "remote-1"
            assert repo.lookups() == {"priorities": [("p1", "Priority 1 - Critical")]}
            assert [(d.planned, d.applied) for d in repo.drift(site.id)] == [(False, True)]
        assert again.pending_changes() == pending  # local records: nothing to sync
    finally:
        again.close()


def test_0011_goes_down_and_up_again(workspace: Workspace) -> None:
    with workspace.db.write() as s:
        AsioRepository(s).save_links([Link("company", "c-1", "r-1")])
    with workspace.db.engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "0006")
    assert not NEW_TABLES & _tables(workspace.path)
    with workspace.db.engine.begin() as conn:
        command.upgrade(migrate_mod.alembic_config(conn), "head")
    assert _tables(workspace.path) >= NEW_TABLES
    with workspace.db.read() as s:
        assert AsioRepository(s).links("company") == {}
