"""The company, policy, package, site and device commands of docs/architecture.md §10, with
--json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cli.helpers import ok_json, outbox_count, run_cli

LEVELS = {"device-override", "site-package", "default-package"}


def by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    assert isinstance(rows, list)
    for row in rows:
        assert isinstance(row["id"], str)
        assert row["id"]
        assert isinstance(row["name"], str)
        assert row["name"]
    return {r["name"]: r for r in rows}


# --- company ----------------------------------------------------------------------------------

def test_company_list_and_create(fresh_ws: Path) -> None:
    companies = by_name(ok_json(fresh_ws, "company", "list"))
    assert set(companies) == {"Contoso Dental", "Fabrikam Logistics", "Northwind Legal"}

    outbox = outbox_count(fresh_ws)
    created = ok_json(fresh_ws, "company", "create", "--name", "Tailspin Toys")
    assert created["name"] == "Tailspin Toys"
    assert created["id"]
    assert outbox_count(fresh_ws) == outbox + 1, "the change wrote its outbox row"
    after = by_name(ok_json(fresh_ws, "company", "list"))
    assert after["Tailspin Toys"]["id"] == created["id"]
    assert len(after) == 4


# --- policy -----------------------------------------------------------------------------------

def test_policy_types_lists_every_type_with_its_settings(shared_ws: Path) -> None:
    types = by_name(ok_json(shared_ws, "policy", "types"))
    ids = {t["id"] for t in types.values()}
    assert ids == {"rmm-site-configuration", "remote-access", "os-patching-desktop",
                   "os-patching-server", "communicator", "psa-integration", "help-desk-chat"}
    keys = {t["id"]: {s["key"] for s in t["settings"]} for t in types.values()}
    assert {"rmm_enabled", "notification_rule", "noc_access_level"} <= \
        keys["rmm-site-configuration"]
    assert keys["remote-access"] == {"allow_require_consent", "auto_update_agent",
                                     "notification_balloon"}
    assert {"install_window", "reboot_window"} <= keys["os-patching-desktop"]


def test_policy_list_and_show(shared_ws: Path) -> None:
    policies = by_name(ok_json(shared_ws, "policy", "list"))
    assert len(policies) == 9
    for p in policies.values():
        assert {"type", "settings", "packages"} <= p.keys()
    rmm = policies["RMM Standard"]
    assert rmm["type"] == "rmm-site-configuration"
    assert rmm["settings"]["rmm_enabled"] is True
    assert rmm["settings"]["notification_rule"]

    only_remote = ok_json(shared_ws, "policy", "list", "--type", "remote-access")
    assert {p["name"] for p in only_remote} == {"Remote Access Default", "Remote Access Quiet"}

    by_id = ok_json(shared_ws, "policy", "show", rmm["id"])
    assert by_id == rmm


def test_policy_show_lists_every_package_that_uses_it(shared_ws: Path) -> None:
    """`policy show` must agree with `policy list` (and with `package show`) on which packages
    hold a policy; 'RMM with NOC' is in both Help Desk packages and 'Managed Servers'."""
    holders = ["Help Desk Essentials", "Help Desk Ready", "Managed Servers"]
    listed = by_name(ok_json(shared_ws, "policy", "list"))["RMM with NOC"]
    assert sorted(listed["packages"]) == holders
    shown = ok_json(shared_ws, "policy", "show", "RMM with NOC")
    assert sorted(shown["packages"]) == holders


def test_policy_create_and_set(fresh_ws: Path) -> None:
    # Boundaries that are allowed: a 4 h install window crossing midnight, a 1 h reboot window.
    created = ok_json(
        fresh_ws, "policy", "create", "--type", "os-patching-desktop", "--name", "Night Patching",
        "--set", "install_window=22:00-02:00", "--set", "reboot_window=02:00-03:00",
        "--set", "automation=yes",
    )
    assert created["id"]
    assert created["name"] == "Night Patching"
    assert created["type"] == "os-patching-desktop"
    assert created["packages"] == []
    settings = created["settings"]
    assert settings["install_window"] == "22:00-02:00"
    assert settings["reboot_window"] == "02:00-03:00"
    assert settings["automation"] is True
    assert settings["classification.critical"] == "deploy-approved", "unset keys get defaults"

    escalate = ok_json(fresh_ws, "rule", "create", "--name", "Escalate")
    rmm = ok_json(fresh_ws, "policy", "create", "--type", "rmm-site-configuration",
                  "--name", "RMM Full", "--set", "rmm_enabled=on", "--set", "noc_enabled=on",
                  "--set", "notification_rule=Escalate", "--set", "noc_access_level=3")
    assert rmm["settings"]["noc_access_level"] == 3
    assert rmm["settings"]["notification_rule"] == escalate["id"], "stored by id"

    updated = ok_json(fresh_ws, "policy", "set", "Night Patching",
                      "install_window=20:00-00:00", "automation=off")
    assert updated["id"] == created["id"]
    assert updated["settings"]["install_window"] == "20:00-00:00"
    assert updated["settings"]["automation"] is False
    assert updated["settings"]["reboot_window"] == "02:00-03:00", "other settings kept"
    assert ok_json(fresh_ws, "policy", "show", created["id"]) == updated


def test_names_of_200_characters_are_accepted(fresh_ws: Path) -> None:
    name = "n" * 200
    assert ok_json(fresh_ws, "company", "create", "--name", name)["name"] == name
    assert ok_json(fresh_ws, "site", "create", "--company", name, "--name", name)["name"] == name
    policy = ok_json(fresh_ws, "policy", "create", "--type", "communicator", "--name", name)
    assert policy["name"] == name
    package = ok_json(fresh_ws, "package", "create", "--name", name, "--policy", policy["id"])
    assert package["name"] == name


# --- package ----------------------------------------------------------------------------------

def test_package_list_and_show(shared_ws: Path) -> None:
    packages = by_name(ok_json(shared_ws, "package", "list"))
    assert set(packages) == {"Baseline", "Help Desk Essentials", "Help Desk Ready",
                             "Managed Servers"}
    assert [n for n, p in packages.items() if p["is_default"]] == ["Baseline"]
    baseline = packages["Baseline"]
    assert {p["name"] for p in baseline["policies"]} == {
        "RMM Standard", "Remote Access Default", "Desktop Patching Weekly"}
    for p in baseline["policies"]:
        assert {"id", "name", "type"} <= p.keys()
    shown = ok_json(shared_ws, "package", "show", baseline["id"])
    assert shown == baseline


def test_package_create_add_remove(fresh_ws: Path) -> None:
    created = run_cli(fresh_ws, "package", "create", "--name", "Front Desk",
                      "--policy", "Communicator On", "--policy", "Help Desk Chat",
                      "--default", "--json")
    assert created.code == 0, str(created)
    body = created.json()
    assert body["id"]
    assert body["name"] == "Front Desk"
    assert body["is_default"] is True
    assert [p["name"] for p in body["policies"]] == ["Communicator On", "Help Desk Chat"]
    assert body["replaced"] == []
    assert body["previous_default"]["name"] == "Baseline"
    assert "Baseline" in created.stderr
    assert "Traceback" not in created.stderr
    defaults = [p["name"] for p in ok_json(fresh_ws, "package", "list") if p["is_default"]]
    assert defaults == ["Front Desk"], "one default package at a time"

    # A policy of a new type is added; nothing replaced.
    added = ok_json(fresh_ws, "package", "add", "Front Desk", "RMM Standard")
    assert {p["name"] for p in added["policies"]} == {
        "Communicator On", "Help Desk Chat", "RMM Standard"}
    assert added["replaced"] == []

    # A second policy of a type replaces the first, and says so.
    replacing = run_cli(fresh_ws, "package", "add", "Front Desk", "RMM with NOC", "--json")
    assert replacing.code == 0, str(replacing)
    body = replacing.json()
    assert {p["name"] for p in body["policies"]} == {
        "Communicator On", "Help Desk Chat", "RMM with NOC"}
    assert [(r["name"], r["type"]) for r in body["replaced"]] == [
        ("RMM Standard", "rmm-site-configuration")]
    assert "RMM Standard" in replacing.stderr

    removed = ok_json(fresh_ws, "package", "remove", "Front Desk", "Help Desk Chat")
    assert {p["name"] for p in removed["policies"]} == {"Communicator On", "RMM with NOC"}
    shown = ok_json(fresh_ws, "package", "show", "Front Desk")
    assert {p["name"] for p in shown["policies"]} == {"Communicator On", "RMM with NOC"}


# --- site -------------------------------------------------------------------------------------

def test_site_list(shared_ws: Path) -> None:
    sites = ok_json(shared_ws, "site", "list")
    assert len(sites) == 8
    for s in sites:
        assert {"id", "name", "company", "package"} <= s.keys()
    assert by_name(sites)["Main Office"]["company"] == "Contoso Dental"
    assert by_name(sites)["Main Office"]["package"] == "Help Desk Ready"
    assert by_name(sites)["Lab"]["package"] is None

    fabrikam = ok_json(shared_ws, "site", "list", "--company", "Fabrikam Logistics")
    assert {s["name"] for s in fabrikam} == {"Headquarters", "Warehouse East", "Warehouse West"}
    assert {s["company"] for s in fabrikam} == {"Fabrikam Logistics"}


def test_site_create_assign_unassign(fresh_ws: Path) -> None:
    created = ok_json(fresh_ws, "site", "create", "--company", "Northwind Legal",
                      "--name", "Uptown")
    assert created["id"]
    assert created["name"] == "Uptown"
    assert created["company"] == "Northwind Legal"
    assert created["package"] is None

    assigned = ok_json(fresh_ws, "site", "assign", "Managed Servers",
                       "Main Office", "Lab", "Headquarters", created["id"])
    assert assigned["package"] == "Managed Servers"
    assert assigned["changed"] == 3
    assert assigned["unchanged"] == 1
    changes = {s["name"]: s for s in assigned["sites"]}
    assert changes["Main Office"]["previous_package"] == "Help Desk Ready"
    assert changes["Lab"]["previous_package"] is None
    assert changes["Headquarters"]["changed"] is False, "it already had 'Managed Servers'"
    assert [(r["name"], r["previous_package"]) for r in assigned["replaced"]] == [
        ("Main Office", "Help Desk Ready")]
    packages = {s["name"]: s["package"] for s in ok_json(fresh_ws, "site", "list")}
    assert packages["Main Office"] == packages["Lab"] == packages["Uptown"] == "Managed Servers"

    unassigned = ok_json(fresh_ws, "site", "unassign", "Lab", "Remote Staff")
    assert unassigned["package"] is None
    assert unassigned["changed"] == 1
    assert unassigned["unchanged"] == 1
    assert [(r["name"], r["previous_package"]) for r in unassigned["replaced"]] == [
        ("Lab", "Managed Servers")]
    packages = {s["name"]: s["package"] for s in ok_json(fresh_ws, "site", "list")}
    assert packages["Lab"] is None
    assert packages["Main Office"] == "Managed Servers"


def check_effective_shape(doc: dict[str, Any]) -> None:
    assert set(doc) == {"settings", "mapping"}
    assert set(doc["settings"]) == set(doc["mapping"])
    for type_id, values in doc["settings"].items():
        assert set(values) == set(doc["mapping"][type_id]), type_id
        for key, link in doc["mapping"][type_id].items():
            assert link["level"] in LEVELS, (type_id, key, link)
            assert isinstance(link["container"], dict)
            assert link["container"]
            if link["level"] != "device-override":
                assert link["package"]["id"]
                assert link["package"]["name"]
                assert link["policy"]["id"]
                assert link["policy"]["name"]
                assert link["policy"]["type"] == type_id


def test_site_effective_of_a_site_without_a_package_is_the_default(shared_ws: Path) -> None:
    doc = ok_json(shared_ws, "site", "effective", "Remote Staff")
    check_effective_shape(doc)
    links = [link for keys in doc["mapping"].values() for link in keys.values()]
    assert {link["level"] for link in links} == {"default-package"}
    assert {link["package"]["name"] for link in links} == {"Baseline"}
    assert set(doc["settings"]) == {"rmm-site-configuration", "remote-access",
                                    "os-patching-desktop"}
    assert doc["settings"]["os-patching-desktop"]["install_window"] == "22:00-04:00"


def test_site_effective_with_a_device_override(fresh_ws: Path) -> None:
    devices = {d["name"]: d for d in ok_json(fresh_ws, "device", "list", "--site", "Main Office")}
    device = devices["WS-MAIN-09"]
    assert device["override_count"] == 0

    override = ok_json(fresh_ws, "device", "override", "WS-MAIN-09",
                       "remote-access.notification_balloon=on")
    assert [(o["type"], o["key"], o["value"]) for o in override] == [
        ("remote-access", "notification_balloon", True)]

    doc = ok_json(fresh_ws, "site", "effective", "Main Office", "--device", "WS-MAIN-09")
    check_effective_shape(doc)
    remote = doc["mapping"]["remote-access"]
    assert doc["settings"]["remote-access"]["notification_balloon"] is True
    assert remote["notification_balloon"]["level"] == "device-override"
    assert remote["notification_balloon"]["container"]["endpointID"] == device["id"]
    # The other keys of the type come from the site's package ...
    for key in ("allow_require_consent", "auto_update_agent"):
        assert remote[key]["level"] == "site-package"
        assert remote[key]["package"]["name"] == "Help Desk Ready"
        assert remote[key]["policy"]["name"] == "Remote Access Default"
    # ... and a type that package lacks comes from the default package.
    patching = doc["mapping"]["os-patching-desktop"]
    assert {link["level"] for link in patching.values()} == {"default-package"}
    assert {link["package"]["name"] for link in patching.values()} == {"Baseline"}
    assert doc["mapping"]["communicator"]["enabled"]["level"] == "site-package"

    # The site itself (no --device) is untouched by the device's override.
    site_doc = ok_json(fresh_ws, "site", "effective", "Main Office")
    check_effective_shape(site_doc)
    assert site_doc["mapping"]["remote-access"]["notification_balloon"]["level"] == \
        "site-package"
    assert site_doc["settings"]["remote-access"]["notification_balloon"] is False
