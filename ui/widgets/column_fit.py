"""Two layouts of a table's columns: every column while the table is wide enough for them, fewer
below that (what the hidden ones said goes into tooltips), rather than a sideways scroll bar
that puts half a comparison out of sight on a 1024-pixel screen (docs/architecture.md §14).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView

Widths = Mapping[int, int]  # column → width in pixels; the last visible column stretches


class ColumnFit(QObject):
    """Fits `table`'s columns to its width: `wide` (every column's width, the last one's as
    its minimum) while the viewport holds them all, else `narrow(viewport width)` with the
    `hidden` columns hidden. The wide layout is set when the table crosses the line (a column
    the user widened keeps its width until then); the narrow one as the width changes, the
    few columns sharing what there is. `on_narrow(narrow)` hears which one is set (the first
    time while this is made), so a model can word its cells for the columns shown."""

    def __init__(self, table: QTableView, wide: Widths, narrow: Callable[[int], Widths],
                 hidden: Sequence[int], on_narrow: Callable[[bool], None]) -> None:
        super().__init__(table)
        self.table, self.on_narrow = table, on_narrow
        self.wide, self.narrow, self.hidden = dict(wide), narrow, tuple(hidden)
        self.is_narrow: bool | None = None
        self._width = -1
        table.horizontalHeader().setStretchLastSection(True)
        # the viewport's own resize: the table's comes before its viewport is laid out
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)
        self.fit()

    def needed(self) -> int:
        return sum(self.wide.values())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # the event's type first: while the table is destroyed, its viewport still sends some
        if event.type() == QEvent.Type.Resize and watched is self._viewport:
            self.fit()
        return False

    def fit(self) -> None:
        width = self._viewport.width()
        narrow = width < self.needed()
        if narrow == self.is_narrow and (not narrow or width == self._width):
            return
        self._width = width
        header = self.table.horizontalHeader()
        for column, size in (self.narrow(width) if narrow else self.wide).items():
            header.resizeSection(column, size)
        if narrow == self.is_narrow:
            return  # narrow, a little wider or narrower: the columns share what there is
        self.is_narrow = narrow
        for column in self.hidden:
            self.table.setColumnHidden(column, narrow)
        self.on_narrow(narrow)


__all__ = ["ColumnFit"]
