"""Validation of client-profile rows: every rule of seed 004 and docs/architecture.md §4.

    report = validate_rows(sheet, existing_keys)          # all at once
    run = Validation(sheet, existing_keys)                # or in steps, for progress and Cancel
    while run.step(5_000): show(run.done, run.total)
    report = run.report()

Cells are never changed: each finding is an `Issue` with a stable code, the spreadsheet row, the
template column, a severity, a message that says what to do and, where one exists, the proposed
fixed value. A row is valid when it has no error (warnings do not block an import).

Speed: a sheet of 20,000 rows or more is screened in bulk, about 4 µs a template row
(`Validation._screened`): the row's cells joined by "|" are matched by one compiled expression
(`_clean_row`) that spells out every rule a clean row passes (names, no edge spaces, no
placeholders, the email fast path of `emails`, VIP, each phone line as a country code followed
by a number that `phones.fast_source` proves valid, blank provider and gateway, the extension),
and the few tests it cannot spell (printable, length, one phone at least, numeric and formula
cells, cells beyond the header) are each one C-level pass over the chunk. Only flagged rows go
through `_row`, the rule-by-rule path that writes the findings; the duplicate check of the
clean rows between them is a dict merge when no key repeats. Hypothesis tests hold the screened
report to `_row`'s alone and the phone expression to `is_valid_number`. Smaller sheets (and the
one-profile form) take `_row` for every row, at 6–8 µs: compiling the expression costs
~15–20 ms a country (the workbook reader compiles it ahead, in its scan thread, while calamine
parses). The cyclic garbage collector is paused while rows are checked (`gcpause`).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, count
from operator import attrgetter, itemgetter, not_
from typing import Any, Literal

from app.gcpause import paused_gc
from app.profiles.emails import (
    SHORT_PLAIN,
    email_fix,
    email_problem,
    field_source,
    plainly_valid,
)
from app.profiles.phones import REGIONS, country_fix, fast_source, is_valid_phone, phone_fix
from app.profiles.profile import ProfileKey, profile_key
from app.profiles.sheet import Row, Sheet
from app.profiles.template import BY_FIELD, COLUMNS, FIELDS, HEADERS, PHONE_LINES, column_letter

Severity = Literal["error", "warning"]

# Stable codes of every finding, with what each means (documentation, bulk "fix all of a kind").
CODES: dict[str, str] = {
    "header.missing_column": "a required template column is not in the file",
    "header.unknown_column": "a column the template does not have (not imported)",
    "header.duplicate_column": "a second column for the same field (not imported)",
    "row.cells_without_header": "values in a column that has no header",
    "value.formula": "a formula instead of a value",
    "value.placeholder": "N/A, none, - … instead of an empty cell",
    "value.whitespace": "spaces before or after the value",
    "value.control_characters": "a line break, tab or control character inside the value",
    "value.too_long": "longer than the field allows",
    "name.required": "first or last name missing",
    "email.invalid": "not a valid email address",
    "vip.invalid": "VIP is not Yes or No",
    "phone.required": "no phone number at all",
    "phone.not_digits": "a phone with characters other than digits",
    "phone.scientific": "a phone shown in scientific notation (digits lost)",
    "phone.numeric_cell": "a phone stored as a number (leading zeros are lost)",
    "phone.leading_zero_lost": "a phone that lost its leading zero",
    "phone.invalid": "not a valid phone number for its country",
    "country_code.missing": "a phone number without its country code",
    "country_code.without_number": "a country code on a line without a number",
    "country_code.invalid": "not a 2-letter ISO country code",
    "extension.not_digits": "an extension with characters other than digits",
    "extension.without_number": "an extension without an office phone",
    "provider.not_blank": "Mobile Provider filled in (will not sync)",
    "sms_gateway.not_blank": "Mobile SMS Gateway filled in (will not sync)",
    "duplicate.in_file": "the same person twice in the file",
    "duplicate.existing": "the person already has a profile (the import updates it)",
}


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding. `row` is the spreadsheet row (header = 1); `column` the template column name
    (or the header as found, or "Column Q"); `fix` the proposed value, None when there is none
    (an empty string means "clear the cell")."""

    row: int
    column: str
    severity: Severity
    code: str
    message: str
    fix: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "severity": self.severity,
                "code": self.code, "message": self.message, "fix": self.fix}


