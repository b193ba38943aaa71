"""The go-live journey's rules (issue 19): the steps and their sources, the order the process
demands, the escalation-review schedule (calendar days, across month ends and DST changes)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import RuleViolation
from app.domain.helpdesk.journey import (
    MANUAL,
    OPTIONAL,
    STEP_CHECKS,
    STEP_IDS,
    UNMAPPED_STEP,
    Journey,
    Request,
    StepRecord,
    StepStatus,
    change,
    journey,
    parse_day,
    review_dates,
)
from app.domain.helpdesk.readiness import CHECKS, CheckItem, Checklist, Status

TODAY = date(2026, 3, 20)
START = date(2026, 3, 2)


def checklist(*fails: str, extra: tuple[CheckItem, ...] = ()) -> Checklist:
    items = tuple(CheckItem(check, Status.FAIL if check in fails else Status.PASS,
                            f"{check} is wrong" if check in fails else "ok", f"site:s1/{check}")
                  for check in CHECKS) + extra
    return Checklist("s1", "Main Office", "c1", "Contoso", items)


class Flow:
    """A site's recorded steps, changed only through `change` as the service does."""

    def __init__(self, fails: tuple[str, ...] = (), start: date | None = START) -> None:
        self.records: dict[str, StepRecord] = {}
        self.checks = checklist(*fails)
        self.start = start

    @property
    def journey(self) -> Journey:
        return journey(self.checks, self.records, start_date=self.start, today=TODAY)

    def set(self, step: str, status: StepStatus = StepStatus.DONE, when: date | None = None,
            note: str = "") -> Journey:
        new = change(self.journey, self.records, Request(step, status, when, note, "alice"),
                     self.checks, today=TODAY)
        self.records[step] = new
        return self.journey

    def through(self, *steps: str, when: date = date(2026, 3, 1)) -> None:
        for step in steps:
            self.set(step, when=when)


PRE_APPROVAL = ("interest", "course", "kickoff", "internal-review")


def test_the_steps_are_the_contract_ids_in_the_seed_order() -> None:
    assert STEP_IDS == ("interest", "course", "kickoff", "workbook", "site-settings", "chat",
                        "notification-rules", "helpdesk-tab", "support-access",
                        "internal-review", "approval-requested", "approved", "client-notified",
                        "expectation-training", "escalation-reviews")
    assert set(OPTIONAL) == {"workbook", "chat"}


def test_every_readiness_item_belongs_to_one_data_step() -> None:
    mapped = [check for checks in STEP_CHECKS.values() for check in checks]
    assert len(mapped) == len(set(mapped))
    assert set(mapped) <= set(CHECKS)
    assert UNMAPPED_STEP in STEP_CHECKS


def test_data_steps_follow_the_checklist_and_say_what_fails() -> None:
    j = Flow(fails=("basic-info", "credentials")).journey
    sources = {s.id: s.source for s in j.steps}
    assert {k for k, v in sources.items() if v == "data"} == set(STEP_CHECKS)
    assert j.step("helpdesk-tab").status is StepStatus.OPEN
    assert j.step("helpdesk-tab").note == "Fails in the readiness checklist: Basic information"
    assert j.step("helpdesk-tab").blockers[0].why == "basic-info is wrong"
    assert j.step("support-access").status is StepStatus.OPEN
    assert j.step("notification-rules").status is StepStatus.DONE
    assert j.step("site-settings").status is StepStatus.DONE


