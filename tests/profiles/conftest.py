"""Helpers of the client-profile tests: sample rows and files written in tmp_path."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from app.profiles import FIELDS, HEADERS, Report, read_sheet, validate_rows

# A valid profile: every number here is valid for its country (tests check that too).
VALID: dict[str, str] = {
    "first_name": "Ada", "last_name": "Lovelace", "email": "ada@contoso.com",
    "title": "Engineer", "vip": "No", "mobile_country_code": "US",
    "mobile_phone": "2015550123", "mobile_provider": "", "mobile_sms_gateway": "",
    "office_country_code": "GB", "office_phone": "01212345678", "office_extension": "12",
    "home_country_code": "", "home_phone": "", "computer_name": "ADA-PC", "notes": "",
}


def row(n: int = 0, **changes: Any) -> list[Any]:
    """A valid template row (unique per `n`), with some fields changed."""
    values: dict[str, Any] = {**VALID, "email": f"ada{n}@contoso.com",
                              "computer_name": f"PC-{n}"}
    values.update(changes)
    return [values[f] for f in FIELDS]


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS,
               sheet: str = "Client Profiles", before: Sequence[tuple[str, list[list[Any]]]] = (),
               start_row: int = 0) -> Path:
    """An XLSX with `before` sheets, then the profile sheet. Strings go in with write_string,
    numbers as numbers, booleans as booleans; a value ("=…", cached) is written as a formula."""
    book = xlsxwriter.Workbook(str(path))
    for name, data in before:
        extra = book.add_worksheet(name)
        for r, cells in enumerate(data):
            for c, value in enumerate(cells):
                extra.write(r, c, value)
    ws = book.add_worksheet(sheet)
    for c, header in enumerate(headers):
        ws.write_string(start_row, c, header)
    for r, cells in enumerate(rows, start=start_row + 1):
        for c, value in enumerate(cells):
            if isinstance(value, tuple):
                ws.write_formula(r, c, value[0], None, value[1])
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            elif value != "":
                ws.write_string(r, c, value)
    book.close()
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS,
              encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows([[str(v) for v in r] for r in rows])
    return path


ODS_NS = (' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
          ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
          ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
          ' xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"')


def _ods_cell(value: Any) -> str:
    if isinstance(value, tuple):  # (formula, cached text)
        return (f'<table:table-cell table:formula="of:{value[0]}" office:value-type="string" '
                f'office:string-value="{value[1]}"><text:p>{value[1]}</text:p>'
                "</table:table-cell>")
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    if value == "":
        return "<table:table-cell/>"
    return (f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>'
            "</table:table-cell>")


def write_ods(path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> Path:
    """A minimal, valid ODS: mimetype first (stored), manifest, content.xml."""
    tables = "".join(
        f'<table:table table:name="{name}">'
        + "".join("<table:table-row>" + "".join(_ods_cell(v) for v in cells)
                  + "</table:table-row>" for cells in data)
        + "</table:table>" for name, data in sheets)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content{ODS_NS} '
               'office:version="1.2"><office:body><office:spreadsheet>'
               f"{tables}</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


Finding = tuple[int, str, str, str, str | None]  # row, column, severity, code, fix


def findings(report: Report) -> list[Finding]:
    return [(i.row, i.column, i.severity, i.code, i.fix) for i in report.issues]


@pytest.fixture
def check(tmp_path: Path) -> Callable[..., Report]:
    """Write rows as CSV or XLSX, read them back and validate."""

    def run(rows: Sequence[Sequence[Any]], fmt: str = "csv", **kwargs: Any) -> Report:
        path = tmp_path / f"profiles.{fmt}"
        if fmt == "csv":
            write_csv(path, rows, **kwargs)
        else:
            write_xlsx(path, rows, **kwargs)
        return validate_rows(read_sheet(path))

    return run
