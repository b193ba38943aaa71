"""`preflight profiles validate|import|export` (docs/architecture.md §10, issue 5).

    preflight profiles validate FILE [--site SITE]
    preflight profiles import FILE --site SITE [--dry-run] [--skip-invalid [--rejects OUT]]
    preflight profiles export --site SITE OUT.xlsx|OUT.csv

`validate` needs no workspace unless --site is given (then duplicates against the site's
profiles are found too). `--json` prints: validate, the report of docs/architecture.md §10 exactly;
import, `ImportResult.to_dict()` ({created, updated, unchanged, rejected, dry_run,
rejects_path, report}), or when refused {refused: true, message, report}; export, {site,
site_id, path, profiles}. Findings print as `row R, column C: severity code: message (fix: …)`.

Exit codes: 0 done (warnings allowed); 1 findings with errors, a refused import or an unreadable
file (nothing changed); 2 usage errors (a missing file, a wrong suffix, --rejects without
--skip-invalid, a rejects folder that does not exist).
"""

from __future__ import annotations

import argparse
import codecs
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.output import Output

if TYPE_CHECKING:  # the parser is built on every start; the rest loads when a command runs
    from app.profiles import Issue, Report, Sheet
    from app.services.workspace import Workspace

EXIT_OK, EXIT_RULE, EXIT_USAGE = 0, 1, 2
Factory = Callable[[str, str], argparse.ArgumentParser]
_DELIMITERS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def register(profiles: Factory) -> None:
    """Add the actions to the `profiles` command's sub-parser factory."""
    validate = profiles("validate", "check a client-profile file against the template rules")
    validate.add_argument("file", type=Path, metavar="FILE")
    validate.add_argument("--site", default=None,
                          help="also find profiles the site already has (by id or name)")
    _read_options(validate)
    imp = profiles("import", "import a client-profile file into a site (all or nothing)")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--site", required=True, help="the site, by id or exact name")
    imp.add_argument("--dry-run", action="store_true",
                     help="report what the import would do; write nothing")
    imp.add_argument("--skip-invalid", action="store_true",
                     help="import the valid rows and leave out the rows with errors")
    imp.add_argument("--rejects", type=Path, metavar="OUT", default=None,
                     help="with --skip-invalid: write the rows left out, with an Errors "
                          "column, to OUT (.csv for a CSV file, else .xlsx)")
    _read_options(imp)
    export = profiles("export", "export a site's profiles to the XLSX or CSV template")
    export.add_argument("--site", required=True, help="the site, by id or exact name")
    export.add_argument("out", type=Path, metavar="OUT.xlsx|OUT.csv")


def _read_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sheet", default=None,
                        help="workbook sheet to read (default: 'Client Profiles', else the "
                             "first sheet with the template's header)")
    parser.add_argument("--encoding", default=None,
                        help="CSV encoding (default: detected), e.g. utf-8, utf-16, cp1252")
    parser.add_argument("--delimiter", default=None,
                        help="CSV delimiter (default: detected): , ; | or tab")


class _Usage(Exception):
    """A usage error found after parsing (exit 2)."""


def run(args: argparse.Namespace, out: Output) -> int:
    """Run a `profiles` action; opens the workspace only when the action needs one."""
    from app.profiles import ReadError

    try:
        if args.action == "export":
            return _with_workspace(args, lambda ws: _export(ws, args, out))
        sheet = _read(args)
        if args.action == "validate":
            if args.site is None:
                return _validate(None, sheet, args, out)
            return _with_workspace(args, lambda ws: _validate(ws, sheet, args, out))
        return _with_workspace(args, lambda ws: _import(ws, sheet, args, out))
    except _Usage as exc:
        out.note(f"preflight: usage error: {exc}")
        return EXIT_USAGE
    except ReadError as exc:
        out.note(f"preflight: refused: cannot import {args.file}: {exc.message} "
                 f"[{exc.code}]")
        return EXIT_RULE


def _with_workspace(args: argparse.Namespace, action: Callable[[Workspace], int]) -> int:
    from app.services.workspace import Workspace

    ws = Workspace.open(getattr(args, "workspace", None))
    try:
        return action(ws)
    finally:
        ws.close()


