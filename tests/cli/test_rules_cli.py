"""`preflight rule list|show|create|set|delete` in a subprocess, and the references to rules:
`policy set P notification_rule=NAME` stores the rule's id, an unknown rule is refused, a rule
in use cannot be deleted, and a rename shows everywhere (effective settings, the go-live
report). Refusals exit 1 with one line on stderr and leave the workspace unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import (
    assert_one_line,
    assert_unchanged,
    ok_json,
    run_cli,
    snapshot,
)

REFUSED = "preflight: refused:"


def _by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in rows}


def _write(tmp_path: Path, data: Any, name: str = "rule.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _refused(ws: Path, *args: str, words: tuple[str, ...]) -> str:
    before = snapshot(ws)
    result = run_cli(ws, *args)
    assert result.code == 1, str(result)
    line = assert_one_line(result, REFUSED, *words)
    assert_unchanged(before, snapshot(ws))
    return line


def test_list_shows_the_sample_rules_and_their_users(fresh_ws: Path) -> None:
    rules = _by_name(ok_json(fresh_ws, "rule", "list"))
    assert set(rules) == {"Standard Notifications", "NOC Escalation", "Northside standard"}
    assert rules["NOC Escalation"]["policies"] == ["RMM with NOC"]
    assert rules["Northside standard"]["sites"] == ["Northside Clinic"]
    assert all(r["id"] for r in rules.values())
    # The sample's policy references the rule by id.
    rmm = ok_json(fresh_ws, "policy", "show", "RMM with NOC")
    assert rmm["settings"]["notification_rule"] == rules["NOC Escalation"]["id"]
    text = run_cli(fresh_ws, "policy", "show", "RMM with NOC").stdout
    assert "NOC Escalation" in text


def test_show_json_is_the_shape_create_and_set_take(fresh_ws: Path, tmp_path: Path) -> None:
    shown = ok_json(fresh_ws, "rule", "show", "NOC Escalation")
    assert set(shown) == {"id", "name", "paths"}
    assert [p["kind"] for p in shown["paths"]] == ["msp-escalation", "noc-escalation"]
    copy = ok_json(fresh_ws, "rule", "create", "--name", "Night shift", "--file",
                   str(_write(tmp_path, shown)))
    assert copy["id"] != shown["id"]
    assert copy["name"] == "Night shift"
    assert copy["paths"] == shown["paths"]
    assert ok_json(fresh_ws, "rule", "show", copy["id"]) == copy
    bare = ok_json(fresh_ws, "rule", "create", "--name", "Empty for now")
    assert bare["paths"] == []
    # set: show → edit → set round trip replaces the paths.
    edited = ok_json(fresh_ws, "rule", "show", "Empty for now")
    edited["paths"] = shown["paths"][:1]
    updated = ok_json(fresh_ws, "rule", "set", "Empty for now", "--file",
                      str(_write(tmp_path, edited)))
    assert (updated["id"], updated["name"]) == (bare["id"], "Empty for now")
    assert updated["paths"] == shown["paths"][:1]
    # Another rule's file carries that rule's name: setting it here would duplicate the name.
    _refused(fresh_ws, "rule", "set", "Empty for now", "--file", str(_write(tmp_path, shown)),
             words=("NOC Escalation", "already exists"))


def test_set_renames_and_the_rename_follows_everywhere(fresh_ws: Path, tmp_path: Path) -> None:
    rule_id = ok_json(fresh_ws, "rule", "show", "NOC Escalation")["id"]
    renamed = ok_json(fresh_ws, "rule", "set", "NOC Escalation", "--file",
                      str(_write(tmp_path, {"name": "NOC after hours"})))
    assert (renamed["id"], renamed["name"]) == (rule_id, "NOC after hours")
    assert len(renamed["paths"]) == 2, "a file without paths keeps them"
    # References are ids: the policy still points at it, and people read the new name.
    assert ok_json(fresh_ws, "policy", "show", "RMM with NOC")["settings"][
        "notification_rule"] == rule_id
    effective = run_cli(fresh_ws, "site", "effective", "Northside Clinic").stdout
    assert "NOC after hours" in effective
    report = tmp_path / "golive.html"
    result = run_cli(fresh_ws, "site", "readiness", "Northside Clinic", "--report", str(report))
    assert result.code == 0, str(result)
    readiness = json.loads(run_cli(fresh_ws, "site", "readiness", "Northside Clinic",
                                   "--json").stdout)
    rules_item = next(i for i in readiness["items"] if i["id"] == "notification-rules")
    assert rules_item["status"] == "pass"
    assert "NOC after hours" in rules_item["why"]
    assert "NOC after hours" in report.read_text(encoding="utf-8")


def test_policy_set_takes_a_name_or_an_id_and_stores_the_id(fresh_ws: Path) -> None:
    standard = ok_json(fresh_ws, "rule", "show", "Standard Notifications")["id"]
    by_name = ok_json(fresh_ws, "policy", "set", "RMM with NOC",
                      "notification_rule=standard notifications")
    assert by_name["settings"]["notification_rule"] == standard
    noc = ok_json(fresh_ws, "rule", "show", "NOC Escalation")["id"]
    by_id = ok_json(fresh_ws, "policy", "set", "RMM with NOC", f"notification_rule={noc}")
    assert by_id["settings"]["notification_rule"] == noc


def test_an_unknown_rule_on_policy_set_is_refused(fresh_ws: Path) -> None:
    _refused(fresh_ws, "policy", "set", "RMM with NOC", "notification_rule=Totally Bogus Rule",
             words=("RMM with NOC", "notification_rule", "'Totally Bogus Rule'",
                    "preflight rule list"))
    _refused(fresh_ws, "policy", "create", "--type", "rmm-site-configuration", "--name", "New",
             "--set", "rmm_enabled=on", "--set", "notification_rule=Nope",
             words=("New", "notification_rule", "'Nope'", "preflight rule list"))


def test_a_rule_in_use_cannot_be_deleted_and_the_refusal_names_its_users(
        fresh_ws: Path) -> None:
    _refused(fresh_ws, "rule", "delete", "NOC Escalation",
             words=("NOC Escalation", "in use", "'RMM with NOC'"))
    _refused(fresh_ws, "rule", "delete", "Northside standard",
             words=("Northside standard", "'Northside Clinic'", "Basic Info"))
    spare = ok_json(fresh_ws, "rule", "create", "--name", "Spare")
    gone = ok_json(fresh_ws, "rule", "delete", "Spare")
    assert gone["id"] == spare["id"]
    assert "Spare" not in _by_name(ok_json(fresh_ws, "rule", "list"))
    # Once no policy uses it, it can go (and the policy refers to another rule).
    ok_json(fresh_ws, "policy", "set", "RMM with NOC", "notification_rule=Northside standard")
    ok_json(fresh_ws, "rule", "delete", "NOC Escalation")


@pytest.mark.parametrize(("content", "words"), [
    ("{not json", ("rule.json", "not valid JSON", "line 1")),
    ("[1, 2]", ("rule.json", "JSON object")),
    ({"nmae": "x"}, ("rule.json", "nmae", "unknown field")),
    ({"paths": [{"kind": "pager"}]}, ("rule.json", "paths[0].kind", "'pager'")),
    ({"paths": [{"kind": "msp-escalation", "contacts": [{"name": "A", "phone": 5}]}]},
     ("rule.json", "paths[0].contacts[0].phone", "expected str")),
    ({"paths": [{"kind": "msp-escalation", "colour": "red"}]},
     ("rule.json", "paths[0].colour", "unknown field")),
    ({"paths": [{"kind": "msp-escalation", "slots": [{"weekday": 9, "start_minute": 0,
                                                        "end_minute": 60}]}]},
     ("rule.json", "paths[0].slots[0].weekday", "9")),
    ({"name": 7}, ("rule.json", "name", "string")),
    ('{"paths": NaN}', ("rule.json", "NaN")),
])
def test_bad_rule_files_are_refused_naming_the_field(fresh_ws: Path, tmp_path: Path,
                                                      content: Any, words: tuple[str, ...]
                                                      ) -> None:
    path = _write(tmp_path, content)
    _refused(fresh_ws, "rule", "set", "NOC Escalation", "--file", str(path), words=words)
    _refused(fresh_ws, "rule", "create", "--name", "From file", "--file", str(path),
             words=words)


def test_other_refusals(fresh_ws: Path) -> None:
    _refused(fresh_ws, "rule", "show", "No Such Rule",
             words=("No Such Rule", "preflight rule list"))
    _refused(fresh_ws, "rule", "create", "--name", "noc ESCALATION",
             words=("NOC Escalation", "already exists"))
    _refused(fresh_ws, "rule", "create", "--name", "Bad\u200bName",
             words=("notification rule name", "invisible"))
    result = run_cli(fresh_ws, "rule", "set", "NOC Escalation")
    assert result.code == 2, "--file is required: a usage error"
