"""The devices of one site (Companies page): name, kind, operating system, overrides."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from app.services.views import DeviceView
from ui.models.rows import RowTableModel


class DeviceTableModel(RowTableModel):
    COL_NAME = 0
    COL_KIND = 1
    COL_OS = 2
    COL_OVERRIDES = 3
    HEADERS: ClassVar[tuple[str, ...]] = ("Device", "Kind", "Operating system", "Overrides")
    NUMERIC: ClassVar[frozenset[int]] = frozenset({COL_OVERRIDES})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._icons: dict[str, QIcon] = {}

    def display(self, row: DeviceView, column: int) -> str:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_KIND:
            return row.kind.capitalize()
        if column == self.COL_OS:
            return row.os
        if column == self.COL_OVERRIDES:
            return str(row.override_count) if row.override_count else ""
        return ""

    def sort_value(self, row: DeviceView, column: int) -> Any:
        if column == self.COL_OVERRIDES:
            return row.override_count
        return self.display(row, column)

    def extra(self, row: DeviceView, column: int, role: int) -> Any:
        if column == self.COL_NAME and role == Qt.ItemDataRole.DecorationRole:
            if row.kind not in self._icons:
                pixmap = (QStyle.StandardPixmap.SP_DriveHDIcon if row.kind == "server"
                          else QStyle.StandardPixmap.SP_ComputerIcon)
                self._icons[row.kind] = QApplication.style().standardIcon(pixmap)
            return self._icons[row.kind]
        if (column == self.COL_OVERRIDES and role == Qt.ItemDataRole.ToolTipRole
                and row.override_count):
            return (f"{row.override_count} setting(s) set on this device itself "
                    "(see Effective Settings)")
        return None
