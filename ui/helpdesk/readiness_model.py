"""The go-live checklist of one site as a table: status (icon), check, why, where to fix it;
and the companies-wide overview: one row per site, ready or what blocks it."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from app.domain.helpdesk import CHECKS, CheckItem, Checklist, Status, parse_link
from ui.helpdesk.places import button_text, open_text
from ui.models.rows import RowTableModel

STATUS_LABELS = {Status.PASS: "Pass", Status.WARNING: "Warning", Status.FAIL: "Fail"}
STATUS_ICONS = {Status.PASS: QStyle.StandardPixmap.SP_DialogApplyButton,
                Status.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
                Status.FAIL: QStyle.StandardPixmap.SP_MessageBoxCritical}
_SEVERITY = {Status.FAIL: 0, Status.WARNING: 1, Status.PASS: 2}


def status_icon(status: Status) -> QIcon:
    style = QApplication.style()
    return style.standardIcon(STATUS_ICONS[status]) if style is not None else QIcon()


def place_of(item: CheckItem) -> str:
    return parse_link(item.link)[1]


class ChecklistModel(RowTableModel):
    COL_STATUS, COL_CHECK, COL_WHY, COL_FIX = range(4)
    HEADERS: ClassVar[tuple[str, ...]] = ("Status", "Check", "Why", "Fix it in")

    def row_id(self, row: CheckItem) -> str:
        return row.id

    def display(self, row: CheckItem, column: int) -> str:
        if column == self.COL_STATUS:
            return STATUS_LABELS[row.status]
        if column == self.COL_CHECK:
            return row.title
        if column == self.COL_WHY:
            return row.why
        return ""  # the view puts a button there (its text: `button_text`)

    def sort_value(self, row: CheckItem, column: int) -> Any:
        if column == self.COL_STATUS:
            return _SEVERITY[row.status]
        if column == self.COL_FIX:
            return button_text(place_of(row))
        return self.display(row, column)

    def extra(self, row: CheckItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column in (self.COL_STATUS,
                                                                 self.COL_CHECK):
            return status_icon(row.status)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.COL_CHECK:
            return f"{STATUS_LABELS[row.status]}: {row.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_FIX:
                return open_text(place_of(row))
            return f"{STATUS_LABELS[row.status]}: {row.why}"
        return None


class OverviewModel(RowTableModel):
    COL_STATUS, COL_COMPANY, COL_SITE, COL_BLOCKERS, COL_WARNINGS = range(5)
    HEADERS: ClassVar[tuple[str, ...]] = ("Go-live", "Company", "Site", "Blocked by",
                                          "Warnings")

    def row_id(self, row: Checklist) -> str:
        return row.site_id

    def display(self, row: Checklist, column: int) -> str:
        if column == self.COL_STATUS:
            return "Ready" if row.ready else "Blocked"
        if column == self.COL_COMPANY:
            return row.company_name
        if column == self.COL_SITE:
            return row.site_name
        items = row.blockers if column == self.COL_BLOCKERS else row.warnings
        return ", ".join(CHECKS[i.id] for i in items) or "—"

    def sort_value(self, row: Checklist, column: int) -> Any:
        if column == self.COL_STATUS:
            return (not row.ready, len(row.blockers))
        if column == self.COL_BLOCKERS:
            return len(row.blockers)
        if column == self.COL_WARNINGS:
            return len(row.warnings)
        return self.display(row, column)

    def sort_key(self, column: int) -> Any:
        value = self.sort_value
        if column in (self.COL_STATUS, self.COL_BLOCKERS, self.COL_WARNINGS):
            return lambda row: (value(row, column), row.company_name.casefold(),
                                row.site_name.casefold())
        return super().sort_key(column)

    def extra(self, row: Checklist, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_STATUS:
            return status_icon(Status.PASS if row.ready else Status.FAIL)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_BLOCKERS:
            return "\n".join(f"{i.title}: {i.why}" for i in row.blockers) or None
        return None
