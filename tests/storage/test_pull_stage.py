"""A pull's new devices gather in a scratch table on the workspace's connection (no lock on
the workspace meanwhile) and move in with one INSERT … SELECT per table, in one transaction:
each a device of version 0, an outbox row without a payload and its platform link."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.errors import RuleViolation
from app.services.workspace import Workspace
from storage.changes import IdSeries
from storage.database import BULK_CACHE_SIZE, WAL_AUTOCHECKPOINT_PAGES, Scratch
from storage.pull_stage import STAGE_SCHEMA, DeviceStage, StagedDevice, copy_staged_devices

AT = "2026-12-07T15:00:00.000000+00:00"


def _rows(site_id: str, names: list[str]) -> list[StagedDevice]:
    ids, keys = IdSeries().take(len(names)), IdSeries().take(len(names))
    return [StagedDevice(site_id, name[:200], "Desktop", "Windows 11", device_id, key,
                         f"ep-{device_id}", "remote-site", name)
            for name, device_id, key in zip(names, ids, keys, strict=True)]


def _site(workspace: Workspace) -> str:
    company = workspace.companies.create("Contoso Dental")
    return workspace.sites.create(company.id, "Main Office").id


def _staged(scratch: Scratch) -> int:
    return int(scratch.raw.execute(f"SELECT count(*) FROM {STAGE_SCHEMA}.new_devices")
               .fetchone()[0])


def _stage_and_copy(workspace: Workspace, rows: list[StagedDevice]) -> None:
    with workspace.db.with_scratch(STAGE_SCHEMA) as scratch:
        DeviceStage(scratch).add(rows)
        with scratch.write() as s:
            copy_staged_devices(s, AT)


def _query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def _dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def test_staged_devices_land_in_order_with_an_outbox_row_and_a_link_each(
        workspace: Workspace) -> None:
    site_id = _site(workspace)
    first, second = _rows(site_id, ["PC-1", "PC-2"]), _rows(site_id, ["PC-3"])
    with workspace.db.with_scratch(STAGE_SCHEMA) as scratch:
        stage = DeviceStage(scratch)
        stage.add(first)
        stage.add([])
        stage.add(second)
        assert _staged(scratch) == 3
        with scratch.write() as s:
            copy_staged_devices(s, AT)
    staged = first + second
    assert _query(workspace.path, "SELECT site_id, name, kind, os, id, version, updated_at, "
                                  "deleted_at FROM devices ORDER BY rowid") == [
        (site_id, d.name, "Desktop", "Windows 11", d.id, 0, AT, None) for d in staged]
    assert _query(workspace.path, "SELECT entity, entity_id, op, payload_json, base_version, "
                                  "idempotency_key, created_at FROM outbox WHERE entity = "
                                  "'device' ORDER BY seq") == [
        ("device", d.id, "upsert", None, 0, d.outbox_key, AT) for d in staged]
    assert _query(workspace.path, "SELECT entity, local_id, remote_id, remote_parent_id, "
                                  "remote_name, state, linked_at FROM asio_links "
                                  "ORDER BY remote_id") == [
        ("device", d.id, d.remote_id, "remote-site", d.remote_name, "linked", AT)
        for d in sorted(staged, key=lambda d: d.remote_id)]
    assert [d.name for d in workspace.devices.all()] == ["PC-1", "PC-2", "PC-3"]


def test_staging_takes_no_lock_on_the_workspace(workspace: Workspace) -> None:
    site_id = _site(workspace)
    with closing(sqlite3.connect(workspace.path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another program writing meanwhile
        with workspace.db.with_scratch(STAGE_SCHEMA) as scratch:
            DeviceStage(scratch).add(_rows(site_id, [f"PC-{n}" for n in range(500)]))
            assert _staged(scratch) == 500
        other.execute("ROLLBACK")


def test_a_failed_copy_leaves_the_workspace_as_it_was_and_the_connection_clean(
        workspace: Workspace) -> None:
    site_id = _site(workspace)
    before = _dump(workspace.path)
    rows = _rows(site_id, ["PC-1", "PC-2"])
    rows.append(rows[0]._replace(remote_id="ep-x"))  # the same device id twice
    with pytest.raises(RuleViolation, match="UNIQUE constraint failed"):
        _stage_and_copy(workspace, rows)
    assert _dump(workspace.path) == before
    # every pooled connection is back without the scratch database
    with workspace.db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        assert STAGE_SCHEMA not in [row[1] for row in raw.execute("PRAGMA database_list")]
    with workspace.db.with_scratch(STAGE_SCHEMA) as scratch:  # and can stage again
        DeviceStage(scratch).add(_rows(site_id, ["PC-9"]))


def test_a_device_on_a_site_that_is_gone_is_refused_and_nothing_lands(
        workspace: Workspace) -> None:
    site_id = _site(workspace)
    before = _dump(workspace.path)
    with pytest.raises(RuleViolation, match="FOREIGN KEY"):
        _stage_and_copy(workspace, _rows(site_id, ["PC-1"]) + _rows("no-such-site", ["PC-2"]))
    assert _dump(workspace.path) == before


def test_a_schema_name_must_be_a_name(workspace: Workspace) -> None:
    with pytest.raises(ValueError, match="not a schema name"), \
            workspace.db.with_scratch("x; DROP TABLE devices"):
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(st.characters(codec="utf-8"), min_size=1, max_size=250),
                min_size=1, max_size=5))
def test_names_of_any_script_arrive_as_they_were_read(tmp_path_factory: pytest.TempPathFactory,
                                                      names: list[str]) -> None:
    ws = Workspace.open(tmp_path_factory.mktemp("ws") / "w.preflight", create=True)
    try:
        _stage_and_copy(ws, _rows(_site(ws), names))
        assert _query(ws.path, "SELECT name FROM devices ORDER BY rowid") == [
            (name[:200],) for name in names]
        assert sorted(_query(ws.path, "SELECT remote_name FROM asio_links")) == sorted(
            (name,) for name in names)
    finally:
        ws.close()


def test_the_log_is_copied_into_the_file_after_the_pull_not_in_its_commit(
        workspace: Workspace) -> None:
    site_id = _site(workspace)
    with workspace.db.engine.connect() as connection:
        pooled = connection.connection.dbapi_connection
        assert pooled is not None
        default_cache = pooled.execute("PRAGMA cache_size").fetchone()[0]
    with workspace.db.with_scratch(STAGE_SCHEMA) as scratch:
        raw = scratch.raw
        assert raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        assert raw.execute("PRAGMA cache_size").fetchone()[0] == BULK_CACHE_SIZE
        DeviceStage(scratch).add(_rows(site_id, [f"PC-{n}" for n in range(12_000)]))
        with scratch.write() as s:
            copy_staged_devices(s, AT)
        wal = workspace.path.with_name(workspace.path.name + "-wal")
        assert wal.stat().st_size > WAL_AUTOCHECKPOINT_PAGES * 4096  # past the automatic one
    checkpoints = [t for t in threading.enumerate() if t.name == "wal-checkpoint"]
    for thread in checkpoints:
        thread.join()
    # the connection goes back to the pool as it was: no scratch, automatic checkpoints on
    assert raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == WAL_AUTOCHECKPOINT_PAGES
    assert raw.execute("PRAGMA cache_size").fetchone()[0] == default_cache  # and its cache
    assert STAGE_SCHEMA not in [row[1] for row in raw.execute("PRAGMA database_list")]
    busy, log_pages, copied = raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert (busy, log_pages) == (0, copied)  # everything was already in the file
