"""The table view of a `RowTableModel`: whole rows selected, read-only, one line a row.

Rows have one fixed height (no per-row size hints, however many rows) and columns get fixed or
stretched widths from the page: sizing to contents would read every row on each reset.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

ROW_PADDING = 10  # pixels above and below the text of a row, together


def row_table(model: QAbstractItemModel, parent: QWidget, name: str, accessible_name: str,
              sort_column: int | None = None) -> QTableView:
    """A read-only table over `model`, sorted by `sort_column` (None: not sortable)."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    if sort_column is not None:
        table.setSortingEnabled(True)
        table.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move in it
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + ROW_PADDING)
    table.horizontalHeader().setHighlightSections(False)
    return table


__all__ = ["row_table"]
