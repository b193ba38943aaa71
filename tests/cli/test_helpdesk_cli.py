"""`preflight helpdesk sections|show|set` as a user runs them (issue 14): the Help Desk setup
is scriptable, checked as the GUI's forms check it, and a refused save changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.domain.helpdesk import SECTIONS
from tests.cli.helpers import (
    REPO_ROOT,
    TIMEOUT,
    assert_one_line,
    assert_unchanged,
    cli_env,
    ok_json,
    run_cli,
    snapshot,
)

CLINIC = "Northside Clinic"


def _write(tmp_path: Path, data: object, name: str = "section.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_sections_lists_the_section_names(shared_ws: Path) -> None:
    names = ok_json(shared_ws, "helpdesk", "sections")
    assert names == list(SECTIONS)
    assert {"basic-info", "product-options", "references"} <= set(names)
    assert "notification-rules" not in names  # partner-level: `preflight rule`
    text = run_cli(shared_ws, "helpdesk", "sections")
    assert text.stdout.splitlines() == names


def test_show_prints_every_section_or_one(shared_ws: Path) -> None:
    everything = ok_json(shared_ws, "helpdesk", "show", CLINIC)
    assert list(everything) == list(SECTIONS)
    assert everything["basic-info"]["greeting_name"] == "Northside Dental Clinic"
    assert len(everything["references"]) >= 1
    one = ok_json(shared_ws, "helpdesk", "show", CLINIC, "--section", "basic-info")
    assert one == everything["basic-info"]
    assert ok_json(shared_ws, "helpdesk", "show", "Lab", "--section", "basic-info") is None
    text = run_cli(shared_ws, "helpdesk", "show", CLINIC, "--section", "basic-info")
    assert json.loads(text.stdout) == one, "the text output is the same JSON"


def test_show_of_an_unknown_site_is_refused(shared_ws: Path) -> None:
    result = run_cli(shared_ws, "helpdesk", "show", "Nowhere")
    assert result.code == 1, str(result)
    assert_one_line(result, "preflight: refused:", "Nowhere")


def test_a_shown_section_saved_back_round_trips(fresh_ws: Path, tmp_path: Path) -> None:
    for section in SECTIONS:
        shown = ok_json(fresh_ws, "helpdesk", "show", CLINIC, "--section", section)
        saved = ok_json(fresh_ws, "helpdesk", "set", CLINIC, "--section", section,
                        "--file", str(_write(tmp_path, shown)))
        assert saved["saved"] is True
        assert all(f["severity"] == "warning" for f in saved["findings"])
        assert ok_json(fresh_ws, "helpdesk", "show", CLINIC, "--section", section) == shown


def test_set_saves_a_changed_section_and_records_it_for_sync(fresh_ws: Path,
                                                             tmp_path: Path) -> None:
    info = ok_json(fresh_ws, "helpdesk", "show", CLINIC, "--section", "basic-info")
    info["site_message"] = "Ring the back door after 18:00."
    result = run_cli(fresh_ws, "helpdesk", "set", CLINIC, "--section", "basic-info",
                     "--file", str(_write(tmp_path, info)))
    assert result.code == 0, str(result)
    assert result.stdout.startswith("saved basic-info of Contoso Dental / Northside Clinic")
    shown = ok_json(fresh_ws, "helpdesk", "show", CLINIC, "--section", "basic-info")
    assert shown["site_message"] == "Ring the back door after 18:00."
    pending = ok_json(fresh_ws, "sync", "--dry-run")
    assert any(p["entity"] == "helpdesk_section" for p in pending["plan"])


def test_set_reads_stdin(fresh_ws: Path) -> None:
    refs = [{"title": "Door codes", "body": "Ask the practice manager."}]
    done = subprocess.run(
        [sys.executable, "-m", "preflight", "helpdesk", "set", "Lab", "--section", "references",
         "--file", "-", "--workspace", str(fresh_ws), "--json"],
        input=json.dumps(refs), capture_output=True, text=True, timeout=TIMEOUT,
        env=cli_env(), cwd=REPO_ROOT, check=False)
    assert done.returncode == 0, done.stderr
    shown = ok_json(fresh_ws, "helpdesk", "show", "Lab", "--section", "references")
    assert [r["title"] for r in shown] == ["Door codes"]


def test_findings_with_errors_are_refused_listing_each(fresh_ws: Path, tmp_path: Path) -> None:
    before = snapshot(fresh_ws)
    info = {"main_phone": "2125550100"}
    result = run_cli(fresh_ws, "helpdesk", "set", "Lab", "--section", "basic-info",
                     "--file", str(_write(tmp_path, info)), "--json")
    assert result.code == 1, str(result)
    body = result.json()
    assert body["saved"] is False
    fields = {(f["section"], f["field"]) for f in body["findings"] if f["severity"] == "error"}
    assert ("basic-info", "main_phone_country") in fields
    assert ("basic-info", "greeting_name") in fields
    assert all(f["message"] for f in body["findings"])
    line = result.stderr.strip()
    assert line.startswith("preflight: refused: basic-info not saved: ")
    assert "main_phone_country" in line
    assert_unchanged(before, snapshot(fresh_ws))
    text = run_cli(fresh_ws, "helpdesk", "set", "Lab", "--section", "basic-info",
                   "--file", str(_write(tmp_path, info)))
    assert text.code == 1, str(text)
    assert "greeting_name" in text.stdout, "the findings are listed in words too"


def test_a_rule_reference_that_does_not_exist_is_refused(fresh_ws: Path, tmp_path: Path) -> None:
    info = ok_json(fresh_ws, "helpdesk", "show", CLINIC, "--section", "basic-info")
    info["notification_rule_id"] = "no-such-rule"
    before = snapshot(fresh_ws)
    result = run_cli(fresh_ws, "helpdesk", "set", CLINIC, "--section", "basic-info",
                     "--file", str(_write(tmp_path, info)))
    assert result.code == 1, str(result)
    assert "notification_rule_id" in result.stderr
    assert_unchanged(before, snapshot(fresh_ws))


BAD_DOCUMENTS = {
    "bad-json": ('{\n  "main_phone": "1",\n}', ["line 3", "column 1"]),
    "unknown-field": ('{"main_phon": "2125550100"}',
                      ["basic-info.main_phon", "unknown field", "main_phone"]),
    "wrong-type": ('{"main_phone": 2125550100}', ["basic-info.main_phone", "expected str"]),
    "wrong-shape": ('["not", "an", "object"]', ["basic-info", "expected an object"]),
    "nested-wrong-type": (None, ["references[0].title", "expected str"]),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_a_bad_document_is_refused_naming_where(case: str, fresh_ws: Path,
                                                tmp_path: Path) -> None:
    text, needles = BAD_DOCUMENTS[case]
    section = "references" if text is None else "basic-info"
    path = tmp_path / "bad.json"
    path.write_text(text if text is not None else '[{"title": 7}]', encoding="utf-8")
    before = snapshot(fresh_ws)
    result = run_cli(fresh_ws, "helpdesk", "set", CLINIC, "--section", section,
                     "--file", str(path))
    assert result.code == 1, str(result)
    assert_one_line(result, "preflight: refused:", *needles)
    assert_unchanged(before, snapshot(fresh_ws))


def test_an_unknown_section_is_a_usage_error(fresh_ws: Path, tmp_path: Path) -> None:
    before = snapshot(fresh_ws)
    for args in (["show", CLINIC, "--section", "passwords"],
                 ["set", CLINIC, "--section", "passwords", "--file",
                  str(_write(tmp_path, {}))]):
        result = run_cli(fresh_ws, "helpdesk", *args)
        assert result.code == 2, str(result)
        assert "passwords" in result.stderr
        assert "basic-info" in result.stderr, "the known sections are listed"
    assert_unchanged(before, snapshot(fresh_ws))


def test_a_missing_file_is_an_environment_error(fresh_ws: Path, tmp_path: Path) -> None:
    before = snapshot(fresh_ws)
    missing = tmp_path / "nowhere.json"
    result = run_cli(fresh_ws, "helpdesk", "set", CLINIC, "--section", "basic-info",
                     "--file", str(missing))
    assert result.code == 2, str(result)
    assert_one_line(result, "preflight: error:", str(missing), "no such file")
    assert_unchanged(before, snapshot(fresh_ws))


def test_set_without_section_or_file_is_a_usage_error(shared_ws: Path) -> None:
    for args in (["set", CLINIC, "--file", "x.json"], ["set", CLINIC, "--section", "basic-info"]):
        result = run_cli(shared_ws, "helpdesk", *args)
        assert result.code == 2, str(result)
