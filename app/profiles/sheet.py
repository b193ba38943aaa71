"""What a reader returns: the chosen sheet's header and rows as text, with cell kinds kept.

Rows hold their values as plain strings (one per column) and the indexes of the cells that were
numeric or formulas; `Row.cells` / `Row.cell(i)` give the `Cell` view. A 100k-row template has
1.6 million cells, and building a Python object per cell would cost more than validating them,
so cells are materialised only on demand.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from app.profiles.template import BY_FIELD, FIELDS, column_letter, match_headers

SourceFormat = Literal["xlsx", "ods", "csv"]
NO_COLUMNS: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell as the spreadsheet held it.

    `text` is the value as text: numbers that are whole are digit strings ("4155553657", never
    "4155553657.0"), other numbers as Excel's "General" format shows them (at most 15 significant
    digits). `numeric` says the cell was a number (or date) rather than text, so a leading zero
    may have been lost. `formula` says the cell was a formula; `text` is its last computed value.
    """

    text: str
    numeric: bool = False
    formula: bool = False


@dataclass(slots=True)
class Row:
    """One non-blank data row. `number` is the spreadsheet row number (the header row of the
    template is row 1, so the first profile is row 2)."""

    number: int
    values: list[str]
    numeric: frozenset[int] = NO_COLUMNS
    formula: frozenset[int] = NO_COLUMNS

    def cell(self, column: int) -> Cell:
        text = self.values[column] if column < len(self.values) else ""
        return Cell(text, column in self.numeric, column in self.formula)

    @property
    def cells(self) -> list[Cell]:
        return [self.cell(i) for i in range(len(self.values))]


@dataclass(frozen=True, slots=True)
class Sheet:
    """The rows of one sheet (or CSV file) below its header row.

    `headers` are the header cells as found (blank for a column without a header); `fields[i]`
    is the template field id column i is imported as, or None. Every row has at least
    `len(headers)` values; CSV rows may have more (cells beyond the header: a validation error).
    """

    source: SourceFormat
    name: str  # the sheet's name; the file name for CSV
    header_row: int  # spreadsheet row number of the header (1 in the template)
    headers: tuple[str, ...]
    fields: tuple[str | None, ...]
    unknown_columns: tuple[int, ...]
    duplicate_columns: tuple[tuple[int, str], ...]
    rows: list[Row] = field(repr=False)
    encoding: str | None = None  # CSV only: the encoding used
    delimiter: str | None = None  # CSV only: the delimiter used
    file: str | None = None  # the name of the file read (read_sheet), for the audit trail
    sha256: str | None = None  # and the SHA-256 of its bytes, hex

    @classmethod
    def build(cls, source: SourceFormat, name: str, header_row: int, headers: list[str],
              rows: list[Row], *, encoding: str | None = None,
              delimiter: str | None = None) -> Sheet:
        match = match_headers(headers)
        return cls(source, name, header_row, tuple(headers), match.fields, match.unknown,
                   match.duplicates, rows, encoding, delimiter)

    @property
    def columns(self) -> dict[str, int]:
        """Field id → column index, for the fields present."""
        return {f: i for i, f in enumerate(self.fields) if f is not None}

    @property
    def missing_fields(self) -> tuple[str, ...]:
        present = set(self.fields)
        return tuple(f for f in FIELDS if f not in present)

    def column_name(self, index: int) -> str:
        """The name findings use for a column: the template name of its field, else its header
        as found, else its letter ("Column Q")."""
        if index < len(self.fields):
            mapped = self.fields[index]
            if mapped is not None:
                return BY_FIELD[mapped].header
            if self.headers[index].strip():
                return self.headers[index].strip()
        return f"Column {column_letter(index)}"

    def remap(self, mapping: Mapping[int, str | None]) -> Sheet:
        """A copy with some columns mapped by the user (column index → field id or None to
        ignore it). A field mapped here is taken away from the column that had it."""
        fields = list(self.fields)
        for index, field_id in mapping.items():
            if not 0 <= index < len(fields):
                raise ValueError(f"no column {index} in this sheet")
            if field_id is not None:
                if field_id not in BY_FIELD:
                    raise ValueError(f"unknown field id {field_id!r}")
                fields = [None if f == field_id else f for f in fields]
            fields[index] = field_id
        unknown = tuple(i for i in self.unknown_columns if fields[i] is None and i not in mapping)
        duplicates = tuple((i, f) for i, f in self.duplicate_columns
                           if fields[i] is None and i not in mapping and f in fields)
        return replace(self, fields=tuple(fields), unknown_columns=unknown,
                       duplicate_columns=duplicates)

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number, {field id: text}) for every row; absent fields are ""."""
        present = self.columns
        for row in self.rows:
            values = row.values
            yield row.number, {f: values[present[f]] if f in present else "" for f in FIELDS}
