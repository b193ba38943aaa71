"""Edits on two sides: different fields merge by themselves, the same field is a conflict kept
until the user resolves it (mine / theirs / per field)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services.workspace import Workspace
from app.sync import SyncEngine
from app.sync.engine import Conflict
from tests.server.live import LiveServer, sync
from tests.sync.helpers import live, open_ws, outbox, snapshot


@pytest.fixture
def pair(server: LiveServer, tmp_path: Path) -> Iterator[tuple[Workspace, Workspace]]:
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    a.companies.create("Acme")
    a.sites.create("Acme", "HQ")
    a.policies.create("remote-access", "RA", {})
    for name in ("Std", "North", "South"):  # partner rules (ids read as names)
        a.rules.create(name, rule_id=name)
    a.policies.create("rmm-site-configuration", "RMM",
                      {"rmm_enabled": True, "notification_rule": "Std"})
    a.packages.save("Base", ["RA"])
    sync(a, server)
    sync(b, server)
    yield a, b
    a.close()
    b.close()


def conflicts(ws: Workspace, server: LiveServer) -> list[Conflict]:
    async def go() -> list[Conflict]:
        transport = server.transport()
        try:
            return SyncEngine(ws.db, transport).conflicts()
        finally:
            await transport.aclose()

    return asyncio.run(go())


def resolve(ws: Workspace, server: LiveServer, seq: int, choice: object) -> None:
    async def go() -> None:
        transport = server.transport()
        try:
            SyncEngine(ws.db, transport).resolve(seq, choice)  # type: ignore[arg-type]
        finally:
            await transport.aclose()

    asyncio.run(go())


def test_different_settings_of_one_policy_merge(pair: tuple[Workspace, Workspace],
                                                server: LiveServer) -> None:
    a, b = pair
    a.policies.update("RA", {"notification_balloon": True})
    b.policies.update("RA", {"allow_require_consent": False})
    sync(a, server)
    report = sync(b, server)
    assert report.merged == 1
    assert report.conflicts == 0
    sync(a, server)
    settings = {ws.policies.get("RA").settings["notification_balloon"] for ws in pair}
    assert settings == {True}
    assert {ws.policies.get("RA").settings["allow_require_consent"] for ws in pair} == {False}
    assert snapshot(a) == snapshot(b)
    assert outbox(a) == outbox(b) == 0


def test_a_rename_and_an_assignment_of_one_site_merge(pair: tuple[Workspace, Workspace],
                                                      server: LiveServer) -> None:
    a, b = pair
    a.sites.rename("HQ", "Head Office")
    b.sites.assign("Base", ["HQ"])
    sync(a, server)
    assert sync(b, server).merged == 1
    sync(a, server)
    assert live(a)["sites"] == live(b)["sites"] == ["Acme/Head Office:Base"]
    assert snapshot(a) == snapshot(b)


def test_the_same_field_is_a_conflict_kept_until_resolved(pair: tuple[Workspace, Workspace],
                                                          server: LiveServer) -> None:
    a, b = pair
    a.companies.rename("Acme", "Acme North")
    b.companies.rename("Acme", "Acme South")
    sync(a, server)
    report = sync(b, server)
    assert report.conflicts == 1
    assert report.count_check == "skipped"
    [conflict] = conflicts(b, server)
    assert conflict.fields == ("name",)
    assert conflict.mine is not None
    assert conflict.mine["name"] == "Acme South"
    assert conflict.theirs is not None
    assert conflict.theirs["name"] == "Acme North"
    assert conflict.base is not None
    assert conflict.base["name"] == "Acme"
    # Nothing overwritten on either side while it is open, and it is not pushed again.
    assert live(b)["companies"] == ["Acme South"]
    again = sync(b, server)
    assert again.pushed == 0
    assert len(conflicts(b, server)) == 1
    resolve(b, server, conflict.seq, "mine")
    assert sync(b, server).applied == 1
    sync(a, server)
    assert live(a)["companies"] == live(b)["companies"] == ["Acme South"]
    assert conflicts(b, server) == []


def test_resolving_with_theirs_takes_the_server_copy(pair: tuple[Workspace, Workspace],
                                                     server: LiveServer) -> None:
    a, b = pair
    a.policies.update("RMM", {"notification_rule": "North"})
    b.policies.update("RMM", {"notification_rule": "South", "noc_enabled": True,
                              "noc_access_level": 2})
    sync(a, server)
    assert sync(b, server).conflicts == 1
    [conflict] = conflicts(b, server)
    assert conflict.fields == ("settings.notification_rule",)
    resolve(b, server, conflict.seq, "theirs")
    report = sync(b, server)
    assert report.applied == 1  # b's undisputed edit, on top of the server's copy
    assert report.count_check == "ok"
    sync(a, server)
    for ws in pair:
        settings = ws.policies.get("RMM").settings
        assert settings["notification_rule"] == "North"  # theirs: the disputed field
        assert settings["noc_access_level"] == 2  # nobody disputed b's edit: kept
    assert snapshot(a) == snapshot(b)


def test_taking_theirs_when_nothing_of_mine_is_undisputed_sends_nothing(
        pair: tuple[Workspace, Workspace], server: LiveServer) -> None:
    a, b = pair
    a.policies.update("RMM", {"notification_rule": "North", "auto_credentials_servers": True})
    b.policies.update("RMM", {"notification_rule": "South"})
    sync(a, server)
    assert sync(b, server).conflicts == 1
    [conflict] = conflicts(b, server)
    resolve(b, server, conflict.seq, "theirs")
    assert outbox(b) == 0
    report = sync(b, server)
    assert report.pushed == 0
    settings = b.policies.get("RMM").settings
    assert (settings["notification_rule"], settings["auto_credentials_servers"]) == ("North", True)
    assert snapshot(a) == snapshot(b)


def test_keeping_mine_keeps_the_other_admins_undisputed_edits(
        pair: tuple[Workspace, Workspace], server: LiveServer) -> None:
    a, b = pair
    a.policies.update("RMM", {"notification_rule": "North", "auto_credentials_servers": True})
    b.policies.update("RMM", {"notification_rule": "South", "noc_enabled": True})
    sync(a, server)
    assert sync(b, server).conflicts == 1
    [conflict] = conflicts(b, server)
    assert conflict.fields == ("settings.notification_rule",)
    resolve(b, server, conflict.seq, "mine")
    assert sync(b, server).applied == 1
    sync(a, server)
    for ws in pair:
        settings = ws.policies.get("RMM").settings
        assert settings["notification_rule"] == "South"  # mine: the disputed field
        assert settings["auto_credentials_servers"] is True  # a's undisputed edit: kept
        assert settings["noc_enabled"] is True  # b's own
    assert snapshot(a) == snapshot(b)


def test_resolving_field_by_field(pair: tuple[Workspace, Workspace],
                                  server: LiveServer) -> None:
    a, b = pair
    a.policies.update("RMM", {"notification_rule": "North", "auto_credentials_servers": True},
                      name="RMM North")
    b.policies.update("RMM", {"notification_rule": "South", "noc_enabled": True},
                      name="RMM South")
    sync(a, server)
    assert sync(b, server).conflicts == 1
    [conflict] = conflicts(b, server)
    assert set(conflict.fields) == {"name", "settings.notification_rule"}
    resolve(b, server, conflict.seq, {"name": "theirs", "settings.notification_rule": "mine"})
    sync(b, server)
    sync(a, server)
    for ws in pair:
        settings = ws.policies.get("RMM North").settings
        assert settings["notification_rule"] == "South"  # mine
        assert settings["auto_credentials_servers"] is True  # theirs, merged
        assert settings["noc_enabled"] is True  # mine, merged
    assert snapshot(a) == snapshot(b)


def test_a_delete_against_an_edit_is_a_conflict(pair: tuple[Workspace, Workspace],
                                                server: LiveServer) -> None:
    a, b = pair
    a.sites.delete("HQ")
    b.sites.rename("HQ", "Main")
    sync(a, server)
    assert sync(b, server).conflicts == 1
    [conflict] = conflicts(b, server)
    assert conflict.fields == ("_deleted",)
    assert conflict.theirs is None
    resolve(b, server, conflict.seq, "theirs")
    sync(b, server)
    assert live(b)["sites"] == [] == live(a)["sites"]


def test_a_change_the_server_rejects_is_kept_until_dropped(pair: tuple[Workspace, Workspace],
                                                           server: LiveServer) -> None:
    from storage.changes import Change, record

    a, _ = pair
    with a.db.write() as s:  # e.g. an entity a newer app knows and this server does not
        record(s, [Change("spaceship", "ship-1", "test", None, {"name": "Enterprise"}, 0)])
    a.companies.create("Fine Co")
    report = sync(a, server)
    assert report.rejected == 1
    assert report.applied == 1
    [conflict] = conflicts(a, server)
    assert conflict.kind == "rejected"
    assert "unknown entity" in conflict.fields[0]
    assert outbox(a) == 1  # held, not lost
    assert sync(a, server).pushed == 0
    resolve(a, server, conflict.seq, "mine")  # try again: still refused
    assert sync(a, server).rejected == 1
    [again] = conflicts(a, server)
    resolve(a, server, again.seq, "theirs")  # drop it
    assert outbox(a) == 0
    assert sync(a, server).count_check == "ok"
