"""CSV as Excel and LibreOffice write it: encodings, delimiters, limits.

Encodings: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode Text", tab-separated),
and Windows-1252 when the bytes are not UTF-8. Delimiters: `,` `;` tab or `|`, chosen by which
one makes the header row name the most template columns, else by `csv.Sniffer`, else one
column. An Excel "sep=;" first line is honoured. The file is streamed, never held twice.

Cells are text. A cell starting with "=" is reported as a formula (a spreadsheet would run it);
one leading apostrophe before = + - @ tab CR LF is the export's injection guard and is removed
(see `injection`).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

from app.profiles.errors import ReadError
from app.profiles.injection import unneutralise
from app.profiles.limits import Limits
from app.profiles.sheet import NO_COLUMNS, Row, Sheet
from app.profiles.template import (
    HEADER_SEARCH_ROWS,
    find_header_row,
    looks_like_header,
    match_headers,
)

DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_CHARS = 64 * 1024
_HEAD_BYTES = 8 * 1024
_SEP_LINE = re.compile(r"\A\ufeff?sep=(.)\r?\n", re.IGNORECASE)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_DELIMITER_NAMES = {",": "comma (,)", ";": "semicolon (;)", "\t": "tab", "|": "bar (|)"}


def detect_encoding(head: bytes) -> tuple[str, bool]:
    """(encoding, tentative): from the BOM, else UTF-16 without BOM by its zero bytes, else UTF-8
    (tentative: Windows-1252 is tried if the file is not valid UTF-8)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", False
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False
    sample = head[: len(head) - len(head) % 2]
    if sample and b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.1:
            return "utf-16-le", False
        if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.1:
            return "utf-16-be", False
    if _CONTROL.search(head):
        raise ReadError("file.not_spreadsheet",
                        "This file is not a spreadsheet: it holds binary data (it may be an image "
                        "or a document renamed .csv or .xlsx). Import an .xlsx, .ods or .csv file "
                        "in the client-profile template.")
    return "utf-8", True


def _parse_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample: the candidate with which a row among the first ones names
    the most template columns; else csv.Sniffer's choice; else "," (a one-column file)."""
    lines = sample.splitlines()[:HEADER_SEARCH_ROWS]
    best, best_score = "", 1
    for delimiter in DELIMITERS:
        score = max((match_headers(_parse_line(line, delimiter)).matched for line in lines),
                    default=0)
        if score > best_score:
            best, best_score = delimiter, score
    if best:
        return best
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ","


def read_csv(path: Path, limits: Limits, encoding: str | None = None,
             delimiter: str | None = None) -> Sheet:
    """Read a CSV (or tab-separated "Unicode Text") profile file."""
    with path.open("rb") as raw:
        head = raw.read(_HEAD_BYTES)
    if encoding is None:
        encoding, tentative = detect_encoding(head)
    else:
        tentative = False
    try:
        return _read(path, limits, encoding, delimiter)
    except UnicodeDecodeError:
        if not tentative:
            raise _encoding_error(encoding) from None
    try:
        return _read(path, limits, "cp1252", delimiter)
    except UnicodeDecodeError:
        raise _encoding_error("UTF-8 or Windows-1252") from None


def _encoding_error(tried: str) -> ReadError:
    return ReadError("csv.encoding",
                     f"The file's text is not valid {tried}. Save it again as \"CSV UTF-8\" "
                     "(Excel) or \"Text CSV\" with UTF-8 (LibreOffice), or choose its encoding.")


def _read(path: Path, limits: Limits, encoding: str, delimiter: str | None) -> Sheet:
    with path.open(encoding=encoding, newline="") as stream:
        sample = stream.read(_SAMPLE_CHARS)
        stream.seek(0)
        first_row = 1
        sep = _SEP_LINE.match(sample)
        if sep:
            delimiter = delimiter or sep.group(1)
            stream.readline()
            first_row = 2
        if delimiter is None:
            delimiter = sniff_delimiter(sample[sep.end():] if sep else sample)
        return _parse(stream, path.name, limits, encoding=encoding, delimiter=delimiter,
                      first_row=first_row)


def _too_many_columns(count: int, number: int, limits: Limits) -> ReadError:
    return ReadError("sheet.too_many_columns",
                     f"Row {number} has {count:,} cells; at most {limits.max_columns:,} columns "
                     "are read (the template has 16). Keep only the client-profile columns.")


