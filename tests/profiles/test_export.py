"""Export: the template as XLSX and CSV, formula-injection neutralised, and the round trip
export → read → validate with zero findings."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.profiles import (
    HEADERS,
    Profile,
    export_csv,
    export_profiles,
    export_xlsx,
    profiles_from_sheet,
    read_sheet,
    validate_rows,
    write_rejects,
)
from app.profiles.injection import needs_guard, neutralise, unneutralise
from tests.profiles.conftest import VALID, row, write_csv, write_xlsx

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
TRICKY = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "'=already",
          "''+twice", "=cmd|' /C calc'!A0", "Plain", "O'Brien", "- call before 9"]


def _profiles(count: int = 3) -> list[Profile]:
    people = [Profile.from_values({**VALID, "email": f"p{n}@contoso.com",
                                   "notes": TRICKY[n % len(TRICKY)],
                                   "title": TRICKY[(n + 3) % len(TRICKY)],
                                   "computer_name": TRICKY[(n + 5) % len(TRICKY)]})
              for n in range(count)]
    people.append(Profile(first_name="+Plus", last_name="-Minus", email="",
                          mobile_country_code="GB", mobile_phone="07400123456", vip=True))
    return people


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_has_zero_findings(tmp_path: Path, suffix: str) -> None:
    people = _profiles(len(TRICKY))
    path = tmp_path / f"export{suffix}"
    assert export_profiles(people, path) == len(people)
    sheet = read_sheet(path)
    report = validate_rows(sheet)
    assert report.to_dict() == {"rows": len(people), "valid_rows": len(people), "issues": []}
    assert [p for _, p in profiles_from_sheet(sheet)] == people
    assert sheet.headers == HEADERS


def test_xlsx_has_no_formula_and_every_cell_is_right_aligned_with_borders(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    export_xlsx(_profiles(len(TRICKY)), path)
    with zipfile.ZipFile(path) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert sheets == ["xl/worksheets/sheet1.xml"]
        xml = zf.read(sheets[0])
        styles = ElementTree.fromstring(zf.read("xl/styles.xml"))
        workbook = zf.read("xl/workbook.xml").decode()
    assert re.search(rb"<(\w+:)?f[ >/]", xml) is None  # values only, never a formula
    assert 'name="Client Profiles"' in workbook
    borders = styles.findall("m:borders/m:border", NS)
    xfs = styles.findall("m:cellXfs/m:xf", NS)
    root = ElementTree.fromstring(xml)
    cells = root.findall(".//m:sheetData/m:row/m:c", NS)
    assert len(cells) == (len(_profiles(len(TRICKY))) + 1) * len(HEADERS)
    guarded = 0
    for cell in cells:
        xf = xfs[int(cell.get("s", "0"))]
        alignment = xf.find("m:alignment", NS)
        assert alignment is not None
        assert alignment.get("horizontal") == "right"
        border = borders[int(xf.get("borderId", "0"))]
        for side in ("left", "right", "top", "bottom"):
            element = border.find(f"m:{side}", NS)
            assert element is not None, side
            assert element.get("style") == "thin", side
        if xf.get("quotePrefix") == "1":
            guarded += 1
            assert cell.get("t") == "inlineStr"
    assert guarded > 0


def test_csv_export_neutralises_formula_injection(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    export_csv(_profiles(len(TRICKY)), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == list(HEADERS)
    for cells in rows[1:]:
        for cell in cells:
            assert not cell or cell[0] not in "=+-@\t\r\n", cell
    assert any(cell.startswith("'=HYPERLINK") for cells in rows for cell in cells)
    assert "''=already" in {cell for cells in rows for cell in cells}


@given(st.text(max_size=20))
def test_neutralise_round_trips(text: str) -> None:
    guarded = neutralise(text)
    assert unneutralise(guarded) == text
    assert not guarded or guarded[0] not in "=+-@\t\r\n"
    assert needs_guard(text) == (guarded != text)


def test_export_is_atomic(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")

    def broken() -> list[Profile]:
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        export_csv((p for p in broken()), tmp_path / "out.csv")
    with pytest.raises(ValueError, match=r"\.xlsx or \.csv"):
        export_profiles([], tmp_path / "out.ods")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_big_export_in_constant_memory(tmp_path: Path) -> None:
    people = [Profile.from_values({**VALID, "email": f"p{n}@contoso.com"}) for n in range(3000)]
    path = tmp_path / "big.xlsx"
    assert export_xlsx(people, path) == 3000
    assert validate_rows(read_sheet(path)).valid_rows == 3000


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_rejects_file(tmp_path: Path, fmt: str) -> None:
    rows = [row(0), row(1, first_name=""), row(2, mobile_phone="201-555-0123")]
    source = tmp_path / f"in.{fmt}"
    if fmt == "csv":
        write_csv(source, rows, headers=[*HEADERS, "Department"], delimiter=";")
    else:
        write_xlsx(source, rows, headers=[*HEADERS, "Department"])
    sheet = read_sheet(source)
    report = validate_rows(sheet)
    out = tmp_path / f"rejects.{fmt}"
    assert write_rejects(sheet, report, out) == 2
    rejects = read_sheet(out)
    assert rejects.headers == (*HEADERS, "Department", "Errors")
    assert [r.number for r in rejects.rows] == [2, 3]
    assert rejects.rows[0].values[:16] == row(1, first_name="")
    assert rejects.rows[0].values[-1].startswith("First Name*: Enter the client's first name")
    assert "Mobile Phone: Write Mobile Phone with digits only" in rejects.rows[1].values[-1]
    if fmt == "csv":
        assert rejects.delimiter == ";"
