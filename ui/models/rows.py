"""A read-only table model fed plain rows (`set_rows`), with raw sort values (vorta's
`archive_table_model.py`). Subclasses name their columns (`COL_*`, `HEADERS`) and say what a
cell shows (`display`) and how it sorts (`sort_value`); sorting happens in Python, in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
ROW_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
             | Qt.ItemFlag.ItemNeverHasChildren)  # built once: enum arithmetic is slow


def fold(value: Any) -> Any:
    """A sort key: text without case, numbers as numbers, None first."""
    if value is None:
        return (0, "")
    if isinstance(value, str):
        return (1, value.casefold())
    if isinstance(value, bool):
        return (1, int(value))
    return (1, value)


class RowTableModel(QAbstractTableModel):
    HEADERS: ClassVar[tuple[str, ...]] = ()
    NUMERIC: ClassVar[frozenset[int]] = frozenset()  # right-aligned columns

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # feeding
    def set_rows(self, rows: Iterable[Any], *, in_order: bool = False) -> None:
        """Show `rows`, in the table's sort order; `in_order`: they are in it already (a
        filtered subset of `sorted_rows`), which spares re-sorting thousands of rows."""
        self.beginResetModel()
        self._rows = list(rows) if in_order else self.sorted_rows(rows)
        self.endResetModel()

    def sorted_rows(self, rows: Iterable[Any]) -> list[Any]:
        """`rows` in the table's current sort order (the view's sort indicator)."""
        result = list(rows)
        if self._sort is not None:
            column, order = self._sort
            result.sort(key=self.sort_key(column),
                        reverse=order == Qt.SortOrder.DescendingOrder)
        return result

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def row_or_none(self, row: int) -> Any | None:
        """The row at `row`, or None when there is none (an invalid index's row is -1)."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_id(self, row: Any) -> str:
        return str(getattr(row, "id", ""))

    def find_row(self, row_id: str) -> int:
        for i, row in enumerate(self._rows):
            if self.row_id(row) == row_id:
                return i
        return -1

    # to override
    def display(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def sort_value(self, row: Any, column: int) -> Any:
        return self.display(row, column)

    def sort_key(self, column: int) -> Callable[[Any], Any]:
        """The key that sorts rows by `column`; override with a faster one for big tables
        (attribute look-ups on a Qt object are slow, so keep them out of the per-row path)."""
        value = self.sort_value
        return lambda row: fold(value(row, column))

    def extra(self, row: Any, column: int, role: int) -> Any:
        """Other roles (tooltips, colours, check states); None when not handled."""
        return None

    # Qt
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in self.NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == SORT_ROLE:
            return self.sort_value(row, column)
        if role == ID_ROLE:
            return self.row_id(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self.extra(row, column, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return ROW_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self.row_id(self._rows[i.row()]) for i in old]
        self._sort = (column, order)
        self._rows = self.sorted_rows(self._rows)
        positions = {self.row_id(r): n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old, [self.index(positions[i], o.column()) if i in positions else QModelIndex()
                  for i, o in zip(ids, old, strict=True)])
        self.layoutChanged.emit()