@dataclass(frozen=True, slots=True)
class Report:
    """The result of validating a sheet: `profiles validate --json` (docs/architecture.md §10)."""

    rows: int
    valid_rows: int
    issues: tuple[Issue, ...]

    @property
    def error_rows(self) -> frozenset[int]:
        """Row numbers with at least one error (header-row errors included)."""
        return frozenset(i.row for i in self.issues if i.severity == "error")

    @property
    def errors(self) -> int:
        return sum(i.severity == "error" for i in self.issues)

    @property
    def warnings(self) -> int:
        return sum(i.severity == "warning" for i in self.issues)

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "valid_rows": self.valid_rows,
                "issues": [i.to_dict() for i in self.issues]}

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


class ValidationCancelled(Exception):
    """Raised by `validate_rows` when `cancelled()` answered True; `done` rows were checked."""

    def __init__(self, done: int) -> None:
        super().__init__(f"validation cancelled after {done} rows")
        self.done = done


# --- per-cell rules ------------------------------------------------------------------------

PLACEHOLDERS = frozenset({"n/a", "n.a.", "n.a", "na", "none", "null", "nil", "-", "--", "---",
                          "—", "–", ".", "?", "#n/a"})


def _case_forms(words: Iterable[str]) -> frozenset[str]:
    forms: set[str] = set()
    for word in words:
        choices = [(c.lower(), c.upper()) if c.isalpha() else (c,) for c in word]
        forms.update("".join(p) for p in itertools.product(*choices))
    forms.discard("Na")  # a surname
    return frozenset(forms)


# Every spelling of every placeholder: one set lookup per cell finds them in any case.
_PLACEHOLDER_FORMS = _case_forms(PLACEHOLDERS)
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+")
_MAX_SINGLE_LINE = min(c.max_length for c in COLUMNS if c.field != "office_extension")
_EXTENSION_MAX = BY_FIELD["office_extension"].max_length
_VIP_VALUES = frozenset({"Yes", "No"})
_VIP_FIXES = {"yes": "Yes", "y": "Yes", "true": "Yes", "1": "Yes", "x": "Yes", "vip": "Yes",
              "no": "No", "n": "No", "false": "No", "0": "No"}

_FIELD_INDEX = {f: i for i, f in enumerate(FIELDS)}
_PHONE_LINE_INDEX = tuple((_FIELD_INDEX[cc], _FIELD_INDEX[ph]) for cc, ph in PHONE_LINES)
_COUNTRY_NAMES = {"mobile_phone": "mobile", "office_phone": "office", "home_phone": "home"}


def is_placeholder(text: str) -> bool:
    """"N/A", "NA", "none", "-" … (any case; "Na" alone is a surname, not a placeholder)."""
    return text.casefold() in PLACEHOLDERS and text != "Na"


class _Row:
    """Collects the findings of one row."""

    __slots__ = ("issues", "number")

    def __init__(self, number: int) -> None:
        self.number = number
        self.issues: list[Issue] = []

    def add(self, field: int, severity: Severity, code: str, message: str,
            fix: str | None = None) -> None:
        self.issues.append(Issue(self.number, HEADERS[field], severity, code, message, fix))


def _label(field: int) -> str:
    return COLUMNS[field].label


