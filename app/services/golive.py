"""The go-live journey over a workspace (issue 19): `workspace.golive`.

The rules are `app.domain.helpdesk.journey`'s; this service reads what they look at (the site's
readiness checklist, its Help Desk start date, the recorded steps) and stores recorded steps,
outbox and audit in one transaction (`storage.golive_repository`). Undo of a change is
`restore(site, previous)` with the record `record_of(site, step)` gave before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from app.domain.helpdesk.journey import (
    PARTNER_WIDE,
    Journey,
    Request,
    StepRecord,
    StepStatus,
    change,
    check_step_id,
    journey,
)
from app.domain.helpdesk.readiness import Checklist
from app.services.helpdesk import HelpDeskService
from app.services.hierarchy import resolve_site
from storage.changes import actor
from storage.database import Database
from storage.golive_repository import GoLiveRepository
from storage.repository import Repository


def _today() -> date:
    return datetime.now(UTC).astimezone().date()


@dataclass(frozen=True)
class SiteJourney:
    """One row of the partner view: a site's journey with its company and package."""

    journey: Journey
    company: str
    package: str | None

    def to_dict(self) -> dict[str, object]:
        j = self.journey
        return {"id": j.site_id, "name": j.site_name, "company": self.company,
                "package": self.package, "done": j.done_count, "total": len(j.steps),
                "next": j.next, "overdue": [o.to_dict() for o in j.overdue]}


class GoLiveService:
    def __init__(self, db: Database, helpdesk: HelpDeskService) -> None:
        self.db = db
        self.helpdesk = helpdesk

    def _records(self, site_id: str) -> dict[str, StepRecord]:
        with self.db.read() as s:
            raw = GoLiveRepository(s).records(site_id, PARTNER_WIDE)
        return {step: StepRecord.from_payload(p) for step, p in raw.items()}

    def _build(self, checklist: Checklist, today: date) -> Journey:
        product = self.helpdesk.setup(checklist.site_id).product
        return journey(checklist, self._records(checklist.site_id),
                       start_date=product.start_date if product else None, today=today)

    def journey(self, site: str, *, today: date | None = None) -> Journey:
        today = today or _today()
        return self._build(self.helpdesk.readiness(site, today=today), today)

    def with_checklist(self, site: str, *, today: date | None = None
                       ) -> tuple[Checklist, Journey]:
        """The site's readiness checklist and its journey, computed once (the Readiness tab)."""
        today = today or _today()
        checklist = self.helpdesk.readiness(site, today=today)
        return checklist, self._build(checklist, today)

    def all(self, *, today: date | None = None) -> list[SiteJourney]:
        """Every site's journey (the partner view), by company and site name."""
        today = today or _today()
        with self.db.read() as s:
            repo = Repository(s)
            companies = {c.id: c.name for c in repo.companies()}
            packages = {p.id: p.name for p in repo.packages()}
            sites = {site.id: site for site in repo.sites()}
        out = []
        for checklist in self.helpdesk.overview(today=today).sites:
            site = sites[checklist.site_id]
            out.append(SiteJourney(self._build(checklist, today),
                                   companies.get(site.company_id, ""),
                                   packages.get(site.package_id or "")))
        out.sort(key=lambda r: (r.company.casefold(), r.journey.site_name.casefold()))
        return out

    def record_of(self, site: str, step: str) -> StepRecord | None:
        """The stored record of a step (None: never recorded), for undo."""
        check_step_id(step)
        with self.db.read() as s:
            target = resolve_site(Repository(s), site)
        return self._records(target.id).get(step)

    def set(self, site: str, step: str, status: StepStatus, *, when: date | None = None,
            note: str = "", today: date | None = None) -> Journey:
        """Record a step (`golive set`): refused with RuleViolation when the order of the
        process does not allow it; nothing is changed then. Returns the new journey."""
        today = today or _today()
        checklist = self.helpdesk.readiness(site, today=today)
        current = self._build(checklist, today)
        records = self._records(checklist.site_id)
        new = change(current, records, Request(step, status, when, note, actor()), checklist,
                     today=today)
        self._store(checklist.site_id, new, f"golive.{status.name.lower()}")
        return self._build(checklist, today)

    def restore(self, site: str, step: str, previous: StepRecord | None) -> None:
        """Put a step back as it was (undo): its previous record, or open when it had none."""
        with self.db.read() as s:
            target = resolve_site(Repository(s), site)
        self._store(target.id, previous or StepRecord(check_step_id(step).id), "golive.undo")

    def _store(self, site_id: str, record: StepRecord, action: str) -> None:
        owner = None if record.step in PARTNER_WIDE else site_id
        with self.db.write() as s:
            GoLiveRepository(s).save(owner, record.to_payload(), action)

    def calendar(self, site: str, *, stamp: datetime | None = None) -> bytes:
        """The kickoff and the escalation reviews as iCalendar bytes (`golive ics`)."""
        # icalendar is loaded here, not at start: the Go-live page shows without it.
        from app.domain.helpdesk.golive_calendar import journey_calendar

        return journey_calendar(self.journey(site), stamp=stamp or datetime.now(UTC))