def test_a_readiness_item_added_later_counts_under_the_unmapped_step(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Another check joins the checklist (as other issues add them) without a journey mapping.
    monkeypatch.setitem(CHECKS, "escalation-matrix", "Escalation matrix")
    new = CheckItem("escalation-matrix", Status.FAIL, "no escalation matrix", "site:s1/x")
    j = journey(checklist(extra=(new,)), {}, start_date=None, today=TODAY)
    assert j.step(UNMAPPED_STEP).status is StepStatus.OPEN
    assert "Escalation matrix" in j.step(UNMAPPED_STEP).note
    assert new in j.step(UNMAPPED_STEP).blockers


def test_next_is_the_first_open_required_step_and_comes_first_in_the_timeline() -> None:
    flow = Flow()
    assert flow.journey.next == "interest"
    flow.through("interest", "course")
    j = flow.journey
    assert j.next == "kickoff"  # the open optional workbook is not "next"
    assert j.ordered()[0].id == "kickoff"
    assert [s.id for s in j.ordered()[1:]] == [s for s in STEP_IDS if s != "kickoff"]


def test_a_recorded_step_keeps_date_who_and_note() -> None:
    flow = Flow()
    step = flow.set("interest", when=date(2026, 2, 1), note="contact: Priya").step("interest")
    assert (step.status, step.date, step.by, step.note, step.source) == (
        StepStatus.DONE, date(2026, 2, 1), "alice", "contact: Priya", "manual")
    assert step.to_dict() == {"id": "interest", "title": step.title, "status": "done",
                              "source": "manual", "date": "2026-02-01", "by": "alice",
                              "note": "contact: Priya"}


def test_a_step_before_its_prerequisite_is_refused_naming_it() -> None:
    flow = Flow()
    with pytest.raises(RuleViolation, match="'course' comes after 'interest'"):
        flow.set("course")
    flow.set("interest", when=date(2026, 3, 10))
    with pytest.raises(RuleViolation, match="2026-03-05 of 'course' is before 'interest'"):
        flow.set("course", when=date(2026, 3, 5))
    assert "course" not in flow.records


def test_approval_request_is_refused_while_the_checklist_fails_naming_the_fails() -> None:
    flow = Flow(fails=("client-profiles", "credentials"))
    flow.through(*PRE_APPROVAL)
    with pytest.raises(RuleViolation) as refused:
        flow.set("approval-requested")
    message = str(refused.value)
    assert "2 fail(s)" in message
    assert "client-profiles (client-profiles is wrong)" in message
    assert "credentials (credentials is wrong)" in message
    assert "approval-requested" not in flow.records


def test_no_approval_before_the_request() -> None:
    flow = Flow()
    flow.through(*PRE_APPROVAL)
    with pytest.raises(RuleViolation, match="'approved' comes after 'approval-requested'"):
        flow.set("approved")
    flow.set("approval-requested")
    assert flow.set("approved").step("approved").status is StepStatus.DONE


def test_computed_steps_cannot_be_recorded() -> None:
    with pytest.raises(RuleViolation, match=r"follows the readiness checklist.*credentials"):
        Flow().set("support-access")


def test_unknown_step_lists_the_steps() -> None:
    with pytest.raises(RuleViolation, match=r"unknown go-live step 'go-live'.*interest, course"):
        Flow().set("go-live")


def test_only_optional_steps_can_be_not_applicable() -> None:
    flow = Flow()
    assert flow.set("chat", StepStatus.NA).step("chat").status is StepStatus.NA
    with pytest.raises(RuleViolation, match="'kickoff' is required; only workbook, chat"):
        flow.set("kickoff", StepStatus.NA)
    assert flow.journey.next == "interest"


def test_a_future_date_is_refused() -> None:
    with pytest.raises(RuleViolation, match="in the future"):
        Flow().set("interest", when=TODAY + timedelta(days=1))


def test_reopening_a_step_that_a_done_step_needs_is_refused() -> None:
    flow = Flow()
    flow.through("interest", "course")
    with pytest.raises(RuleViolation, match="cannot reopen 'interest': course is done"):
        flow.set("interest", StepStatus.OPEN)
    flow.set("course", StepStatus.OPEN)
    assert flow.set("interest", StepStatus.OPEN).step("interest").date is None


def test_dates_are_parsed_strictly() -> None:
    assert parse_day("2026-02-28") == date(2026, 2, 28)
    for bad in ("2026-02-30", "28/02/2026", "2026-2-8", "yesterday", ""):
        with pytest.raises(RuleViolation, match="is not a date: write it as YYYY-MM-DD"):
            parse_day(bad)


# --- the escalation reviews ----------------------------------------------------------------


def test_reviews_are_weekly_within_the_first_30_days() -> None:
    assert review_dates(date(2026, 3, 2)) == (
        date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 23), date(2026, 3, 30))