def _cell_checks(values: Sequence[str], out: _Row) -> list[str]:
    """Generic checks of every cell; returns the values the field rules see (trimmed, and blank
    for placeholders), so their fixes already include these."""
    cleaned = list(values)
    for index, text in enumerate(values):
        if not text:
            continue
        stripped = text.strip()
        label = _label(index)
        if is_placeholder(stripped):
            out.add(index, "error", "value.placeholder",
                    f"Leave {label} empty instead of writing {stripped!r}.", "")
            cleaned[index] = ""
            continue
        if stripped != text:
            out.add(index, "error", "value.whitespace",
                    f"Remove the spaces before or after the {label} value.", stripped)
        column = COLUMNS[index]
        if column.multiline:  # Notes may hold line breaks, not other control characters
            if _TEXT_CONTROL.search(stripped):
                stripped = _TEXT_CONTROL.sub("", stripped)
                out.add(index, "error", "value.control_characters",
                        f"Remove the control characters inside {label}.", stripped)
        elif _LINE_CONTROL.search(stripped):
            stripped = " ".join(_LINE_CONTROL.sub(" ", stripped).split())
            out.add(index, "error", "value.control_characters",
                    f"Remove the line breaks, tabs or control characters inside {label}.",
                    stripped)
        if len(stripped) > column.max_length:
            out.add(index, "error", "value.too_long",
                    f"Shorten {label} to at most {column.max_length:,} characters (it has "
                    f"{len(stripped):,}).")
        cleaned[index] = stripped
    return cleaned


def _check_phone(out: _Row, field: int, text: str, region: str | None, numeric: bool) -> None:
    label = _label(field)
    if text.isdigit() and text.isascii():
        if region is None:
            return
        if is_valid_phone(region, text):
            if numeric:
                out.add(field, "warning", "phone.numeric_cell",
                        f"{label} is stored as a number, so a leading zero would be lost. Format "
                        "the column as Text and type the number again if it began with 0.")
            return
        if numeric and is_valid_phone(region, "0" + text):
            out.add(field, "error", "phone.leading_zero_lost",
                    f"{label} was stored as a number and lost its leading zero. Format the "
                    "column as Text and add the 0.", "0" + text)
            return
        out.add(field, "error", "phone.invalid",
                f"{text} is not a valid {region} phone number. Check the digits and the "
                "country code.")
        return
    if _SCIENTIFIC.fullmatch(text):
        out.add(field, "error", "phone.scientific",
                f"{label} shows {text}: Excel turned the number into scientific notation and "
                "kept only 15 significant digits. Re-export the column as text (format it as "
                "Text, then type or paste the full numbers).")
        return
    fix = phone_fix(region, text)
    out.add(field, "error", "phone.not_digits",
            f"Write {label} with digits only: no spaces, hyphens, brackets, dots or '+'"
            + (" (the country code goes in its own column)." if "+" in text else "."), fix)


def _check_lines(out: _Row, values: Sequence[str], numeric_fields: Collection[int]) -> None:
    for cc_field, phone_field in _PHONE_LINE_INDEX:
        code, phone = values[cc_field], values[phone_field]
        if not phone:
            if code:
                out.add(cc_field, "error", "country_code.without_number",
                        f"Remove the country code: this line has no {_label(phone_field)}.", "")
            continue
        region: str | None = None
        if not code:
            out.add(cc_field, "error", "country_code.missing",
                    f"Add the 2-letter ISO country code of the {_label(phone_field)} "
                    "(e.g. US, GB, DE).")
        elif code in REGIONS:
            region = code
        else:
            region = country_fix(code)
            hint = f" Use {region}." if region else ""
            out.add(cc_field, "error", "country_code.invalid",
                    f"{code!r} is not a 2-letter ISO country code.{hint}"
                    + ("" if region else " Use the code of the phone's country (e.g. US, GB)."),
                    region)
        _check_phone(out, phone_field, phone, region, phone_field in numeric_fields)


