"""XLSX and ODS through python-calamine: sheet choice, header row, cell kinds, formulas."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import xlsxwriter

from app.profiles import HEADERS, Cell, read_sheet, validate_rows
from app.profiles.readers import detect_format
from app.profiles.workbook import number_text
from tests.profiles.conftest import row, write_ods, write_xlsx

INSTRUCTIONS = [["How to fill in this template"], ["First Name* and Last Name* are required."],
                ["Phone numbers: digits only."], ["First Name", "Last Name"]]


def test_instructions_sheet_first(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", [row(0), row(1)], sheet="Profiles",
                      before=[("Instructions", INSTRUCTIONS[:3])])
    sheet = read_sheet(path)
    assert (sheet.source, sheet.name, sheet.header_row) == ("xlsx", "Profiles", 1)
    assert [r.number for r in sheet.rows] == [2, 3]
    assert validate_rows(sheet).valid_rows == 2


def test_client_profiles_sheet_is_preferred(tmp_path: Path) -> None:
    # the first sheet even has a header-like row, but "Client Profiles" wins
    path = write_xlsx(tmp_path / "p.xlsx", [row(0)], sheet="client  profiles",
                      before=[("Old", [list(HEADERS), row(9)])])
    assert read_sheet(path).name == "client  profiles"
    assert read_sheet(path, sheet_name="Old").rows[0].values[2] == "ada9@contoso.com"


def test_header_below_a_title_and_data_off_the_corner(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", [row(0)], start_row=2,
                      before=[("Instructions", INSTRUCTIONS)])
    sheet = read_sheet(path)
    assert sheet.header_row == 3
    assert sheet.rows[0].number == 4


def test_cell_kinds(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", [row(0, mobile_phone=2015550123, title=1.5,
                                                 notes=12345678901234567, vip=True,
                                                 computer_name=-3)])
    r = read_sheet(path).rows[0]
    assert r.cell(6) == Cell("2015550123", numeric=True)
    assert r.cell(3) == Cell("1.5", numeric=True)
    assert r.cell(15) == Cell("1.23456789012346E+16", numeric=True)
    assert r.cell(4) == Cell("TRUE")
    assert r.cell(14) == Cell("-3", numeric=True)
    assert r.cell(0) == Cell("Ada")
    assert len(r.cells) == len(HEADERS)


def test_dates_and_formulas(tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Client Profiles")
    ws.write_row(0, 0, HEADERS)
    ws.write_row(1, 0, row(0))
    ws.write_datetime(1, 15, datetime.datetime(2025, 8, 7),
                      book.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_row(2, 0, row(1))
    ws.write_formula(2, 10, "=TEXT(1212345678,\"0\")", None, "1212345678")
    ws.write_formula(2, 12, "=\"GB\"", None, "GB")
    ws.write_row(3, 0, row(2))
    ws.write_formula(3, 15, "=1/0", None, "#DIV/0!")
    book.close()
    sheet = read_sheet(path)
    assert sheet.rows[0].cell(15) == Cell("2025-08-07", numeric=True)
    assert sheet.rows[1].formula == {10, 12}
    assert sheet.rows[2].formula == {15}
    assert sheet.rows[0].formula == frozenset()


def test_shared_formulas_without_cell_references_and_prefixes(tmp_path: Path) -> None:
    """Formula cells are found in hand-written sheet XML too: shared formulas, <x:f>, no r=."""
    import zipfile

    plain = write_xlsx(tmp_path / "plain.xlsx", [row(0), row(1)])
    source = zipfile.ZipFile(plain)
    sheet_xml = source.read("xl/worksheets/sheet1.xml").decode()
    # row 3: make its first cell a shared formula, and drop every r= of that row's cells
    start = sheet_xml.index('<row r="3"')
    end = sheet_xml.index("</row>", start)
    third = sheet_xml[start:end]
    import re

    third = re.sub(r' r="[A-Z]+3"', "", third)
    third = third.replace("<v>", '<f t="shared" si="0"/><v>', 1)
    path = tmp_path / "shared.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = (sheet_xml[:start] + third + sheet_xml[end:]).encode()
            zf.writestr(info.filename, data)
    sheet = read_sheet(path)
    assert sheet.rows[1].formula == {0}


def test_ods(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "p.ods", [
        ("Instructions", INSTRUCTIONS[:2]),
        ("Profiles", [list(HEADERS), row(0), row(1, mobile_phone=("2015550123*1", "2015550123"),
                                                   office_phone=1212345678)])])
    sheet = read_sheet(path)
    assert (sheet.source, sheet.name) == ("ods", "Profiles")
    assert sheet.rows[0].values == row(0)
    assert sheet.rows[1].formula == {6}
    assert sheet.rows[1].cell(10) == Cell("1212345678", numeric=True)


def test_format_comes_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "p.xlsx", [row(0)])
    renamed = tmp_path / "clients.csv"
    renamed.write_bytes(xlsx.read_bytes())
    assert read_sheet(renamed).source == "xlsx"
    assert detect_format(b"First Name*,Last Name*") == "csv"
    assert detect_format(b"PK\x03\x04rest") == "zip"


def test_unknown_and_duplicate_columns_are_reported(tmp_path: Path) -> None:
    headers = ["Given name", "SURNAME", "E-mail", "Department", "Mobile", "Cell Phone",
               "Mobile Country Code", ""]
    path = write_xlsx(tmp_path / "p.xlsx",
                      [["Ada", "Lovelace", "ada@contoso.com", "R&D", "2015550123", "", "US"]],
                      headers=headers)
    sheet = read_sheet(path)
    assert sheet.fields[:7] == ("first_name", "last_name", "email", None, "mobile_phone", None,
                                "mobile_country_code")
    assert sheet.unknown_columns == (3,)
    assert sheet.duplicate_columns == ((5, "mobile_phone"),)
    remapped = sheet.remap({3: "title"})
    assert remapped.fields[3] == "title"
    assert remapped.unknown_columns == ()
    report = validate_rows(remapped)
    assert [(i.row, i.column, i.code) for i in report.issues] == [
        (1, "Cell Phone", "header.duplicate_column")]
    assert report.valid_rows == 1


@pytest.mark.parametrize(("value", "text"), [
    (4155553657.0, "4155553657"), (0.1, "0.1"), (1.5, "1.5"), (-2.0, "-2"),
    (1e15, "1E+15"), (123456789012345.0, "123456789012345"),
    (4.412345678901235e19, "4.41234567890123E+19")])
def test_number_text(value: float, text: str) -> None:
    assert number_text(value) == text
