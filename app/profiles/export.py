"""Write profiles in the template: XLSX (xlsxwriter) and CSV (UTF-8 with BOM, for Excel).

XLSX: sheet "Client Profiles", header in row 1, every cell right-aligned with all borders and
the Text number format (seed 004; Text keeps a retyped leading zero). Every value is written
with `write_string`, so nothing becomes a formula, a number or a link; a value starting with
= + - @ tab CR or LF gets Excel's quote-prefix style (shown and kept as text, never evaluated,
value unchanged). CSV: such a value gets one leading apostrophe (see `injection`), which the
CSV reader removes. Either way an export re-imports with zero findings when its profiles were
valid. Files are written to a temporary name and renamed, so a failed export leaves nothing.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.profiles.injection import TRIGGERS, needs_guard, neutralise
from app.profiles.profile import Profile
from app.profiles.sheet import Sheet
from app.profiles.template import FIELDS, HEADERS, SHEET_NAME
from app.profiles.validation import Report

_WIDTHS = {"first_name": 16, "last_name": 18, "email": 30, "title": 20, "vip": 6,
           "mobile_country_code": 10, "mobile_phone": 16, "mobile_provider": 14,
           "mobile_sms_gateway": 16, "office_country_code": 10, "office_phone": 16,
           "office_extension": 10, "home_country_code": 10, "home_phone": 16,
           "computer_name": 18, "notes": 40}
_GUARD_FIRST = TRIGGERS | {"'"}
_WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False,
                     "strings_to_urls": False}


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """A temporary file beside `path`, renamed over it when the block succeeds."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


class _XlsxWriter:
    """Rows of text into one sheet, formatted as the template asks."""

    def __init__(self, path: Path, headers: Sequence[str], widths: Sequence[float],
                 constant_memory: bool) -> None:
        import xlsxwriter  # here, not at start: only an export needs it

        self.book = xlsxwriter.Workbook(str(path), {**_WORKBOOK_OPTIONS,
                                                    "constant_memory": constant_memory})
        self.sheet = self.book.add_worksheet(SHEET_NAME)
        base = {"align": "right", "border": 1, "num_format": "@"}
        self.header_format = self.book.add_format({**base, "bold": True, "bg_color": "#D9E1F2"})
        self.cell_format = self.book.add_format(base)
        self.guarded_format = self.book.add_format({**base, "quote_prefix": True})
        for index, width in enumerate(widths):
            self.sheet.set_column(index, index, width, self.cell_format)
        self.sheet.freeze_panes(1, 0)
        for index, header in enumerate(headers):
            self.sheet.write_string(0, index, header, self.header_format)
        self.row = 0

    def add(self, values: Sequence[str]) -> None:
        self.row += 1
        write_string, write_blank = self.sheet.write_string, self.sheet.write_blank
        plain, guarded = self.cell_format, self.guarded_format
        row = self.row
        for index, text in enumerate(values):
            if not text:
                write_blank(row, index, None, plain)
            elif text[0] in _GUARD_FIRST and needs_guard(text):
                write_string(row, index, text, guarded)
            else:
                write_string(row, index, text, plain)

    def close(self) -> None:
        self.book.close()


def export_xlsx(profiles: Iterable[Profile], path: str | os.PathLike[str], *,
                constant_memory: bool = True) -> int:
    """Write profiles to an XLSX template; returns how many were written."""
    return _xlsx_texts((p.texts() for p in profiles), path, constant_memory=constant_memory)


def _xlsx_texts(rows: Iterable[Sequence[str]], path: str | os.PathLike[str], *,
                constant_memory: bool = True) -> int:
    target = Path(path)
    with _atomic(target) as temporary:
        writer = _XlsxWriter(temporary, HEADERS, [_WIDTHS[f] for f in FIELDS], constant_memory)
        vip = FIELDS.index("vip")
        writer.sheet.data_validation(1, vip, 1_048_575, vip,
                                     {"validate": "list", "source": ["Yes", "No"]})
        for values in rows:
            writer.add(values)
        writer.close()
        count = writer.row
    return count


def _csv_writer(stream: Any, delimiter: str) -> Any:
    return csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")


def export_csv(profiles: Iterable[Profile], path: str | os.PathLike[str], *,
               delimiter: str = ",") -> int:
    """Write profiles to a CSV template (UTF-8 with BOM, CRLF, formula-like cells guarded)."""
    return _csv_texts((p.texts() for p in profiles), path, delimiter=delimiter)


def _csv_texts(rows: Iterable[Sequence[str]], path: str | os.PathLike[str], *,
               delimiter: str = ",") -> int:
    target = Path(path)
    count = 0
    with _atomic(target) as temporary, temporary.open("w", encoding="utf-8-sig",
                                                     newline="") as stream:
        writer = _csv_writer(stream, delimiter)
        writer.writerow(HEADERS)
        for values in rows:
            writer.writerow([neutralise(v) for v in values])
            count += 1
    return count


def export_profiles(profiles: Iterable[Profile], path: str | os.PathLike[str]) -> int:
    """Export to .xlsx or .csv, chosen by the file name the user gave."""
    return export_texts((p.texts() for p in profiles), path)


def export_texts(rows: Iterable[Sequence[str]], path: str | os.PathLike[str]) -> int:
    """`export_profiles` of profiles given as their template text (`Profile.texts()`, in
    template column order), as the database hands them out without a record each."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_texts(rows, path)
    if suffix == ".csv":
        return _csv_texts(rows, path)
    raise ValueError(f"export to .xlsx or .csv, not {suffix or 'a file without extension'!r}")


def write_rejects(sheet: Sheet, report: Report, path: str | os.PathLike[str]) -> int:
    """The rows with errors, every original column kept, plus an "Errors" column listing them
    ("Column: message; …"), in the sheet's format (CSV stays CSV with its delimiter; XLSX and
    ODS become XLSX). Returns how many rows were written."""
    errors: dict[int, list[str]] = {}
    for issue in report.issues:
        if issue.severity == "error" and issue.row != sheet.header_row:
            errors.setdefault(issue.row, []).append(f"{issue.column}: {issue.message}")
    width = max([len(sheet.headers), *(len(r.values) for r in sheet.rows if r.number in errors)])
    headers = [*sheet.headers, *[""] * (width - len(sheet.headers)), "Errors"]
    rejected = [[*r.values, *[""] * (width - len(r.values)), "; ".join(errors[r.number])]
                for r in sheet.rows if r.number in errors]
    target = Path(path)
    if sheet.source == "csv":
        with _atomic(target) as temporary, temporary.open("w", encoding="utf-8-sig",
                                                         newline="") as stream:
            writer = _csv_writer(stream, sheet.delimiter or ",")
            writer.writerow(headers)
            writer.writerows([neutralise(v) for v in row] for row in rejected)
    else:
        with _atomic(target) as temporary:
            widths: list[float] = [_WIDTHS[f] if f else 16 for f in sheet.fields]
            widths += [16] * (width - len(widths)) + [60]
            writer_x = _XlsxWriter(temporary, headers, widths, True)
            for row in rejected:
                writer_x.add(row)
            writer_x.close()
    return len(rejected)