def _check_fields(out: _Row, values: Sequence[str], numeric_fields: Collection[int]) -> None:
    """The field rules of one row (values in template order, already cleaned)."""
    (first, last, email, _title, vip, _mcc, mobile, provider, gateway, _occ, office,
     extension, _hcc, home, _computer, _notes) = values
    if not first:
        out.add(0, "error", "name.required", "Enter the client's first name.")
    if not last:
        out.add(1, "error", "name.required", "Enter the client's last name.")
    if email and not plainly_valid(email):
        problem = email_problem(email)
        if problem is not None:
            out.add(2, "error", "email.invalid",
                    f"{email!r} is not a valid email address: {problem}", email_fix(email))
    if vip and vip not in _VIP_VALUES:
        out.add(4, "error", "vip.invalid", "Write VIP as Yes or No (or leave it empty for No).",
                _VIP_FIXES.get(vip.casefold()))
    if provider:
        out.add(7, "warning", "provider.not_blank",
                "Leave Mobile Provider blank: it will probably not sync to the Help Desk.", "")
    if gateway:
        out.add(8, "warning", "sms_gateway.not_blank",
                "Leave Mobile SMS Gateway blank: it will probably not sync to the Help Desk.", "")
    if not (mobile or office or home):
        out.add(6, "error", "phone.required",
                "Add at least one phone number (mobile, office or home) with its 2-letter "
                "country code.")
    else:
        _check_lines(out, values, numeric_fields)
    if extension:
        if not (extension.isdigit() and extension.isascii()):
            digits = "".join(ch for ch in extension if "0" <= ch <= "9")
            out.add(11, "error", "extension.not_digits",
                    "Write Office Extension with digits only.", digits or None)
        elif len(extension) > _EXTENSION_MAX:
            out.add(11, "error", "value.too_long",
                    f"Shorten Office Extension to at most {_EXTENSION_MAX} digits.")
        if not office:
            out.add(11, "error", "extension.without_number",
                    "Remove the extension or add the Office Phone it belongs to.", "")


# --- the row screen --------------------------------------------------------------------------

# A row (template order, joined by "|") that matches `_clean_row(regions)` passes every per-cell
# and field rule: one regular-expression call per row instead of a Python expression per field.
# Each field's part excludes "|", so the 15 separators are exactly the row's: a value holding a
# "|" never matches and takes the exact path. Only what cannot be spelled out here is checked
# beside it: non-printable characters, the length, at least one phone, numeric and formula cells.
_END = r"(?=\|)"


def _first_char_groups(words: Iterable[str]) -> str:
    """An alternation of `words` grouped by first character (most values fail at once)."""
    rests: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        rests.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(re.escape(first) + "(?:" + "|".join(tails) + ")"
                    for first, tails in rests.items())


# No placeholder (in any case, so also "Na": that row only takes the exact path).
_NO_PLACEHOLDER = f"(?!(?i:{_first_char_groups(PLACEHOLDERS)})(?:\\||\\Z))"
# Anything but a "|", no space at either edge, not a placeholder.
_FREE = rf"{_NO_PLACEHOLDER}(?:[^| ](?:[^|]*[^| ])?)?"
_NAME = rf"{_NO_PLACEHOLDER}[^| ](?:[^|]*[^| ])?"
_PHONE_AT = (6, 10, 13)  # the phone fields; field i has i separators before it


def _compiled_for(regions: frozenset[str]) -> re.Pattern[str] | None:
    """A clean-row expression compiled already for a superset of `regions`, if any."""
    for have, pattern in reversed(_compiled):
        if regions <= have:
            return pattern
    return None


def _clean_row(regions: frozenset[str]) -> re.Pattern[str]:
    """The clean-row expression for rows whose country codes are among `regions`: a compiled
    one for a superset of them if there is one (compiling costs ~70 ms for four countries)."""
    with _compiled_lock:
        found = _compiled_for(regions)
        if found is not None:
            return found
        wanted = regions.union(*(have for have, _ in _compiled[-1:]))  # grow, not multiply
        pattern = _compile_clean_row(wanted)
        _compiled.append((wanted, pattern))
        del _compiled[:-4]
        return pattern


def prepare(regions: Iterable[str]) -> None:
    """Compile the clean-row expression for these country codes ahead of a validation (the
    workbook reader calls it from its scan thread while python-calamine parses without the
    GIL); codes that are not ISO regions are ignored."""
    wanted = frozenset(regions) & _SCREEN_REGIONS
    if wanted:
        _clean_row(wanted)


