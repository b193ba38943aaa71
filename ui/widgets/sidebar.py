"""The navigation list on the left of the main window."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from ui import theme
from ui.pages.registry import PageSpec

NAME_ROLE = Qt.ItemDataRole.UserRole + 1


class Sidebar(QListWidget):
    page_chosen = Signal(str)

    def __init__(self, pages: Sequence[PageSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAccessibleName("Pages")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setIconSize(QSize(20, 20))
        self.setSpacing(1)
        self.setUniformItemSizes(True)
        height = self.fontMetrics().height() + 16
        self._style()
        theme.on_change(self._style)  # shades of the window colour: light or dark
        width = 0
        for spec in pages:
            item = QListWidgetItem(self.style().standardIcon(spec.icon), spec.title, self)
            item.setData(NAME_ROLE, spec.name)
            item.setToolTip(spec.tip)
            item.setSizeHint(QSize(0, height))
            width = max(width, self.fontMetrics().horizontalAdvance(spec.title))
        self.setFixedWidth(width + 80)
        self.currentItemChanged.connect(self._on_current)

    def _style(self, *_dark: bool) -> None:
        base = QApplication.palette().color(QPalette.ColorRole.Window)
        self.setStyleSheet(
            f"QListWidget#sidebar {{ background: {base.darker(104).name()};"
            " padding-top: 8px; outline: 0; }"
            " QListWidget#sidebar::item { padding: 4px 10px; border-radius: 4px;"
            " margin: 0 6px; }"
            " QListWidget#sidebar::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
            " QListWidget#sidebar::item:hover:!selected"
            f" {{ background: {base.darker(112).name()}; }}")

    def _on_current(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.page_chosen.emit(current.data(NAME_ROLE))

    def select(self, name: str) -> None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(NAME_ROLE) == name and self.currentRow() != row:
                self.setCurrentRow(row)
                return

    def current_name(self) -> str:
        item = self.currentItem()
        return str(item.data(NAME_ROLE)) if item is not None else ""
