"""A one-line label that elides its text instead of widening the window.

A plain QLabel asks for its whole text as its minimum width, so a 200-character name pushes
the window past the screen. This one keeps the whole text (`text()`, the tooltip and the
accessible name when elided), asks for little, and shows as much as fits.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

MIN_CHARS = 12  # what the label asks for at least: enough to recognise a name


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None,
                 mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> None:
        super().__init__(parent)
        self._full = ""
        self._mode = mode
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self.updateGeometry()
        self._elide()

    def text(self) -> str:
        return self._full

    def full_text(self) -> str:
        return self._full

    def is_elided(self) -> bool:
        return super().text() != self._full

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        margins = self.contentsMargins()
        wanted = (self.fontMetrics().horizontalAdvance(self._full) + margins.left()
                  + margins.right() + 2 * self.margin() + 2)
        return QSize(wanted, hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        least = self.fontMetrics().averageCharWidth() * MIN_CHARS
        return QSize(min(least, self.sizeHint().width()), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width() - 2 * self.margin()
        shown = self.fontMetrics().elidedText(self._full, self._mode, max(room, 0))
        if super().text() != shown:
            super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")
        self.setAccessibleName(self._full)


__all__ = ["ElidedLabel"]
