"""A widget kept over the top or bottom edge of another instead of taking a place in a layout:
a message or a progress bar that comes and goes moves nothing under the pointer
(docs/architecture.md §14)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtWidgets import QWidget


class EdgeOverlay(QObject):
    """Keeps `widget` (a child of a common parent) over `anchor`'s `edge`, following it as it
    moves or resizes while the widget shows.

    "top": over a heading, at least the heading's height (a longer text covers the top of
    what follows rather than moving it). "bottom": on the bottom edge of a table, as tall as
    the widget needs (never taller than the table), over its last rows."""

    def __init__(self, widget: QWidget, anchor: QWidget, edge: str = "top") -> None:
        super().__init__(widget)
        if edge not in ("top", "bottom"):
            raise ValueError(f"edge {edge!r}: top or bottom")
        self.widget, self.anchor, self.edge = widget, anchor, edge
        watched: QWidget | None = anchor  # the anchor, and what holds it within the parent
        while watched is not None and watched is not widget.parentWidget():
            watched.installEventFilter(self)
            watched = watched.parentWidget()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.widget.isHidden() \
                and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.place()
        return False

    def place(self) -> None:
        widget, anchor, parent = self.widget, self.anchor, self.widget.parentWidget()
        if parent is None:
            return
        corner = anchor.mapTo(parent, QPoint(0, 0))
        width = anchor.width()
        needed = widget.heightForWidth(width) if widget.hasHeightForWidth() \
            else widget.sizeHint().height()
        if self.edge == "top":
            widget.setGeometry(corner.x(), corner.y(), width, max(anchor.height(), needed))
        else:
            height = min(needed, anchor.height())
            widget.setGeometry(corner.x(), corner.y() + anchor.height() - height, width, height)
        widget.raise_()