_compiled: list[tuple[frozenset[str], re.Pattern[str]]] = []
_compiled_lock = threading.Lock()


def _compile_clean_row(regions: frozenset[str]) -> re.Pattern[str]:
    fast = {r: fast_source(r, _END) for r in sorted(regions)}
    lines = "|".join(f"{r}\\|(?:{source})" for r, source in fast.items() if source)
    line = f"(?:{lines}|\\|)" if lines else r"\|"
    office = f"(?:(?:{lines})\\|(?:[0-9]{{1,{_EXTENSION_MAX}}})?|\\|\\|)" if lines else r"\|\|"
    fields = [_NAME, _NAME, f"(?:{field_source(_END)})?", _FREE, "(?:Yes|No)?", line, "", "",
              office, line, _FREE, _FREE]
    # line = country code|number (2 fields); office = code|number|extension (3 fields)
    return re.compile("\\|".join(fields) + r"\Z")


# Country codes the expression may name: ISO codes that are not also a placeholder ("NA").
_SCREEN_REGIONS = frozenset(r for r in REGIONS if r not in _PLACEHOLDER_FORMS)
_CODE_COLUMNS = tuple(itemgetter(i) for i, _ in _PHONE_LINE_INDEX)
_VALUES = attrgetter("values")
_NUMBER = attrgetter("number")
_NUMERIC = attrgetter("numeric")
_FORMULA = attrgetter("formula")
_EMAIL = itemgetter(2)
_PHONES = itemgetter(*_PHONE_AT)
_TOO_LONG = _MAX_SINGLE_LINE.__lt__


# --- the run -------------------------------------------------------------------------------

_PAD = [""]
_PLAIN_EMAIL = SHORT_PLAIN.fullmatch


