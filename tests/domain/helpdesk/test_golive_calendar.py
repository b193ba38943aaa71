"""The go-live journey as an iCalendar file: parsed back by the icalendar library, event by
event (the fields Outlook and Apple Calendar need), all-day dates across month ends and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime

from icalendar import Calendar

from app.domain.helpdesk.golive_calendar import PRODID, journey_calendar
from app.domain.helpdesk.journey import StepRecord, StepStatus, journey
from tests.domain.helpdesk.test_golive_journey import checklist

STAMP = datetime(2026, 3, 20, 9, 30, tzinfo=UTC)


def _calendar(start: date | None, records: dict[str, StepRecord]) -> Calendar:
    j = journey(checklist(), records, start_date=start, today=date(2026, 3, 20))
    return Calendar.from_ical(journey_calendar(j, stamp=STAMP))


def test_the_kickoff_and_the_four_reviews_event_by_event() -> None:
    kickoff = StepRecord("kickoff", StepStatus.DONE, date(2026, 2, 26), "alice", "with Maria")
    reviews = StepRecord("escalation-reviews", StepStatus.OPEN, date(2026, 3, 9), "alice", "",
                         (date(2026, 3, 9),))
    cal = _calendar(date(2026, 3, 2), {"kickoff": kickoff, "escalation-reviews": reviews})
    assert str(cal["PRODID"]) == PRODID
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    events = list(cal.walk("VEVENT"))
    expected = [
        ("s1-kickoff@preflight", date(2026, 2, 26),
         "Help Desk kickoff call: Contoso / Main Office"),
        ("s1-escalation-review-1@preflight", date(2026, 3, 9),
         "Escalation review 1 of 4: Contoso / Main Office"),
        ("s1-escalation-review-2@preflight", date(2026, 3, 16),
         "Escalation review 2 of 4: Contoso / Main Office"),
        ("s1-escalation-review-3@preflight", date(2026, 3, 23),
         "Escalation review 3 of 4: Contoso / Main Office"),
        ("s1-escalation-review-4@preflight", date(2026, 3, 30),
         "Escalation review 4 of 4: Contoso / Main Office"),
    ]
    assert len(events) == len(expected)
    for event, (uid, day, summary) in zip(events, expected, strict=True):
        assert str(event["UID"]) == uid
        assert event.decoded("DTSTAMP") == STAMP
        start = event.decoded("DTSTART")
        # All-day: a date, not a datetime, so no time zone or DST can move it.
        assert type(start) is date
        assert start == day
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        assert event.decoded("DTEND") == date.fromordinal(day.toordinal() + 1)
        assert str(event["SUMMARY"]) == summary
    assert "with Maria" in str(events[0]["DESCRIPTION"])
    assert "Held 2026-03-09" in str(events[1]["DESCRIPTION"])


def test_without_a_kickoff_or_start_date_the_calendar_is_empty_but_valid() -> None:
    raw = journey_calendar(journey(checklist(), {}, start_date=None, today=date(2026, 3, 20)),
                           stamp=STAMP)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert raw.rstrip().endswith(b"END:VCALENDAR")
    assert list(Calendar.from_ical(raw).walk("VEVENT")) == []


def test_reviews_over_a_dst_change_and_a_month_end_keep_their_days() -> None:
    cal = _calendar(date(2026, 10, 20), {})  # EU DST ends 10-25, US 11-01
    days = [e.decoded("DTSTART") for e in cal.walk("VEVENT")]
    assert days == [date(2026, 10, 27), date(2026, 11, 3), date(2026, 11, 10),
                    date(2026, 11, 17)]
