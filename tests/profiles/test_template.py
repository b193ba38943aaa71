"""Template columns and header matching."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.profiles import COLUMNS, FIELDS, HEADERS, field_for_header
from app.profiles.template import column_letter, find_header_row, match_headers


def test_columns_in_template_order() -> None:
    assert HEADERS == (
        "First Name*", "Last Name*", "Email", "Title", "VIP", "Mobile Country Code",
        "Mobile Phone", "Mobile Provider", "Mobile SMS Gateway", "Office Country Code",
        "Office Phone", "Office Extension", "Home Country Code", "Home Phone", "Computer Name",
        "Notes")
    assert FIELDS == (
        "first_name", "last_name", "email", "title", "vip", "mobile_country_code",
        "mobile_phone", "mobile_provider", "mobile_sms_gateway", "office_country_code",
        "office_phone", "office_extension", "home_country_code", "home_phone",
        "computer_name", "notes")


@pytest.mark.parametrize(("header", "field"), [
    ("First name", "first_name"), ("Given name", "first_name"), ("FIRST_NAME", "first_name"),
    ("Surname", "last_name"), ("last name *", "last_name"), ("E-mail", "email"),
    ("Email Address", "email"), ("Mobile", "mobile_phone"), ("Cell Phone", "mobile_phone"),
    ("Phone (Mobile)", "mobile_phone"), ("Mobile Phone (digits only)", "mobile_phone"),
    ("VIP (Yes/No)", "vip"), ("Job Title", "title"), ("Ext.", "office_extension"),
    ("Work Phone", "office_phone"), ("Hostname", "computer_name"), ("Comments", "notes"),
    ("SMS Gateway", "mobile_sms_gateway"), ("Carrier", "mobile_provider"),
    ("Department", None), ("", None), ("   ", None), ("Country Code", None)])
def test_aliases(header: str, field: str | None) -> None:
    assert field_for_header(header) == field


@given(st.sampled_from([(name, c.field) for c in COLUMNS
                        for name in (c.header, *c.aliases)]),
       st.lists(st.sampled_from([" ", "  ", "_", "-", "*"]), max_size=3), st.randoms())
def test_matching_ignores_case_spaces_and_punctuation(item: tuple[str, str], noise: list[str],
                                                      rng: object) -> None:
    name, field = item
    shuffled = "".join(ch.upper() if i % 2 else ch.lower() for i, ch in enumerate(name))
    assert field_for_header(" " + shuffled + "".join(noise)) == field


def test_match_headers_reports_unknown_and_duplicates() -> None:
    match = match_headers(["First Name", "Mobile", "Department", "Cell", "", "Last"])
    assert match.fields == ("first_name", "mobile_phone", None, None, None, "last_name")
    assert match.unknown == (2,)
    assert match.duplicates == ((3, "mobile_phone"),)


def test_find_header_row() -> None:
    assert find_header_row([["Instructions"], ["First Name", "Last Name"], ["a", "b"]]) == 1
    assert find_header_row([["First Name"], ["x"]]) is None


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (15, "P"), (25, "Z"), (26, "AA"),
                                                (701, "ZZ"), (702, "AAA"), (16383, "XFD")])
def test_column_letter(index: int, letters: str) -> None:
    assert column_letter(index) == letters