class Validation:
    """Validates a sheet in steps (`step`), so a caller can show progress and cancel.

    `existing_keys` are the `profile_key`s of the profiles the site already has: a row matching
    one is reported as `duplicate.existing` (a warning: the import updates that profile).
    """

    use_screen = True  # tests turn the bulk screen off to compare it with `_row` alone
    # A sheet of fewer rows is checked row by row unless the bulk screen's expression is
    # compiled already: compiling costs ~15–20 ms a country, which the screen saves back at
    # ~4 µs a row (the one-profile form never pays for it).
    screen_min_rows = 20_000

    def __init__(self, sheet: Sheet,
                 existing_keys: Collection[ProfileKey] = frozenset()) -> None:
        self.sheet = sheet
        self.total = len(sheet.rows)
        self.done = 0
        # Internally an email key is the address alone (no tuple per row): see `_key`.
        self._existing = frozenset(_key(k) for k in existing_keys)
        self._issues: list[Issue] = []
        self._valid = 0
        self._seen: dict[_Key, int] = {}
        columns = sheet.columns
        positions = [columns.get(f, -1) for f in FIELDS]
        self._pad = -1 in positions
        self._get: Callable[[Sequence[str]], tuple[str, ...]] = itemgetter(*positions)
        # sheet column → template field position, for numeric and formula cells
        self._field_of = {col: _FIELD_INDEX[f] for f, col in columns.items()}
        width = len(sheet.headers)
        self._width = width
        self._unlabelled = tuple(i for i in range(width)
                                 if sheet.fields[i] is None and not sheet.headers[i].strip())
        # The bulk screen needs every template column (rows are joined in template order).
        self._screen = self.use_screen and not self._pad and not self._unlabelled
        self._in_order = positions == list(range(len(FIELDS))) and width == len(FIELDS)
        self._header_issues()

    # header-level findings -----------------------------------------------------------------
    def _header_issues(self) -> None:
        sheet, row = self.sheet, self.sheet.header_row
        present = set(sheet.fields)
        add = self._issues.append
        for field in ("first_name", "last_name"):
            if field not in present:
                add(Issue(row, BY_FIELD[field].header, "error", "header.missing_column",
                          f"The file has no {BY_FIELD[field].label} column. Add the "
                          f"{BY_FIELD[field].header!r} column, or map a column to it."))
        if not any(phone in present for _, phone in PHONE_LINES):
            add(Issue(row, "Mobile Phone", "error", "header.missing_column",
                      "The file has no phone column. Add Mobile Phone, Office Phone or Home "
                      "Phone with its country code column, or map a column to one."))
        for code_field, phone_field in PHONE_LINES:
            if phone_field in present and code_field not in present:
                add(Issue(row, BY_FIELD[code_field].header, "error", "header.missing_column",
                          f"The file has {BY_FIELD[phone_field].header} but no "
                          f"{BY_FIELD[code_field].header} column. Add it with the 2-letter ISO "
                          "code of each number."))
        for index in sheet.unknown_columns:
            add(Issue(row, sheet.column_name(index), "warning", "header.unknown_column",
                      f"Column {column_letter(index)} ({sheet.headers[index].strip()!r}) is not "
                      "a template column and will not be imported. Map it to a template column "
                      "or remove it."))
        for index, field in sheet.duplicate_columns:
            add(Issue(row, sheet.column_name(index) if sheet.headers[index].strip()
                      else f"Column {column_letter(index)}", "warning",
                      "header.duplicate_column",
                      f"Column {column_letter(index)} ({sheet.headers[index].strip()!r}) is a "
                      f"second {BY_FIELD[field].header} column; only the first one is imported. "
                      "Remove one of them."))

    # rows --------------------------------------------------------------------------------
    def step(self, max_rows: int = 5_000) -> int:
        """Validate up to `max_rows` more rows; returns how many (0 once every row is done)."""
        start = self.done
        stop = min(self.total, start + max_rows)
        with paused_gc():
            rows = self.sheet.rows[start:stop]
            if self._screen:
                self._screened(rows)
            else:
                for row in rows:
                    self._row(row)
        self.done = stop
        return stop - start

    def _screened(self, rows: list[Row]) -> None:
        """`_row` for every row, with the clean ones (every rule passes) found in bulk: each
        test below is one C-level pass over the chunk, and for clean rows only the duplicate
        check is left, also in bulk between the flagged rows."""
        raws = list(map(_VALUES, rows))
        # A sheet in template order (the usual case) needs no reordering.
        values: list[Sequence[str]] = raws if self._in_order else list(map(self._get, raws))
        regions: set[str] = set()
        for column in _CODE_COLUMNS:
            regions.update(map(column, values))
        wanted = frozenset(regions) & _SCREEN_REGIONS
        pattern = _compiled_for(wanted)
        if pattern is None:
            if self.total < self.screen_min_rows:
                for row in rows:
                    self._row(row)
                return
            pattern = _clean_row(wanted)
        clean = pattern.match
        joined = list(map("|".join, values))
        flagged = set(compress(count(), map(not_, map(clean, joined))))
        flagged.update(compress(count(), map(not_, map(str.isprintable, joined))))
        flagged.update(compress(count(), map(_TOO_LONG, map(len, joined))))
        flagged.update(compress(count(), map(not_, map(any, map(_PHONES, values)))))
        flagged.update(compress(count(), map(_NUMERIC, rows)))
        flagged.update(compress(count(), map(_FORMULA, rows)))
        flagged.update(compress(count(), map(self._width.__lt__, map(len, raws))))
        emails = list(map(_EMAIL, values))
        keys: list[_Key] = list(map(str.casefold, emails))
        for index in compress(count(), map(not_, emails)):
            if index not in flagged:
                # `profile_key` by name, spelled out: the expression guarantees a name and a
                # phone, and the phones are digits already
                vals = values[index]
                keys[index] = ("name", " ".join(vals[0].split()).casefold(),
                               " ".join(vals[1].split()).casefold(),
                               vals[6] or vals[10] or vals[13])
        numbers = list(map(_NUMBER, rows))
        start = 0
        for index in [*sorted(flagged), len(rows)]:
            if index > start:
                self._clean_keys(keys[start:index], numbers[start:index])
            if index < len(rows):
                self._row(rows[index])
            start = index + 1

    def _clean_keys(self, keys: list[_Key], numbers: list[int]) -> None:
        """The duplicate check of consecutive clean rows: in bulk when none of their keys was
        seen before (the usual case), else row by row."""
        seen, existing = self._seen, self._existing
        first = dict(zip(reversed(keys), reversed(numbers), strict=True))  # earliest row wins
        if (len(first) == len(keys) and seen.keys().isdisjoint(first)
                and (not existing or existing.isdisjoint(first))):
            seen.update(first)
            self._valid += len(keys)
            return
        for key, number in zip(keys, numbers, strict=True):
            earlier = seen.setdefault(key, number)
            if earlier != number or key in existing:
                out = _Row(number)
                self._duplicate(out, key, earlier)
                if all(i.severity == "warning" for i in out.issues):
                    self._valid += 1
                self._issues.extend(out.issues)
            else:
                self._valid += 1

    def _row(self, row: Row) -> None:
        raw = row.values
        values = self._get(raw + _PAD if self._pad else raw)
        out: _Row | None = None
        # One cheap screen for the generic cell rules: spaces at a cell's edge (the cells are
        # joined by "|", so an edge space always touches a "|" or an end), control characters
        # or unusual spaces anywhere (not printable), a placeholder, or a long value. Only a
        # flagged row pays for the per-cell checks (a "|" beside a space inside a value only
        # costs that row the slower path).
        joined = "|".join(values)
        if (" |" in joined or "| " in joined or joined[:1] == " " or joined[-1:] == " "
                or len(joined) > _MAX_SINGLE_LINE or not joined.isprintable()
                or not _PLACEHOLDER_FORMS.isdisjoint(values)):
            out = _Row(row.number)
            values = tuple(_cell_checks(values, out))
        (first, last, email, _title, vip, mobile_cc, mobile, provider, gateway, office_cc,
         office, extension, home_cc, home, _computer, _notes) = values
        # The common case: every field rule passes with a comparison or two each (a phone line
        # is fine when empty, or digits valid for a known 2-letter code).
        if not (first and last and not provider and not gateway
                and not row.numeric and not row.formula
                and (not email or _PLAIN_EMAIL(email) is not None or plainly_valid(email))
                and (not vip or vip in _VIP_VALUES)
                and (mobile or office or home)
                and (mobile_cc in REGIONS and mobile.isdigit() and mobile.isascii()
                     and is_valid_phone(mobile_cc, mobile)
                     if mobile else not mobile_cc)
                and (office_cc in REGIONS and office.isdigit() and office.isascii()
                     and is_valid_phone(office_cc, office)
                     if office else not office_cc)
                and (home_cc in REGIONS and home.isdigit() and home.isascii()
                     and is_valid_phone(home_cc, home)
                     if home else not home_cc)
                and (not extension or (office and extension.isdigit() and extension.isascii()
                                       and len(extension) <= _EXTENSION_MAX))):
            out = out or _Row(row.number)
            field_of = self._field_of
            numeric = [field_of[c] for c in row.numeric if c in field_of]
            _check_fields(out, values, numeric)
            for column in sorted(row.formula):
                self._formula(out, column, raw[column])
        if self._unlabelled or len(raw) > self._width:
            out = self._unlabelled_cells(row, out)
        number = row.number
        key: _Key | None
        if email:
            key = email.casefold()
        else:  # name + phone; without a name or a phone there is nothing to match on
            key = profile_key(first, last, email, (mobile, office, home))
            if not key[3] or not (key[1] or key[2]):
                key = None
        if key is not None:
            earlier = self._seen.setdefault(key, number)
            if earlier != number or key in self._existing:
                out = out or _Row(number)
                self._duplicate(out, key, earlier)
        if out is None or not out.issues:
            self._valid += 1
            return
        issues = out.issues
        if len(issues) > 1:
            issues.sort(key=_column_order)
        if all(i.severity == "warning" for i in issues):
            self._valid += 1
        self._issues.extend(issues)

    def _formula(self, out: _Row, column: int, text: str) -> None:
        if column not in self._field_of:
            return
        field = self._field_of[column]
        if self.sheet.source == "csv":  # a CSV holds no computed value to propose
            out.add(field, "error", "value.formula",
                    f"{_label(field)} starts with '=', so a spreadsheet would run it as a "
                    "formula. Type the value itself.")
            return
        out.add(field, "error", "value.formula",
                f"{_label(field)} is a formula; the Help Desk needs values. Copy the column "
                "and use Paste Special → Values (the proposed fix is its current value).", text)

    def _unlabelled_cells(self, row: Row, out: _Row | None) -> _Row | None:
        raw = row.values
        extra = [i for i in self._unlabelled if raw[i]]
        extra += [i for i in range(self._width, len(raw)) if raw[i]]
        if not extra:
            return out
        out = out or _Row(row.number)
        where = ", ".join(column_letter(i) for i in extra[:5])
        delimiter = self.sheet.delimiter
        hint = (f" If a value contains the delimiter {delimiter!r}, put that value in quotes."
                if delimiter else "")
        out.issues.append(Issue(row.number, f"Column {column_letter(extra[0])}", "error",
                                "row.cells_without_header",
                                f"Row {row.number} has values in column {where}, which has no "
                                f"header; they would be lost. Move them to a template column or "
                                f"delete them.{hint}"))
        return out

    def _duplicate(self, out: _Row, key: _Key, earlier: int) -> None:
        by_email = isinstance(key, str)
        field = 2 if by_email else 1
        what = "email" if by_email else "name and phone number"
        if earlier != out.number:
            out.add(field, "error", "duplicate.in_file",
                    f"Same {what} as row {earlier}: the same person twice. Remove one of the "
                    "rows or merge them.")
        if key in self._existing:
            out.add(field, "warning", "duplicate.existing",
                    f"A profile with this {what} already exists for the site; importing "
                    "updates it.")

    def report(self) -> Report:
        """The report of the rows validated so far (all of them once `step` returned 0)."""
        return Report(self.done, self._valid, tuple(self._issues))


