"""`preflight golive show|set|list|ics` in a subprocess (issue 19): the JSON shapes, the order
rules, bad input refused with nothing changed, the .ics file, the go-live report's journey."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.cli.helpers import (
    assert_one_line,
    assert_unchanged,
    ok_json,
    outbox_count,
    run_cli,
    snapshot,
)

SITE = "Northside Clinic"  # the sample's site mid-journey
STEPS = ["interest", "course", "kickoff", "workbook", "site-settings", "chat",
         "notification-rules", "helpdesk-tab", "support-access", "internal-review",
         "approval-requested", "approved", "client-notified", "expectation-training",
         "escalation-reviews"]


def test_show_prints_the_journey_in_the_contract_shape(shared_ws: Path) -> None:
    shown = ok_json(shared_ws, "golive", "show", SITE)
    assert [s["id"] for s in shown["steps"]] == STEPS
    for step in shown["steps"]:
        assert set(step) == {"id", "title", "status", "source", "date", "by", "note"}
        assert step["status"] in ("done", "open", "n/a")
        assert step["source"] in ("data", "manual")
    by_id = {s["id"]: s for s in shown["steps"]}
    assert by_id["kickoff"]["status"] == "done"
    assert by_id["kickoff"]["source"] == "manual"
    assert date.fromisoformat(by_id["kickoff"]["date"]) < date.today()
    assert by_id["kickoff"]["by"]
    assert by_id["kickoff"]["note"]
    assert by_id["chat"]["status"] == "done"
    # the sample's Northside Clinic passes its checklist: the computed steps are done
    assert by_id["support-access"] == {**by_id["support-access"], "status": "done",
                                       "source": "data"}
    assert shown["next"] == "internal-review"
    assert len(shown["reviews"]) == 4


def test_partner_wide_steps_show_on_every_site(shared_ws: Path) -> None:
    other = {s["id"]: s for s in ok_json(shared_ws, "golive", "show", "Lab")["steps"]}
    assert other["interest"]["status"] == other["course"]["status"] == "done"
    assert other["kickoff"]["status"] == "open"


def test_list_shows_every_site_and_what_comes_next(shared_ws: Path) -> None:
    rows = ok_json(shared_ws, "golive", "list")
    sites = ok_json(shared_ws, "site", "list")
    assert {r["id"] for r in rows} == {s["id"] for s in sites}
    row = next(r for r in rows if r["name"] == SITE)
    assert row["company"] == "Contoso Dental"
    assert row["package"] == "Help Desk Essentials"
    assert row["next"] == "internal-review"
    assert row["done"] == 9
    assert row["total"] == len(STEPS)
    assert row["overdue"] == []
    assert all(r["next"] == "kickoff" for r in rows if r["name"] != SITE)


def test_the_process_in_order_through_the_cli(fresh_ws: Path) -> None:
    before = outbox_count(fresh_ws)
    done = ok_json(fresh_ws, "golive", "set", SITE, "internal-review", "--done",
                   "--note", "walked through with Priya")
    step = next(s for s in done["steps"] if s["id"] == "internal-review")
    assert (step["status"], step["date"], step["note"]) == (
        "done", date.today().isoformat(), "walked through with Priya")
    assert outbox_count(fresh_ws) == before + 1

    # A fail in the checklist (no server credentials) holds the request back, naming it.
    ok_json(fresh_ws, "policy", "set", "RMM with NOC", "auto_credentials_servers=false")
    snap = snapshot(fresh_ws)
    refused = run_cli(fresh_ws, "golive", "set", SITE, "approval-requested", "--done")
    assert refused.code == 1, str(refused)
    assert_one_line(refused, "preflight: refused:", "cannot request go-live approval",
                    "credentials")
    assert_unchanged(snap, snapshot(fresh_ws))

    # Fix the fail (automatic credentials for servers), then the request goes through.
    ok_json(fresh_ws, "policy", "set", "RMM with NOC", "auto_credentials_servers=true")
    asked = ok_json(fresh_ws, "golive", "set", SITE, "approval-requested", "--done")
    assert asked["next"] == "approved"
    approved = ok_json(fresh_ws, "golive", "set", SITE, "approved", "--done")
    assert approved["next"] == "client-notified"
    reopened = run_cli(fresh_ws, "golive", "set", SITE, "approval-requested", "--open")
    assert reopened.code == 1
    assert "approved is done and needs it" in reopened.stderr


def test_not_applicable_and_reopen(fresh_ws: Path) -> None:
    shown = ok_json(fresh_ws, "golive", "set", SITE, "workbook", "--open")
    assert next(s for s in shown["steps"] if s["id"] == "workbook")["status"] == "open"
    shown = ok_json(fresh_ws, "golive", "set", SITE, "workbook", "--na")
    assert next(s for s in shown["steps"] if s["id"] == "workbook")["status"] == "n/a"


@pytest.mark.parametrize(("args", "code", "needles"), [
    (("bogus", "--done"), 1, ("unknown go-live step 'bogus'", "interest", "escalation-reviews")),
    (("internal-review", "--done", "--date", "2026-02-30"), 1,
     ("'2026-02-30' is not a date", "YYYY-MM-DD")),
    (("internal-review", "--done", "--date", "tomorrow"), 1, ("is not a date",)),
    (("internal-review", "--done", "--date", (date.today() + timedelta(days=3)).isoformat()),
     1, ("in the future",)),
    (("kickoff", "--done", "--date", "2000-01-01"), 1, ("before 'course'",)),
    (("approved", "--done"), 1, ("comes after 'approval-requested'",)),
    (("escalation-reviews", "--done"), 1, ("comes after 'approved'",)),
    (("kickoff", "--na"), 1, ("'kickoff' is required", "workbook, chat")),
    (("helpdesk-tab", "--done"), 1, ("follows the readiness checklist", "basic-info")),
    (("internal-review", "--na", "--date", "2026-01-01"), 1, ("--date goes with --done",)),
])
def test_bad_input_is_refused_and_changes_nothing(fresh_ws: Path, args: tuple[str, ...],
                                                   code: int, needles: tuple[str, ...]) -> None:
    snap = snapshot(fresh_ws)
    result = run_cli(fresh_ws, "golive", "set", SITE, *args)
    assert result.code == code, str(result)
    assert_one_line(result, "preflight: refused:", *needles)
    assert_unchanged(snap, snapshot(fresh_ws))


@pytest.mark.parametrize("args", [
    ("golive", "set", SITE, "kickoff"),  # no --done/--open/--na
    ("golive", "set", SITE, "kickoff", "--done", "--open"),
    ("golive", "set", SITE),
    ("golive", "frobnicate"),
    ("golive", "ics", SITE),
])
def test_usage_errors_exit_2(fresh_ws: Path, args: tuple[str, ...]) -> None:
    snap = snapshot(fresh_ws)
    result = run_cli(fresh_ws, *args)
    assert result.code == 2, str(result)
    assert "usage" in result.stderr
    assert_unchanged(snap, snapshot(fresh_ws))


def test_unknown_site_is_refused(shared_ws: Path) -> None:
    result = run_cli(shared_ws, "golive", "show", "Nowhere")
    assert result.code == 1
    assert "Nowhere" in result.stderr


def test_ics_writes_the_kickoff_and_reviews(shared_ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "northside.ics"
    written = ok_json(shared_ws, "golive", "ics", SITE, str(out))
    assert written == {"path": str(out), "events": 5}
    cal = Calendar.from_ical(out.read_bytes())
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"])
    shown = ok_json(shared_ws, "golive", "show", SITE)
    kickoff = next(s for s in shown["steps"] if s["id"] == "kickoff")
    events = list(cal.walk("VEVENT"))
    assert [e.decoded("DTSTART").isoformat() for e in events] == (
        [kickoff["date"]] + [r["due"] for r in shown["reviews"]])
    for event in events:
        assert event["UID"]
        assert event["DTSTAMP"]
        assert event["SUMMARY"]
    assert len({str(e["UID"]) for e in events}) == 5


def test_ics_refuses_another_file_type(shared_ws: Path, tmp_path: Path) -> None:
    result = run_cli(shared_ws, "golive", "ics", SITE, str(tmp_path / "out.txt"))
    assert result.code == 1
    assert ".ics" in result.stderr
    assert not (tmp_path / "out.txt").exists()


def test_the_go_live_report_includes_the_journey(shared_ws: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = run_cli(shared_ws, "site", "readiness", SITE, "--report", str(report))
    assert result.code == 0, str(result)
    html = report.read_text(encoding="utf-8")
    assert "<h2>Go-live journey</h2>" in html
    assert "Kickoff call with Maria Garcia" in html
    assert html.index("Go-live journey") > html.index("<h2>Checklist</h2>")
    assert "Support access (credentials)" in html
    assert ">NEXT<" in html
