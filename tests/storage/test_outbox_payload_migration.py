"""Migration 0013 (outbox rows may go without a payload): a workspace at 0006 with pending
changes — single edits, a whole import and devices added as a ConnectWise pull adds them, each
outbox row carrying its payload as 0006 wrote them — opens at the head after a backup with every
pending change kept, and pushes the same ops; going back down gives every payload-less row its
record's state."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

from alembic import command

from app.profiles import read_sheet
from app.services.sample import populate_sample
from app.services.workspace import Workspace
from app.sync import SyncEngine
from storage import migrate as migrate_mod
from storage.database import Database, now_iso
from storage.pull_stage import STAGE_SCHEMA, DeviceStage, StagedDevice, copy_staged_devices
from storage.schema import HEAD_REVISION
from tests.profiles.conftest import row, write_csv

SITE = "Main Office"


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _outbox(path: Path) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT seq, entity, entity_id, op, payload_json, base_version, "
                            "idempotency_key FROM outbox ORDER BY seq").fetchall()


def _plan(ws: Workspace) -> list[tuple[Any, ...]]:
    """What a push would send: one op per record, in order."""
    return [(i.entity, i.id, i.op, i.base_version, json.dumps(i.payload, sort_keys=True),
             i.changes) for i in SyncEngine(ws.db, None).plan()]  # type: ignore[arg-type]


def test_a_0006_workspace_with_pending_changes_keeps_every_one(workspace_path: Path,
                                                               tmp_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    populate_sample(ws)
    result = ws.profiles.import_sheet(SITE, read_sheet(write_csv(
        tmp_path / "p.csv", [row(n) for n in range(700)])))
    assert result.changes is not None
    ws.profiles.redo_import(ws.profiles.undo_import(result))
    first = ws.profiles.list(SITE)[0]
    ws.profiles.update(first.id, replace(first.profile, title="Edited by hand"))
    ws.profiles.delete(ws.profiles.list(SITE)[1].id)
    site_id = ws.sites.get(SITE).id
    with ws.db.with_scratch(STAGE_SCHEMA) as scratch:  # as a pull writes them: no payload
        DeviceStage(scratch).add([StagedDevice(site_id, f"PC-{n}", "desktop", "Windows 11",
                                               f"pulled-{n}", f"key-{n}", f"ep-{n}", "rs",
                                               f"PC-{n}") for n in range(3)])
        with scratch.write() as session:
            copy_staged_devices(session, now_iso())
    planned = _plan(ws)
    assert {"pulled-0", "pulled-1", "pulled-2"} <= {p[1] for p in planned}
    rows_before = _outbox(workspace_path)
    assert any(r[4] is None for r in rows_before)  # the import's rows carry no payload
    with ws.db.engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "0006")
    ws.close()

    # at 0006 every row has its payload again: the record as it is, or {"id"} for a delete
    at_0006 = _outbox(workspace_path)
    assert _revision(workspace_path) == "0006"
    assert [r[:4] + r[5:] for r in at_0006] == [r[:4] + r[5:] for r in rows_before]
    assert all(r[4] is not None for r in at_0006)
    payloads = {(p[0], p[1]): json.loads(p[4]) for p in planned}
    for _seq, entity, entity_id, op, payload, _base, _key in at_0006:
        if op == "delete":
            assert json.loads(payload)["id"] == entity_id
        else:
            newest = [r for r in at_0006 if r[2] == entity_id][-1]
            if newest[3] == "upsert":
                assert json.loads(newest[4]) == payloads[(entity, entity_id)]

    db = Database.open(workspace_path)  # migrates: backup first, then 0006 → head
    db.close()
    assert _revision(workspace_path) == HEAD_REVISION
    assert sorted(workspace_path.parent.glob(f"{workspace_path.name}.backup-0006-*"))
    again = Workspace.open(workspace_path)
    try:
        assert _outbox(workspace_path) == at_0006  # every pending change, untouched
        assert _plan(again) == planned  # and the push sends the same ops
        again.profiles.delete(again.profiles.list(SITE)[0].id)  # the new code writes on
        assert again.pending_changes() == len(at_0006) + 1
    finally:
        again.close()