_Key = str | ProfileKey  # the casefolded email, or a ("name", …) ProfileKey


def _key(key: ProfileKey) -> _Key:
    return key[1] if key[0] == "email" else key


_ORDER = {header: i for i, header in enumerate(HEADERS)}


def _column_order(issue: Issue) -> int:
    return _ORDER.get(issue.column, len(_ORDER))


def validate_rows(sheet: Sheet, existing_keys: Collection[ProfileKey] = frozenset(), *,
                  chunk_rows: int = 5_000,
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> Report:
    """Validate every row of `sheet`. `progress(done, total)` is called after each chunk;
    when `cancelled()` returns True the run stops with ValidationCancelled."""
    run = Validation(sheet, existing_keys)
    with paused_gc():
        while run.step(chunk_rows):
            if progress is not None:
                progress(run.done, run.total)
            if cancelled is not None and cancelled():
                raise ValidationCancelled(run.done)
    return run.report()


def validate_values(values: Mapping[str, str], *, row: int = 2,
                    existing_keys: Collection[ProfileKey] = frozenset()) -> list[Issue]:
    """The findings for one profile given as template text per field id (the add/edit form)."""
    sheet = Sheet.build("csv", "form", row - 1, list(HEADERS),
                        [Row(row, [values.get(f, "") for f in FIELDS])])
    return list(validate_rows(sheet, existing_keys).issues)


def key_set(keys: Iterable[ProfileKey]) -> frozenset[ProfileKey]:
    """The existing keys as the validator wants them (a frozenset: O(1) lookups)."""
    return frozenset(keys)
