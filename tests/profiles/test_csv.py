"""CSV as Excel and LibreOffice write it: encodings, delimiters, row numbers, detection."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.profiles import FIELDS, HEADERS, read_sheet, validate_rows
from app.profiles.csvfile import detect_encoding, sniff_delimiter
from tests.profiles.conftest import row, write_csv

ACCENTED = row(0, first_name="Renée", last_name="Œuvray-Müller", title="Directrice générale")


@pytest.mark.parametrize(("encoding", "delimiter", "expected"), [
    ("utf-8", ",", "utf-8"),
    ("utf-8-sig", ",", "utf-8-sig"),  # Excel "CSV UTF-8"
    ("utf-16", "\t", "utf-16"),  # Excel "Unicode Text": UTF-16 LE with BOM, tab-separated
    ("utf-16-le", "\t", "utf-16-le"),  # the same without a BOM
    ("cp1252", ";", "cp1252"),  # Excel "CSV" in a European locale
    ("utf-8", "\t", "utf-8"),
    ("utf-8", "|", "utf-8"),
])
def test_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str,
                                  expected: str) -> None:
    path = write_csv(tmp_path / "p.csv", [ACCENTED, row(1)], encoding=encoding,
                     delimiter=delimiter)
    sheet = read_sheet(path)
    assert (sheet.encoding, sheet.delimiter) == (expected, delimiter)
    assert sheet.headers == HEADERS
    assert sheet.rows[0].values == ACCENTED
    assert [r.number for r in sheet.rows] == [2, 3]
    assert validate_rows(sheet).valid_rows == 2


def test_cp1252_e_acute(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes((",".join(HEADERS) + "\r\n" + ",".join(ACCENTED) + "\r\n").encode("cp1252"))
    sheet = read_sheet(path)
    assert sheet.encoding == "cp1252"
    assert sheet.rows[0].values[0] == "Renée"


def test_encoding_and_delimiter_can_be_chosen(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [ACCENTED], encoding="cp1252", delimiter=";")
    sheet = read_sheet(path, encoding="latin-1", delimiter=";")
    assert sheet.rows[0].values[0] == "Renée"


def test_excel_sep_line(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("sep=;\r\n" + ";".join(HEADERS) + "\r\n" + ";".join(row(0)) + "\r\n",
                    encoding="utf-8")
    sheet = read_sheet(path)
    assert sheet.delimiter == ";"
    assert sheet.header_row == 2
    assert sheet.rows[0].number == 3


def test_title_line_above_header_blank_rows_and_ragged_rows(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    lines = ["Clients of Contoso,,", ",".join(HEADERS), ",".join(row(0)), "", ",,,",
             ",".join(row(1)[:7])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sheet = read_sheet(path)
    assert sheet.header_row == 2
    assert [r.number for r in sheet.rows] == [3, 6]  # blank rows skipped, numbers kept
    assert sheet.rows[1].values == [*row(1)[:7], *[""] * 9]


def test_one_column_file_falls_back_to_one_column(tmp_path: Path) -> None:
    assert sniff_delimiter("First Name*\nAda\nGrace\n") == ","
    path = tmp_path / "one.csv"
    path.write_text("First Name*\nAda\n", encoding="utf-8")
    # one column cannot be a header (two template columns are needed): refused clearly
    with pytest.raises(Exception, match="no header row"):
        read_sheet(path)


def test_quoted_cells_with_delimiters_and_line_breaks(tmp_path: Path) -> None:
    values = row(0, notes="Call after 5pm, not before;\nthen email", title='The "boss"')
    sheet = read_sheet(write_csv(tmp_path / "p.csv", [values]))
    assert sheet.rows[0].values == values


def test_apostrophe_guard_is_removed_and_formulas_flagged(tmp_path: Path) -> None:
    sheet = read_sheet(write_csv(tmp_path / "p.csv", [
        row(0, notes="'=SUM(A1)", title="'-Manager", last_name="O'Brien"),
        row(1, notes="=SUM(A1)", title="''=x", computer_name="'PC")]))
    first, second = sheet.rows
    assert first.values[15] == "=SUM(A1)"
    assert first.values[3] == "-Manager"
    assert first.values[1] == "O'Brien"
    assert not first.formula
    assert second.formula == {15}
    assert second.values[3] == "'=x"
    assert second.values[14] == "'PC"
    assert second.cell(15).formula
    assert not second.cell(15).numeric


def test_utf16_without_bom_is_detected() -> None:
    data = "First Name*\tLast Name*\r\n".encode("utf-16-le")
    assert detect_encoding(data) == ("utf-16-le", False)
    assert detect_encoding("x".encode("utf-16-be") * 20) == ("utf-16-be", False)
    assert detect_encoding(b"plain") == ("utf-8", True)


# --- dialect detection, as a property -------------------------------------------------------

_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                max_size=12)
_cell = st.one_of(_text, st.sampled_from(["a,b", "x;y", "t\tu", "p|q", 'say "hi"', "",
                                          "line\nbreak"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(delimiter=st.sampled_from([",", ";", "\t", "|"]),
       fields=st.lists(st.sampled_from(FIELDS), min_size=2, max_size=16, unique=True),
       data=st.data(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_dialect_detection_round_trips(tmp_path_factory: pytest.TempPathFactory, delimiter: str,
                                       fields: list[str], data: st.DataObject,
                                       encoding: str) -> None:
    """Whatever the cells hold (delimiters, quotes, line breaks, unicode), a file written by
    the csv module with a template header reads back with its delimiter and exact cells."""
    headers = [HEADERS[FIELDS.index(f)] for f in fields]
    rows = data.draw(st.lists(st.lists(_cell, min_size=len(fields), max_size=len(fields))
                              .filter(lambda r: any(c.strip() for c in r)),
                              min_size=1, max_size=5))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("dialect") / "p.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    sheet = read_sheet(path)
    assert sheet.delimiter == delimiter
    assert list(sheet.headers) == headers
    expected = [r for r in rows if "".join(r)]
    got = [r.values for r in sheet.rows]
    assert got == [[_unguarded(c) for c in r] for r in expected]


def _unguarded(text: str) -> str:
    from app.profiles.injection import unneutralise

    return unneutralise(text)
