"""Fill Country Code: the missing column is added (or blank cells filled) for every row with a
number on that line, previewed first; bad input is refused naming what to type."""

from __future__ import annotations

import pytest

from app.domain.errors import PreflightError
from app.profiles.fill_country import fill_country_codes, preview
from app.profiles.sheet import Row, Sheet

HEADERS = ["First Name*", "Last Name*", "Office Phone", "Mobile Country Code", "Mobile Phone"]


def sheet(rows: list[list[str]], headers: list[str] = HEADERS) -> Sheet:
    return Sheet.build("csv", "t.csv", 1, list(headers),
                       [Row(n, values) for n, values in enumerate(rows, start=2)])


def test_the_missing_column_is_added_for_rows_with_a_number() -> None:
    before = sheet([["Ada", "L", "4155553657", "", ""],
                    ["Bob", "H", "", "US", "4155553658"],
                    ["Cy", "D", "415 555 3662", "", ""]])
    fill = preview(before, "office_phone", "us")
    assert fill.code == "US"
    assert fill.rows == (2, 4)
    assert fill.adds_column
    assert fill.describe().startswith("Adds an 'Office Country Code' column and fills it with "
                                      "US in 2 rows that have an Office Phone (rows 2, 4)")
    after = fill_country_codes(before, fill)
    at = after.columns["office_country_code"]
    assert after.headers[at] == "Office Country Code"
    assert [r.values[at] for r in after.rows] == ["US", "", "US"]
    assert [r.values[:5] for r in after.rows] == [r.values for r in before.rows]
    assert "office_country_code" not in before.columns  # the sheet as read is left alone


def test_an_existing_column_gets_only_its_blank_cells_filled() -> None:
    before = sheet([["Ada", "L", "", "", "7911123456"], ["Gil", "B", "", "GB", "7911123457"],
                    ["Hal", "C", "", "", ""]])
    fill = preview(before, "mobile_phone", "UK")
    assert fill.code == "GB"
    assert fill.rows == (2,)
    assert not fill.adds_column
    after = fill_country_codes(before, fill)
    at = after.columns["mobile_country_code"]
    assert [r.values[at] for r in after.rows] == ["GB", "GB", ""]


def test_nothing_to_fill_says_so() -> None:
    fill = preview(sheet([["Ada", "L", "", "", ""]]), "office_phone", "US")
    assert fill.rows == ()
    assert "nothing to fill" in fill.describe()


@pytest.mark.parametrize(("line", "code", "message"), [
    ("office_phone", "ZZZ", "'ZZZ' is not a 2-letter ISO country code; type one such as US"),
    ("office_phone", "", "'' is not a 2-letter ISO country code"),
    ("home_phone", "US", "the file has no Home Phone column"),
    ("email", "US", "'email' is not a phone line"),
])
def test_bad_input_is_refused_naming_it(line: str, code: str, message: str) -> None:
    with pytest.raises(PreflightError, match=message.replace("(", r"\(")):
        preview(sheet([["Ada", "L", "4155553657", "", ""]]), line, code)
