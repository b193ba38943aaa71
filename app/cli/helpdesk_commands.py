"""`preflight site readiness [SITE] [--report OUT.html]` (docs/rules.md, §10; issue 8).

With SITE: the site's go-live checklist (`--json`: `Checklist.to_dict()`), and with --report
its printable HTML go-live report. Without SITE: every site, ready or not and what blocks it
(`--json`: `ReadinessOverview.to_dict()`). Exit code 0 either way: "not ready" is an answer,
not a refusal (the JSON's `ready` says which).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.output import Output, table
from app.domain.errors import RuleViolation

if TYPE_CHECKING:  # main builds its parser from here; the services load when a command runs
    from app.services.workspace import Workspace

_MARK = {"pass": "ok", "warning": "WARN", "fail": "FAIL"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", nargs="?", default=None,
                        help="the site, by id or exact name (default: every site)")
    parser.add_argument("--report", metavar="OUT.html", type=Path, default=None,
                        help="also write the site's printable go-live report (HTML)")


def readiness(ws: Workspace, args: argparse.Namespace, out: Output) -> int:
    if args.site is None:
        if args.report is not None:
            raise RuleViolation("--report needs a SITE: the go-live report is per site")
        view = ws.helpdesk.overview()
        rows = [(c.company_name, c.site_name, "yes" if c.ready else "no",
                 ", ".join(i.id for i in c.blockers) or "-") for c in view.sites]
        text = (f"{len(view.ready)} of {len(view.sites)} site(s) ready for go-live\n\n"
                + table(["COMPANY", "SITE", "READY", "BLOCKED BY"], rows))
        out.data(view.to_dict(), text)
        return 0
    checklist = ws.helpdesk.readiness(args.site)
    if args.report is not None:
        if args.report.suffix.lower() not in (".html", ".htm"):
            raise RuleViolation(f"{args.report}: the go-live report is HTML; name it .html")
        args.report.write_text(ws.helpdesk.golive_report(checklist.site_id), encoding="utf-8")
        out.note(f"wrote the go-live report to {args.report}")
    state = "ready for go-live" if checklist.ready else (
        f"not ready: {len(checklist.blockers)} item(s) to fix")
    lines = [f"{checklist.company_name} / {checklist.site_name}: {state}", ""]
    lines.append(table(["", "CHECK", "WHY", "WHERE"],
                       [(_MARK[i.status.value], i.title, i.why, i.link)
                        for i in checklist.items]))
    out.data(checklist.to_dict(), "\n".join(lines))
    return 0