@pytest.mark.parametrize(("start", "expected"), [
    # across month ends (31-day, 30-day, February, leap February, the year's end)
    (date(2026, 1, 31), ("2026-02-07", "2026-02-14", "2026-02-21", "2026-02-28")),
    (date(2026, 4, 30), ("2026-05-07", "2026-05-14", "2026-05-21", "2026-05-28")),
    (date(2028, 2, 10), ("2028-02-17", "2028-02-24", "2028-03-02", "2028-03-09")),
    (date(2026, 12, 15), ("2026-12-22", "2026-12-29", "2027-01-05", "2027-01-12")),
    # across DST changes: US 2026-03-08, EU 2026-03-29, EU/US autumn 2026-10-25 / 11-01
    (date(2026, 3, 5), ("2026-03-12", "2026-03-19", "2026-03-26", "2026-04-02")),
    (date(2026, 3, 27), ("2026-04-03", "2026-04-10", "2026-04-17", "2026-04-24")),
    (date(2026, 10, 20), ("2026-10-27", "2026-11-03", "2026-11-10", "2026-11-17")),
])
def test_reviews_across_month_ends_and_dst(start: date, expected: tuple[str, ...]) -> None:
    assert tuple(d.isoformat() for d in review_dates(start)) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_reviews_keep_the_weekday_and_stay_in_the_window(start: date) -> None:
    reviews = review_dates(start)
    assert len(reviews) == 4
    assert all(r.weekday() == start.weekday() for r in reviews)
    assert all(start < r <= start + timedelta(days=30) for r in reviews)


def test_each_review_is_checked_off_and_the_step_is_done_after_the_last() -> None:
    flow = Flow()
    flow.through(*PRE_APPROVAL, "approval-requested", "approved")
    for n, held in enumerate((date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 20)), 1):
        j = flow.set("escalation-reviews", when=held)
        assert [r.held for r in j.reviews][:n] == [date(2026, 3, 9), date(2026, 3, 16),
                                                   date(2026, 3, 20)][:n]
    assert j.step("escalation-reviews").status is StepStatus.OPEN
    assert "3 of 4 reviews held" in j.step("escalation-reviews").note
    j = flow.set("escalation-reviews", when=TODAY)
    assert j.step("escalation-reviews").status is StepStatus.DONE
    assert j.next is None or j.next in OPTIONAL or j.next in MANUAL
    with pytest.raises(RuleViolation, match="all 4 escalation reviews are already checked off"):
        flow.set("escalation-reviews")


def test_reviews_need_approval_and_a_start_date() -> None:
    flow = Flow()
    with pytest.raises(RuleViolation, match="comes after 'approved'"):
        flow.set("escalation-reviews")
    flow.through(*PRE_APPROVAL, "approval-requested", "approved")
    flow.start = None
    with pytest.raises(RuleViolation, match="start date; enter it in the site's Product Options"):
        flow.set("escalation-reviews")
    flow.start = START
    with pytest.raises(RuleViolation, match="before the Help Desk start date 2026-03-02"):
        flow.set("escalation-reviews", when=date(2026, 3, 1))


def test_overdue_reviews_and_a_start_date_passed_without_approval() -> None:
    flow = Flow()
    j = flow.journey
    assert [o.step for o in j.overdue] == ["approved", "escalation-reviews", "escalation-reviews"]
    assert "review 1 was due 2026-03-09" in j.overdue[1].message
    flow.through(*PRE_APPROVAL, "approval-requested", "approved")
    flow.set("escalation-reviews", when=date(2026, 3, 10))
    assert [o.message for o in flow.journey.overdue] == [
        "escalation review 2 was due 2026-03-16"]
