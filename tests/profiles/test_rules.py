"""One generated file per rule of seed 004 / docs/architecture.md §4, with the exact findings
expected: row (header = 1), template column, severity, code and proposed fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.profiles import HEADERS, Report, read_sheet, validate_rows
from app.profiles.profile import profile_key
from tests.profiles.conftest import Finding, findings, row, write_csv, write_xlsx

E, W = "error", "warning"

# rule name → (format, rows below the header, expected findings)
CASES: dict[str, tuple[str, list[list[Any]], list[Finding]]] = {
    "names are required": ("csv", [row(0), row(1, first_name=""), row(2, last_name="")], [
        (3, "First Name*", E, "name.required", None),
        (4, "Last Name*", E, "name.required", None)]),
    "at least one phone": ("csv", [row(0, mobile_country_code="", mobile_phone="",
                                      office_country_code="", office_phone="",
                                      office_extension="")], [
        (2, "Mobile Phone", E, "phone.required", None)]),
    "a phone needs its country code": ("csv", [row(0, mobile_country_code="")], [
        (2, "Mobile Country Code", E, "country_code.missing", None)]),
    "no country code without a number": ("csv", [row(0, home_country_code="US")], [
        (2, "Home Country Code", E, "country_code.without_number", "")]),
    "UK is GB": ("csv", [row(0, office_country_code="UK"), row(1, mobile_country_code="us"),
                         row(2, mobile_country_code="XX"), row(3, mobile_country_code="+1")], [
        (2, "Office Country Code", E, "country_code.invalid", "GB"),
        (3, "Mobile Country Code", E, "country_code.invalid", "US"),
        (4, "Mobile Country Code", E, "country_code.invalid", None),
        (5, "Mobile Country Code", E, "country_code.invalid", "US")]),
    "phone digits only": ("csv", [row(0, mobile_phone="201-555-0123"),
                                  row(1, mobile_phone="(201) 555.0123"),
                                  row(2, mobile_phone="+1 201 555 0123"),
                                  row(3, office_phone="+44 121 234 5678"),
                                  row(4, office_phone="0121 234 5678 ext. 12")], [
        (2, "Mobile Phone", E, "phone.not_digits", "2015550123"),
        (3, "Mobile Phone", E, "phone.not_digits", "2015550123"),
        (4, "Mobile Phone", E, "phone.not_digits", "2015550123"),
        (5, "Office Phone", E, "phone.not_digits", "01212345678"),
        (6, "Office Phone", E, "phone.not_digits", None)]),
    "empty rather than N/A": ("csv", [row(0, title="N/A"), row(1, email="none"),
                                      row(2, home_phone="-"), row(3, notes="NA"),
                                      row(4, last_name="Na")], [
        (2, "Title", E, "value.placeholder", ""),
        (3, "Email", E, "value.placeholder", ""),
        (4, "Home Phone", E, "value.placeholder", ""),
        (5, "Notes", E, "value.placeholder", "")]),
    "no leading or trailing spaces": ("csv", [row(0, last_name="Lovelace "),
                                              row(1, mobile_phone=" 2015550123"),
                                              row(2, title="\u00a0Engineer")], [
        (2, "Last Name*", E, "value.whitespace", "Lovelace"),
        (3, "Mobile Phone", E, "value.whitespace", "2015550123"),
        (4, "Title", E, "value.whitespace", "Engineer")]),
    "provider and SMS gateway blank": ("csv", [row(0, mobile_provider="Verizon",
                                                   mobile_sms_gateway="vtext.com")], [
        (2, "Mobile Provider", W, "provider.not_blank", ""),
        (2, "Mobile SMS Gateway", W, "sms_gateway.not_blank", "")]),
    "values, not formulas (xlsx)": ("xlsx", [row(0, first_name=('=UPPER("ada")', "ADA")),
                                             row(1, mobile_phone=("=2015550123*1",
                                                                  "2015550123"))], [
        (2, "First Name*", E, "value.formula", "ADA"),
        (3, "Mobile Phone", E, "value.formula", "2015550123")]),
    "values, not formulas (csv)": ("csv", [row(0, title="=1+1")], [
        (2, "Title", E, "value.formula", None)]),
    "numeric phone cells": ("xlsx", [row(0, mobile_phone=2015550123),
                                     row(1, office_country_code="IT", office_phone=212345678)], [
        (2, "Mobile Phone", W, "phone.numeric_cell", None),
        (3, "Office Phone", E, "phone.leading_zero_lost", "0212345678")]),
    "scientific notation lost digits": ("csv", [row(0, mobile_phone="2.01555E+09")], [
        (2, "Mobile Phone", E, "phone.scientific", None)]),
    "scientific notation lost digits (xlsx number)": ("xlsx", [
        row(0, mobile_phone=12345678901234567)], [
        (2, "Mobile Phone", E, "phone.scientific", None)]),
    "phone valid for its country": ("csv", [row(0, mobile_phone="1115550123"),
                                            row(1, mobile_country_code="FR")], [
        (2, "Mobile Phone", E, "phone.invalid", None),
        (3, "Mobile Phone", E, "phone.invalid", None)]),
    "email syntax": ("csv", [row(0, email="ada@@contoso.com"),
                             row(1, email="Ada <ada@contoso.com>"),
                             row(2, email="mailto:ada2@contoso.com"),
                             row(3, email="ada@localhost")], [
        (2, "Email", E, "email.invalid", None),
        (3, "Email", E, "email.invalid", "ada@contoso.com"),
        (4, "Email", E, "email.invalid", "ada2@contoso.com"),
        (5, "Email", E, "email.invalid", None)]),
    "VIP is Yes or No": ("xlsx", [row(0, vip="yes"), row(1, vip=True), row(2, vip="maybe"),
                                  row(3, vip="")], [
        (2, "VIP", E, "vip.invalid", "Yes"),
        (3, "VIP", E, "vip.invalid", "Yes"),
        (4, "VIP", E, "vip.invalid", None)]),
    "extension": ("csv", [row(0, office_extension="x12"),
                          row(1, office_country_code="", office_phone="")], [
        (2, "Office Extension", E, "extension.not_digits", "12"),
        (3, "Office Extension", E, "extension.without_number", "")]),
    "no line breaks in single-line fields": ("csv", [row(0, first_name="Ada\nMarie"),
                                                     row(1, notes="line one\nline two")], [
        (2, "First Name*", E, "value.control_characters", "Ada Marie")]),
    "length limits": ("csv", [row(0, title="T" * 300), row(1, office_extension="12345678901")], [
        (2, "Title", E, "value.too_long", None),
        (3, "Office Extension", E, "value.too_long", None)]),
    "duplicates in the file": ("csv", [
        row(0), row(1), row(0, email="ADA0@Contoso.com"),
        row(3, email="", first_name="Grace", last_name="Hopper"),
        row(4, email="", first_name=" grace", last_name="Hopper")], [
        (4, "Email", E, "duplicate.in_file", None),
        (6, "First Name*", E, "value.whitespace", "grace"),
        (6, "Last Name*", E, "duplicate.in_file", None)]),
    "unknown and duplicate columns": ("csv", [[*row(0), "Sales", "2015550199"]], [
        (1, "Department", W, "header.unknown_column", None),
        (1, "Cell Phone", W, "header.duplicate_column", None)]),
}
EXTRA_HEADERS = {"unknown and duplicate columns": [*HEADERS, "Department", "Cell Phone"]}


@pytest.mark.parametrize("rule", CASES)
def test_rule(rule: str, check: Callable[..., Report]) -> None:
    fmt, rows, expected = CASES[rule]
    kwargs = {"headers": EXTRA_HEADERS[rule]} if rule in EXTRA_HEADERS else {}
    report = check(rows, fmt, **kwargs)
    assert findings(report) == expected
    invalid = {f[0] for f in expected if f[1] and f[2] == E and f[0] > 1}
    assert report.rows == len(rows)
    assert report.valid_rows == len(rows) - len(invalid)
    for issue in report.issues:  # every message says what to do, in a sentence
        assert issue.message.endswith((".", ")"))
        assert len(issue.message) > 20


def test_the_valid_row_is_valid(check: Callable[..., Report]) -> None:
    report = check([row(0), row(1)], "xlsx")
    assert report.to_dict() == {"rows": 2, "valid_rows": 2, "issues": []}


def test_duplicates_against_existing_profiles(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [row(0), row(1, email="", first_name="Grace")])
    existing = {profile_key("Ada", "Lovelace", "ADA0@contoso.com", ()),
                profile_key("grace", "LOVELACE", "", ("2015550123",))}
    report = validate_rows(read_sheet(path), existing)
    assert findings(report) == [(2, "Email", W, "duplicate.existing", None),
                                (3, "Last Name*", W, "duplicate.existing", None)]
    assert report.valid_rows == 2  # the import updates those profiles


def test_missing_columns_are_reported_once_and_rows_are_invalid(tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h not in ("Last Name*", "Home Country Code")]
    rows = [[v for h, v in zip(HEADERS, row(n, home_phone="2015550111"), strict=True)
             if h in headers] for n in range(2)]
    report = validate_rows(read_sheet(write_csv(tmp_path / "p.csv", rows, headers=headers)))
    assert findings(report) == [
        (1, "Last Name*", E, "header.missing_column", None),
        (1, "Home Country Code", E, "header.missing_column", None),
        (2, "Last Name*", E, "name.required", None),
        (2, "Home Country Code", E, "country_code.missing", None),
        (3, "Last Name*", E, "name.required", None),
        (3, "Home Country Code", E, "country_code.missing", None)]
    assert report.valid_rows == 0


def test_cells_beyond_the_header(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    write_csv(path, [row(0), [*row(1), "stray, text"]])
    report = validate_rows(read_sheet(path))
    assert findings(report) == [(3, "Column Q", E, "row.cells_without_header", None)]
    assert "quotes" in report.issues[0].message


def test_blank_header_column_with_values_in_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", [[*row(0), "", "oops"]], headers=[*HEADERS, "", ""])
    assert findings(validate_rows(read_sheet(path))) == [
        (2, "Column R", E, "row.cells_without_header", None)]
