"""Push and pull between workspaces through the real server."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.services.sample import populate_sample
from storage.repository import Repository
from storage.tables import ClientProfileRow
from tests.server.live import LiveServer, sync
from tests.sync.helpers import live, open_ws, outbox, snapshot


def test_a_workspace_pushes_and_another_pulls_the_same_data(server: LiveServer,
                                                           tmp_path: Path) -> None:
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        populate_sample(a)
        report = sync(a, server)
        assert report.applied == report.pushed > 0
        assert report.conflicts == 0
        assert outbox(a) == 0
        assert report.count_check == "ok"
        pulled = sync(b, server)
        assert pulled.pulled > 0
        assert pulled.count_check == "ok"
        assert live(a) == live(b)
        assert snapshot(a) == snapshot(b)
        for site in ("Main Office", "Headquarters", "Lab"):
            assert (a.effective.for_site(site).document["settings"]
                    == b.effective.for_site(site).document["settings"])
    finally:
        a.close()
        b.close()


def test_a_dry_run_lists_the_plan_and_sends_nothing(server: LiveServer, tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        company = a.companies.create("Acme")
        a.companies.rename(company.id, "Acme Corp")
        a.sites.create("Acme Corp", "HQ")
        report = sync(a, server, dry_run=True)
        assert report.requests == 0
        assert report.pushed == 0
        assert [(p.entity, p.op, p.changes) for p in report.plan] == [
            ("company", "upsert", 2), ("site", "upsert", 1)]
        assert report.plan[0].payload["name"] == "Acme Corp"  # the newest state, once
        assert server.hits("/v1/token") == 0
        assert server.hits("/v1/batch") == 0
        assert outbox(a) == 3
    finally:
        a.close()


def test_deletes_travel_as_tombstones(server: LiveServer, tmp_path: Path) -> None:
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        populate_sample(a)
        sync(a, server)
        sync(b, server)
        a.sites.delete("Lab")
        device = next(d for d in a.devices.all() if d.override_count)
        with a.db.read() as s:
            [override] = Repository(s).overrides(device.id)
        a.devices.clear_override(device.id, override.type_id, override.key)
        report = sync(a, server)
        assert report.applied >= 2
        after = sync(b, server)
        assert after.count_check == "ok"
        assert "Contoso Dental/Lab:None" not in live(b)["sites"]
        assert live(a) == live(b)
        assert snapshot(a) == snapshot(b)
    finally:
        a.close()
        b.close()


def test_a_no_change_sync_costs_few_requests(server: LiveServer, tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        populate_sample(a)
        sync(a, server)
        report = sync(a, server)
        # a token (this test's transport is new), then one request: the empty feed page,
        # which carries the server's counts for the count check
        assert report.requests == 2
        assert report.count_check == "ok"
        assert report.pushed == 0
        assert report.pulled == 0
    finally:
        a.close()


def test_contacts_made_on_the_server_arrive_as_client_profiles(server: LiveServer,
                                                               tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        a.companies.create("Acme")
        site = a.sites.create("Acme", "HQ")
        sync(a, server)
        with server.client() as client:
            made = client.post("/api/platform/v1/contact/contacts", json={
                "firstName": "Ada", "lastName": "Lovelace",
                "emails": [{"emailAddress": "Ada@Example.com"}],
                "phoneNumbers": [{"designation": "Mobile", "countryCode": "GB",
                                  "nationalNumber": "7700900123"}],
                "company": {"site": {"id": site.id}}})
            assert made.status_code == 201
        report = sync(a, server)
        assert report.pulled == 1
        assert report.count_check == "ok"
        with a.db.read() as s:
            row = s.scalars(select(ClientProfileRow)).one()
        assert (row.first_name, row.mobile_country_code, row.site_id) == ("Ada", "GB", site.id)
        assert row.match_key == '["email","ada@example.com"]'
        assert row.version == 1
    finally:
        a.close()


def test_help_desk_sections_travel_and_merge_per_key(server: LiveServer,
                                                     tmp_path: Path) -> None:
    from storage.helpdesk_repository import HelpDeskRepository

    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        a.companies.create("Acme")
        site = a.sites.create("Acme", "HQ")
        with a.db.write() as s:
            HelpDeskRepository(s).save(site.id, "basic_info",
                                       {"phone": "1", "domain": "acme.com"}, "helpdesk.save")
        sync(a, server)
        sync(b, server)
        with a.db.write() as s:
            HelpDeskRepository(s).save(site.id, "basic_info",
                                       {"phone": "2", "domain": "acme.com"}, "helpdesk.save")
        with b.db.write() as s:
            HelpDeskRepository(s).save(site.id, "basic_info",
                                       {"phone": "1", "domain": "acme.org"}, "helpdesk.save")
        sync(a, server)
        assert sync(b, server).merged == 1
        sync(a, server)
        for ws in (a, b):
            with ws.db.read() as s:
                assert HelpDeskRepository(s).documents(site.id) == {
                    "basic_info": {"phone": "2", "domain": "acme.org"}}
        assert snapshot(a) == snapshot(b)
    finally:
        a.close()
        b.close()
