"""`pull` against the fake Asio: companies and sites matched (our stored id, externalIds, then
name; ambiguity reported, never guessed) and linked; endpoints become devices (new ones added,
vanished ones marked, overrides kept); the ticketing lookups kept for offline use; each
endpoint's effective policy compared with ours as a drift report. A pull that fails changes
nothing here."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass

import pytest

from app.asio.errors import AsioError, AsioShapeError
from app.asio.service import AsioService
from app.domain.errors import NotFound
from app.services.workspace import Workspace
from tests.asio.conftest import make_client, run
from tests.asio.fake_asio import FakeAsio, Fault

ENDPOINTS = "/api/platform/v2/device/categories/platform/endpoints"


@dataclass
class Home:
    company: str
    site: str
    device: str
    remote_company: str
    remote_site: str
    endpoints: dict[str, str]


def _home(ws: Workspace, fake: FakeAsio) -> Home:
    company = ws.companies.create("Contoso Dental")
    site = ws.sites.create(company.id, "Main Office")
    device = ws.devices.create(site.id, "WS-01")
    remote_company = fake.add_company("Contoso Dental")
    remote_site = fake.add_site(remote_company, "Main Office")
    endpoints = {name: fake.add_endpoint(remote_site, name, kind)
                 for name, kind in (("WS-01", "Desktop"), ("WS-02", "Desktop"),
                                    ("SRV-01", "Server"))}
    elsewhere = fake.add_company("Elsewhere Inc")
    fake.add_endpoint(fake.add_site(elsewhere, "Remote"), "NOT-OURS")
    return Home(company.id, site.id, device.id, remote_company, remote_site, endpoints)


def _links(ws: Workspace) -> dict[tuple[str, str], tuple[str, str]]:
    with closing(sqlite3.connect(ws.path)) as conn:
        return {(e, loc): (rem, state) for e, loc, rem, state in conn.execute(
            "SELECT entity, local_id, remote_id, state FROM asio_links")}


def test_pull_links_companies_sites_and_endpoints(workspace: Workspace, fake: FakeAsio,
                                                  asio: AsioService) -> None:
    home = _home(workspace, fake)
    report = run(asio.pull(make_client(fake, asio)))
    assert fake.invalid == []
    assert (report.companies_linked, report.sites_linked) == (1, 1)
    assert report.companies_remote_only == ["Elsewhere Inc"]
    assert report.sites_remote_only == ["Remote"]
    assert (report.devices_linked, report.devices_added, report.devices_vanished) == (1, 2, 0)
    links = _links(workspace)
    assert links[("company", home.company)] == (home.remote_company, "linked")
    assert links[("site", home.site)] == (home.remote_site, "linked")
    # the device planned here is the endpoint of the same name; the others are new devices
    assert links[("device", home.device)] == (home.endpoints["WS-01"], "linked")
    devices = {d.name: d for d in workspace.devices.all(home.site)}
    assert sorted(devices) == ["SRV-01", "WS-01", "WS-02"]
    assert devices["SRV-01"].kind == "server"
    assert ("device", devices["WS-02"].id) in links
    assert "NOT-OURS" not in {d.name for d in workspace.devices.all()}
    # the added devices are ordinary changes of ours: they go to our backend at the next sync
    assert workspace.pending_changes() >= 5


def test_pull_keeps_the_ticketing_lookups_for_offline_use(workspace: Workspace,
                                                         fake: FakeAsio,
                                                         asio: AsioService) -> None:
    _home(workspace, fake)
    report = run(asio.pull(make_client(fake, asio)))
    assert report.lookups == {"service_boards": 2, "priorities": 2, "statuses": 2,
                              "types": 2, "sources": 3}
    kept = AsioService(workspace.db).lookups()
    assert [name for _, name in kept["sources"]] == ["Email", "Phone", "RMM Alert"]
    assert [name for _, name in kept["service_boards"]] == ["Help Desk", "NOC Escalations"]
    # a second pull with a changed list replaces it, in the platform's order
    fake.lookups["sources"] = [{"id": "s-9", "name": "Portal"}]
    run(asio.pull(make_client(fake, asio)))
    assert AsioService(workspace.db).lookups()["sources"] == [("s-9", "Portal")]


def test_vanished_endpoints_are_marked_and_keep_their_overrides(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    home = _home(workspace, fake)
    run(asio.pull(make_client(fake, asio)))
    workspace.devices.set_override(home.device, "communicator", "enabled", True)
    del fake.endpoints[home.endpoints["WS-01"]]
    report = run(asio.pull(make_client(fake, asio)))
    assert (report.devices_vanished, report.devices_added) == (1, 0)
    assert _links(workspace)[("device", home.device)] == (home.endpoints["WS-01"], "vanished")
    assert [d.name for d in workspace.devices.all(home.site)] == ["SRV-01", "WS-01", "WS-02"]
    with workspace.db.read() as s:
        from storage.repository import Repository

        assert [(o.key, o.value) for o in Repository(s).overrides(home.device)] == [
            ("enabled", True)]
    # back again: linked once more, not added twice
    fake.endpoints[home.endpoints["WS-01"]] = {"siteId": home.remote_site,
                                               "companyId": home.remote_company,
                                               "name": "WS-01", "type": "Desktop"}
    report = run(asio.pull(make_client(fake, asio)))
    assert (report.devices_vanished, report.devices_added) == (0, 0)
    assert _links(workspace)[("device", home.device)][1] == "linked"
    assert len(workspace.devices.all(home.site)) == 3


def test_external_ids_win_over_names(workspace: Workspace, fake: FakeAsio,
                                     asio: AsioService) -> None:
    company = workspace.companies.create("Contoso Dental")
    instance = asio.instance_id()
    decoy = fake.add_company("Contoso Dental")
    renamed = fake.add_company("Contoso Dental Group", ours=company.id, instance=instance)
    run(asio.pull(make_client(fake, asio)))
    assert _links(workspace)[("company", company.id)] == (renamed, "linked")
    assert decoy not in {r for r, _ in _links(workspace).values()}


def test_a_stored_link_wins_over_everything(workspace: Workspace, fake: FakeAsio,
                                            asio: AsioService) -> None:
    home = _home(workspace, fake)
    run(asio.pull(make_client(fake, asio)))
    fake.companies[home.remote_company]["name"] = "Renamed On The Platform"
    fake.add_company("Contoso Dental")  # a newcomer with our name does not steal the link
    run(asio.pull(make_client(fake, asio)))
    assert _links(workspace)[("company", home.company)][0] == home.remote_company


def test_an_ambiguous_name_is_reported_not_guessed(workspace: Workspace, fake: FakeAsio,
                                                   asio: AsioService) -> None:
    company = workspace.companies.create("Contoso Dental")
    workspace.sites.create(company.id, "Main Office")
    first = fake.add_company("Contoso Dental")
    second = fake.add_company("contoso  dental")
    report = run(asio.pull(make_client(fake, asio)))
    assert [(a.entity, a.name, sorted(a.candidates)) for a in report.ambiguous] == [
        ("company", "Contoso Dental", sorted([first, second]))]
    assert _links(workspace) == {}
    assert report.devices_added == 0


def test_surprising_but_valid_answers(workspace: Workspace, fake: FakeAsio,
                                      asio: AsioService) -> None:
    """companyId / friendlyName / deviceName variants, unknown fields, several pages."""
    fake.variant, fake.extra_fields, fake.page_size = "alt", True, 2
    home = _home(workspace, fake)
    for i in range(5):
        fake.add_endpoint(home.remote_site, f"EXTRA-{i}")
    report = run(asio.pull(make_client(fake, asio)))
    assert fake.invalid == []
    assert (report.companies_linked, report.sites_linked) == (1, 1)
    assert report.devices_added == 7
    assert {d.os for d in workspace.devices.all(home.site) if d.name != "WS-01"} == {
        "Windows 11 Pro"}
    assert fake.requests_to("POST", "/api/platform/v2/device/categories/platform/endpoints") \
        == 4


def test_a_site_without_devices_answers_404_and_that_is_an_empty_list(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    company = workspace.companies.create("Contoso Dental")
    site = workspace.sites.create(company.id, "Lab")
    fake.add_site(fake.add_company("Contoso Dental"), "Lab")
    report = run(asio.pull(make_client(fake, asio)))
    assert report.sites_linked == 1
    assert report.devices_added == 0
    assert workspace.devices.all(site.id) == []
    assert ("POST", "/api/platform/v2/device/categories/platform/endpoints", 404) in fake.log


def test_a_failed_pull_changes_nothing(workspace: Workspace, fake: FakeAsio,
                                       asio: AsioService) -> None:
    _home(workspace, fake)
    fake.faults.append(Fault("GET", "/api/platform/v1/service/ticketing/statuses", 500,
                             times=99))
    before = workspace.pending_changes()
    with pytest.raises(AsioError, match="GET /api/platform/v1/service/ticketing/statuses "
                                        "answered 500 after 6 tries"):
        run(asio.pull(make_client(fake, asio)))
    assert _links(workspace) == {}
    assert workspace.pending_changes() == before
    assert [d.name for d in workspace.devices.all()] == ["WS-01"]
    assert AsioService(workspace.db).lookups() == {}
    # the next run resumes
    fake.faults.clear()
    assert run(asio.pull(make_client(fake, asio))).devices_added == 2


def test_an_answer_that_does_not_fit_mid_pull_says_where_and_changes_nothing(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    _home(workspace, fake)
    fake.page_size = 1  # the site's three endpoints come one a page
    fake.faults.append(Fault("POST", ENDPOINTS, 200, after=1, body={"platform": [
        {"companyID": "c-1", "siteID": "s-1", "endpoints": [{"friendlyName": "No id"}]}]}))
    before = workspace.pending_changes()
    with pytest.raises(AsioShapeError) as caught:
        run(asio.pull(make_client(fake, asio)))
    assert str(caught.value) == (
        f"POST {ENDPOINTS} (page 2).platform[0].endpoints[0]: no endpointID / endpointId / id "
        "in an object with friendlyName")
    assert _links(workspace) == {}
    assert workspace.pending_changes() == before
    assert [d.name for d in workspace.devices.all()] == ["WS-01"]
    assert AsioService(workspace.db).lookups() == {}
    report = run(asio.pull(make_client(fake, asio)))  # the next run resumes
    assert (report.devices_linked, report.devices_added) == (1, 2)
    assert fake.invalid == []


def test_pull_only_the_named_sites(workspace: Workspace, fake: FakeAsio,
                                   asio: AsioService) -> None:
    home = _home(workspace, fake)
    other = workspace.sites.create(home.company, "Lab")
    remote_lab = fake.add_site(home.remote_company, "Lab")
    fake.add_endpoint(remote_lab, "LAB-01")
    report = run(asio.pull(make_client(fake, asio), ["Lab"]))
    assert report.sites_linked == 1
    assert [d.name for d in workspace.devices.all(other.id)] == ["LAB-01"]
    assert [d.name for d in workspace.devices.all(home.site)] == ["WS-01"]
    assert report.companies_remote_only == []


def test_drift_setting_by_setting_with_the_platforms_mapping(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    home = _home(workspace, fake)
    workspace.policies.create("communicator", "Communicator Off", {"enabled": False})
    workspace.policies.create("remote-access", "Remote Access", {})
    workspace.packages.save("Standard", ["Communicator Off", "Remote Access"], is_default=True)
    planned = workspace.effective.for_site(home.site, home.device).document["settings"]
    assert planned["communicator"]["enabled"] is False
    applied = {domain: dict(values) for domain, values in planned.items()}
    applied["communicator"]["enabled"] = not planned["communicator"]["enabled"]
    applied["vendor-only"] = {"thing": 5}
    del applied["remote-access"]
    link = {"package": {"id": "p-1", "name": "Platform Default"},
            "policy": {"id": "pol-7", "name": "Communicator On"},
            "container": {"clientID": home.remote_company}}
    fake.effective[home.endpoints["WS-01"]] = {  # the document: each setting an object
        "settings": {d: {k: {"value": v} for k, v in values.items()}
                     for d, values in applied.items()},
        "mapping": {"communicator": {"enabled": link}},
        "createdAt": "2026-12-01T10:00:00Z", "updatedAt": "2026-12-02T10:00:00Z"}
    report = run(asio.pull(make_client(fake, asio)))
    assert fake.invalid == []
    drift = AsioService(workspace.db).drift("Main Office")
    by_key = {(d.domain, d.key): d for d in drift}
    comm = by_key[("communicator", "enabled")]
    assert (comm.planned, comm.applied) == (planned["communicator"]["enabled"],
                                            applied["communicator"]["enabled"])
    assert comm.mapping == link
    assert by_key[("vendor-only", "thing")].planned is None
    assert by_key[("vendor-only", "thing")].applied == 5
    missing = [d for d in drift if d.domain == "remote-access"]
    assert missing
    assert all(d.applied is None for d in missing)
    assert {d.device_id for d in drift} == {home.device}
    assert report.drift == len(drift)
    assert report.settings_in_agreement == sum(len(v) for v in planned.values()) - 1 - len(
        planned["remote-access"])
    # endpoints without an effective policy (404) are skipped; a new pull replaces the report
    fake.effective.clear()
    run(asio.pull(make_client(fake, asio)))
    assert AsioService(workspace.db).drift("Main Office") == []


def test_drift_of_many_endpoints_waits_for_a_named_site(workspace: Workspace, fake: FakeAsio,
                                                        asio: AsioService) -> None:
    """One request per endpoint: a pull of every site fetches drift only up to 200
    endpoints; naming the site fetches it whatever the count."""
    home = _home(workspace, fake)
    for i in range(200):
        fake.add_endpoint(home.remote_site, f"EXTRA-{i:03}")
    effective = "/api/platform/v1/policy/clients/.+/sites/.+/endpoints/.+/effective-policy"
    report = run(asio.pull(make_client(fake, asio)))
    assert report.drift_skipped == 203
    assert fake.requests_to("GET", effective) == 0
    report = run(asio.pull(make_client(fake, asio), ["Main Office"]))
    assert report.drift_skipped == 0
    assert fake.requests_to("GET", effective) == 203
    assert fake.invalid == []


def test_a_site_named_wrong_is_said_before_anything_is_sent(workspace: Workspace,
                                                            fake: FakeAsio,
                                                            asio: AsioService) -> None:
    """The pull reads what it holds while the platform answers, but a site that is not
    ours is refused before the first request (no token asked for a typo)."""
    _home(workspace, fake)
    with pytest.raises(NotFound, match="No Such Site"):
        run(asio.pull(make_client(fake, asio), ["No Such Site"]))
    assert fake.log == []


def test_a_new_server_is_not_told_it_drifts_from_desktop_patching(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    """A server the pull adds is compared with the site's settings that reach a server: the
    desktop patching policy the site has is not "planned" for it (seed 000: one patching type
    per kind), so the platform not applying it to a server is no drift."""
    home = _home(workspace, fake)
    workspace.policies.create("remote-access", "Remote Access", {})
    workspace.policies.create("os-patching-desktop", "Desktop Patching", {"automation": True})
    workspace.packages.save("Standard", ["Remote Access", "Desktop Patching"], is_default=True)
    site_settings = workspace.effective.for_site(home.site).document["settings"]
    assert "os-patching-desktop" in site_settings
    fake.effective[home.endpoints["SRV-01"]] = {  # what the platform applies: all agreed
        "settings": {"remote-access": {k: {"value": v}
                                       for k, v in site_settings["remote-access"].items()}},
        "mapping": {}}
    report = run(asio.pull(make_client(fake, asio), ["Main Office"]))
    assert fake.invalid == []
    server = next(d for d in workspace.devices.all(home.site) if d.name == "SRV-01")
    assert server.kind == "server"
    assert [d for d in AsioService(workspace.db).drift("Main Office")
            if d.device_id == server.id] == []
    assert report.settings_in_agreement >= len(site_settings["remote-access"])