def _read(args: argparse.Namespace) -> Sheet:
    from app.profiles import read_sheet

    file: Path = args.file
    if not file.exists():
        raise _Usage(f"no file at {file}; give the path of an .xlsx, .ods or .csv file")
    if not file.is_file():
        raise _Usage(f"{file} is not a file; give the path of an .xlsx, .ods or .csv file")
    if args.action == "import" and args.rejects is not None and not args.skip_invalid:
        raise _Usage("--rejects needs --skip-invalid (only skipped rows are written to it)")
    encoding = args.encoding
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise _Usage(f"unknown encoding '{encoding}'; use e.g. utf-8, utf-16 or "
                         "cp1252") from None
    delimiter = args.delimiter
    if delimiter is not None:
        delimiter = _DELIMITERS.get(delimiter.lower(), delimiter)
        if len(delimiter) != 1 or delimiter in "\"\r\n":
            raise _Usage(f"--delimiter must be one character such as , ; | or the word tab, "
                         f"not '{args.delimiter}'")
    return read_sheet(file, sheet_name=args.sheet, encoding=encoding, delimiter=delimiter)


def finding_line(issue: Issue) -> str:
    """`row R, column C: severity code: message (fix: …)`."""
    line = f"row {issue.row}, column {issue.column}: {issue.severity} {issue.code}: " \
           f"{issue.message}"
    if issue.fix is not None:
        line += f" (fix: {issue.fix})" if issue.fix else " (fix: clear the cell)"
    return line


def _summary(report: Report) -> str:
    return (f"{report.rows:,} row(s), {report.valid_rows:,} valid; {report.errors:,} error(s), "
            f"{report.warnings:,} warning(s)")


def _validate(ws: Workspace | None, sheet: Sheet, args: argparse.Namespace,
              out: Output) -> int:
    from app.profiles import validate_rows

    report = (ws.profiles.validate(args.site, sheet) if ws is not None
              else validate_rows(sheet))
    lines = [finding_line(i) for i in report.issues]
    out.data(report.to_dict(), "\n".join([*lines, _summary(report)]))
    return EXIT_RULE if report.errors else EXIT_OK


def _import(ws: Workspace, sheet: Sheet, args: argparse.Namespace, out: Output) -> int:
    from app.services.profiles import ImportRefused, rejects_suffix

    rejects: Path | None = args.rejects
    if rejects is not None and rejects.suffix.lower() != rejects_suffix(sheet):
        out.note(f"preflight: usage error: the rejects file of a {sheet.source.upper()} file "
                 f"is written as {rejects_suffix(sheet)[1:].upper()}; name it "
                 f"…{rejects_suffix(sheet)}, not '{rejects.name}'")
        return EXIT_USAGE
    if rejects is not None and not rejects.parent.is_dir():
        out.note(f"preflight: usage error: the folder of the rejects file, {rejects.parent}, "
                 "does not exist")
        return EXIT_USAGE
    site = ws.sites.get(args.site)
    try:
        result = ws.profiles.import_sheet(site.id, sheet, skip_invalid=args.skip_invalid,
                                          dry_run=args.dry_run, rejects=rejects)
    except ImportRefused as exc:
        payload: dict[str, Any] = {"refused": True, "message": str(exc),
                                   "report": exc.report.to_dict()}
        errors = [finding_line(i) for i in exc.report.issues if i.severity == "error"]
        out.data(payload, "\n".join([*errors, _summary(exc.report)]))
        out.note(f"preflight: refused: {exc}")
        return EXIT_RULE
    report = result.report
    verb = "would import" if result.dry_run else "imported"
    lines = [finding_line(i) for i in report.issues if i.severity == "error"]
    lines.append(f"{verb} into site '{site.name}': {result.created:,} created, "
                 f"{result.updated:,} updated, {result.unchanged:,} unchanged, "
                 f"{result.rejected:,} rejected" + (" (dry run: nothing was written)"
                                                    if result.dry_run else ""))
    if report.warnings:
        lines.append(f"{report.warnings:,} warning(s); `preflight profiles validate FILE` "
                     "lists them")
    if result.rejects_path is not None:
        lines.append(f"rejected rows written to {result.rejects_path}")
    out.data(result.to_dict(), "\n".join(lines))
    return EXIT_OK


def _export(ws: Workspace, args: argparse.Namespace, out: Output) -> int:
    from app.services.profiles import EXPORT_SUFFIXES

    target: Path = args.out
    if target.suffix.lower() not in EXPORT_SUFFIXES:
        out.note(f"preflight: usage error: export to a file named .xlsx or .csv, not "
                 f"'{target.name}'")
        return EXIT_USAGE
    if not target.parent.is_dir():
        out.note(f"preflight: usage error: the folder {target.parent} does not exist")
        return EXIT_USAGE
    site = ws.sites.get(args.site)
    count = ws.profiles.export(site.id, target)
    out.data({"site": site.name, "site_id": site.id, "path": str(target), "profiles": count},
             f"exported {count:,} profile(s) of site '{site.name}' to {target}")
    return EXIT_OK
