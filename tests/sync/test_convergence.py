"""Anki's test: three clients syncing in turn through one server, with skewed clocks, converge;
the count check after each sync forces a full resync when the counts disagree."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from app.services.sample import populate_sample
from storage.tables import CompanyRow, SiteRow, WorkspaceInfo
from tests.server.live import LiveServer, sync
from tests.sync.helpers import clock, live, open_ws, outbox, snapshot

SKEWS = {"a": timedelta(0), "b": timedelta(hours=-7), "c": timedelta(days=2, minutes=13)}


def test_three_workspaces_with_skewed_clocks_converge(server: LiveServer,
                                                      tmp_path: Path) -> None:
    ws = {name: open_ws(tmp_path, name) for name in SKEWS}
    a, b, c = ws["a"], ws["b"], ws["c"]
    try:
        def turn(name: str) -> None:
            with clock(SKEWS[name]):
                report = sync(ws[name], server)
            assert report.count_check in ("ok", "skipped"), report
            assert report.rejected == 0

        with clock(SKEWS["a"]):
            populate_sample(a)
            a.rules.create("Night Shift", rule_id="Night Shift")  # id reads as its name
        for name in SKEWS:
            turn(name)
        # Round 1: each edits something different, offline, then they sync in turn.
        with clock(SKEWS["a"]):
            a.companies.create("Alpha Co")
            # NOC access above 0 needs NOC services (seed 002 phase 5)
            a.policies.update("RMM Standard", {"noc_enabled": True, "noc_access_level": 1})
        with clock(SKEWS["b"]):
            b.sites.create("Contoso Dental", "Annex")
            b.policies.update("RMM Standard", {"notification_rule": "Night Shift"})
            b.sites.delete("Lab")
        with clock(SKEWS["c"]):
            c.packages.save("Bare", ["Communicator On"])
            c.sites.assign("Bare", ["Warehouse West"])
            c.companies.rename("Northwind Legal", "Northwind Law")
        for name in ("c", "a", "b", "c", "a", "b"):
            turn(name)
        # Round 2: the same record on all three, different fields; then a delete.
        with clock(SKEWS["a"]):
            a.sites.rename("Annex", "Annex 2")
        with clock(SKEWS["b"]):
            b.sites.assign("Baseline", ["Annex"])
        with clock(SKEWS["c"]):
            c.sites.unassign(["Warehouse West"])
        for name in ("b", "c", "a", "b", "c", "a"):
            turn(name)
        assert all(outbox(w) == 0 for w in ws.values())
        assert snapshot(a) == snapshot(b) == snapshot(c)
        assert live(a) == live(b) == live(c)
        seen = live(a)
        assert "Contoso Dental/Annex 2:Baseline" in seen["sites"]
        assert "Fabrikam Logistics/Warehouse West:None" in seen["sites"]
        assert "Contoso Dental/Lab:None" not in seen["sites"]
        assert "Northwind Law" in seen["companies"]
        assert "Alpha Co" in seen["companies"]
        rmm = a.policies.get("RMM Standard").settings
        assert rmm["noc_access_level"] == 1
        assert rmm["notification_rule"] == "Night Shift"
    finally:
        for w in ws.values():
            w.close()


def test_a_count_mismatch_forces_a_full_resync(server: LiveServer, tmp_path: Path) -> None:
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        populate_sample(a)
        sync(a, server)
        sync(b, server)
        before = snapshot(b)
        # The cache loses a row behind sync's back (a bug, a restore of an old file...).
        with b.db.write() as s:
            s.execute(update(SiteRow).where(SiteRow.id == select(SiteRow.id).limit(1)
                                            .scalar_subquery()).values(deleted_at="x"))
        report = sync(b, server)
        assert report.count_check == "resynced"
        assert report.full_resync
        assert snapshot(b) == before
    finally:
        a.close()
        b.close()


def test_a_full_resync_tombstones_what_the_server_no_longer_has(server: LiveServer,
                                                                tmp_path: Path) -> None:
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        a.companies.create("Keep")
        a.companies.create("Drop")
        sync(a, server)
        sync(b, server)
        a.companies.delete("Drop")
        sync(a, server)
        server.app.state.store.purge_tombstones("partner-a")  # the feed forgets the tombstone
        b.companies.create("Offline Work")  # pending: must survive the resync
        report = sync(b, server)
        assert report.full_resync  # the cursor had expired
        assert live(b)["companies"] == ["Keep", "Offline Work"]
        assert outbox(b) == 0
        assert report.count_check == "ok"
        sync(a, server)
        assert live(a) == live(b)
    finally:
        a.close()
        b.close()


def test_an_expired_cursor_resyncs_and_keeps_the_local_outbox(server: LiveServer,
                                                              tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        a.companies.create("One")
        sync(a, server)
        with a.db.write() as s:  # an old cursor, from before a purge
            s.merge(WorkspaceInfo(key="sync.cursor", value="1"))
        a.companies.create("Two")
        a.companies.delete("One")
        sync(a, server)
        server.app.state.store.purge_tombstones("partner-a")
        with a.db.write() as s:
            s.merge(WorkspaceInfo(key="sync.cursor", value="1"))
        a.companies.create("Three")
        report = sync(a, server)
        assert report.full_resync
        assert report.applied == 1
        assert live(a)["companies"] == ["Three", "Two"]
        with a.db.read() as s:
            assert s.scalar(select(CompanyRow.name).where(CompanyRow.name == "One")) == "One"
    finally:
        a.close()

