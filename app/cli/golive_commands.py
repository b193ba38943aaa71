"""`preflight golive show|set|list|ics` (issue 19; docs/golive.md).

show SITE: the journey (`--json`: {"steps": [...], "next": step id, ...}). set SITE STEP
(--done [--date YYYY-MM-DD] [--note T] | --open | --na): record a step; refused (exit 1, nothing
changed) for an unknown step, a bad date or a step out of order. list: every site, where it
stands and what comes next. ics SITE OUT.ics: the kickoff and the escalation reviews.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.output import Output, table
from app.domain.errors import RuleViolation
from app.domain.helpdesk.journey import STEP_IDS, Journey, StepStatus, parse_day

if TYPE_CHECKING:  # main builds its parser from here; the services load when a command runs
    from app.services.workspace import Workspace

_MARK = {StepStatus.DONE: "done", StepStatus.OPEN: "open", StepStatus.NA: "n/a"}


def register(action: Callable[[str, str], argparse.ArgumentParser]) -> None:
    action("show", "the go-live journey of a site").add_argument("site")
    setp = action("set", "record a step of a site's journey")
    setp.add_argument("site")
    setp.add_argument("step", help=f"one of: {', '.join(STEP_IDS)}")
    state = setp.add_mutually_exclusive_group(required=True)
    state.add_argument("--done", action="store_true", help="the step happened")
    state.add_argument("--open", action="store_true", help="the step is not done (reopen it)")
    state.add_argument("--na", action="store_true", help="an optional step that does not apply")
    setp.add_argument("--date", metavar="YYYY-MM-DD", default=None,
                      help="with --done: the day it happened (default: today)")
    setp.add_argument("--note", default="", help="a note kept with the step")
    action("list", "every site: where its journey stands, what comes next")
    ics = action("ics", "the kickoff and escalation reviews as an iCalendar file")
    ics.add_argument("site")
    ics.add_argument("out", metavar="OUT.ics", type=Path)


def _human(j: Journey) -> str:
    head = f"{j.company_name} / {j.site_name}: next step: {j.next or 'none (journey complete)'}"
    rows = [(_MARK[s.status], s.id, s.title, s.source,
             s.date.isoformat() if s.date else "-", s.by or "-", s.note or "-")
            for s in j.steps]
    lines = [head, "", table(["", "STEP", "TITLE", "SOURCE", "DATE", "BY", "NOTE"], rows)]
    if j.reviews:
        lines += ["", "Escalation reviews: " + ", ".join(
            f"{r.due.isoformat()} ({'held ' + r.held.isoformat() if r.held else 'due'})"
            for r in j.reviews)]
    lines += [f"OVERDUE: {o.message}" for o in j.overdue]
    return "\n".join(lines)


def golive(ws: Workspace, args: argparse.Namespace, out: Output) -> int:
    service = ws.golive
    if args.action == "show":
        j = service.journey(args.site)
        out.data(j.to_dict(), _human(j))
    elif args.action == "set":
        if args.date is not None and not args.done:
            raise RuleViolation("--date goes with --done (the day the step happened)")
        status = (StepStatus.DONE if args.done else StepStatus.OPEN if args.open
                  else StepStatus.NA)
        when = parse_day(args.date) if args.date is not None else None
        j = service.set(args.site, args.step, status, when=when, note=args.note)
        out.note(f"{args.step}: {status.value}")
        out.data(j.to_dict(), _human(j))
    elif args.action == "list":
        rows = service.all()
        out.data([r.to_dict() for r in rows], table(
            ["COMPANY", "SITE", "DONE", "NEXT", "OVERDUE"],
            [(r.company, r.journey.site_name, f"{r.journey.done_count}/{len(r.journey.steps)}",
              r.journey.next or "-", "; ".join(o.message for o in r.journey.overdue) or "-")
             for r in rows]))
    else:
        if args.out.suffix.lower() != ".ics":
            raise RuleViolation(f"{args.out}: an iCalendar file; name it .ics")
        data = service.calendar(args.site)
        args.out.write_bytes(data)
        events = data.count(b"BEGIN:VEVENT")
        out.note(f"wrote {events} event(s) to {args.out}")
        out.data({"path": str(args.out), "events": events})
    return 0
