"""The bulk row screen of the validator (one expression per row, `validation._clean_row`) only
ever lets through rows that the exact per-row path finds clean: the reports are identical, with
the screen and without it."""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.profiles import (
    FIELDS,
    HEADERS,
    ProfileKey,
    Report,
    Row,
    Sheet,
    Validation,
    read_sheet,
    validation,
    workbook,
)
from app.profiles.phones import fast_source, oracle_is_valid, replay_is_valid
from app.profiles.sheet import NO_COLUMNS
from tests.profiles.conftest import VALID, row, write_xlsx
from tests.profiles.test_phones import numbers


class _Screened(Validation):
    screen_min_rows = 0  # the screen on every step, however small


class _Exact(Validation):
    use_screen = False


def _reports(rows: Sequence[Row], headers: Sequence[str] = HEADERS,
             existing: frozenset[ProfileKey] = frozenset(),
             chunk: int = 7) -> tuple[Report, Report]:
    sheet = Sheet.build("csv", "t.csv", 1, list(headers), list(rows))
    results = []
    for kind in (_Screened, _Exact):
        run = kind(sheet, existing)
        while run.step(chunk):
            pass
        results.append(run.report())
    return results[0], results[1]


# Values that are fine, nearly fine, or wrong in the ways the rules know about.
_TEXT = st.sampled_from(["Ada", "Łukasz", "O'Brien", "García-Márquez", "", " Ada", "Ada ", "N/A",
                         "Na", "na", "-", "a|b", "x\ty", "a\u00a0", "=1+2", "A" * 300, "Yes",
                         "No", "yes", "PC-1", "line\nbreak", "Zoë", "\u2028"])
_EMAIL = st.sampled_from(["", "ada@contoso.com", "ADA@contoso.com", "ł.5@contoso.com",
                          "ada@@contoso.com", "a|b@contoso.com", "ada@contoso.test",
                          "ada@xn--bcher-kva.com", " ada@contoso.com", "Ada <ada@c.com>",
                          "a" * 60 + "@contoso.com", "ada@contoso", "x×y@contoso.com"])
_CODE = st.sampled_from(["", "US", "GB", "DE", "AU", "UK", "us", "NA", "GG", "CA", "XX", " US"])
_PHONE = st.sampled_from(["", "2015550123", "4155553657", "07400123456", "7400123456",
                          "01212345678", "015112345678", "0412345678", "12015550123",
                          "201-555-0123", "4.15555E+09", "07781123456", "٢٠١٥٥٥٠١٢٣", "0",
                          "2015550123 ", "1800123456", "6135550123", "2642351234"])
_EXT = st.sampled_from(["", "12", "12345678901", "x12", "12 "])


@st.composite
def template_rows(draw: st.DrawFn) -> list[str]:
    values = dict(VALID)
    for field in FIELDS:
        if draw(st.booleans()):
            continue
        if field == "email":
            values[field] = draw(_EMAIL)
        elif field.endswith("country_code"):
            values[field] = draw(_CODE)
        elif field.endswith("phone"):
            values[field] = draw(_PHONE)
        elif field == "office_extension":
            values[field] = draw(_EXT)
        elif field in ("mobile_provider", "mobile_sms_gateway"):
            values[field] = draw(st.sampled_from(["", "", "Verizon", " "]))
        else:
            values[field] = draw(_TEXT | st.text(max_size=6))
    return [values[f] for f in FIELDS]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(template_rows(), st.sampled_from(["text", "numeric", "formula"])),
                min_size=1, max_size=25),
       st.booleans())
def test_screen_gives_the_exact_report(rows: list[tuple[list[str], str]],
                                       existing: bool) -> None:
    built = []
    for n, (values, kind) in enumerate(rows):
        numeric = frozenset({6}) if kind == "numeric" else NO_COLUMNS
        formula = frozenset({3}) if kind == "formula" else NO_COLUMNS
        built.append(Row(n + 2, values, numeric, formula))
    keys = frozenset({("email", "ada@contoso.com"), ("name", "ada", "lovelace", "2015550123")}
                     ) if existing else frozenset()
    screened, exact = _reports(built, existing=keys)
    assert screened == exact


def test_screen_duplicates_and_order() -> None:
    """Duplicates by email and by name + phone, clean and not, across step boundaries."""
    base = [VALID[f] for f in FIELDS]
    no_email = [*base]
    no_email[2] = ""
    rows = [Row(n + 2, list(v)) for n, v in enumerate(
        [base, no_email, base, no_email, [*base[:3], " Boss", *base[4:]], base])]
    screened, exact = _reports(rows, chunk=2)
    assert screened == exact
    assert [i.code for i in screened.issues].count("duplicate.in_file") == 4


