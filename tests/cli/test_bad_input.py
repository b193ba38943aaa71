"""Bad input (issue 3): each refused with exit 1 (a rule) or 2 (usage or environment), one clear
line on stderr naming the object and the rule, no traceback, and the workspace unchanged."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import (
    assert_one_line,
    assert_unchanged,
    copy_workspace,
    ok_json,
    outbox_count,
    run_cli,
    run_raw,
    snapshot,
)

REFUSED = "preflight: refused:"
ERROR = "preflight: error:"
Template = tuple[Path, dict[str, Any]]

N201 = "x" * 201

# (command, words the one stderr line must contain)
RULE_CASES: dict[str, tuple[list[str], list[str]]] = {
    "unknown policy type": (
        ["policy", "create", "--type", "antivirus", "--name", "AV"],
        ["antivirus", "unknown policy type"]),
    "unknown policy type in list": (
        ["policy", "list", "--type", "antivirus"], ["antivirus", "unknown policy type"]),
    "unknown setting key on create": (
        ["policy", "create", "--type", "remote-access", "--name", "RA", "--set", "volume=11"],
        ["RA", "volume", "unknown setting"]),
    "unknown setting key on set": (
        ["policy", "set", "Remote Access Default", "volume=11"],
        ["Remote Access Default", "volume", "unknown setting"]),
    "boolean maybe on create": (
        ["policy", "create", "--type", "remote-access", "--name", "RA",
         "--set", "notification_balloon=maybe"],
        ["RA", "notification_balloon", "maybe"]),
    "boolean maybe on set": (
        ["policy", "set", "Remote Access Default", "notification_balloon=maybe"],
        ["Remote Access Default", "notification_balloon", "maybe"]),
    "empty company name": (["company", "create", "--name", ""], ["company", "name", "empty"]),
    "blank policy name": (
        ["policy", "create", "--type", "communicator", "--name", "   "],
        ["policy", "name", "empty"]),
    "empty package name": (
        ["package", "create", "--name", "", "--policy", "Communicator On"],
        ["package", "name", "empty"]),
    "empty site name": (
        ["site", "create", "--company", "Contoso Dental", "--name", ""],
        ["site", "name", "empty"]),
    "201-character company name": (
        ["company", "create", "--name", N201], ["company", "name", "200", "201"]),
    "201-character policy name": (
        ["policy", "create", "--type", "communicator", "--name", N201],
        ["policy", "name", "200", "201"]),
    "201-character package name": (
        ["package", "create", "--name", N201, "--policy", "Communicator On"],
        ["package", "name", "200", "201"]),
    "201-character site name": (
        ["site", "create", "--company", "Contoso Dental", "--name", N201],
        ["site", "name", "200", "201"]),
    "package create without a policy": (
        ["package", "create", "--name", "Hollow"], ["Hollow", "at least one policy"]),
    "install window of 3 h 59 min on create": (
        ["policy", "create", "--type", "os-patching-desktop", "--name", "Short",
         "--set", "install_window=22:00-01:59"],
        ["Short", "install_window", "4 h", "3 h 59 min"]),
    "install window of 3 h 59 min on set": (
        ["policy", "set", "Desktop Patching Weekly", "install_window=22:00-01:59"],
        ["Desktop Patching Weekly", "install_window", "4 h"]),
    "reboot window of 59 min": (
        ["policy", "set", "Server Patching Approved", "reboot_window=05:00-05:59"],
        ["Server Patching Approved", "reboot_window", "1 h", "59 min"]),
    "RMM enabled without a notification rule": (
        ["policy", "create", "--type", "rmm-site-configuration", "--name", "Bare RMM",
         "--set", "rmm_enabled=yes"],
        ["Bare RMM", "notification_rule", "RMM"]),
    "clearing the notification rule of an RMM policy": (
        ["policy", "set", "RMM Standard", "notification_rule="],
        ["RMM Standard", "notification_rule", "RMM"]),
    "NOC level 4 on create": (
        ["policy", "create", "--type", "rmm-site-configuration", "--name", "NOC4",
         "--set", "noc_access_level=4"],
        ["NOC4", "noc_access_level", "4", "0", "3"]),
    "NOC level 4 on set": (
        ["policy", "set", "RMM with NOC", "noc_access_level=4"],
        ["RMM with NOC", "noc_access_level", "4"]),
    "a valid setting then an invalid one": (
        ["policy", "set", "RMM with NOC", "noc_access_level=1", "noc_access_level=4"],
        ["RMM with NOC", "noc_access_level"]),
    "assigning an unknown package": (
        ["site", "assign", "Platinum", "Lab"], ["package", "Platinum"]),
    "assigning to an unknown site": (
        ["site", "assign", "Managed Servers", "Atlantis"], ["site", "Atlantis"]),
    "assigning to known sites and an unknown one": (
        ["site", "assign", "Managed Servers", "Lab", "Remote Staff", "Atlantis"],
        ["site", "Atlantis"]),
    "unassigning an unknown site": (["site", "unassign", "Lab", "Atlantis"], ["site", "Atlantis"]),
    "adding an unknown policy to a package": (
        ["package", "add", "Baseline", "Nonexistent Policy"], ["policy", "Nonexistent Policy"]),
    "site effective of a device of another site": (
        ["site", "effective", "Lab", "--device", "WS-MAIN-01"], ["WS-MAIN-01", "Lab"]),
    # `policy delete` refuses a policy that packages use; 'RMM with NOC' is in two packages.
    "deleting a policy that packages use": (
        ["policy", "delete", "RMM with NOC"], ["RMM with NOC", "package"]),
    # Exit 1 means nothing changed: a command with several overrides is all or nothing.
    # seed 002: the API keys travel with every request, so the PSA URL is https only
    "PSA URL over plain http on set": (
        ["policy", "set", "PSA Ticket Sync", "psa_url=http://psa.example.com"],
        ["PSA Ticket Sync", "psa_url", "must start with https://",
         "write it as 'https://psa.example.com'"]),
    "PSA URL over plain http on create": (
        ["policy", "create", "--type", "psa-integration", "--name", "Plain PSA",
         "--set", "psa_url=http://psa.example.com"],
        ["Plain PSA", "psa_url", "https://"]),
    # seed 002 phase 5: NOC access levels 1-3 are for NOC technicians; 0 = notifications only
    "NOC access level with NOC off": (
        ["policy", "set", "RMM Standard", "noc_access_level=2"],
        ["RMM Standard", "noc_access_level", "NOC services are off",
         "set noc_access_level to 0", "turn on noc_enabled"]),
    "NOC turned off under an access level": (
        ["policy", "set", "RMM with NOC", "noc_enabled=off"],
        ["RMM with NOC", "noc_access_level", "level 2"]),
    # seed 000: OS Patching Desktop is for desktops, OS Patching Server for servers
    "desktop patching override on a server": (
        ["device", "override", "SRV-WAREHOUSE-05", "os-patching-desktop.automation=on"],
        ["device 'SRV-WAREHOUSE-05' is a server", "os-patching-desktop", "desktops only",
         "os-patching-server"]),
    "server patching override on a desktop, after a valid one": (
        ["device", "override", "WS-LAB-03", "remote-access.notification_balloon=on",
         "os-patching-server.install_window=01:00-05:00"],
        ["device 'WS-LAB-03' is a desktop", "servers only"]),
    "device override with a valid then an unknown key": (
        ["device", "override", "WS-LAB-03", "remote-access.notification_balloon=on",
         "remote-access.volume=11"],
        ["volume", "unknown setting"]),
}


@pytest.mark.parametrize("case", list(RULE_CASES))
def test_rule_violation_is_refused_and_changes_nothing(case: str, fresh_ws: Path) -> None:
    args, needles = RULE_CASES[case]
    before = snapshot(fresh_ws)
    outbox = outbox_count(fresh_ws)
    result = run_cli(fresh_ws, *args, "--json")
    assert result.code == 1, str(result)
    assert_one_line(result, REFUSED, *needles)
    assert outbox_count(fresh_ws) == outbox
    assert_unchanged(before, snapshot(fresh_ws))


def test_removing_the_last_policy_of_a_package_is_refused(fresh_ws: Path) -> None:
    ok_json(fresh_ws, "package", "create", "--name", "Solo", "--policy", "Communicator On")
    before = snapshot(fresh_ws)
    listed = ok_json(fresh_ws, "package", "list")
    result = run_cli(fresh_ws, "package", "remove", "Solo", "Communicator On", "--json")
    assert result.code == 1, str(result)
    assert_one_line(result, REFUSED, "Solo", "at least one policy")
    assert_unchanged(before, snapshot(fresh_ws))
    assert ok_json(fresh_ws, "package", "list") == listed


# --- environment: exit 2 ----------------------------------------------------------------------

def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()
            if not p.name.endswith(("-wal", "-shm"))}


def test_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "picture.preflight"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    before = files_in(tmp_path)
    for args in (["site", "list"], ["company", "create", "--name", "X"], ["init"]):
        result = run_cli(path, *args, "--json")
        assert result.code == 2, str(result)
        assert_one_line(result, ERROR, str(path), "not", "SQLite")
    assert files_in(tmp_path) == before


def test_a_truncated_workspace(tmp_path: Path, sample_template: Template) -> None:
    path = copy_workspace(sample_template[0], tmp_path / "cut.preflight")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = files_in(tmp_path)
    for args in (["site", "list"], ["site", "unassign", "Main Office"]):
        result = run_cli(path, *args, "--json")
        assert result.code == 2, str(result)
        assert_one_line(result, ERROR, str(path), "truncated")
    assert files_in(tmp_path) == before


def test_a_workspace_in_a_read_only_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes through chmod; /proc refuses even root
        folder = Path("/proc")
        path = folder / "preflight-x.preflight"
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        path = folder / "x.preflight"
        folder.chmod(0o555)
    try:
        for args in (["init"], ["init", "--sample"]):
            result = run_cli(path, *args, "--json")
            assert result.code == 2, str(result)
            assert_one_line(result, ERROR, str(path), "read-only")
            assert not path.exists()
    finally:
        if folder != Path("/proc"):
            folder.chmod(0o755)


def test_a_workspace_from_a_newer_schema(tmp_path: Path, sample_template: Template) -> None:
    path = copy_workspace(sample_template[0], tmp_path / "future.preflight")
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 99")
        db.commit()
    before = snapshot(path)
    raw = path.read_bytes()
    for args in (["site", "list"], ["init", "--sample"]):
        result = run_cli(path, *args, "--json")
        assert result.code == 2, str(result)
        assert_one_line(result, ERROR, str(path), "newer", "99")
    assert path.read_bytes() == raw
    assert_unchanged(before, snapshot(path))
    assert not list(tmp_path.glob("*backup*")), "no migration was attempted"


def test_a_missing_workspace_says_how_to_create_one(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.preflight"
    result = run_cli(path, "policy", "list", "--json")
    assert result.code == 2, str(result)
    assert_one_line(result, ERROR, str(path), "preflight init")
    assert list(tmp_path.iterdir()) == [], "nothing created"


# --- usage: exit 2 ----------------------------------------------------------------------------

USAGE_CASES: dict[str, tuple[list[str], list[str]]] = {
    "unknown command": (["frobnicate"], ["frobnicate"]),
    "unknown action": (["site", "frobnicate"], ["frobnicate"]),
    "missing --name": (["company", "create"], ["--name"]),
    "policy create without --name": (["policy", "create", "--type", "communicator"], ["--name"]),
}


@pytest.mark.parametrize("case", list(USAGE_CASES))
def test_usage_error(case: str, shared_ws: Path) -> None:
    args, needles = USAGE_CASES[case]
    before = snapshot(shared_ws)
    result = run_cli(shared_ws, *args, "--json")
    assert result.code == 2, str(result)
    assert result.stdout == "", str(result)
    # argparse shows the synopsis ("usage: ...", maybe wrapped) above the one message line.
    *synopsis, message = result.stderr.splitlines()
    assert synopsis[0].startswith("usage: preflight"), str(result)
    assert all(x.startswith(" ") for x in synopsis[1:]), str(result)
    assert message.startswith("preflight: usage error:"), str(result)
    for needle in needles:
        assert needle in message, str(result)
    assert_unchanged(before, snapshot(shared_ws))


def test_the_default_workspace_when_none_exists(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`--workspace` omitted: the default one in the user data folder, here an empty HOME."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    result = run_raw("site", "list", "--json")
    assert result.code == 2, str(result)
    assert_one_line(result, ERROR, str(tmp_path / "data"), "preflight init")
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("*.preflight"))
