"""Pending Changes lists, for an update of a record the server has, the fields it changes
(from the audit row of its first pending change), not every field sent."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.profiles import Profile
from app.sync import SyncEngine
from tests.server.live import LiveServer, sync
from tests.sync.helpers import open_ws
from ui.sync.models import PlanRow


def test_an_update_names_the_fields_it_changes(server: LiveServer, tmp_path: Path) -> None:
    ws = open_ws(tmp_path, "a")
    try:
        ws.companies.create("Acme")
        ws.sites.create("Acme", "HQ")
        added = ws.profiles.add("HQ", Profile(first_name="Ann", last_name="Lee",
                                              mobile_country_code="US",
                                              mobile_phone="2125550123"))
        assert sync(ws, server).applied == 3
        ws.sites.rename("HQ", "Head Office")
        # two edits of one profile: one op, and the fields changed since the synced version
        edited = ws.profiles.update(added.id, replace(added.profile, title="Dentist"))
        ws.profiles.update(added.id, replace(edited.profile, title="Owner", vip=True))
        ws.companies.create("Globex")  # new: every field it sets

        items = {i.entity: i for i in SyncEngine(ws.db, None).plan()}  # type: ignore[arg-type]
        profile, site, company = (items["client_profile"], items["site"], items["company"])
        assert profile.changes == 2
        assert profile.before is not None
        assert profile.before["title"] == ""
        assert site.before is not None
        assert site.before["name"] == "HQ"
        assert company.before is None  # a create has no "before"

        assert PlanRow.of(profile).fields == "title, vip"
        assert PlanRow.of(site).fields == "name"
        assert PlanRow.of(company).fields == "name"
        assert PlanRow.of(profile).operation == "Update"
    finally:
        ws.close()


def test_an_edit_undone_by_hand_changes_no_field(server: LiveServer, tmp_path: Path) -> None:
    ws = open_ws(tmp_path, "b")
    try:
        ws.companies.create("Acme")
        sync(ws, server)
        ws.companies.rename("Acme", "Acme Corp")
        ws.companies.rename("Acme Corp", "Acme")
        (item,) = SyncEngine(ws.db, None).plan()  # type: ignore[arg-type]
        assert PlanRow.of(item).fields == "(no field changed)"
    finally:
        ws.close()