def _csv_error(exc: csv.Error, number: int, limits: Limits) -> ReadError:
    if "field larger than field limit" in str(exc):
        return ReadError("csv.cell_too_large",
                         f"Row {number} has a cell longer than {csv.field_size_limit():,} "
                         f"characters (a cell may hold at most {limits.max_cell_chars:,}). The "
                         "file is probably not a client-profile list; check it and export it "
                         "again.")
    return ReadError("file.damaged",
                     f"Row {number} of the file cannot be read as CSV ({exc}). Save it again as "
                     "CSV from Excel or LibreOffice.")


def _parse(stream: io.TextIOBase, name: str, limits: Limits, *, encoding: str, delimiter: str,
           first_row: int) -> Sheet:
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    number = first_row - 1  # the last record read, for messages
    try:
        leading: list[tuple[int, list[str]]] = []
        for number, record in enumerate(reader, start=first_row):
            if len(record) > limits.max_columns:
                raise _too_many_columns(len(record), number, limits)
            leading.append((number, record))
            if len(leading) >= HEADER_SEARCH_ROWS or looks_like_header(record):
                break
        if not leading:
            raise ReadError("file.empty",
                            f"{name} has no text. Choose the file with the profiles.")
        header_index = find_header_row([r for _, r in leading])
        if header_index is None:
            raise ReadError("sheet.no_header",
                            f"{name} has no header row: none of its first rows names two "
                            "template columns (First Name*, Last Name*, Email, …) when split by "
                            f"{_DELIMITER_NAMES.get(delimiter, repr(delimiter))}. Put the "
                            "template's header in row 1, or choose the delimiter.")
        header_number, headers = leading[header_index]
        rest = itertools.chain(leading[header_index + 1:],
                               enumerate(reader, start=number + 1))
        rows = _rows(rest, name, width=len(headers), header_number=header_number,
                     delimiter=delimiter, limits=limits)
    except csv.Error as exc:
        raise _csv_error(exc, number + 1, limits) from None
    if not rows:
        raise ReadError("sheet.no_rows",
                        f"{name} has a header row (row {header_number}) but no profile rows "
                        "below it. Add one client per row under the header.")
    return Sheet.build("csv", name, header_number, headers, rows, encoding=encoding,
                       delimiter=delimiter)


def _rows(records: Iterator[tuple[int, list[str]]], name: str, *, width: int,
          header_number: int, delimiter: str, limits: Limits) -> list[Row]:
    others = [d for d in DELIMITERS if d != delimiter]
    rows: list[Row] = []
    append = rows.append
    max_rows, max_chars, max_columns = limits.max_rows, limits.max_cell_chars, limits.max_columns
    for number, values in records:
        count = len(values)
        if count != width:
            if not count:
                continue
            if count > max_columns:
                raise _too_many_columns(count, number, limits)
            if count < width:
                values.extend([""] * (width - count))
        joined = "".join(values)
        if not joined:
            continue  # blank row
        formula = NO_COLUMNS
        if "=" in joined or "'" in joined:  # rare: look at each cell's first character
            formula = _formulas_and_guards(values)
        if len(joined) > max_chars and max(map(len, values)) > max_chars:
            raise ReadError("csv.cell_too_large",
                            f"Row {number} has a cell of {max(map(len, values)):,} characters; "
                            f"a cell may hold at most {max_chars:,}. Shorten it or remove it.")
        if count == 1 and width > 1 and any(d in values[0] for d in others):
            found = next(d for d in others if d in values[0])
            raise ReadError("csv.mixed_delimiters",
                            f"Row {number} is separated by {_DELIMITER_NAMES[found]} but the "
                            f"header row (row {header_number}) by "
                            f"{_DELIMITER_NAMES.get(delimiter, repr(delimiter))}. Save the file "
                            "again from one program so every row uses one delimiter.")
        if len(rows) >= max_rows:
            raise ReadError("sheet.too_many_rows",
                            f"{name} has more than {max_rows:,} rows; split the file.")
        append(Row(number, values, NO_COLUMNS, formula))
    return rows


def _formulas_and_guards(values: list[str]) -> frozenset[int]:
    """Drop export's injection guards in place; return the columns that hold formulas."""
    formulas: list[int] = []
    for index, text in enumerate(values):
        if text.startswith("'"):
            values[index] = unneutralise(text)
        elif text.startswith("=") and len(text) > 1:
            formulas.append(index)
    return frozenset(formulas)
