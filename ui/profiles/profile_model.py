"""The client profiles of one site as a table (house style: `set_rows`, raw sort values).

Rows are the service's `ProfileRecord`s. The tab filters in Python and feeds the survivors
with `set_rows` (docs/architecture.md §5: a proxy model is ~10× slower at 100k rows); `haystacks`
builds the lower-cased search text of every record once per load, so a keystroke costs one substring
test per row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt

from app.profiles.shared_gil import sorted_in_runs
from ui.models.rows import ID_ROLE, SORT_ROLE, Index, RowTableModel

if TYPE_CHECKING:
    from app.services.profiles import ProfileRecord

_DISPLAY = Qt.ItemDataRole.DisplayRole
# The roles this model answers; a view asks ~10 roles per painted cell, the rest are None.
_ANSWERED = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, SORT_ROLE,
                       ID_ROLE})

SEARCH_FIELDS = ("first_name", "last_name", "email", "title", "mobile_phone", "office_phone",
                 "home_phone", "computer_name", "notes")


def phone_text(country: str, number: str, extension: str = "") -> str:
    """A phone line as the table shows it: "4155553657 (US)", "… ext. 12"."""
    if not number:
        return ""
    text = f"{number} ({country})" if country else number
    return f"{text} ext. {extension}" if extension else text


def haystack(record: ProfileRecord) -> str:
    """What the filter box searches in one record, lower-cased."""
    profile = record.profile
    return "\x1f".join(getattr(profile, f) for f in SEARCH_FIELDS).casefold()


def haystacks(records: Sequence[ProfileRecord]) -> list[str]:
    return [haystack(r) for r in records]


class ProfileTableModel(RowTableModel):
    COL_FIRST = 0
    COL_LAST = 1
    COL_EMAIL = 2
    COL_TITLE = 3
    COL_VIP = 4
    COL_MOBILE = 5
    COL_OFFICE = 6
    COL_HOME = 7
    COL_COMPUTER = 8
    HEADERS: ClassVar[tuple[str, ...]] = ("First name", "Last name", "Email", "Title", "VIP",
                                          "Mobile", "Office", "Home", "Computer")

    def display(self, row: ProfileRecord, column: int) -> str:
        p = row.profile
        if column == self.COL_FIRST:
            return str(p.first_name)
        if column == self.COL_LAST:
            return str(p.last_name)
        if column == self.COL_EMAIL:
            return str(p.email)
        if column == self.COL_TITLE:
            return str(p.title)
        if column == self.COL_VIP:
            return "VIP" if p.vip else ""
        if column == self.COL_MOBILE:
            return phone_text(p.mobile_country_code, p.mobile_phone)
        if column == self.COL_OFFICE:
            return phone_text(p.office_country_code, p.office_phone, p.office_extension)
        if column == self.COL_HOME:
            return phone_text(p.home_country_code, p.home_phone)
        if column == self.COL_COMPUTER:
            return str(p.computer_name)
        return ""

    def sort_value(self, row: ProfileRecord, column: int) -> Any:
        if column == self.COL_VIP:
            return bool(row.profile.vip)
        return self.display(row, column)

    def sort_key(self, column: int) -> Callable[[ProfileRecord], Any]:
        display = self.display
        if column == self.COL_VIP:
            return lambda row: bool(row.profile.vip)
        return lambda row: display(row, column).casefold()

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # A fast path for the roles a repaint asks and this model does not answer (fonts,
        # colours, decorations…): a 100k-row table repaints after every filter keystroke.
        if role not in _ANSWERED:
            return None
        return super().data(index, role)

    def extra(self, row: ProfileRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_VIP and row.profile.vip:
            return "Very important person: the Help Desk gives this caller priority"
        return None

    def record(self, row: int) -> ProfileRecord:
        record: ProfileRecord = self.row_at(row)
        return record

    def order(self, rows: Sequence[Any]) -> list[int]:
        """Positions of `rows` in the current sort order (any thread: pure Python)."""
        if self._sort is None:
            return list(range(len(rows)))
        column, order = self._sort
        key = self.sort_key(column)
        # in runs: a worker thread sorts 100k rows while the GUI thread must keep the GIL's turns
        return sorted_in_runs(range(len(rows)), key=lambda i: key(rows[i]),
                              reverse=order == Qt.SortOrder.DescendingOrder)


__all__ = ["ProfileTableModel", "haystack", "haystacks", "phone_text"]
