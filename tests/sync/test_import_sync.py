"""An import's outbox rows carry no payload (the push reads each profile as it is then) and the
import has one audit row: against the real server each profile still travels exactly once, an
undo deletes each once, and Pending Changes lists every profile."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from app.profiles import read_sheet
from app.services.workspace import Workspace
from app.sync import SyncEngine
from server.store import object_versions
from tests.profiles.conftest import row, write_csv
from tests.server.live import LiveServer, sync
from tests.sync.helpers import open_ws, outbox
from ui.sync.models import PlanRow

SITE = "Main Office"
PROFILES = 1_234  # three batches of 500


def versions(server: LiveServer, entity: str) -> dict[str, list[tuple[int, bool]]]:
    """Every version the server stored of each record of a kind: (version, deleted)."""
    store = server.app.state.store
    with store.engine.connect() as conn:
        rows = conn.execute(select(object_versions.c.id, object_versions.c.version,
                                   object_versions.c.deleted)
                            .where(object_versions.c.entity == entity)
                            .order_by(object_versions.c.version))
        found: dict[str, list[tuple[int, bool]]] = {}
        for obj_id, version, deleted in rows:
            found.setdefault(obj_id, []).append((int(version), bool(deleted)))
        return found


def payload_of(server: LiveServer, obj_id: str, version: int) -> dict[str, object]:
    store = server.app.state.store
    with store.engine.connect() as conn:
        text = conn.execute(select(object_versions.c.payload).where(
            object_versions.c.id == obj_id, object_versions.c.version == version)).scalar()
    return dict(json.loads(str(text)))


def imported(tmp_path: Path, name: str) -> Workspace:
    ws = open_ws(tmp_path, name)
    ws.companies.create("Contoso")
    ws.sites.create("Contoso", SITE)
    data = [row(n, title=f"Title {n}") for n in range(PROFILES)]
    ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / f"{name}.csv", data)))
    return ws


def test_a_synced_import_pushes_each_profile_exactly_once(server: LiveServer,
                                                          tmp_path: Path) -> None:
    a = imported(tmp_path, "a")
    b = open_ws(tmp_path, "b")
    try:
        plan = SyncEngine(a.db, None).plan()  # type: ignore[arg-type]
        profiles = [i for i in plan if i.entity == "client_profile"]
        assert len(profiles) == PROFILES  # Pending Changes: one line per profile
        assert {i.op for i in profiles} == {"upsert"}
        assert all(i.payload["title"] == f"Title {i.payload['email'][3:-12]}" for i in profiles)
        # the answer to a batch is lost after the server applied it: the retry (same
        # Idempotency-Key, the same payloads read from the profiles) applies nothing twice
        server.fault("/v1/batch", mode="after_status", status=500, times=1)
        report = sync(a, server)
        assert server.hits("/v1/batch") == 4  # three batches and the one retry
        assert report.conflicts == 0
        assert outbox(a) == 0
        stored = versions(server, "client_profile")
        assert set(stored) == {r.id for r in a.profiles.list(SITE)}
        assert all(v == [(1, False)] for v in stored.values())  # each pushed exactly once
        first = a.profiles.list(SITE)[0]
        sent = payload_of(server, first.id, 1)
        assert sent["title"] == first.profile.title
        assert sync(a, server).pushed == 0  # nothing left to push
        sync(b, server)
        assert sorted((r.id, r.profile) for r in b.profiles.list(SITE)) == sorted(
            (r.id, r.profile) for r in a.profiles.list(SITE))
    finally:
        a.close()
        b.close()


def test_an_edit_after_the_import_is_pushed_once_with_the_edit(server: LiveServer,
                                                               tmp_path: Path) -> None:
    """The outbox folds a profile's import row and a later edit into one op: the server gets
    the edited profile once, never the imported one and then the edit."""
    a = imported(tmp_path, "a")
    try:
        edited = a.profiles.list(SITE)[5]
        a.profiles.update(edited.id, replace(edited.profile, title="Edited"))
        sync(a, server)
        stored = versions(server, "client_profile")
        assert stored[edited.id] == [(1, False)]
        assert payload_of(server, edited.id, 1)["title"] == "Edited"
    finally:
        a.close()


def test_an_undone_import_deletes_each_profile_once(server: LiveServer, tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        a.companies.create("Contoso")
        a.sites.create("Contoso", SITE)
        result = a.profiles.import_sheet(SITE, read_sheet(write_csv(
            tmp_path / "a.csv", [row(n) for n in range(PROFILES)])))
        sync(a, server)
        a.profiles.undo_import(result)
        plan = SyncEngine(a.db, None).plan()  # type: ignore[arg-type]
        assert len(plan) == PROFILES
        assert {(i.op, i.base_version) for i in plan} == {("delete", 1)}
        sync(a, server)
        stored = versions(server, "client_profile")
        assert all(v == [(1, False), (2, True)] for v in stored.values())
        assert a.profiles.list(SITE) == []
    finally:
        a.close()


def test_pending_changes_name_the_fields_a_reimport_changes(server: LiveServer,
                                                            tmp_path: Path) -> None:
    """The before-state of a profile a re-import updated comes from the import's one audit
    row: Pending Changes shows the field it changes, not every field sent."""
    a = open_ws(tmp_path, "a")
    try:
        a.companies.create("Contoso")
        a.sites.create("Contoso", SITE)
        data = [row(n) for n in range(3)]
        a.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "a.csv", data)))
        sync(a, server)
        data[1] = row(1, title="Chief Engineer")
        a.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "b.csv", data)))
        (item,) = SyncEngine(a.db, None).plan()  # type: ignore[arg-type]
        assert (item.op, item.base_version, item.changes) == ("upsert", 1, 1)
        assert item.payload["title"] == "Chief Engineer"
        assert item.before is not None
        assert item.before["title"] == "Engineer"
        assert PlanRow.of(item).fields == "title"
        assert PlanRow.of(item).operation == "Update"
    finally:
        a.close()
