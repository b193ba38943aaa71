"""The Assignments page's sites table: a check box per site, company, site, package, devices.

Fed the rows the page's Python filter keeps (`set_rows`); which sites are checked is kept by
site id, so it survives filtering and sorting. Built to stay fast at 5,000+ sites: `data` does
dictionary look-ups only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from app.services.views import SiteView
from ui.models.rows import ID_ROLE, ROW_FLAGS, SORT_ROLE, Index, RowTableModel

__all__ = ["ID_ROLE", "SORT_ROLE", "SitesTableModel"]

_CHECK_FLAGS = ROW_FLAGS | Qt.ItemFlag.ItemIsUserCheckable


def _check_value(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return bool(value == Qt.CheckState.Checked.value)


class SitesTableModel(RowTableModel):
    COL_CHECK = 0
    COL_COMPANY = 1
    COL_SITE = 2
    COL_PACKAGE = 3
    COL_DEVICES = 4
    HEADERS: ClassVar[tuple[str, ...]] = ("", "Company", "Site", "Package", "Devices")
    NUMERIC: ClassVar[frozenset[int]] = frozenset({COL_DEVICES})

    checked_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._checked: set[str] = set()
        self.default_package: str | None = None
        self._italic: QFont | None = None

    # check state
    def checked_ids(self) -> set[str]:
        return set(self._checked)

    def set_checked(self, ids: Iterable[str], checked: bool = True) -> None:
        ids = set(ids)
        before = len(self._checked)
        if checked:
            self._checked |= ids
        else:
            self._checked -= ids
        if len(self._checked) != before and self._rows:
            self.dataChanged.emit(self.index(0, self.COL_CHECK),
                                  self.index(len(self._rows) - 1, self.COL_CHECK),
                                  [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()

    def clear_checked(self) -> None:
        self.set_checked(set(self._checked), False)

    def keep_checked(self, existing: set[str]) -> None:
        """Forget checked sites that no longer exist."""
        if self._checked - existing:
            self._checked &= existing
            self.checked_changed.emit()

    def visible_checked(self) -> int:
        checked = self._checked
        return sum(1 for r in self._rows if r.id in checked)

    # cells
    def display(self, row: SiteView, column: int) -> str:
        if column == self.COL_COMPANY:
            return row.company
        if column == self.COL_SITE:
            return row.name
        if column == self.COL_PACKAGE:
            if row.package:
                return row.package
            return (f"Default: {self.default_package}" if self.default_package
                    else "No package")
        if column == self.COL_DEVICES:
            return str(row.device_count)
        return ""

    def sort_value(self, row: SiteView, column: int) -> Any:
        if column == self.COL_CHECK:
            return row.id not in self._checked
        if column == self.COL_DEVICES:
            return row.device_count
        if column == self.COL_PACKAGE:
            return row.package
        return self.display(row, column)

    def sort_key(self, column: int) -> Callable[[SiteView], Any]:
        checked = self._checked
        keys: dict[int, Callable[[SiteView], Any]] = {
            self.COL_CHECK: lambda r: r.id not in checked,
            self.COL_COMPANY: lambda r: (r.company.casefold(), r.name.casefold()),
            self.COL_SITE: lambda r: (r.name.casefold(), r.company.casefold()),
            self.COL_PACKAGE: lambda r: (r.package is None, (r.package or "").casefold()),
            self.COL_DEVICES: lambda r: r.device_count,
        }
        return keys.get(column, super().sort_key(column))

    def extra(self, row: SiteView, column: int, role: int) -> Any:
        if column == self.COL_CHECK and role == Qt.ItemDataRole.CheckStateRole:
            return (Qt.CheckState.Checked if row.id in self._checked
                    else Qt.CheckState.Unchecked)
        if column == self.COL_CHECK and role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Select {row.company} / {row.name}"
        if column == self.COL_PACKAGE and not row.package:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
            if role == Qt.ItemDataRole.FontRole:
                if self._italic is None:
                    self._italic = QFont(QApplication.font())
                    self._italic.setItalic(True)
                return self._italic
            if role == Qt.ItemDataRole.ToolTipRole:
                return ("No package of its own: the site inherits the default package"
                        if self.default_package else "No package assigned")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and index.column() == 0:  # COL_CHECK
            return _CHECK_FLAGS
        return super().flags(index)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or index.column() != self.COL_CHECK
                or role != Qt.ItemDataRole.CheckStateRole):
            return False
        site_id = self._rows[index.row()].id
        if _check_value(value):
            self._checked.add(site_id)
        else:
            self._checked.discard(site_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()
        return True
