"""The validation API: the JSON report of docs/architecture.md §10, steps with progress and Cancel,
one-profile checks, and properties of the validators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.profiles import (
    CODES,
    COLUMNS,
    FIELDS,
    Validation,
    ValidationCancelled,
    read_sheet,
    validate_rows,
    validate_values,
)
from app.profiles.validation import PLACEHOLDERS, is_placeholder
from tests.profiles.conftest import VALID, row, write_csv


def _sheet(tmp_path: Path, count: int = 25, bad_every: int = 5) -> Path:
    rows = [row(n, mobile_phone="201-555-0123") if n % bad_every == 0 else row(n)
            for n in range(count)]
    return write_csv(tmp_path / "p.csv", rows)


def test_json_shape(tmp_path: Path) -> None:
    report = validate_rows(read_sheet(_sheet(tmp_path, 3, 2)))
    data = json.loads(report.to_json())
    assert data == {"rows": 3, "valid_rows": 1, "issues": [
        {"row": 2, "column": "Mobile Phone", "severity": "error", "code": "phone.not_digits",
         "message": "Write Mobile Phone with digits only: no spaces, hyphens, brackets, dots "
                    "or '+'.", "fix": "2015550123"},
        {"row": 4, "column": "Mobile Phone", "severity": "error", "code": "phone.not_digits",
         "message": "Write Mobile Phone with digits only: no spaces, hyphens, brackets, dots "
                    "or '+'.", "fix": "2015550123"}]}
    assert list(data["issues"][0]) == ["row", "column", "severity", "code", "message", "fix"]
    assert report.error_rows == {2, 4}
    assert report.errors == 2
    assert report.warnings == 0


def test_steps_progress_and_cancel(tmp_path: Path) -> None:
    sheet = read_sheet(_sheet(tmp_path))
    run = Validation(sheet)
    sizes = []
    while size := run.step(10):
        sizes.append(size)
        partial = run.report()
        assert partial.rows == run.done
    assert sizes == [10, 10, 5]
    assert run.done == run.total == 25
    assert run.report() == validate_rows(sheet)

    seen: list[tuple[int, int]] = []
    validate_rows(sheet, chunk_rows=7, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(7, 25), (14, 25), (21, 25), (25, 25)]

    with pytest.raises(ValidationCancelled) as cancelled:
        validate_rows(sheet, chunk_rows=10, cancelled=lambda: True)
    assert cancelled.value.done == 10


def test_validate_one_profile() -> None:
    assert validate_values(VALID) == []
    issues = validate_values({**VALID, "office_country_code": "UK", "vip": "y"}, row=7)
    assert [(i.row, i.column, i.code, i.fix) for i in issues] == [
        (7, "VIP", "vip.invalid", "Yes"), (7, "Office Country Code", "country_code.invalid", "GB")]


def test_every_code_is_documented(tmp_path: Path) -> None:
    report = validate_rows(read_sheet(_sheet(tmp_path)))
    assert {i.code for i in report.issues} <= set(CODES)


def test_placeholders() -> None:
    for word in PLACEHOLDERS:
        assert is_placeholder(word)
        assert is_placeholder(word.upper())
    assert not is_placeholder("Na")
    assert is_placeholder("NA")
    assert is_placeholder("n/A")
    assert not is_placeholder("Nancy")


BY_HEADER = {c.header: c.field for c in COLUMNS}
_value = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), _value | st.sampled_from(
    ["", " ", "N/A", "UK", "us", "2015550123", "+1 201 555 0123", "Yes", "=1", "\t"]),
    max_size=8))
def test_validators_never_fail_and_fixes_do_not_introduce_errors(changes: dict[str, str]
                                                                 ) -> None:
    """Whatever is in the cells: findings, never an exception; every finding has a known code,
    the row and a template column; applying every proposed fix never makes a fixed finding
    come back, and a clean profile stays clean."""
    values = {**VALID, **changes}
    issues = validate_values(values)
    for issue in issues:
        assert issue.code in CODES
        assert issue.row == 2
        assert issue.severity in ("error", "warning")
    fixed = dict(values)
    for issue in issues:  # in order: a later fix of a cell already includes the earlier ones
        if issue.fix is not None:
            fixed[BY_HEADER[issue.column]] = issue.fix
    again = {(i.column, i.code) for i in validate_values(fixed)}
    for issue in issues:
        if issue.fix is not None:
            assert (issue.column, issue.code) not in again, (issue, fixed)
    if not issues:
        assert validate_values(fixed) == []


_cell = st.text(alphabet=st.sampled_from([*"ab|-./?", " ", "\t", "\n", "\u00a0", "\x00", "é",
                                          "N", "A", "n", "a"]), max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.lists(_cell, min_size=len(FIELDS), max_size=len(FIELDS)))
def test_the_row_screen_never_hides_a_cell_finding(cells: list[str]) -> None:
    """The one-pass screen that skips the per-cell rules for clean rows misses nothing: every
    finding of the per-cell rules on their own is in the row's findings."""
    from app.profiles.validation import _cell_checks, _Row

    alone = _Row(2)
    _cell_checks(cells, alone)
    found = {(i.column, i.code, i.fix) for i in validate_values(dict(zip(FIELDS, cells,
                                                                         strict=True)))}
    assert {(i.column, i.code, i.fix) for i in alone.issues} <= found
