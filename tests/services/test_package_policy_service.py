"""Packages and policies through the services (seed 000): a package is never empty, holds one
policy per type (a second replaces the first and the result names it), one default at a time;
assigned packages and packaged policies cannot be deleted."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from app.domain.errors import NotFound, PolicyRuleError, RuleViolation
from app.services.views import PolicyRef
from app.services.workspace import Workspace


def _deleted_at(ws: Workspace, table: str, row_id: str) -> str | None:
    with closing(sqlite3.connect(ws.path)) as conn:
        row = conn.execute(f"SELECT deleted_at FROM {table} WHERE id = ?", (row_id,)).fetchone()
    assert row is not None, "deleted rows stay in the file as tombstones"
    return row[0]


def _default_names(ws: Workspace) -> list[str]:
    return [p.name for p in ws.packages.all() if p.is_default]


@pytest.fixture
def pol(workspace: Workspace) -> dict[str, str]:
    ws = workspace
    ws.rules.create("Standard")  # the partner-level rule the RMM policy references
    return {
        "ra1": ws.policies.create("remote-access", "RA One").id,
        "ra2": ws.policies.create("remote-access", "RA Two").id,
        "ra3": ws.policies.create("remote-access", "RA Three").id,
        "comm": ws.policies.create("communicator", "Comm").id,
        "rmm": ws.policies.create("rmm-site-configuration", "RMM", {
            "rmm_enabled": True, "notification_rule": "Standard"}).id,
    }


# --- saving packages ----------------------------------------------------------------------


def test_save_package(workspace: Workspace, pol: dict[str, str]) -> None:
    saved = workspace.packages.save(" Baseline ", ["RA One", pol["comm"]])
    view = saved.package
    assert view.name == "Baseline"
    assert not view.is_default
    assert view.policies == (
        PolicyRef(pol["ra1"], "RA One", "remote-access", "Remote Access"),
        PolicyRef(pol["comm"], "Comm", "communicator", "Communicator"))
    assert saved.replaced == ()
    assert saved.previous_default is None
    assert workspace.packages.get("Baseline") == view
    assert workspace.packages.get(view.id) == view


def test_save_refuses_an_empty_package(workspace: Workspace) -> None:
    with pytest.raises(RuleViolation, match="package 'Empty' must contain at least one policy"):
        workspace.packages.save("Empty", [])
    assert workspace.packages.all() == []


def test_save_refuses_unknown_policies(workspace: Workspace, pol: dict[str, str]) -> None:
    with pytest.raises(NotFound, match="no policy with id or name 'Nope'"):
        workspace.packages.save("Pkg", [pol["ra1"], "Nope"])
    assert workspace.packages.all() == []


@pytest.mark.parametrize("name", ["", "  ", "p" * 201])
def test_save_refuses_bad_names(workspace: Workspace, pol: dict[str, str], name: str) -> None:
    with pytest.raises(RuleViolation, match="package name"):
        workspace.packages.save(name, [pol["ra1"]])
    assert workspace.packages.all() == []


def test_save_refuses_a_taken_name(workspace: Workspace, pol: dict[str, str]) -> None:
    workspace.packages.save("Baseline", [pol["ra1"]])
    with pytest.raises(RuleViolation, match="a package named 'BASELINE' already exists"):
        workspace.packages.save("BASELINE", [pol["comm"]])
    assert [p.name for p in workspace.packages.all()] == ["Baseline"]


def test_save_replaces_a_policy_of_the_same_type_and_reports_it(
        workspace: Workspace, pol: dict[str, str]) -> None:
    saved = workspace.packages.save("Pkg", [pol["ra1"], pol["comm"], pol["ra2"]])
    assert saved.replaced == (PolicyRef(pol["ra1"], "RA One", "remote-access", "Remote Access"),)
    assert [p.id for p in saved.package.policies] == [pol["comm"], pol["ra2"]]
    assert [p.id for p in workspace.packages.get("Pkg").policies] == [pol["comm"], pol["ra2"]]


def test_save_existing_package_in_place(workspace: Workspace, pol: dict[str, str]) -> None:
    first = workspace.packages.save("Pkg", [pol["ra1"]]).package
    again = workspace.packages.save("Renamed", [pol["ra2"], pol["comm"]], package_id=first.id)
    assert again.package.id == first.id
    assert again.package.name == "Renamed"
    assert [p.name for p in again.package.policies] == ["RA Two", "Comm"]
    assert [p.id for p in workspace.packages.all()] == [first.id]


def test_add_policy_replaces_same_type_and_reports_it(
        workspace: Workspace, pol: dict[str, str]) -> None:
    workspace.packages.save("Pkg", [pol["ra1"], pol["comm"]])
    added = workspace.packages.add_policy("Pkg", "RA Two")
    assert [r.name for r in added.replaced] == ["RA One"]
    assert [p.name for p in added.package.policies] == ["Comm", "RA Two"]
    new_type = workspace.packages.add_policy("Pkg", pol["rmm"])
    assert new_type.replaced == ()
    assert [p.name for p in new_type.package.policies] == ["Comm", "RA Two", "RMM"]
    same = workspace.packages.add_policy("Pkg", pol["ra2"])
    assert same.replaced == ()
    assert same.package == new_type.package
    assert workspace.policies.get(pol["ra1"]).packages == ()
    assert workspace.policies.get(pol["ra2"]).packages == ("Pkg",)


def test_remove_policy(workspace: Workspace, pol: dict[str, str]) -> None:
    workspace.packages.save("Pkg", [pol["ra1"], pol["comm"]])
    removed = workspace.packages.remove_policy("Pkg", "Comm")
    assert [p.name for p in removed.package.policies] == ["RA One"]
    with pytest.raises(RuleViolation, match="policy 'RA Two' is not in package 'Pkg'"):
        workspace.packages.remove_policy("Pkg", pol["ra2"])


def test_removing_the_last_policy_refused(workspace: Workspace, pol: dict[str, str]) -> None:
    workspace.packages.save("Pkg", [pol["ra1"]])
    with pytest.raises(RuleViolation, match="'Pkg' must contain at least one policy"):
        workspace.packages.remove_policy("Pkg", pol["ra1"])
    assert [p.id for p in workspace.packages.get("Pkg").policies] == [pol["ra1"]]


# --- one default at a time ------------------------------------------------------------------


def test_one_default_at_a_time(workspace: Workspace, pol: dict[str, str]) -> None:
    a = workspace.packages.save("A", [pol["ra1"]], is_default=True)
    assert a.package.is_default
    assert a.previous_default is None
    b = workspace.packages.save("B", [pol["comm"]], is_default=True)
    assert b.package.is_default
    assert b.previous_default is not None
    assert (b.previous_default.id, b.previous_default.name) == (a.package.id, "A")
    assert b.previous_default.is_default is False
    assert _default_names(workspace) == ["B"]
    assert workspace.packages.get("A").is_default is False


def test_set_default_moves_it_and_reports_the_previous(
        workspace: Workspace, pol: dict[str, str]) -> None:
    workspace.packages.save("A", [pol["ra1"]], is_default=True)
    workspace.packages.save("B", [pol["comm"]])
    moved = workspace.packages.set_default("B")
    assert moved.package.is_default
    assert moved.previous_default is not None
    assert moved.previous_default.name == "A"
    assert _default_names(workspace) == ["B"]
    cleared = workspace.packages.set_default("B", False)
    assert cleared.package.is_default is False
    assert cleared.previous_default is None
    assert _default_names(workspace) == []


def test_deleting_the_default_leaves_no_default(workspace: Workspace,
                                                pol: dict[str, str]) -> None:
    a = workspace.packages.save("A", [pol["ra1"]], is_default=True).package
    with pytest.raises(RuleViolation, match="'A' is the default package"):
        workspace.packages.delete(a.id)
    assert _default_names(workspace) == ["A"]
    workspace.packages.delete(a.id, force=True)
    assert _default_names(workspace) == []
    b = workspace.packages.save("B", [pol["ra1"]], is_default=True)
    assert b.previous_default is None


# --- deleting packages ----------------------------------------------------------------------


def test_deleting_an_assigned_package_refused(workspace: Workspace,
                                              pol: dict[str, str]) -> None:
    pkg = workspace.packages.save("Pkg", [pol["ra1"]]).package
    workspace.companies.create("Acme")
    workspace.sites.create("Acme", "HQ")
    workspace.sites.create("Acme", "Lab")
    workspace.sites.assign("Pkg", ["HQ", "Lab"])
    with pytest.raises(RuleViolation, match="package 'Pkg' is assigned to 2 site"):
        workspace.packages.delete("Pkg")
    assert workspace.packages.get(pkg.id).site_count == 2
    assert _deleted_at(workspace, "packages", pkg.id) is None


def test_deleting_an_unassigned_package(workspace: Workspace, pol: dict[str, str]) -> None:
    pkg = workspace.packages.save("Pkg", [pol["ra1"]]).package
    keep = workspace.packages.save("Keep", [pol["ra1"]]).package
    gone = workspace.packages.delete("Pkg")
    assert gone.package.id == pkg.id
    assert _deleted_at(workspace, "packages", pkg.id) is not None
    assert [p.id for p in workspace.packages.all()] == [keep.id]
    with pytest.raises(NotFound):
        workspace.packages.get(pkg.id)
    assert workspace.policies.get(pol["ra1"]).packages == ("Keep",)
    again = workspace.packages.save("Pkg", [pol["comm"]])
    assert again.package.id != pkg.id


def test_assigned_package_deletable_after_unassign(workspace: Workspace,
                                                   pol: dict[str, str]) -> None:
    workspace.packages.save("Pkg", [pol["ra1"]])
    workspace.companies.create("Acme")
    workspace.sites.create("Acme", "HQ")
    workspace.sites.assign("Pkg", ["HQ"])
    workspace.sites.unassign(["HQ"])
    assert workspace.packages.delete("Pkg").package.name == "Pkg"


# --- policies ------------------------------------------------------------------------------


def test_create_policy_from_texts_and_values(workspace: Workspace) -> None:
    view = workspace.policies.create(
        "os-patching-desktop", "Weekly",
        {"classification.driver": "do-not-deploy"},
        texts=["automation=ON", "install_window=22:00-02:00", "reboot_window=2:00-3:00"])
    assert view.type == "os-patching-desktop"
    assert view.category == "devices"
    assert view.type_label == "OS Patching Desktop"
    assert view.settings["automation"] is True
    assert view.settings["install_window"] == "22:00-02:00"
    assert view.settings["reboot_window"] == "02:00-03:00"
    assert view.settings["classification.driver"] == "do-not-deploy"
    assert view.settings["classification.critical"] == "deploy-approved"
    assert workspace.policies.get("Weekly") == view


def test_remote_access_policy_gets_the_defaults(workspace: Workspace) -> None:
    view = workspace.policies.create("remote-access", "RA")
    assert view.settings == {"allow_require_consent": True, "auto_update_agent": True,
                             "notification_balloon": False}


@pytest.mark.parametrize(("type_id", "texts", "words"), [
    ("nope", [], ["unknown policy type 'nope'"]),
    ("remote-access", ["balloon=on"], ["balloon", "unknown setting"]),
    ("remote-access", ["notification_balloon=maybe"], ["notification_balloon", "'maybe'"]),
    ("os-patching-server", ["install_window=22:00-01:59"],
     ["install_window", "at least 4 h", "3 h 59 min"]),
    ("os-patching-server", ["reboot_window=22:00-22:59"], ["reboot_window", "at least 1 h"]),
    ("rmm-site-configuration", ["rmm_enabled=yes"], ["notification_rule", "required"]),
    ("rmm-site-configuration", ["noc_enabled=yes"], ["noc_enabled"]),
    ("rmm-site-configuration", ["noc_access_level=4"], ["noc_access_level", "0–3"]),
    ("rmm-site-configuration", ["noc_access_level=-1"], ["noc_access_level"]),
])
def test_bad_policies_refused_and_nothing_written(
        workspace: Workspace, type_id: str, texts: list[str], words: list[str]) -> None:
    with pytest.raises(RuleViolation) as info:
        workspace.policies.create(type_id, "Bad", texts=texts)
    for word in words:
        assert word in str(info.value)
    assert workspace.policies.all() == []


def test_policy_error_names_the_policy(workspace: Workspace) -> None:
    with pytest.raises(PolicyRuleError) as info:
        workspace.policies.create("remote-access", "Quiet", texts=["auto_update_agent=maybe"])
    assert info.value.policy_name == "Quiet"
    assert [p.key for p in info.value.problems] == ["auto_update_agent"]


@pytest.mark.parametrize("name", ["", " ", "q" * 201])
def test_bad_policy_names_refused(workspace: Workspace, name: str) -> None:
    with pytest.raises(RuleViolation, match="policy name"):
        workspace.policies.create("remote-access", name)
    assert workspace.policies.all() == []


def test_duplicate_policy_name_refused(workspace: Workspace) -> None:
    workspace.policies.create("remote-access", "Standard")
    with pytest.raises(RuleViolation, match="already exists"):
        workspace.policies.create("communicator", "STANDARD")
    assert len(workspace.policies.all()) == 1


def test_update_policy(workspace: Workspace) -> None:
    std = workspace.rules.create("Std").id
    rmm = workspace.policies.create("rmm-site-configuration", "RMM",
                                    {"rmm_enabled": True, "notification_rule": "Std"})
    updated = workspace.policies.update("RMM", texts=["noc_enabled=yes", "noc_access_level=2"],
                                        name="RMM with NOC")
    assert updated.id == rmm.id
    assert updated.name == "RMM with NOC"
    assert updated.settings["noc_enabled"] is True
    assert updated.settings["noc_access_level"] == 2
    assert updated.settings["notification_rule"] == std, "other settings are kept (by id)"
    with pytest.raises(PolicyRuleError, match="notification_rule"):
        workspace.policies.update(rmm.id, {"notification_rule": ""})
    assert workspace.policies.get(rmm.id) == updated


def test_duplicate_policy(workspace: Workspace) -> None:
    ra = workspace.policies.create("remote-access", "RA", {"notification_balloon": True})
    first = workspace.policies.duplicate("RA")
    second = workspace.policies.duplicate("RA")
    named = workspace.policies.duplicate("RA", "RA Custom")
    assert [first.name, second.name, named.name] == ["RA (copy)", "RA (copy 2)", "RA Custom"]
    assert {first.settings == ra.settings, second.settings == ra.settings} == {True}
    assert len({ra.id, first.id, second.id, named.id}) == 4
    with pytest.raises(RuleViolation, match="already exists"):
        workspace.policies.duplicate("RA", "ra custom")


def test_deleting_a_policy_in_a_package_refused(workspace: Workspace,
                                                pol: dict[str, str]) -> None:
    workspace.packages.save("Baseline", [pol["ra1"], pol["comm"]])
    workspace.packages.save("Servers", [pol["ra1"]])
    with pytest.raises(RuleViolation) as info:
        workspace.policies.delete("RA One")
    message = str(info.value)
    assert "policy 'RA One' is in package(s)" in message
    assert "'Baseline'" in message
    assert "'Servers'" in message
    assert _deleted_at(workspace, "policies", pol["ra1"]) is None
    assert workspace.policies.get(pol["ra1"]).packages == ("Baseline", "Servers")


def test_deleting_a_policy_once_out_of_its_packages(workspace: Workspace,
                                                    pol: dict[str, str]) -> None:
    workspace.packages.save("Baseline", [pol["ra1"], pol["comm"]])
    workspace.packages.remove_policy("Baseline", pol["ra1"])
    deleted = workspace.policies.delete(pol["ra1"])
    assert deleted.id == pol["ra1"]
    assert _deleted_at(workspace, "policies", pol["ra1"]) is not None
    assert pol["ra1"] not in {p.id for p in workspace.policies.all()}
    with pytest.raises(NotFound):
        workspace.policies.get(pol["ra1"])


def test_policy_of_a_deleted_package_can_be_deleted(workspace: Workspace,
                                                    pol: dict[str, str]) -> None:
    workspace.packages.save("Old", [pol["ra3"]])
    workspace.packages.delete("Old")
    assert workspace.policies.delete(pol["ra3"]).name == "RA Three"


def test_policy_listing_filters(workspace: Workspace, pol: dict[str, str]) -> None:
    assert {p.name for p in workspace.policies.all("remote-access")} == {
        "RA One", "RA Two", "RA Three"}
    assert {p.name for p in workspace.policies.all(search="three")} == {"RA Three"}
    assert {p.name for p in workspace.policies.all(search="communicator")} == {"Comm"}
    with pytest.raises(RuleViolation, match="unknown policy type"):
        workspace.policies.all("nope")


def test_policy_types_listed(workspace: Workspace) -> None:
    types = {t.id: t for t in workspace.policies.types()}
    assert set(types) == {"rmm-site-configuration", "remote-access", "os-patching-desktop",
                          "os-patching-server", "communicator", "psa-integration",
                          "help-desk-chat"}
    assert types["remote-access"].settings == (
        "allow_require_consent", "auto_update_agent", "notification_balloon")
    assert types["psa-integration"].category == "sites"


def test_live_check_reports_problems(workspace: Workspace) -> None:
    problems = workspace.policies.check("os-patching-desktop", "", {
        "install_window": "01:00-02:00", "reboot_window": "02:00-02:10"})
    assert [p.key for p in problems] == ["install_window", "reboot_window"]
    assert workspace.policies.check("remote-access", "RA", {}) == []
