"""The rows of the assignment preview: each checked site, its package before and after."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.services.views import SiteAssignmentChange
from ui.models.rows import RowTableModel

NONE = "—"


def describe_change(change: SiteAssignmentChange) -> str:
    if not change.changed:
        return "No change"
    if change.previous_package and change.new_package:
        return f"Loses '{change.previous_package}'"
    if change.previous_package:
        return f"Loses '{change.previous_package}' (back to the default)"
    return "Gets a package"


class AssignmentPreviewModel(RowTableModel):
    COL_COMPANY = 0
    COL_SITE = 1
    COL_BEFORE = 2
    COL_AFTER = 3
    COL_CHANGE = 4
    HEADERS: ClassVar[tuple[str, ...]] = ("Company", "Site", "Package now", "Package after",
                                          "Change")

    def row_id(self, row: SiteAssignmentChange) -> str:
        return row.site_id

    def display(self, row: SiteAssignmentChange, column: int) -> str:
        if column == self.COL_COMPANY:
            return row.company
        if column == self.COL_SITE:
            return row.site
        if column == self.COL_BEFORE:
            return row.previous_package or NONE
        if column == self.COL_AFTER:
            return row.new_package or NONE
        if column == self.COL_CHANGE:
            return describe_change(row)
        return ""

    def sort_value(self, row: SiteAssignmentChange, column: int) -> Any:
        if column == self.COL_CHANGE:
            return (not row.changed, row.previous_package is None, describe_change(row))
        return self.display(row, column)

    def extra(self, row: SiteAssignmentChange, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.changed:
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None
