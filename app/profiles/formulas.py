"""Which cells of a sheet are formulas. python-calamine (0.9) returns a formula cell's cached
value and has no way to tell it was a formula, so the sheet's XML is scanned here.

The scan streams the part once and looks for a formula element (`<f>` in XLSX, a
`table:formula` attribute in ODS): usually there is none, and the scan costs about a tenth of
calamine's parse while running beside it (calamine releases the GIL). Only when one is found is
the part parsed (ElementTree, after refusing any DTD) to locate the formula cells.
"""

from __future__ import annotations

import functools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

from app.profiles.archive import damaged

Cells = dict[int, frozenset[int]]  # 0-based row → 0-based columns that hold formulas

_CHUNK = 1 << 20
_OVERLAP = 32
_XLSX_MARKERS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/")
_ODS_MARKERS = (b":formula=",)
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY")
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]+)")
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _has_marker(path: Path, part: str, markers: tuple[bytes, ...]) -> bool:
    with zipfile.ZipFile(path) as zf, zf.open(part) as stream:
        tail = b""
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            # A DTD can only precede the root element, so it is always seen before any marker.
            if b"<!" in window and _DOCTYPE.search(window):
                raise damaged(f"{part} declares XML entities")
            if any(marker in window for marker in markers):
                return True
            tail = window[-_OVERLAP:]
    return False


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def _iterparse(path: Path, part: str) -> Iterator[tuple[str, ElementTree.Element]]:
    with zipfile.ZipFile(path) as zf, zf.open(part) as stream:
        try:
            yield from ElementTree.iterparse(stream, events=("start", "end"))
        except ElementTree.ParseError as exc:
            raise damaged(f"{part}: {exc}") from None


def _collect(found: dict[int, set[int]]) -> Cells:
    return {row: frozenset(cols) for row, cols in found.items()}


def _guarded(scan: Callable[[Path, str], Cells]) -> Callable[[Path, str], Cells]:
    """Archive errors met while scanning (a truncated part, a size that lies, a bad CRC) are a
    damaged file, like calamine's own."""

    @functools.wraps(scan)
    def run(path: Path, where: str) -> Cells:
        try:
            return scan(path, where)
        except (zipfile.BadZipFile, EOFError, zlib.error, KeyError, ValueError) as exc:
            raise damaged(f"{type(exc).__name__}: {exc}") from None

    return run


@_guarded
def xlsx_formula_cells(path: Path, part: str) -> Cells:
    """Formula cells of one XLSX worksheet part."""
    if not _has_marker(path, part, _XLSX_MARKERS):
        return {}
    found: dict[int, set[int]] = {}
    row, col = -1, -1
    for event, element in _iterparse(path, part):
        name = _local(element.tag)
        if event == "start":
            if name == "row":
                number = element.get("r")
                row = int(number) - 1 if number and number.isdigit() else row + 1
                col = -1
            elif name == "c":
                match = _CELL_REF.fullmatch(element.get("r") or "")
                if match:
                    col = _column_index(match.group(1))
                    row = int(match.group(2)) - 1
                else:
                    col += 1
        elif name == "f":
            found.setdefault(row, set()).add(col)
        elif name == "row":
            element.clear()
    return _collect(found)


@_guarded
def ods_formula_cells(path: Path, sheet_name: str) -> Cells:
    """Formula cells of one table (sheet) of an ODS file's content.xml."""
    if not _has_marker(path, "content.xml", _ODS_MARKERS):
        return {}
    found: dict[int, set[int]] = {}
    in_table = False
    row, col = -1, 0
    name_attr = f"{{{_TABLE_NS}}}name"
    formula_attr = f"{{{_TABLE_NS}}}formula"
    rows_repeated = f"{{{_TABLE_NS}}}number-rows-repeated"
    cols_repeated = f"{{{_TABLE_NS}}}number-columns-repeated"
    for event, element in _iterparse(path, "content.xml"):
        name = _local(element.tag)
        if name == "table":
            in_table = event == "start" and element.get(name_attr) == sheet_name
            if event == "end":
                element.clear()
            continue
        if not in_table:
            continue
        if name == "table-row":
            if event == "start":
                row += 1
                col = 0
            else:
                row += int(element.get(rows_repeated) or 1) - 1
                element.clear()
        elif name in ("table-cell", "covered-table-cell") and event == "start":
            repeat = int(element.get(cols_repeated) or 1)
            if element.get(formula_attr):
                found.setdefault(row, set()).update(range(col, col + min(repeat, 16_384)))
            col += repeat
    return _collect(found)
