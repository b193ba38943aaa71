"""XLSX and ODS through python-calamine: choose the sheet, find its header, keep cell kinds."""

from __future__ import annotations

import datetime
import re
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import python_calamine

from app.profiles.archive import WorkbookKind, damaged, open_archive
from app.profiles.errors import ReadError
from app.profiles.formulas import Cells, ods_formula_cells, xlsx_formula_cells
from app.profiles.limits import Limits
from app.profiles.sheet import NO_COLUMNS, Row, Sheet
from app.profiles.template import SHEET_NAME, find_header_row, normalise_header
from app.profiles.validation import prepare

_EXACT_INTEGER_LIMIT = 1e15  # Excel keeps 15 significant digits (Microsoft KB 269370)


def number_text(value: float) -> str:
    """A numeric cell as text: whole numbers as digits, others as Excel's General format would
    show them (15 significant digits, so lost digits stay visible as "4.41234567890123E+19")."""
    if value.is_integer() and abs(value) < _EXACT_INTEGER_LIMIT:
        return str(int(value))
    return f"{value:.15G}"


def _cell_text(value: Any) -> tuple[str, bool]:
    """(text, numeric) of one calamine value."""
    if isinstance(value, str):
        return value, False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, float):
        return number_text(value), True
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" "), True
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat(), True
    return str(value), True  # timedelta (a duration cell)


def _texts(values: list[Any]) -> tuple[list[str], frozenset[int]]:
    texts: list[str] = []
    numeric: list[int] = []
    for index, value in enumerate(values):
        text, is_number = _cell_text(value)
        texts.append(text)
        if is_number:
            numeric.append(index)
    return texts, frozenset(numeric)


class _Background:
    """Runs the formula scan in a thread while calamine parses (calamine releases the GIL);
    then, without making the reader wait for it, the validator's warm-up (`_warm_up`)."""

    def __init__(self, job: Callable[[], Cells], after: Callable[[], None] | None = None) -> None:
        self._job = job
        self._after = after
        self._result: Cells = {}
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="profiles-formula-scan",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._result = self._job()
        except BaseException as exc:  # re-raised in the caller's thread by result()
            self._error = exc
        finally:
            self._done.set()
        if self._after is not None and self._error is None:
            self._after()

    def result(self) -> Cells:
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._result


