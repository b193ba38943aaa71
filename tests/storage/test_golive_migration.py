"""Migration 0012 (the `golive_steps` table): a workspace at 0006 holding the sample data opens at
the head with everything kept, after a backup, and records journey steps; and down again."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from app.domain.helpdesk.journey import StepStatus
from app.services.sample import HELPDESK_SITE, populate_sample
from app.services.workspace import Workspace
from storage import migrate as migrate_mod
from storage.database import Database
from storage.schema import HEAD_REVISION


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_a_0006_workspace_with_data_upgrades_and_keeps_it(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    populate_sample(ws)
    setup = ws.helpdesk.setup(HELPDESK_SITE)
    companies = sorted(c.name for c in ws.companies.all())
    with ws.db.engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "0006")
    pending = ws.pending_changes()  # the journey's outbox rows stay: the table comes back
    ws.close()
    assert _revision(workspace_path) == "0006"
    assert "golive_steps" not in _tables(workspace_path)

    db = Database.open(workspace_path)  # migrates: backup first, then 0006 → head
    try:
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("golive_steps")}
    finally:
        db.close()
    assert _revision(workspace_path) == HEAD_REVISION
    assert set(columns) == {"id", "version", "updated_at", "deleted_at", "site_id", "step",
                            "status", "date", "by", "note", "reviews_json"}
    assert columns["site_id"]["nullable"]  # partner-wide steps have no site
    (backup,) = sorted(workspace_path.parent.glob(f"{workspace_path.name}.backup-0006-*"))
    assert "golive_steps" not in _tables(backup)

    again = Workspace.open(workspace_path)
    try:
        assert sorted(c.name for c in again.companies.all()) == companies
        # Going below 0007 drops the partner's notification rules (0007's downgrade does not
        # rebuild the per-site sections): everything else of the setup is kept.
        assert again.helpdesk.setup(HELPDESK_SITE) == replace(setup, rules=())
        assert again.pending_changes() == pending
        # The table starts empty (what was recorded before the downgrade went with it)…
        journey = again.golive.journey(HELPDESK_SITE)
        assert journey.step("interest").status is StepStatus.OPEN
        # …and records steps again.
        again.golive.set(HELPDESK_SITE, "interest", StepStatus.DONE, when=date.today())
        assert again.golive.journey("Lab").step("interest").status is StepStatus.DONE
    finally:
        again.close()


def test_down_to_0006_and_up_again(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    ws.companies.create("Acme")
    ws.sites.create("Acme", "HQ")
    ws.golive.set("HQ", "interest", StepStatus.DONE)
    with ws.db.engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "0006")
        command.upgrade(migrate_mod.alembic_config(conn), "head")
    try:
        # Down drops the table with its rows; up brings it back empty and working.
        assert ws.golive.journey("HQ").next == "interest"
        ws.golive.set("HQ", "interest", StepStatus.DONE)
        assert ws.golive.journey("HQ").next == "course"
    finally:
        ws.close()
