"""IT Glue / Hudu-style password CSV exports: read, map the headers, validate.

The report is the client profiles' shape (`app.profiles.validation.Issue` and `Report`: row,
column, severity, code, message, fix; `row` is the CSV row with the header = 1). No message and
no fix ever contains a password, notes or OTP value: only titles, usernames and URLs, which are
plain in the vault as well.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.errors import RuleViolation
from app.profiles.validation import Issue, Report
from app.vault.items import KINDS, LIMITS, MAX_SECRET_CHARS

MAX_FILE_BYTES = 50 * 1024 * 1024
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("name", "title", "password name", "entry", "account"),
    "username": ("username", "user name", "login", "user", "user id", "login name"),
    "password": ("password", "pass", "pwd"),
    "url": ("url", "url/host", "url / host", "host", "hostname", "website", "ip", "address",
            "resource url", "login url"),
    "notes": ("notes", "note", "description", "comments"),
    "kind": ("kind", "type", "category", "password category", "password category name",
             "password type", "resource type"),
    "otp": ("otp secret", "otp", "totp", "totp secret"),
    "application": ("application", "app", "software"),
    "properties": ("properties", "custom properties"),
}
FIELD_COLUMN = {"title": "Title", "username": "Username", "password": "Password", "url": "URL",
                "notes": "Notes", "kind": "Kind", "otp": "OTP Secret",
                "application": "Application", "properties": "Properties"}
KIND_WORDS: dict[str, str] = {
    "server": "server", "servers": "server", "windows server": "server", "linux server": "server",
    "desktop": "desktop", "desktops": "desktop", "workstation": "desktop", "laptop": "desktop",
    "computer": "desktop", "lom": "lom", "lights out management": "lom", "ilo": "lom",
    "idrac": "lom", "ipmi": "lom", "bmc": "lom", "out of band": "lom",
    "application": "application", "applications": "application", "app": "application",
    "software": "application", "custom": "custom", "other": "custom", "general": "custom",
    "email": "custom", "": "custom",
}
CODES: dict[str, str] = {
    "header.missing_column": "no Title/Name column, or no Password column",
    "header.unknown_column": "a column the vault does not import (its values are not kept)",
    "header.duplicate_column": "a second column for the same field (not imported)",
    "row.cells_without_header": "values in a column that has no header (not imported)",
    "title.required": "no title and nothing to make one from",
    "title.missing": "no title; one is proposed from the username and URL",
    "password.empty": "an entry without a password",
    "value.too_long": "longer than the field allows",
    "value.control_characters": "a line break or control character in a title, user or URL",
    "kind.unknown": "a type the vault does not know (imported as Custom)",
    "duplicate.in_file": "the same title and username twice in the file",
    "duplicate.existing": "the site's vault already has this title and username",
    "properties.invalid": "a Properties cell that is not a Preflight plaintext export's JSON",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _norm(header: str) -> str:
    return " ".join(header.replace("_", " ").replace("-", " ").casefold().split())


ALIAS_TO_FIELD = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}


@dataclass(frozen=True)
class CsvEntry:
    """One importable row. Holds plaintext secrets: never log it (its repr hides them)."""

    row: int
    kind: str
    title: str
    username: str = ""
    url: str = ""
    application: str = ""
    password: str = field(default="", repr=False)
    notes: str = field(default="", repr=False)
    otp: str = field(default="", repr=False)
    properties: tuple[tuple[str, str, bool], ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class CsvPlan:
    report: Report
    entries: tuple[CsvEntry, ...]  # every row without an error


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _rows(text: str) -> Iterator[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_csv(path: str | os.PathLike[str]) -> list[list[str]]:
    target = Path(path)
    try:
        size = target.stat().st_size
    except OSError as exc:
        raise RuleViolation(f"cannot read {target}: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise RuleViolation(f"{target.name} is larger than {MAX_FILE_BYTES // 2**20} MB")
    text = _decode(target.read_bytes())
    try:
        rows = list(_rows(text))
    except csv.Error as exc:  # the message names a line, not a value
        raise RuleViolation(f"{target.name} is not a readable CSV file ({exc})") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise RuleViolation(f"{target.name} has no header row")
    return rows


def _map_headers(headers: list[str]) -> tuple[dict[str, int], list[Issue]]:
    issues: list[Issue] = []
    columns: dict[str, int] = {}
    for index, raw in enumerate(headers):
        name = _norm(raw)
        target = ALIAS_TO_FIELD.get(name)
        shown = raw.strip() or f"Column {index + 1}"
        if target is None:
            if name:
                issues.append(Issue(1, shown, "warning", "header.unknown_column",
                                    f"column '{shown}' is not imported: the vault has no such "
                                    "field (add it by hand as a custom property if needed)"))
        elif target in columns:
            issues.append(Issue(1, shown, "warning", "header.duplicate_column",
                                f"a second {FIELD_COLUMN[target]} column; only the first is "
                                "imported"))
        else:
            columns[target] = index
    for needed in ("title", "password"):
        if needed not in columns:
            aliases = ", ".join(HEADER_ALIASES[needed][:3])
            issues.append(Issue(1, FIELD_COLUMN[needed], "error", "header.missing_column",
                                f"no {FIELD_COLUMN[needed]} column (looked for: {aliases})"))
    return columns, issues


def _kind(number: int, text: str, found: list[Issue]) -> str:
    norm = _norm(text)
    kind = KIND_WORDS.get(norm) or next(
        (k for word, k in KIND_WORDS.items() if word and word in norm), None)
    if kind is None:
        found.append(Issue(number, FIELD_COLUMN["kind"], "warning", "kind.unknown",
                           f"type '{text.strip()}' is not one of "
                           f"{', '.join(KINDS.values())}; imported as Custom", "custom"))
        kind = "custom"
    return kind


def _check_lengths(number: int, values: dict[str, str], found: list[Issue]) -> None:
    for name in ("title", "username", "url", "application"):
        value = values[name]
        if _CONTROL.search(value):
            found.append(Issue(number, FIELD_COLUMN[name], "warning",
                               "value.control_characters",
                               "a line break or control character; it is replaced by a space",
                               _CONTROL.sub(" ", value)))
        if len(value) > LIMITS[name]:
            found.append(Issue(number, FIELD_COLUMN[name], "error", "value.too_long",
                               f"{len(value)} characters; at most {LIMITS[name]}",
                               value[:LIMITS[name]]))
    for name in ("password", "notes", "otp"):  # secrets: the length only, never the value
        if len(values[name]) > MAX_SECRET_CHARS:
            found.append(Issue(number, FIELD_COLUMN[name], "error", "value.too_long",
                               f"{len(values[name])} characters; at most {MAX_SECRET_CHARS}"))


def _check_row(number: int, cells: list[str], columns: dict[str, int], width: int, *,
               seen: dict[tuple[str, str], int], existing: Collection[tuple[str, str]]
               ) -> tuple[list[Issue], CsvEntry | None]:
    found: list[Issue] = []
    if any(c.strip() for c in cells[width:]):
        found.append(Issue(number, f"Column {width + 1}", "warning",
                           "row.cells_without_header",
                           "values beyond the last header are not imported"))
    values = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
    for name in HEADER_ALIASES:
        values.setdefault(name, "")
        if name not in ("password", "notes", "otp", "properties"):
            values[name] = values[name].strip()
    kind = _kind(number, values["kind"], found)
    _check_lengths(number, values, found)
    title, username, url = values["title"], values["username"], values["url"]
    if not title:
        proposal = " @ ".join(filter(None, (username, url)))[:LIMITS["title"]]
        if proposal:
            found.append(Issue(number, "Title", "warning", "title.missing",
                               f"no title; it is imported as '{proposal}'", proposal))
            title = proposal
        else:
            found.append(Issue(number, "Title", "error", "title.required",
                               "no title, username or URL to name the entry by"))
    if not values["password"] and not values["notes"] and not values["otp"]:
        found.append(Issue(number, "Password", "warning", "password.empty",
                           "no password, notes or OTP secret: only the names are imported"))
    key = (title.casefold(), username.casefold())
    if title and key in seen:
        found.append(Issue(number, "Title", "warning", "duplicate.in_file",
                           f"'{title}' / '{username}' is also on row {seen[key]}; both are "
                           "imported"))
    elif title:
        seen[key] = number
    if title and key in existing:
        found.append(Issue(number, "Title", "warning", "duplicate.existing",
                           f"the site's vault already has '{title}' / '{username}'; the "
                           "import adds a second entry"))
    properties = _properties(number, values["properties"], found)
    if any(i.severity == "error" for i in found):
        return found, None
    return found, CsvEntry(
        number, kind, _CONTROL.sub(" ", title)[:LIMITS["title"]], _CONTROL.sub(" ", username),
        _CONTROL.sub(" ", url), _CONTROL.sub(" ", values["application"]), values["password"],
        values["notes"], values["otp"], properties)


def _properties(number: int, text: str, found: list[Issue]) -> tuple[tuple[str, str, bool], ...]:
    """The Properties column of our own plaintext export: [{"name", "value", "secret"}]."""
    if not text.strip():
        return ()
    try:
        data = json.loads(text)
        props = tuple((str(p["name"]), str(p["value"]), bool(p.get("secret"))) for p in data)
    except (ValueError, TypeError, KeyError):  # the message must not quote the cell
        found.append(Issue(number, "Properties", "error", "properties.invalid",
                           "not a list of {name, value, secret} objects as Preflight exports "
                           "them; clear the cell or fix it"))
        return ()
    return props


def plan_csv(path: str | os.PathLike[str],
             existing: Collection[tuple[str, str]] = frozenset()) -> CsvPlan:
    """Validate a password CSV. `existing` = (title, username) casefolded pairs of the site."""
    from app.vault.exchange import unguard_plaintext  # our plaintext export's guards

    rows = unguard_plaintext(read_csv(path))
    columns, issues = _map_headers(rows[0])
    if any(i.code == "header.missing_column" for i in issues):
        return CsvPlan(Report(0, 0, tuple(issues)), ())
    entries: list[CsvEntry] = []
    seen: dict[tuple[str, str], int] = {}
    data_rows = 0
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        data_rows += 1
        found, entry = _check_row(number, cells, columns, len(rows[0]), seen=seen,
                                  existing=existing)
        issues.extend(found)
        if entry is not None:
            entries.append(entry)
    return CsvPlan(Report(data_rows, len(entries), tuple(issues)), tuple(entries))
