"""`preflight rule list|show RULE|create --name N [--file RULE.json]|set RULE --file RULE.json
|delete RULE`: the partner's notification rules.

`show --json` prints `{"id", "name", "paths"}`, the shape `--file` takes (its `id` is ignored: the
command names the rule; a `name` in a `set` file renames it). A file that is not JSON, has an
unknown field or a value of the wrong type is refused (exit 1) naming the field; nothing
changes.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.output import Output, table
from app.domain.errors import PreflightError, RuleViolation
from app.domain.helpdesk import describe_slots

if TYPE_CHECKING:
    from app.services.rules import RuleView
    from app.services.workspace import Workspace

Factory = Callable[[str, str], argparse.ArgumentParser]
MAX_FILE_BYTES = 1024 * 1024


def add_actions(rule: Factory) -> None:
    rule("list", "list the notification rules and who uses them")
    rule("show", "show one rule (--json: the shape --file takes)").add_argument("rule")
    create = rule("create", "create a rule")
    create.add_argument("--name", required=True)
    create.add_argument("--file", type=Path, metavar="RULE.json", default=None,
                        help="its escalation paths, as `rule show --json` prints them")
    setr = rule("set", "replace a rule's paths (and name) from a file")
    setr.add_argument("rule")
    setr.add_argument("--file", type=Path, metavar="RULE.json", required=True)
    rule("delete", "delete a rule that no policy or site uses").add_argument("rule")


def _read_file(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RuleViolation(f"{path}: {size} bytes is over the {MAX_FILE_BYTES}-byte limit "
                                "for a rule file")
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise RuleViolation(f"{path}: not UTF-8 text; save the rule file as UTF-8") from None
    except FileNotFoundError:
        raise PreflightError(f"{path}: no such file") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise RuleViolation(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, "
                            f"column {exc.colno}") from None
    except RuleViolation as exc:
        raise RuleViolation(f"{path}: {exc}") from None


def _no_constant(name: str) -> Any:
    raise RuleViolation(f"{name} is not a JSON value")


def _document(path: Path) -> tuple[str | None, Any]:
    from app.services.rules import parse_rule_document

    data = _read_file(path)
    try:
        return parse_rule_document(data)
    except RuleViolation as exc:
        raise RuleViolation(f"{path}: {exc}") from None


def list_json(view: RuleView) -> dict[str, Any]:
    return {"id": view.id, "name": view.name,
            "paths": [p.kind.value for p in view.rule.paths],
            "policies": list(view.policies), "sites": list(view.sites),
            "errors": sum(f.severity == "error" for f in view.findings),
            "warnings": sum(f.severity == "warning" for f in view.findings)}


def _text(view: RuleView) -> str:
    lines = [view.name, f"id: {view.id}",
             f"used by policies: {', '.join(view.policies) or '-'}",
             f"used by sites (Basic Info): {', '.join(view.sites) or '-'}", ""]
    if not view.rule.paths:
        lines.append("(no escalation paths)")
    for path in view.rule.paths:
        lines.append(f"{path.kind.label}: {', '.join(describe_slots(path.slots)) or 'no slots'}")
        for n, c in enumerate(path.contacts, 1):
            reach = " ".join(x for x in (c.phone_country, c.phone, c.email) if x)
            lines.append(f"  {n}. {c.name} ({c.method.value}{', ' + reach if reach else ''})")
    if view.findings:
        lines.append("")
        lines += [f"{f.severity.upper()}: {f.field}: {f.message}" for f in view.findings]
    return "\n".join(lines)


def rule(ws: Workspace, args: argparse.Namespace, out: Output) -> int:
    action = args.action
    if action == "list":
        views = ws.rules.all()
        out.data([list_json(v) for v in views],
                 table(["NAME", "PATHS", "POLICIES", "SITES", "ID"],
                       [(v.name, len(v.rule.paths), list(v.policies), list(v.sites), v.id)
                        for v in views]))
    elif action == "show":
        shown = ws.rules.get(args.rule)
        out.data(shown.document(), _text(shown))
    elif action == "create":
        paths: Any = ()
        if args.file is not None:
            _name, file_paths = _document(args.file)
            paths = file_paths or ()
        created = ws.rules.create(args.name, paths)
        out.data(created.document(), f"created notification rule '{created.name}' "
                                     f"({created.id})")
    elif action == "set":
        name, file_paths = _document(args.file)
        if name is None and file_paths is None:
            raise RuleViolation(f"{args.file}: give \"paths\" (and optionally \"name\") to set")
        updated = ws.rules.update(args.rule, name=name, paths=file_paths)
        out.data(updated.document(), _text(updated))
    elif action == "delete":
        gone = ws.rules.delete(args.rule)
        out.data(gone.document(), f"deleted notification rule '{gone.name}'")
    return 0