def _candidates(book: python_calamine.CalamineWorkbook, wanted: str | None) -> list[str]:
    names = [m.name for m in book.sheets_metadata
             if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    if wanted is not None:
        key = normalise_header(wanted)
        chosen = [n for n in names if n == wanted] or [n for n in names
                                                        if normalise_header(n) == key]
        if not chosen:
            raise ReadError("sheet.not_found",
                            f"The workbook has no sheet named {wanted!r}; its sheets are "
                            f"{', '.join(repr(n) for n in names)}. Choose one of those.")
        return chosen[:1]
    preferred = [n for n in names if normalise_header(n) == normalise_header(SHEET_NAME)]
    return preferred[:1] or names


def read_workbook(path: Path, limits: Limits, sheet_name: str | None = None) -> Sheet:
    """Read the profile sheet of an XLSX or ODS workbook.

    The sheet is `sheet_name` if given, else the one named "Client Profiles", else the first
    worksheet with a header row (so an "Instructions" sheet before it is skipped).
    """
    kind, parts = open_archive(path, limits)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise ReadError("file.encrypted_or_xls",
                        "The workbook is password-protected. Save it as .xlsx without a "
                        "password and import that file.") from None
    except python_calamine.CalamineError as exc:
        raise damaged(str(exc)) from None
    with book:
        names = _candidates(book, sheet_name)
        for name in names:
            sheet = _read_sheet(book, name, *_scan_job(path, kind, parts, name), kind,
                                limits=limits, required=len(names) == 1)
            if sheet is not None:
                return sheet
    listed = ", ".join(repr(n) for n in names)
    raise ReadError("sheet.no_header",
                    f"No sheet of the workbook ({listed}) has a header row with the template's "
                    "column names (First Name*, Last Name*, Email, …) in its first rows. Put the "
                    f"profiles on a sheet named {SHEET_NAME!r} with the header in row 1.")


def _scan_job(path: Path, kind: WorkbookKind, parts: dict[str, str],
              name: str) -> tuple[Callable[[], Cells], Callable[[], None]]:
    """The formula scan of the sheet, and the warm-up to run after it."""
    if kind == "ods":
        return (lambda: ods_formula_cells(path, name)), _warm_up(path, ["content.xml"])
    part = parts.get(name)
    if part is None:
        raise damaged(f"the sheet {name!r} has no worksheet part")
    return (lambda: xlsx_formula_cells(path, part)), _warm_up(path, [part,
                                                                    "xl/sharedStrings.xml"])


_SNIFF_BYTES = 1 << 20
# Uncompressed sheet bytes (~16,000 template rows): calamine parses a smaller sheet too fast to
# hide the compiling, which would then compete with the reader for the GIL.
_WARM_UP_ABOVE = 8 << 20
_CODE_CELL = re.compile(rb">([A-Z]{2})<")  # a cell (or shared string) of two capitals


def _warm_up(path: Path, parts: list[str]) -> Callable[[], None]:
    """Compile the validator's clean-row expression for the country codes seen in the first
    megabyte of a big sheet (which the validator screens in bulk): the scan thread has the GIL
    to itself while calamine parses, so the ~70 ms of compiling leave the critical path. Only
    a head start: on any error (the reader reports damage itself) or a wrong guess the
    validator compiles what it needs."""

    def job() -> None:
        try:
            codes: set[str] = set()
            with zipfile.ZipFile(path) as zf:
                if zf.getinfo(parts[0]).file_size < _WARM_UP_ABOVE:
                    return
                present = set(zf.namelist())
                for part in parts:
                    if part in present:
                        with zf.open(part) as stream:
                            head = stream.read(_SNIFF_BYTES)
                        codes.update(c.decode("ascii") for c in _CODE_CELL.findall(head))
            prepare(codes)
        except Exception:
            return

    return job


def _read_sheet(book: python_calamine.CalamineWorkbook, name: str, job: Callable[[], Cells],
                warm_up: Callable[[], None],
                kind: WorkbookKind, *, limits: Limits, required: bool) -> Sheet | None:
    scan = _Background(job, warm_up)
    try:
        try:
            sheet = book.get_sheet_by_name(name)
        except python_calamine.CalamineError as exc:
            raise damaged(str(exc)) from None
        end = sheet.end
        if end is not None:
            _check_size(name, end[0] + 1, end[1] + 1, limits)
        data: list[list[Any]] = sheet.to_python(skip_empty_area=False) if end else []
    finally:
        formulas = scan.result()
    probe = [_texts(r)[0] for r in data[:10]]
    header_index = find_header_row(probe)
    if header_index is None:
        if required:
            raise ReadError("sheet.no_header",
                            f"The sheet {name!r} has no header row: none of its first rows names "
                            "two template columns (First Name*, Last Name*, Email, …). Put the "
                            "template's header in row 1.")
        return None
    headers = probe[header_index]
    rows = _rows(data, header_index + 1, formulas)
    if not rows:
        raise ReadError("sheet.no_rows",
                        f"The sheet {name!r} has a header row (row {header_index + 1}) but no "
                        "profile rows below it. Add one client per row under the header.")
    return Sheet.build(kind, name, header_index + 1, headers, rows)


def _check_size(name: str, height: int, width: int, limits: Limits) -> None:
    if width > limits.max_columns:
        raise ReadError("sheet.too_many_columns",
                        f"The sheet {name!r} uses {width:,} columns; at most "
                        f"{limits.max_columns:,} are read (the template has 16). Delete the "
                        "columns after the template's last column and save again.")
    if height > limits.max_rows + 1:
        raise ReadError("sheet.too_many_rows",
                        f"The sheet {name!r} has {height:,} rows; at most {limits.max_rows:,} "
                        "profiles are read at once. Split the file.")


def _rows(data: list[list[Any]], first: int, formulas: Cells) -> list[Row]:
    rows: list[Row] = []
    append = rows.append
    for index in range(first, len(data)):
        values = data[index]
        numeric = NO_COLUMNS
        try:
            joined = "".join(values)
        except TypeError:  # a number, boolean or date among the cells
            values, numeric = _texts(values)
            joined = "".join(values)
        if not joined:
            continue  # blank row
        append(Row(index + 1, values, numeric, formulas.get(index, NO_COLUMNS)))
    return rows
