"""Bulk fix: give every phone number of one line (mobile, office, home) a country code.

A file with an Office Phone column but no Office Country Code column makes every office phone
an error. `fill_country_codes` adds the missing column (mapped to the template's field) or
fills its blank cells, for every row that has a number on that line; `preview` says what it
would change first. Neither touches the file: they work on the sheet as read."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.domain.errors import PreflightError
from app.profiles.phones import country_fix
from app.profiles.sheet import Row, Sheet
from app.profiles.template import BY_FIELD, PHONE_LINES

LINE_OF = {phone: cc for cc, phone in PHONE_LINES}


@dataclass(frozen=True)
class CountryFill:
    phone_field: str
    code: str  # the 2-letter ISO code, upper case
    rows: tuple[int, ...]  # spreadsheet row numbers that get the code
    adds_column: bool  # the country-code column is not in the file: it is added

    @property
    def column(self) -> str:
        return BY_FIELD[LINE_OF[self.phone_field]].header

    def describe(self) -> str:
        count = len(self.rows)
        shown = ", ".join(str(n) for n in self.rows[:8]) + (" …" if count > 8 else "")
        what = (f"Adds an '{self.column}' column and fills it with {self.code}" if self.adds_column
                else f"Fills '{self.column}' with {self.code}")
        phone = BY_FIELD[self.phone_field].header
        if not count:
            return f"No row has an {phone} without its country code: nothing to fill."
        return (f"{what} in {count:,} row{'' if count == 1 else 's'} that "
                f"{'has' if count == 1 else 'have'} an {phone} (row{'' if count == 1 else 's'} "
                f"{shown}). Rows without a number are left blank.")


def preview(sheet: Sheet, phone_field: str, code: str) -> CountryFill:
    """What filling `code` on the `phone_field` line would change; refused with what to type
    when the code is not a 2-letter ISO country code or the file has no such phone column."""
    if phone_field not in LINE_OF:
        raise PreflightError(f"{phone_field!r} is not a phone line; use one of "
                             f"{', '.join(sorted(LINE_OF))}")
    region = country_fix(code.strip())
    if region is None:
        raise PreflightError(f"{code.strip()!r} is not a 2-letter ISO country code; type one "
                             "such as US, GB or DE")
    columns = sheet.columns
    if phone_field not in columns:
        raise PreflightError(f"the file has no {BY_FIELD[phone_field].header} column")
    phone_at = columns[phone_field]
    cc_at = columns.get(LINE_OF[phone_field])
    rows = tuple(row.number for row in sheet.rows
                 if row.cell(phone_at).text.strip()
                 and (cc_at is None or not row.cell(cc_at).text.strip()))
    return CountryFill(phone_field, region, rows, cc_at is None)


def fill_country_codes(sheet: Sheet, fill: CountryFill) -> Sheet:
    """A copy of `sheet` with `fill` applied (the column added when missing)."""
    cc_field = LINE_OF[fill.phone_field]
    targets = set(fill.rows)
    if fill.adds_column:
        width = len(sheet.headers)
        headers = (*sheet.headers, BY_FIELD[cc_field].header)
        fields = (*sheet.fields, cc_field)
        rows = [_with_cell(row, width, fill.code if row.number in targets else "", pad=width)
                for row in sheet.rows]
        return replace(sheet, headers=headers, fields=fields, rows=rows)
    at = sheet.columns[cc_field]
    rows = [_with_cell(row, at, fill.code) if row.number in targets else row
            for row in sheet.rows]
    return replace(sheet, rows=rows)


def _with_cell(row: Row, column: int, text: str, pad: int | None = None) -> Row:
    values = list(row.values)
    if pad is not None:  # a new last column: the cells beyond the header move right by one
        values = values[:pad] + [""] * (pad - len(values)) + [text] + values[pad:]
        shift = frozenset(c + 1 if c >= pad else c for c in row.numeric)
        formula = frozenset(c + 1 if c >= pad else c for c in row.formula)
        return Row(row.number, values, shift - {pad}, formula - {pad})
    while len(values) <= column:
        values.append("")
    values[column] = text
    return Row(row.number, values, row.numeric - {column}, row.formula - {column})


__all__ = ["CountryFill", "fill_country_codes", "preview"]
