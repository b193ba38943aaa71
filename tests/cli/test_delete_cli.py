"""`site delete`, `company delete` and `package delete [--force]` as a user runs them (issue 14):
deletes say what they take, and deleting what sites depend on is refused, naming them."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import assert_one_line, assert_unchanged, ok_json, run_cli, snapshot
from tests.services.cascade_helpers import live_counts


def _site_ids(ws: Path, company: str) -> list[str]:
    return [s["id"] for s in ok_json(ws, "site", "list", "--company", company)]


def test_site_delete_json_counts_what_went_and_nothing_is_left(fresh_ws: Path) -> None:
    site_id = next(s["id"] for s in ok_json(fresh_ws, "site", "list")
                   if s["name"] == "Northside Clinic")
    assert ok_json(fresh_ws, "site", "delete", "Northside Clinic") == {"removed": {
        "devices": 5, "client_profiles": 7, "helpdesk_sections": 5, "vault_items": 0}}
    assert set(live_counts(fresh_ws, [site_id]).values()) == {0}


def test_site_delete_text_says_the_same_in_words(fresh_ws: Path) -> None:
    result = run_cli(fresh_ws, "site", "delete", "Northside Clinic")
    assert result.code == 0, str(result)
    assert result.stdout.strip() == (
        "deleted the site 'Northside Clinic' of Contoso Dental with 5 devices, "
        "7 client profiles, 5 Help Desk sections and 0 vault items")


def test_company_delete_json_adds_the_sites(fresh_ws: Path) -> None:
    sites = _site_ids(fresh_ws, "Contoso Dental")
    expected = live_counts(fresh_ws, sites)
    removed = ok_json(fresh_ws, "company", "delete", "Contoso Dental")
    assert removed == {"removed": {
        "devices": expected["devices"], "client_profiles": 7, "helpdesk_sections": 5,
        "vault_items": 0, "sites": len(sites)}}
    assert set(live_counts(fresh_ws, sites).values()) == {0}
    text = run_cli(fresh_ws, "company", "delete", "Fabrikam Logistics")
    assert text.code == 0, str(text)
    assert text.stdout.startswith("deleted the company 'Fabrikam Logistics' with 3 sites, ")


def test_deleting_an_unknown_site_is_refused_and_changes_nothing(fresh_ws: Path) -> None:
    before = snapshot(fresh_ws)
    result = run_cli(fresh_ws, "site", "delete", "Nowhere", "--json")
    assert result.code == 1, str(result)
    assert_one_line(result, "preflight: refused:", "Nowhere")
    assert_unchanged(before, snapshot(fresh_ws))


def test_deleting_the_default_package_is_refused_naming_the_sites(fresh_ws: Path) -> None:
    before = snapshot(fresh_ws)
    result = run_cli(fresh_ws, "package", "delete", "Baseline", "--json")
    assert result.code == 1, str(result)
    assert_one_line(result, "preflight: refused:", "Baseline", "default", "Lab",
                    "Main Office", "--force")
    assert_unchanged(before, snapshot(fresh_ws))


def test_deleting_an_assigned_package_is_refused_naming_its_sites(fresh_ws: Path) -> None:
    before = snapshot(fresh_ws)
    result = run_cli(fresh_ws, "package", "delete", "Managed Servers")
    assert result.code == 1, str(result)
    assert_one_line(result, "preflight: refused:", "Managed Servers", "Headquarters",
                    "Warehouse East", "--force")
    assert_unchanged(before, snapshot(fresh_ws))


def test_force_deletes_the_default_and_says_who_no_longer_inherits_it(fresh_ws: Path) -> None:
    deleted = ok_json(fresh_ws, "package", "delete", "Baseline", "--force")
    assert (deleted["name"], deleted["is_default"]) == ("Baseline", True)
    assert deleted["id"]
    assert len(deleted["policies"]) == 3
    assert {"Lab", "Main Office"} <= {s["name"] for s in deleted["inheriting_sites"]}
    assert "Baseline" not in [p["name"] for p in ok_json(fresh_ws, "package", "list")]


def test_force_deletes_an_assigned_package_and_unassigns_its_sites(fresh_ws: Path) -> None:
    result = run_cli(fresh_ws, "package", "delete", "Managed Servers", "--force")
    assert result.code == 0, str(result)
    assert result.stdout.splitlines() == [
        "deleted package 'Managed Servers'",
        "removed it from: Fabrikam Logistics / Headquarters, Fabrikam Logistics / Warehouse East"]
    sites = ok_json(fresh_ws, "site", "list", "--company", "Fabrikam Logistics")
    assert {s["name"]: s["package"] for s in sites}["Headquarters"] is None


def test_an_unused_package_goes_without_force(fresh_ws: Path) -> None:
    ok_json(fresh_ws, "package", "create", "--name", "Spare", "--policy", "RMM Standard")
    deleted = ok_json(fresh_ws, "package", "delete", "Spare")
    assert (deleted["assigned_sites"], deleted["inheriting_sites"]) == ([], [])
