"""`preflight helpdesk sections|show|set`: a site's Help Desk setup as JSON (issue 14).

`show SITE [--section S]` prints the setup (every section, or one) as JSON documents; `set SITE
--section S --file F` reads one such document (`-` for stdin), checks it as the GUI's forms do
and saves it. Refused (exit 1, nothing saved): JSON that does not parse (line and column), an
unknown field or a value of the wrong type (the field's path), findings with an error (each
with section, field and message; on stdout too with --json). A missing file is exit 2.
See docs/cli-helpdesk.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.output import Output, table
from app.domain.errors import PreflightError, RuleViolation
from app.domain.helpdesk import SECTIONS

if TYPE_CHECKING:  # the services load when a command runs
    from app.services.workspace import Workspace

Factory = Callable[[str, str], argparse.ArgumentParser]


def register(helpdesk: Factory) -> None:
    helpdesk("sections", "list the Help Desk setup sections")
    show = helpdesk("show", "show a site's Help Desk setup as JSON")
    show.add_argument("site", help="the site, by id or exact name")
    show.add_argument("--section", choices=list(SECTIONS), default=None,
                      help="only this section (the shape `set --section` takes)")
    setp = helpdesk("set", "check and save one section of a site's Help Desk setup")
    setp.add_argument("site", help="the site, by id or exact name")
    setp.add_argument("--section", choices=list(SECTIONS), required=True)
    setp.add_argument("--file", required=True, metavar="F",
                      help="the section's JSON document (as `show --section` prints it); "
                           "- reads stdin")


def run(ws: Workspace, args: argparse.Namespace, out: Output) -> int:
    if args.action == "sections":
        out.data(list(SECTIONS), "\n".join(SECTIONS))
        return 0
    if args.action == "show":
        documents = ws.helpdesk.documents(args.site)
        shown = documents[args.section] if args.section else documents
        text = json.dumps(shown, indent=2, ensure_ascii=False)
        out.data(shown, text)
        return 0
    return _set(ws, args, out)


class _MissingFile(PreflightError):
    """The --file cannot be read (exit 2: an environment error, not a refusal)."""


def _read(name: str) -> Any:
    if name == "-":
        text, where = sys.stdin.read(), "stdin"
    else:
        path = Path(name)
        if not path.is_file():
            raise _MissingFile(f"{name}: no such file; give the path of a JSON document "
                               "(`preflight helpdesk show SITE --section S --json` prints one)")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise RuleViolation(f"{name}: not UTF-8 text; save the JSON as UTF-8") from None
        where = name
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleViolation(f"{where}: not valid JSON at line {exc.lineno}, column "
                            f"{exc.colno}: {exc.msg}") from None


def _set(ws: Workspace, args: argparse.Namespace, out: Output) -> int:
    from app.services.helpdesk import SectionRefused

    document = _read(args.file)
    site = ws.sites.get(args.site)
    try:
        findings = ws.helpdesk.save_document(site.id, args.section, document)
    except SectionRefused as exc:
        out.data({"site": site.id, "section": args.section, "saved": False,
                  "findings": [f.to_dict() for f in exc.findings]},
                 _findings_text(exc.findings))
        raise
    out.data({"site": site.id, "section": args.section, "saved": True,
              "findings": [f.to_dict() for f in findings]},
             f"saved {args.section} of {site.company} / {site.name}"
             + (f"\n\n{_findings_text(findings)}" if findings else ""))
    return 0


def _findings_text(findings: Any) -> str:
    return table(["SEVERITY", "SECTION", "FIELD", "MESSAGE"],
                 [(f.severity, f.section, f.field, f.message) for f in findings])
