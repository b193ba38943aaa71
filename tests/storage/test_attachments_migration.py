"""Migration 0006 (the `attachments` table): a workspace at 0005 holding data, references with
file names among it, opens at the head with everything kept, after a backup."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from app.domain.helpdesk import Reference
from app.services.sample import populate_sample
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


def test_0006_is_in_the_chain() -> None:
    # The head moved on (0007: partner notification rules); 0006 is still a known revision.
    assert migrate_mod._scripts().get_revision("0006") is not None
    assert HEAD_REVISION == migrate_mod.head_revision() != "0006"


def test_a_0005_workspace_with_data_upgrades_and_keeps_it(workspace_path: Path,
                                                          tmp_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    populate_sample(ws)
    legacy = (Reference("Floor plan", "", "floor-plan.pdf"), Reference("Wi-Fi", "SSID Staff"))
    ws.helpdesk.save("Main Office", "references", legacy)
    companies = sorted(c.name for c in ws.companies.all())
    pending = ws.pending_changes()
    with ws.db.engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "0005")
    ws.close()
    assert _revision(workspace_path) == "0005"
    assert "attachments" not in _tables(workspace_path)

    db = Database.open(workspace_path)  # migrates: backup first, then 0005 → 0006
    try:
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("attachments")}
    finally:
        db.close()
    assert _revision(workspace_path) == HEAD_REVISION
    assert set(columns) == {"sha256", "size", "media_type", "data", "created_at", "uploaded_at"}
    assert not columns["data"]["nullable"]
    assert columns["uploaded_at"]["nullable"]
    (backup,) = sorted(workspace_path.parent.glob(f"{workspace_path.name}.backup-0005-*"))
    assert "attachments" not in _tables(backup)

    again = Workspace.open(workspace_path)
    try:
        assert sorted(c.name for c in again.companies.all()) == companies
        assert again.pending_changes() == pending
        # The old references read as they were: a name, no stored file (and a warning).
        assert again.helpdesk.setup("Main Office").references == legacy
        findings = again.helpdesk.validate("Main Office", "references", legacy)
        assert [f.code for f in findings] == ["reference.attachment_not_stored"]
        # …and the new table works: attach the file now.
        source = tmp_path / "floor-plan.pdf"
        source.write_bytes(b"%PDF-1.4 plan")
        sha, size, name = again.attachments.attach(source)
        again.helpdesk.save("Main Office", "references",
                            (Reference("Floor plan", "", name, sha, size), legacy[1]))
        assert again.attachments.attachment_bytes(sha) == b"%PDF-1.4 plan"
    finally:
        again.close()


def test_0006_goes_down_and_up_again(workspace: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("a")
    workspace.attachments.attach(source)
    with workspace.db.engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "0005")
    assert "attachments" not in _tables(workspace.path)
    with workspace.db.engine.begin() as conn:
        command.upgrade(migrate_mod.alembic_config(conn), "head")
    assert "attachments" in _tables(workspace.path)
    assert workspace.attachments.attach(source).size == 1
