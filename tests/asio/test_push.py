"""`push` against the fake Asio: a plan first (per object: create, update or skip, and why),
then companies and sites that exist only here, renamed sites, and client profiles as contacts.
Every request valid against the vendor's document; our id in every created object's
externalIds; the mapping lookup first, so a run cut off half-way (a 500, a killed process)
and run again creates nothing twice. Nothing remote is ever deleted."""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing

import pytest

from app.asio.errors import AsioError, AsioShapeError
from app.asio.service import AsioService
from app.profiles.profile import Profile
from app.services.workspace import Workspace
from tests.asio.conftest import make_client, run
from tests.asio.fake_asio import FakeAsio, Fault, Killed

CONTACTS = "/api/platform/v1/contact/contacts"


def _prepare(ws: Workspace, profiles: int = 3) -> tuple[str, str]:
    company = ws.companies.create("Contoso Dental")
    site = ws.sites.create(company.id, "Main Office")
    for i in range(profiles):
        ws.profiles.add(site.id, Profile(
            f"Ann{i}", f"Lee{i}", email=f"ann{i}@contoso.example", title="Nurse",
            mobile_country_code="GB", mobile_phone=f"07400123{i:03}",
            office_country_code="US", office_phone="2133734253", office_extension="12"))
    return company.id, site.id


def _remote_ids(ws: Workspace, entity: str) -> dict[str, str]:
    with closing(sqlite3.connect(ws.path)) as conn:
        return dict(conn.execute("SELECT local_id, remote_id FROM asio_links WHERE entity = ?",
                                 (entity,)).fetchall())


def _ours(obj: dict[str, object]) -> list[str]:
    return [e["externalId"] for e in obj.get("externalIds") or []]  # type: ignore[index, union-attr]


def test_the_plan_says_what_and_why_and_sends_only_reads(workspace: Workspace, fake: FakeAsio,
                                                         asio: AsioService) -> None:
    _prepare(workspace)
    report = run(asio.push(make_client(fake, asio), dry_run=True))
    plan = report.plan
    rows = [(i.entity, i.name, i.action, i.reason) for i in plan.items]
    assert rows[:2] == [("company", "Contoso Dental", "create", "only here"),
                        ("site", "Main Office", "create", "only here")]
    assert sorted(rows[2:]) == [("contact", f"Ann{i} Lee{i}", "create",
                                 "a client profile not on the platform") for i in range(3)]
    assert plan.to_json()["summary"]["create"] == {"company": 1, "site": 1, "contact": 3}
    assert plan.writes == 5
    assert fake.writes == 0
    assert {m for m, _, _ in fake.log} <= {"GET", "POST"}
    assert {p for m, p, _ in fake.log if m == "POST"} == {
        "/v1/token", "/api/platform/v1/mapping/mappings/lookup"}
    assert _remote_ids(workspace, "company") == {}
    assert fake.invalid == []


def test_push_creates_companies_sites_and_contacts_once(workspace: Workspace, fake: FakeAsio,
                                                        asio: AsioService) -> None:
    company_id, site_id = _prepare(workspace)
    client = make_client(fake, asio)
    report = run(asio.push(client))
    assert fake.invalid == []
    assert report.created == {"company": 1, "site": 1, "contact": 3}
    (remote_company,) = fake.companies
    (remote_site,) = fake.sites
    assert _ours(fake.companies[remote_company]) == [company_id]
    assert _ours(fake.sites[remote_site]) == [site_id]
    assert fake.sites[remote_site]["companyId"] == remote_company
    assert _remote_ids(workspace, "company") == {company_id: remote_company}
    assert _remote_ids(workspace, "site") == {site_id: remote_site}
    assert sorted(_remote_ids(workspace, "contact").values()) == sorted(fake.contacts)
    contact = next(c for c in fake.contacts.values() if c["firstName"] == "Ann1")
    assert contact["lastName"] == "Lee1"
    assert contact["emails"] == [{"emailAddress": "ann1@contoso.example", "primaryFlag": True}]
    assert contact["phoneNumbers"] == [
        {"countryCode": "GB", "nationalNumber": "7400123001", "designation": "Mobile",
         "primaryFlag": True},
        {"countryCode": "US", "nationalNumber": "2133734253", "designation": "Office",
         "primaryFlag": False, "extension": "12"}]
    assert contact["company"] == {"id": remote_company, "site": {"id": remote_site}}
    # one request per contact, plus one lookup for the batch
    assert fake.requests_to("POST", CONTACTS) == 3
    assert fake.requests_to("POST", "/api/platform/v1/mapping/mappings/lookup") == 1
    assert not [m for m, _, _ in fake.log if m in ("DELETE", "PUT")]

    again = run(asio.push(make_client(fake, asio)))
    assert again.plan.writes == 0
    assert again.writes == 0
    assert fake.writes == 5
    assert {i.action for i in again.plan.items} == {"skip"}
    assert fake.invalid == []


