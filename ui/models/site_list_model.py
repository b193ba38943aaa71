"""The sites as a flat list ("Company / Site") for pickers; one model shared by every combo
box of a page, reset once per reload (thousands of `addItem` calls would stall the GUI)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt

from app.services.views import SiteView
from ui.models.rows import Index

ID_ROLE = Qt.ItemDataRole.UserRole  # what QComboBox.currentData() reads


def site_label(site: SiteView) -> str:
    return f"{site.company} / {site.name}"


class SiteListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SiteView] = []
        self._labels: list[str] = []

    def set_rows(self, rows: Sequence[SiteView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._labels = [site_label(s) for s in self._rows]
        self.endResetModel()

    def rows(self) -> list[SiteView]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._labels[index.row()]
        if role == ID_ROLE:
            return self._rows[index.row()].id
        if role == Qt.ItemDataRole.ToolTipRole:
            site = self._rows[index.row()]
            return f"Package: {site.package}" if site.package else "No package of its own"
        return None
