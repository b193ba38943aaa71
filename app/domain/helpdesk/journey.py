"""The go-live journey of a site: seed 002 phase 5 and seed 004 as a process (docs/golive.md).

Steps come in the order the seeds give them. Four follow the readiness checklist (`data`): which
checklist items make each of them is the one table `STEP_CHECKS`; an item it does not name (a
check added later) counts under `UNMAPPED_STEP`. The others are recorded by the admin
(`manual`) with a date, who and a note; `interest` and `course` once for the whole partner.

`journey(...)` builds the view; `change(...)` checks one recorded change against the order the
process demands and returns the new record, or raises RuleViolation saying what is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from app.domain.errors import RuleViolation
from app.domain.helpdesk.readiness import CheckItem, Checklist, Status

Day = date  # classes below have a field named `date`


class StepStatus(StrEnum):
    DONE = "done"
    OPEN = "open"
    NA = "n/a"


@dataclass(frozen=True)
class StepDef:
    id: str
    title: str
    computed: bool = False
    partner_wide: bool = False
    optional: bool = False
    needs: tuple[str, ...] = ()  # steps that must be done (or n/a) first


# The ids are a contract (CLI, JSON, sync); the order is the seeds'.
STEPS: tuple[StepDef, ...] = (
    StepDef("interest", "I'm Interested (once per partner)", partner_wide=True),
    StepDef("course", "Getting Started course completed (partner-wide)", partner_wide=True,
            needs=("interest",)),
    StepDef("kickoff", "Kickoff call with the client", needs=("course",)),
    StepDef("workbook", "Activation Workbook (internal, optional)", optional=True),
    StepDef("site-settings", "Site settings (agent, RMM, NOC, product options)", computed=True),
    StepDef("chat", "Help Desk Chat (optional)", optional=True),
    StepDef("notification-rules", "Help Desk notification rules", computed=True),
    StepDef("helpdesk-tab", "Help Desk tab (basic info, profiles, security, network)",
            computed=True),
    StepDef("support-access", "Support access (credentials)", computed=True),
    StepDef("internal-review", "Internal review of the setup", needs=("kickoff",)),
    StepDef("approval-requested", "Go-live approval requested from the Activations Team",
            needs=("internal-review",)),
    StepDef("approved", "Go-live approved", needs=("approval-requested",)),
    StepDef("client-notified", "Client notified", needs=("approved",)),
    StepDef("expectation-training", "Expectation training with the client",
            needs=("client-notified",)),
    StepDef("escalation-reviews", "Weekly escalation reviews (first 30 days)",
            needs=("approved",)),
)
STEP_BY_ID: dict[str, StepDef] = {s.id: s for s in STEPS}
STEP_IDS: tuple[str, ...] = tuple(STEP_BY_ID)
PARTNER_WIDE: frozenset[str] = frozenset(s.id for s in STEPS if s.partner_wide)
OPTIONAL: tuple[str, ...] = tuple(s.id for s in STEPS if s.optional)
MANUAL: tuple[str, ...] = tuple(s.id for s in STEPS if not s.computed)

# Journey step → the readiness items it follows. The only place the two lists meet.
STEP_CHECKS: dict[str, tuple[str, ...]] = {
    "site-settings": ("agent-deployed", "rmm-enabled", "noc-enabled", "product-options",
                      "psa-integration"),
    "notification-rules": ("notification-rules",),
    "helpdesk-tab": ("basic-info", "client-profiles", "security-requests", "network-info"),
    "support-access": ("credentials",),
}
UNMAPPED_STEP = "site-settings"
REVIEWS = "escalation-reviews"
REVIEW_EVERY = timedelta(days=7)
REVIEW_WINDOW = timedelta(days=30)


def review_dates(start: date) -> tuple[date, ...]:
    """The weekly escalation reviews of the first 30 days after the Help Desk start date: one a
    week after it, then weekly while within the 30 days (four). Calendar days, so month ends and
    daylight-saving changes do not move them: they are all-day events (docs/golive.md)."""
    out, at = [], start + REVIEW_EVERY
    while at <= start + REVIEW_WINDOW:
        out.append(at)
        at += REVIEW_EVERY
    return tuple(out)


@dataclass(frozen=True)
class StepRecord:
    """What the admin recorded for one manual step (partner-wide ones once per partner)."""

    step: str
    status: StepStatus = StepStatus.OPEN
    date: Day | None = None
    by: str = ""
    note: str = ""
    reviews: tuple[Day, ...] = ()  # escalation-reviews: the dates each review was held

    def to_payload(self) -> dict[str, Any]:
        return {"step": self.step, "status": self.status.value,
                "date": self.date.isoformat() if self.date else None, "by": self.by,
                "note": self.note, "reviews": [d.isoformat() for d in self.reviews]}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> StepRecord:
        raw = payload.get("date")
        return cls(str(payload["step"]), StepStatus(payload.get("status") or "open"),
                   Day.fromisoformat(raw) if raw else None, str(payload.get("by") or ""),
                   str(payload.get("note") or ""),
                   tuple(Day.fromisoformat(d) for d in payload.get("reviews") or ()))


@dataclass(frozen=True)
class Review:
    number: int
    due: Day
    held: Day | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "due": self.due.isoformat(),
                "held": self.held.isoformat() if self.held else None}


@dataclass(frozen=True)
class JourneyStep:
    id: str
    title: str
    status: StepStatus
    source: str  # "data" | "manual"
    date: Day | None = None
    by: str = ""
    note: str = ""
    blockers: tuple[CheckItem, ...] = ()  # data steps: the failing checklist items
    partner_wide: bool = False
    optional: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "status": self.status.value,
                "source": self.source, "date": self.date.isoformat() if self.date else None,
                "by": self.by or None, "note": self.note or None}


@dataclass(frozen=True)
class Overdue:
    step: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"step": self.step, "message": self.message}


@dataclass(frozen=True)
class Journey:
    site_id: str
    site_name: str
    company_name: str
    steps: tuple[JourneyStep, ...]
    start_date: date | None = None
    reviews: tuple[Review, ...] = ()
    overdue: tuple[Overdue, ...] = ()
    next: str | None = None

    def step(self, step_id: str) -> JourneyStep:
        return next(s for s in self.steps if s.id == step_id)

    @property
    def done_count(self) -> int:
        return sum(s.status is not StepStatus.OPEN for s in self.steps)

    def ordered(self) -> tuple[JourneyStep, ...]:
        """The steps with the next one first, then the rest in process order (the timeline)."""
        first = [s for s in self.steps if s.id == self.next]
        return tuple(first + [s for s in self.steps if s.id != self.next])

    def to_dict(self) -> dict[str, Any]:
        """`preflight golive show SITE --json`."""
        return {"site": {"id": self.site_id, "name": self.site_name},
                "steps": [s.to_dict() for s in self.steps], "next": self.next,
                "start_date": self.start_date.isoformat() if self.start_date else None,
                "reviews": [r.to_dict() for r in self.reviews],
                "overdue": [o.to_dict() for o in self.overdue]}


def items_of_step(checklist: Checklist, step_id: str) -> tuple[CheckItem, ...]:
    """The checklist items a data step follows (unmapped items count under UNMAPPED_STEP)."""
    mapped = {check for checks in STEP_CHECKS.values() for check in checks}
    return tuple(i for i in checklist.items if i.id in STEP_CHECKS.get(step_id, ())
                 or (step_id == UNMAPPED_STEP and i.id not in mapped))


def journey(checklist: Checklist, records: Mapping[str, StepRecord], *,
            start_date: date | None, today: date) -> Journey:
    steps = []
    for d in STEPS:
        if d.computed:
            fails = tuple(i for i in items_of_step(checklist, d.id) if i.status is Status.FAIL)
            note = ("Fails in the readiness checklist: " + ", ".join(i.title for i in fails)
                    if fails else "")
            steps.append(JourneyStep(d.id, d.title, StepStatus.OPEN if fails else StepStatus.DONE,
                                     "data", note=note, blockers=fails, optional=d.optional))
            continue
        rec = records.get(d.id, StepRecord(d.id))
        note = rec.note
        if d.id == REVIEWS and start_date is not None and rec.status is not StepStatus.DONE:
            held = len(rec.reviews)
            note = (f"{held} of {len(review_dates(start_date))} reviews held"
                    + (f"; {rec.note}" if rec.note else ""))
        steps.append(JourneyStep(d.id, d.title, rec.status, "manual", rec.date, rec.by, note,
                                 partner_wide=d.partner_wide, optional=d.optional))
    held_on = records.get(REVIEWS, StepRecord(REVIEWS)).reviews
    reviews = tuple(Review(n, due, held_on[n - 1] if n <= len(held_on) else None)
                    for n, due in enumerate(review_dates(start_date) if start_date else (), 1))
    by_id = {s.id: s for s in steps}
    return Journey(checklist.site_id, checklist.site_name, checklist.company_name, tuple(steps),
                   start_date, reviews, _overdue(by_id, reviews, start_date, today),
                   _next(steps))


def _next(steps: list[JourneyStep]) -> str | None:
    open_steps = [s for s in steps if s.status is StepStatus.OPEN]
    pick = [s for s in open_steps if not s.optional] or open_steps
    return pick[0].id if pick else None


def _overdue(steps: Mapping[str, JourneyStep], reviews: tuple[Review, ...],
             start: date | None, today: date) -> tuple[Overdue, ...]:
    out = []
    if start is not None and start <= today and steps["approved"].status is StepStatus.OPEN:
        out.append(Overdue("approved", f"the Help Desk start date {start.isoformat()} has "
                                       "passed without go-live approval"))
    out += [Overdue(REVIEWS, f"escalation review {r.number} was due {r.due.isoformat()}")
            for r in reviews if r.held is None and r.due < today]
    return tuple(out)


@dataclass(frozen=True)
class Request:
    """One change the admin asks for: `golive set SITE STEP --done|--open|--na`."""

    step: str
    status: StepStatus
    when: date | None = None  # --done: the day it happened (default today)
    note: str = ""
    by: str = ""


def parse_day(text: str) -> date:
    """A YYYY-MM-DD date, or RuleViolation saying so."""
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise RuleViolation(f"date '{text}' is not a date: write it as YYYY-MM-DD (for example "
                            f"2026-03-01)") from None


def check_step_id(step_id: str) -> StepDef:
    found = STEP_BY_ID.get(step_id)
    if found is None:
        raise RuleViolation(f"unknown go-live step '{step_id}'; the steps are: "
                            f"{', '.join(STEP_IDS)}")
    return found


def change(current: Journey, records: Mapping[str, StepRecord], request: Request,
           checklist: Checklist, *, today: date) -> StepRecord:
    """The step's new record, or RuleViolation: unknown or computed step, n/a of a required
    step, a date in the future or before what it follows, a step whose prerequisites are open,
    an approval request while the checklist has fails, reopening what a done step needs."""
    d = check_step_id(request.step)
    if d.computed:
        checks = ", ".join(i.id for i in items_of_step(checklist, d.id))
        raise RuleViolation(f"step '{d.id}' follows the readiness checklist ({checks}); fix "
                            f"those items and it is done by itself. Recordable steps: "
                            f"{', '.join(MANUAL)}")
    old = records.get(d.id, StepRecord(d.id))
    if request.status is StepStatus.OPEN:
        dependants = [s.id for s in STEPS if d.id in s.needs
                      and current.step(s.id).status is StepStatus.DONE]
        if dependants:
            raise RuleViolation(f"cannot reopen '{d.id}': {', '.join(dependants)} is done and "
                                f"needs it; reopen {dependants[0]} first")
        return replace(old, status=StepStatus.OPEN, date=None, note=request.note or "",
                       by=request.by, reviews=())
    if request.status is StepStatus.NA:
        if not d.optional:
            raise RuleViolation(f"step '{d.id}' is required; only {', '.join(OPTIONAL)} can be "
                                "marked n/a")
        return StepRecord(d.id, StepStatus.NA, request.when, request.by, request.note)
    when = request.when or today
    if when > today:
        raise RuleViolation(f"date {when.isoformat()} is in the future: record a step once it "
                            f"has happened (today is {today.isoformat()})")
    for need in d.needs:
        prior = current.step(need)
        if prior.status is StepStatus.OPEN:
            raise RuleViolation(f"step '{d.id}' comes after '{need}' ({prior.title}), which is "
                                f"still open; record '{need}' first")
        if prior.date is not None and when < prior.date:
            raise RuleViolation(f"date {when.isoformat()} of '{d.id}' is before "
                                f"'{need}' ({prior.date.isoformat()}); it comes after it")
    if d.id == "approval-requested" and checklist.blockers:
        fails = "; ".join(f"{i.id} ({i.why})" for i in checklist.blockers)
        raise RuleViolation(f"cannot request go-live approval: the readiness checklist has "
                            f"{len(checklist.blockers)} fail(s): {fails}")
    if d.id == REVIEWS:
        return _check_off_review(current, old, request, when)
    return StepRecord(d.id, StepStatus.DONE, when, request.by, request.note)


def _check_off_review(current: Journey, old: StepRecord, request: Request,
                      when: date) -> StepRecord:
    start = current.start_date
    if start is None:
        raise RuleViolation("escalation reviews are scheduled from the Help Desk start date; "
                            "enter it in the site's Product Options first")
    due = review_dates(start)
    if len(old.reviews) >= len(due):
        raise RuleViolation(f"all {len(due)} escalation reviews are already checked off")
    if when < start:
        raise RuleViolation(f"date {when.isoformat()} is before the Help Desk start date "
                            f"{start.isoformat()}; reviews come after it")
    if old.reviews and when < old.reviews[-1]:
        raise RuleViolation(f"date {when.isoformat()} is before the previous review "
                            f"({old.reviews[-1].isoformat()})")
    held = (*old.reviews, when)
    status = StepStatus.DONE if len(held) == len(due) else StepStatus.OPEN
    return StepRecord(REVIEWS, status, when, request.by, request.note or old.note, held)
