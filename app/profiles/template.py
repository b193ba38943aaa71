"""The client-profile spreadsheet template (docs/architecture.md §4, seed 004): columns, field ids,
headers.

The template's columns, in order, are a contract: export writes them, import recognises them (and
common aliases), and every validation finding names its column by the template name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TemplateColumn:
    """One column of the template."""

    field: str  # stable field id (Profile attribute, JSON key, sync payload key)
    header: str  # the header the template writes, e.g. "First Name*"
    aliases: tuple[str, ...] = ()  # other headers recognised on import
    max_length: int = 255
    multiline: bool = False  # line breaks allowed inside the value (Notes only)

    @property
    def label(self) -> str:
        """The header without the required-marker, for messages ("First Name")."""
        return self.header.rstrip("*").strip()


COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn("first_name", "First Name*",
                   ("First", "Given Name", "Forename", "FName", "First Name(s)")),
    TemplateColumn("last_name", "Last Name*",
                   ("Last", "Surname", "Family Name", "LName")),
    TemplateColumn("email", "Email",
                   ("E-mail", "Email Address", "E-mail Address", "Mail", "Work Email",
                    "Business Email", "Primary Email"), 254),
    TemplateColumn("title", "Title", ("Job Title", "Position", "Role")),
    TemplateColumn("vip", "VIP", ("Is VIP", "VIP (Yes/No)")),
    TemplateColumn("mobile_country_code", "Mobile Country Code",
                   ("Mobile Country", "Mobile CC", "Cell Country Code", "Cell Phone Country Code",
                    "Mobile Phone Country Code")),
    TemplateColumn("mobile_phone", "Mobile Phone",
                   ("Mobile", "Mobile Number", "Mobile Phone Number", "Cell", "Cell Phone",
                    "Cell Number", "Cellphone", "Phone (Mobile)", "Mobile Tel")),
    TemplateColumn("mobile_provider", "Mobile Provider",
                   ("Provider", "Carrier", "Mobile Carrier", "Cell Provider", "Cell Carrier")),
    TemplateColumn("mobile_sms_gateway", "Mobile SMS Gateway",
                   ("SMS Gateway", "Gateway", "Mobile Gateway", "SMS")),
    TemplateColumn("office_country_code", "Office Country Code",
                   ("Office Country", "Office CC", "Work Country Code", "Business Country Code",
                    "Office Phone Country Code")),
    TemplateColumn("office_phone", "Office Phone",
                   ("Office", "Office Number", "Office Phone Number", "Work Phone",
                    "Business Phone", "Phone", "Phone Number", "Telephone", "Direct Line",
                    "Phone (Office)", "Phone (Work)")),
    TemplateColumn("office_extension", "Office Extension",
                   ("Extension", "Ext", "Ext.", "Office Ext", "Phone Extension"), 10),
    TemplateColumn("home_country_code", "Home Country Code",
                   ("Home Country", "Home CC", "Home Phone Country Code")),
    TemplateColumn("home_phone", "Home Phone",
                   ("Home", "Home Number", "Home Phone Number", "Private Phone", "Phone (Home)")),
    TemplateColumn("computer_name", "Computer Name",
                   ("Computer", "PC Name", "PC", "Hostname", "Host Name", "Device Name",
                    "Machine Name", "Workstation", "Device")),
    TemplateColumn("notes", "Notes", ("Note", "Comments", "Comment", "Remarks"), 4000, True),
)

FIELDS: tuple[str, ...] = tuple(c.field for c in COLUMNS)
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
BY_FIELD: dict[str, TemplateColumn] = {c.field: c for c in COLUMNS}
REQUIRED_FIELDS: tuple[str, ...] = ("first_name", "last_name")

# The three phone lines: (country code field, number field).
PHONE_LINES: tuple[tuple[str, str], ...] = (
    ("mobile_country_code", "mobile_phone"),
    ("office_country_code", "office_phone"),
    ("home_country_code", "home_phone"),
)
PHONE_FIELDS: tuple[str, ...] = tuple(number for _, number in PHONE_LINES)

SHEET_NAME = "Client Profiles"

_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_ALNUM = re.compile(r"[\W_]+")


def normalise_header(text: str) -> str:
    """Header text reduced for matching: case-, space- and punctuation-insensitive.

    "First Name*", "first_name", " FIRST  NAME " and "First-Name" all give "firstname".
    """
    return _NOT_ALNUM.sub("", text.casefold())


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.header, column.field, *column.aliases):
            key = normalise_header(name)
            owner = lookup.setdefault(key, column.field)
            if owner != column.field:  # pragma: no cover - guards the table above
                raise AssertionError(f"header alias {name!r} is ambiguous")
    return lookup


_LOOKUP = _build_lookup()


def field_for_header(header: str) -> str | None:
    """The field id a header names, or None. Text in parentheses is ignored as a last resort, so
    "VIP (Yes/No)" and "Mobile Phone (digits only)" match."""
    key = normalise_header(header)
    if not key:
        return None
    found = _LOOKUP.get(key)
    if found is None and "(" in header:
        found = _LOOKUP.get(normalise_header(_PARENTHESES.sub("", header)))
    return found


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """How the cells of a header row map to template fields.

    `fields[i]` is the field id of column i, or None for a column that is not imported: a blank
    header, an unknown header (listed in `unknown`) or a second column for a field already mapped
    (listed in `duplicates`, with the field it repeats).
    """

    fields: tuple[str | None, ...]
    unknown: tuple[int, ...]
    duplicates: tuple[tuple[int, str], ...]

    @property
    def matched(self) -> int:
        return sum(f is not None for f in self.fields)


def match_headers(headers: Sequence[str]) -> HeaderMatch:
    """Map header cells to field ids (first column wins when two name the same field)."""
    fields: list[str | None] = []
    unknown: list[int] = []
    duplicates: list[tuple[int, str]] = []
    seen: set[str] = set()
    for index, header in enumerate(headers):
        field = field_for_header(header)
        if field is None:
            if header.strip():
                unknown.append(index)
            fields.append(None)
        elif field in seen:
            duplicates.append((index, field))
            fields.append(None)
        else:
            seen.add(field)
            fields.append(field)
    return HeaderMatch(tuple(fields), tuple(unknown), tuple(duplicates))


def looks_like_header(cells: Sequence[str]) -> bool:
    """A row is the header row when at least two of its cells name template columns."""
    return sum(field_for_header(c) is not None for c in cells if c) >= 2


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index (0 → "A", 26 → "AA")."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


HEADER_SEARCH_ROWS = 10


def find_header_row(rows: Sequence[Sequence[str]]) -> int | None:
    """Index of the header row among the first rows of a sheet (a title line may come first),
    or None when no row there names two template columns."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if looks_like_header(cells):
            return index
    return None
