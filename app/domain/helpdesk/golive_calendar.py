"""The scheduled steps of a site's go-live journey as an iCalendar file (RFC 5545).

The kickoff call (on its recorded date) and the weekly escalation reviews of the first 30 days.
All of them are all-day events (`DTSTART;VALUE=DATE`): the seeds give days, not times, so a
daylight-saving change or the reader's time zone never moves one to another day. UIDs are
stable (site, step, number), so importing the file again updates the events instead of
doubling them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from app.domain.helpdesk.journey import Journey, StepStatus

PRODID = "-//Preflight//Go-live journey//EN"


def _event(uid: str, day: date, summary: str, description: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # an all-day reminder does not block the day
    return event


def journey_calendar(journey: Journey, *, stamp: datetime) -> bytes:
    """The .ics bytes; `stamp` (aware, UTC) is every event's DTSTAMP."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")  # Outlook imports a published calendar's events as they are
    cal.add("x-wr-calname", f"Go-live: {journey.company_name} / {journey.site_name}")
    where = f"{journey.company_name} / {journey.site_name}"
    kickoff = journey.step("kickoff")
    if kickoff.date is not None and kickoff.status is StepStatus.DONE:
        cal.add_component(_event(f"{journey.site_id}-kickoff@preflight", kickoff.date,
                                 f"Help Desk kickoff call: {where}",
                                 kickoff.note or "Kickoff call with the client to introduce "
                                 "the Help Desk project.", stamp))
    total = len(journey.reviews)
    for review in journey.reviews:
        held = f" Held {review.held.isoformat()}." if review.held else ""
        cal.add_component(_event(
            f"{journey.site_id}-escalation-review-{review.number}@preflight", review.due,
            f"Escalation review {review.number} of {total}: {where}",
            f"Weekly escalation review in the first 30 days after the Help Desk start date "
            f"({journey.start_date.isoformat() if journey.start_date else ''}).{held}", stamp))
    return bytes(cal.to_ical())