def test_screen_other_column_orders_and_extra_columns() -> None:
    headers = [*reversed(HEADERS), "Extra"]
    values = [*reversed([VALID[f] for f in FIELDS]), ""]
    rows = [Row(2, values), Row(3, [*values[:-1], "x"])]
    screened, exact = _reports(rows, headers=headers)
    assert screened == exact
    assert screened.valid_rows == 1


# --- the phone expression ------------------------------------------------------------------

_REGIONS = ("US", "GB", "DE", "FR", "AU", "IN", "BR", "CA", "GG", "AR", "NA", "IT", "JP")


@settings(max_examples=1_500, deadline=None)
@given(numbers())
@example(("GB", "07400123456"))
@example(("GB", "7400123456"))
@example(("AU", "0011441234567890"))
@example(("US", "12015550123"))
def test_fast_expression_only_accepts_valid_numbers(case: tuple[str, str]) -> None:
    region, number = case
    source = fast_source(region, r"\Z")
    if source is not None and re.match(source, number):
        assert oracle_is_valid(region, number), (region, number)
        assert replay_is_valid(region, number) is True


def _national_examples(region: str) -> list[str]:
    found = []
    for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE,
                 phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.VOIP):
        number = phonenumbers.example_number_for_type(region, kind)
        if number is not None:
            national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            found.append("".join(ch for ch in national if ch.isdigit()))
    return found


@st.composite
def _near_examples(draw: st.DrawFn) -> tuple[str, str]:
    """A national example number of a region (more of them than `numbers`: CA, GG, AR …) with
    a few digits changed, cut or added, or random digits."""
    region = draw(st.sampled_from(_REGIONS))
    base = draw(st.sampled_from(_national_examples(region))
                | st.text("0123456789", min_size=3, max_size=15))
    chars = list(base)
    for _ in range(draw(st.integers(0, 3))):
        chars[draw(st.integers(0, len(chars) - 1))] = draw(st.sampled_from("0123456789"))
    number = "".join(chars)[: draw(st.integers(3, 17))] + draw(st.text("0123456789", max_size=2))
    return region, number


@settings(max_examples=1_500, deadline=None)
@given(_near_examples())
def test_fast_expression_on_more_regions(case: tuple[str, str]) -> None:
    region, number = case
    source = fast_source(region, r"\Z")
    if source is not None and re.match(source, number):
        assert oracle_is_valid(region, number), (region, number)


@pytest.mark.parametrize("region", ["US", "GB", "DE", "AU", "FR", "CA"])
def test_fast_expression_covers_national_numbers(region: str) -> None:
    """Numbers as people write them nationally take the fast expression (it is really used)."""
    source = fast_source(region, r"\Z")
    assert source is not None
    for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
        example_number = phonenumbers.example_number_for_type(region, kind)
        assert example_number is not None
        national = phonenumbers.format_number(example_number,
                                              phonenumbers.PhoneNumberFormat.NATIONAL)
        digits = "".join(ch for ch in national if ch.isdigit())
        assert re.match(source, digits), (region, digits)


def test_big_workbook_warm_up_and_screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    """A big sheet (here: over a megabyte): the reader's scan thread compiles the clean-row
    expression for the country codes it sees, and the screened report equals the exact one."""
    monkeypatch.setattr(workbook, "_WARM_UP_ABOVE", 1 << 20)
    rows = [row(n, mobile_country_code="GB", mobile_phone="07400123456") if n % 3 == 0
            else row(n, title="N/A") if n % 97 == 0 else row(n) for n in range(3_000)]
    path = write_xlsx(tmp_path / "big.xlsx", rows)
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size > 1 << 20
    validation._compiled.clear()
    sheet = read_sheet(path)
    deadline = time.monotonic() + 30  # the warm-up goes on after the read returned
    while validation._compiled_for(frozenset({"US", "GB"})) is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    screened, exact = _reports(sheet.rows, chunk=1_000)
    assert screened == exact
    assert screened.valid_rows == 3_000 - len(range(0, 3_000, 97)) + len(range(0, 3_000, 291))


def test_prepare_ignores_what_is_not_a_region() -> None:
    validation.prepare({"UK", "IT", "", "NA", "ZZ", "xx"})
    assert validation._compiled_for(frozenset({"IT"})) is not None
