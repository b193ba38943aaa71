"""Companies, sites and devices through the services: create, rename, delete (tombstones), names
unique without regard to case, lookup by id or exact name, ambiguous names refused."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from app.domain.errors import Ambiguous, NotFound, RuleViolation
from app.services.views import CompanyView, SiteView
from app.services.workspace import Workspace


def _row(ws: Workspace, table: str, row_id: str) -> tuple[str, str | None]:
    with closing(sqlite3.connect(ws.path)) as conn:
        row = conn.execute(f"SELECT name, deleted_at FROM {table} WHERE id = ?",
                           (row_id,)).fetchone()
    assert row is not None, f"the {table} row {row_id} must stay in the file as a tombstone"
    return row[0], row[1]


# --- companies ----------------------------------------------------------------------------


def test_create_company(workspace: Workspace) -> None:
    acme = workspace.companies.create("  Acme Dental  ")
    assert acme == CompanyView(acme.id, "Acme Dental", 0)
    assert len(acme.id) == 36
    assert workspace.companies.all() == [acme]


def test_companies_listed_by_name(workspace: Workspace) -> None:
    for name in ("Northwind", "contoso", "Fabrikam"):
        workspace.companies.create(name)
    assert [c.name for c in workspace.companies.all()] == ["contoso", "Fabrikam", "Northwind"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_bad_company_names_refused(workspace: Workspace, name: str) -> None:
    with pytest.raises(RuleViolation, match="company name"):
        workspace.companies.create(name)
    assert workspace.companies.all() == []


def test_200_character_company_name(workspace: Workspace) -> None:
    assert workspace.companies.create("c" * 200).name == "c" * 200


@pytest.mark.parametrize("again", ["Acme", "ACME", "acme", " Acme ", "aCmE"])
def test_duplicate_company_refused_whatever_the_case(workspace: Workspace, again: str) -> None:
    workspace.companies.create("Acme")
    with pytest.raises(RuleViolation, match=r"a company named '.*' already exists"):
        workspace.companies.create(again)
    assert len(workspace.companies.all()) == 1


def test_duplicate_company_with_non_ascii_letters_refused(workspace: Workspace) -> None:
    """"Zahnärzte Müller" and "ZAHNÄRZTE MÜLLER" are the same client, as "Acme"/"ACME" are.

    SQLite's NOCASE folds ASCII letters only, so a case-insensitive check made by the database
    lets the second one in.
    """
    workspace.companies.create("Zahnärzte Müller")
    with pytest.raises(RuleViolation, match="already exists"):
        workspace.companies.create("ZAHNÄRZTE MÜLLER")
    assert [c.name for c in workspace.companies.all()] == ["Zahnärzte Müller"]


def test_rename_company(workspace: Workspace) -> None:
    acme = workspace.companies.create("Acme")
    workspace.sites.create(acme.id, "HQ")
    renamed = workspace.companies.rename("Acme", " Acme Ltd ")
    assert renamed == CompanyView(acme.id, "Acme Ltd", 1)
    assert workspace.companies.get(acme.id).name == "Acme Ltd"
    with pytest.raises(NotFound):
        workspace.companies.get("Acme")


def test_rename_company_to_a_case_variant_of_its_own_name(workspace: Workspace) -> None:
    acme = workspace.companies.create("acme")
    assert workspace.companies.rename(acme.id, "ACME").name == "ACME"


def test_rename_company_onto_another_refused(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    beta = workspace.companies.create("Beta")
    with pytest.raises(RuleViolation, match="already exists"):
        workspace.companies.rename(beta.id, "acme")
    assert workspace.companies.get(beta.id).name == "Beta"


def test_rename_company_bad_name_refused(workspace: Workspace) -> None:
    acme = workspace.companies.create("Acme")
    with pytest.raises(RuleViolation, match="must not be empty"):
        workspace.companies.rename(acme.id, "  ")
    assert workspace.companies.get(acme.id).name == "Acme"


def test_delete_company_leaves_tombstones(workspace: Workspace) -> None:
    acme = workspace.companies.create("Acme")
    keep = workspace.companies.create("Keep")
    hq = workspace.sites.create(acme.id, "HQ")
    kept_site = workspace.sites.create(keep.id, "HQ")
    pc = workspace.devices.create(hq.id, "PC-1")
    gone = workspace.companies.delete("Acme")
    assert (gone.id, gone.sites) == (acme.id, 1)
    for table, row_id in (("companies", acme.id), ("sites", hq.id), ("devices", pc.id)):
        _, deleted_at = _row(workspace, table, row_id)
        assert deleted_at is not None
        assert deleted_at.endswith("Z")
    assert _row(workspace, "companies", keep.id)[1] is None
    assert [c.id for c in workspace.companies.all()] == [keep.id]
    assert [x.id for x in workspace.sites.all()] == [kept_site.id]
    assert workspace.devices.all() == []
    with pytest.raises(NotFound):
        workspace.companies.get(acme.id)
    with pytest.raises(NotFound):
        workspace.companies.get("Acme")
    assert workspace.sites.get("HQ").id == kept_site.id, "the deleted HQ no longer competes"


def test_deleted_company_name_can_be_used_again(workspace: Workspace) -> None:
    old = workspace.companies.create("Acme")
    workspace.companies.delete(old.id)
    new = workspace.companies.create("Acme")
    assert new.id != old.id
    assert workspace.companies.get("Acme").id == new.id


def test_lookup_by_id_or_exact_name(workspace: Workspace) -> None:
    acme = workspace.companies.create("Acme")
    assert workspace.companies.get(acme.id) == acme
    assert workspace.companies.get("Acme") == acme
    with pytest.raises(NotFound, match="no company with id or name 'Acne'"):
        workspace.companies.get("Acne")
    with pytest.raises(NotFound):
        workspace.companies.get(acme.id[:8])


# --- sites --------------------------------------------------------------------------------


def test_create_site_by_company_name_or_id(workspace: Workspace) -> None:
    acme = workspace.companies.create("Acme")
    hq = workspace.sites.create("Acme", "  HQ ")
    lab = workspace.sites.create(acme.id, "Lab")
    assert hq == SiteView(hq.id, "HQ", acme.id, "Acme", None, None, 0)
    assert lab.company_id == acme.id
    assert workspace.companies.get(acme.id).site_count == 2


def test_site_of_unknown_company_refused(workspace: Workspace) -> None:
    with pytest.raises(NotFound, match="no company with id or name 'Nope'"):
        workspace.sites.create("Nope", "HQ")
    assert workspace.sites.all() == []


@pytest.mark.parametrize("name", ["", " ", "s" * 201])
def test_bad_site_names_refused(workspace: Workspace, name: str) -> None:
    workspace.companies.create("Acme")
    with pytest.raises(RuleViolation, match="site name"):
        workspace.sites.create("Acme", name)
    assert workspace.sites.all() == []


def test_duplicate_site_in_a_company_refused_whatever_the_case(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    workspace.sites.create("Acme", "Main Office")
    for again in ("Main Office", "MAIN OFFICE", "main office"):
        with pytest.raises(RuleViolation, match="already has a site named"):
            workspace.sites.create("Acme", again)
    assert len(workspace.sites.all()) == 1


def test_same_site_name_in_two_companies_allowed(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    workspace.companies.create("Beta")
    a = workspace.sites.create("Acme", "HQ")
    b = workspace.sites.create("Beta", "HQ")
    assert a.id != b.id
    assert [(x.company, x.name) for x in workspace.sites.all()] == [("Acme", "HQ"),
                                                                    ("Beta", "HQ")]
    assert [x.id for x in workspace.sites.all("Beta")] == [b.id]


def test_ambiguous_site_name_refused_use_the_id(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    workspace.companies.create("Beta")
    a = workspace.sites.create("Acme", "HQ")
    b = workspace.sites.create("Beta", "HQ")
    with pytest.raises(Ambiguous) as info:
        workspace.sites.get("HQ")
    message = str(info.value)
    assert "use the id" in message
    assert "2 sites are named 'HQ'" in message
    assert "in Acme" in message
    assert "in Beta" in message
    assert isinstance(info.value, RuleViolation)
    assert workspace.sites.get(a.id).company == "Acme"
    assert workspace.sites.get(b.id).company == "Beta"
    with pytest.raises(Ambiguous, match="use the id"):
        workspace.sites.rename("HQ", "Head Office")
    with pytest.raises(Ambiguous, match="use the id"):
        workspace.devices.create("HQ", "PC-1")
    with pytest.raises(Ambiguous, match="use the id"):
        workspace.sites.delete("HQ")
    assert len(workspace.sites.all()) == 2


def test_exact_case_match_wins_over_case_variants(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    workspace.companies.create("Beta")
    upper = workspace.sites.create("Acme", "HQ")
    lower = workspace.sites.create("Beta", "hq")
    assert workspace.sites.get("HQ").id == upper.id
    assert workspace.sites.get("hq").id == lower.id
    with pytest.raises(Ambiguous):
        workspace.sites.get("Hq")


def test_rename_site(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    hq = workspace.sites.create("Acme", "HQ")
    workspace.sites.create("Acme", "Lab")
    renamed = workspace.sites.rename(hq.id, "Head Office")
    assert (renamed.id, renamed.name, renamed.company) == (hq.id, "Head Office", "Acme")
    with pytest.raises(RuleViolation, match="already has a site named 'lab'"):
        workspace.sites.rename(hq.id, "lab")
    assert workspace.sites.get(hq.id).name == "Head Office"
    assert workspace.sites.rename(hq.id, "HEAD OFFICE").name == "HEAD OFFICE"


def test_delete_site_leaves_tombstones(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    hq = workspace.sites.create("Acme", "HQ")
    lab = workspace.sites.create("Acme", "Lab")
    pc = workspace.devices.create(hq.id, "PC-1")
    other = workspace.devices.create(lab.id, "PC-2")
    deleted = workspace.sites.delete("HQ")
    assert (deleted.id, deleted.devices) == (hq.id, 1)
    assert _row(workspace, "sites", hq.id)[1] is not None
    assert _row(workspace, "devices", pc.id)[1] is not None
    assert [x.id for x in workspace.sites.all()] == [lab.id]
    assert [d.id for d in workspace.devices.all()] == [other.id]
    assert workspace.companies.get("Acme").site_count == 1
    with pytest.raises(NotFound):
        workspace.sites.get(hq.id)
    again = workspace.sites.create("Acme", "HQ")
    assert again.id != hq.id


# --- devices ------------------------------------------------------------------------------


def test_devices(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    hq = workspace.sites.create("Acme", "HQ")
    pc = workspace.devices.create("HQ", "WS-01", "desktop", "Windows 11 Pro")
    srv = workspace.devices.create(hq.id, "SRV-01", "server")
    assert [(d.name, d.kind) for d in workspace.devices.all("HQ")] == [
        ("SRV-01", "server"), ("WS-01", "desktop")]
    assert pc.os == "Windows 11 Pro"
    assert srv.site_id == hq.id
    assert workspace.sites.get(hq.id).device_count == 2
    with pytest.raises(RuleViolation, match="must be desktop or server"):
        workspace.devices.create("HQ", "Phone", "phone")
    with pytest.raises(RuleViolation, match="device name"):
        workspace.devices.create("HQ", " ")
    with pytest.raises(NotFound, match="no site"):
        workspace.devices.create("Nope", "X")
    assert len(workspace.devices.all()) == 2


def test_sample_hierarchy(sample_workspace: Workspace) -> None:
    companies = sample_workspace.companies.all()
    assert {c.name: c.site_count for c in companies} == {
        "Contoso Dental": 3, "Fabrikam Logistics": 3, "Northwind Legal": 2}
    sites = sample_workspace.sites.all()
    assert len(sites) == 8
    assert sum(x.device_count for x in sites) == 40
    assert {x.name: x.package for x in sites if x.package} == {
        "Main Office": "Help Desk Ready", "Northside Clinic": "Help Desk Essentials",
        "Headquarters": "Managed Servers", "Warehouse East": "Managed Servers",
        "Downtown": "Help Desk Ready"}
    assert sample_workspace.is_empty() is False