def test_a_500_in_the_middle_stops_and_the_next_run_resumes(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    _prepare(workspace, profiles=5)
    fake.faults.append(Fault("POST", CONTACTS, 500, after=2, times=99))
    with pytest.raises(AsioError, match=f"POST {CONTACTS} answered 500 after 6 tries"):
        run(asio.push(make_client(fake, asio)))
    assert len(fake.contacts) == 2
    assert len(_remote_ids(workspace, "contact")) == 2  # only what the platform confirmed
    fake.faults.clear()
    report = run(asio.push(make_client(fake, asio)))
    assert report.created == {"company": 0, "site": 0, "contact": 3}
    assert len(fake.contacts) == 5
    assert Counter(_ours(c)[0] for c in fake.contacts.values()).most_common(1)[0][1] == 1
    assert fake.invalid == []


def test_an_answer_that_does_not_fit_mid_push_keeps_what_was_confirmed_and_resumes(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    """The platform made the second contact but its answer names no id: the push stops there
    with an error naming the request and the shape; the next run's mapping lookup finds our
    id on that contact and links it instead of creating it again."""
    _prepare(workspace, profiles=4)
    fake.faults.append(Fault("POST", CONTACTS, 201, body={"created": True}, after=1,
                             applied=True))
    with pytest.raises(AsioShapeError, match=f"POST {CONTACTS}: no contact id in an object "
                                             "with created"):
        run(asio.push(make_client(fake, asio)))
    assert len(fake.contacts) == 2
    assert len(_remote_ids(workspace, "contact")) == 1  # only the answer we could read
    report = run(asio.push(make_client(fake, asio)))
    assert report.created == {"company": 0, "site": 0, "contact": 2}
    assert len(fake.contacts) == 4
    assert len({_ours(c)[0] for c in fake.contacts.values()}) == 4
    assert len(_remote_ids(workspace, "contact")) == 4
    assert fake.invalid == []


@pytest.mark.parametrize("killed_after", [1, 2, 4])
def test_a_run_killed_mid_push_and_run_again_creates_nothing_twice(
        workspace: Workspace, fake: FakeAsio, asio: AsioService, killed_after: int) -> None:
    """Killed after the platform made an object and before we heard of it: the next run's
    mapping lookup finds our id on it and links it instead of creating it again."""
    _prepare(workspace, profiles=4)
    fake.die_after_writes = killed_after
    with pytest.raises(Killed):
        run(asio.push(make_client(fake, asio)))
    assert fake.writes == killed_after
    report = run(asio.push(make_client(fake, asio)))
    assert len(fake.companies) == 1
    assert len(fake.sites) == 1
    assert len(fake.contacts) == 4
    ours = [_ours(c)[0] for c in fake.contacts.values()]
    assert len(set(ours)) == 4
    assert sum(report.created.values()) == 6 - killed_after
    assert len(_remote_ids(workspace, "contact")) == 4
    assert fake.invalid == []


def test_a_renamed_site_is_patched_and_a_platform_rename_is_not_overwritten(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    _, site_id = _prepare(workspace, profiles=0)
    run(asio.push(make_client(fake, asio)))
    (remote_site,) = fake.sites
    workspace.sites.rename(site_id, "Main Office (HQ)")
    report = run(asio.push(make_client(fake, asio), dry_run=True))
    (item,) = [i for i in report.plan.items if i.entity == "site"]
    assert (item.action, item.reason) == ("update",
                                          "renamed here: 'Main Office' → 'Main Office (HQ)'")
    assert fake.writes == 2
    run(asio.push(make_client(fake, asio)))
    assert fake.sites[remote_site]["name"] == "Main Office (HQ)"
    assert fake.requests_to("PATCH", r"/api/platform/v1/company/companies/.+/sites/.+") == 1
    # renamed on the platform afterwards, and here too: theirs is kept, the plan says why
    fake.sites[remote_site]["name"] = "Head Office"
    workspace.sites.rename(site_id, "Main")
    report = run(asio.push(make_client(fake, asio)))
    (item,) = [i for i in report.plan.items if i.entity == "site"]
    assert (item.action, item.reason) == (
        "skip", "renamed on the platform to 'Head Office'; not overwritten")
    assert fake.sites[remote_site]["name"] == "Head Office"
    assert fake.invalid == []


def test_existing_objects_are_found_by_name_or_our_id_not_created_again(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    company_id, site_id = _prepare(workspace, profiles=1)
    remote_company = fake.add_company("CONTOSO DENTAL")
    remote_site = fake.add_site(remote_company, "Renamed there", ours=site_id,
                                instance=asio.instance_id())
    report = run(asio.push(make_client(fake, asio)))
    reasons = {i.entity: i.reason for i in report.plan.items}
    assert reasons["company"] == "a same-named object is on the platform; linked"
    assert reasons["site"] == "already on the platform (found by our id); linked"
    assert report.created == {"company": 0, "site": 0, "contact": 1}
    assert _remote_ids(workspace, "company") == {company_id: remote_company}
    assert _remote_ids(workspace, "site") == {site_id: remote_site}


def test_an_ambiguous_company_is_skipped_with_its_sites_and_contacts(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    _prepare(workspace, profiles=1)
    fake.add_company("Contoso Dental")
    fake.add_company("Contoso  Dental")
    report = run(asio.push(make_client(fake, asio)))
    actions = {i.entity: (i.action, i.reason) for i in report.plan.items}
    assert actions["company"][0] == "skip"
    assert actions["company"][1].startswith("2 objects on the platform have this name")
    assert actions["site"] == ("skip", "its company is not on the platform yet (see the "
                                       "company)")
    assert actions["contact"] == ("skip", "its site is not on the platform yet (see the site)")
    assert fake.writes == 0


def test_push_only_the_named_sites(workspace: Workspace, fake: FakeAsio,
                                   asio: AsioService) -> None:
    company_id, _ = _prepare(workspace, profiles=1)
    other = workspace.companies.create("Fabrikam")
    workspace.sites.create(other.id, "Warehouse")
    lab = workspace.sites.create(company_id, "Lab")
    report = run(asio.push(make_client(fake, asio), ["Lab"]))
    assert [(i.entity, i.name) for i in report.plan.items] == [
        ("company", "Contoso Dental"), ("site", "Lab")]
    assert sorted(s["name"] for s in fake.sites.values()) == ["Lab"]
    assert _remote_ids(workspace, "site").keys() == {lab.id}


def test_progress_is_reported_per_object(workspace: Workspace, fake: FakeAsio,
                                         asio: AsioService) -> None:
    _prepare(workspace, profiles=2)
    seen: list[tuple[int, int, str]] = []
    run(asio.push(make_client(fake, asio), progress=lambda d, t, w: seen.append((d, t, w))))
    assert seen[0] == (0, 4, "create company 'Contoso Dental'")
    assert seen[-1] == (4, 4, "done")
    assert [d for d, _, _ in seen] == [0, 1, 2, 3, 4]
