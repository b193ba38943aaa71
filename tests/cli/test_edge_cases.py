"""Edge cases next to the contract: ambiguous names, replacing within one `package create`,
and commands that change nothing (they must leave no outbox or audit row behind)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli.helpers import (
    assert_one_line,
    assert_unchanged,
    ok_json,
    outbox_count,
    run_cli,
    snapshot,
)


def audit_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute("SELECT count(*) FROM audit").fetchone()[0])


def test_an_ambiguous_site_name_is_refused_and_the_id_still_works(fresh_ws: Path) -> None:
    twin = ok_json(fresh_ws, "site", "create", "--company", "Fabrikam Logistics",
                   "--name", "Main Office")
    before = snapshot(fresh_ws)
    result = run_cli(fresh_ws, "site", "assign", "Managed Servers", "Main Office", "--json")
    assert result.code == 1, str(result)
    assert_one_line(result, "preflight: refused:", "Main Office", "Fabrikam Logistics",
                    "Contoso Dental", "id")
    assert_unchanged(before, snapshot(fresh_ws))

    assigned = ok_json(fresh_ws, "site", "assign", "Managed Servers", twin["id"])
    assert [(s["id"], s["previous_package"]) for s in assigned["sites"]] == [(twin["id"], None)]


def test_package_create_with_two_policies_of_one_type_keeps_the_last(fresh_ws: Path) -> None:
    result = run_cli(fresh_ws, "package", "create", "--name", "Twice",
                     "--policy", "RMM Standard", "--policy", "RMM with NOC", "--json")
    assert result.code == 0, str(result)
    body = result.json()
    assert [p["name"] for p in body["policies"]] == ["RMM with NOC"]
    assert [(r["name"], r["type"]) for r in body["replaced"]] == [
        ("RMM Standard", "rmm-site-configuration")]
    assert "RMM Standard" in result.stderr


def test_an_unknown_device_is_refused(fresh_ws: Path) -> None:
    before = snapshot(fresh_ws)
    result = run_cli(fresh_ws, "device", "override", "WS-NOWHERE",
                     "remote-access.notification_balloon=on", "--json")
    assert result.code == 1, str(result)
    assert_one_line(result, "preflight: refused:", "device", "WS-NOWHERE")
    assert_unchanged(before, snapshot(fresh_ws))


# Each command asks for what the sample workspace already has.
NO_OP_CASES: dict[str, list[str]] = {
    "package add of a policy already in it": ["package", "add", "Baseline", "RMM Standard"],
    "site assign of the package a site has": ["site", "assign", "Managed Servers",
                                              "Headquarters"],
    "site unassign of a site without a package": ["site", "unassign", "Lab"],
    "policy set of the value it has": ["policy", "set", "RMM with NOC", "noc_access_level=2"],
}


@pytest.mark.parametrize("case", list(NO_OP_CASES))
def test_a_command_that_changes_nothing_writes_no_outbox_or_audit_row(case: str,
                                                                      fresh_ws: Path) -> None:
    args = NO_OP_CASES[case]
    if args[:2] == ["policy", "set"]:  # check the premise: the value really is already there
        shown = ok_json(fresh_ws, "policy", "show", args[2])
        key, _, value = args[3].partition("=")
        assert str(shown["settings"][key]) == value, shown["settings"]
    outbox, audit = outbox_count(fresh_ws), audit_count(fresh_ws)
    result = run_cli(fresh_ws, *args, "--json")
    assert result.code == 0, str(result)
    assert outbox_count(fresh_ws) == outbox, "a no-op must not queue a change for sync"
    assert audit_count(fresh_ws) == audit, "a no-op must not be audited as a change"
