"""Small pieces of the forms: a form cell stacking a field with its notes and errors, and the
message line under a field, which keeps a fixed room so nothing below it moves."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent, QTextCursor, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui import theme

ELLIPSIS = "…"


def stacked_cell(parent: QWidget, *widgets: QWidget, spacing: int = 3) -> QWidget:
    """Widgets stacked in one form cell (the field, a note, its errors)."""
    cell = QWidget(parent)
    layout = QVBoxLayout(cell)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget)
    return cell


class MessageLine(QLabel):
    """A wrapping message with a fixed room of `lines` lines, shown or hidden: the fields
    below never move under the pointer when it appears, changes or goes. A message longer
    than the room is cut at a word with "…" and reads whole in the tooltip (and `text()`)."""

    def __init__(self, parent: QWidget | None = None, lines: int = 1) -> None:
        super().__init__(parent)
        self._lines = max(lines, 1)
        self._full = ""
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setHeightForWidth(False)
        self.setSizePolicy(policy)
        self._fix_height()

    @property
    def lines(self) -> int:
        return self._lines

    def set_lines(self, lines: int) -> None:
        self._lines = max(lines, 1)
        self._fix_height()
        self._fit()

    # the whole message, whatever part of it fits
    def text(self) -> str:
        return self._full

    def setText(self, text: str, /) -> None:
        self._full = text
        self._fit()

    def clear(self) -> None:
        self.setText("")

    def shown_text(self) -> str:
        """What the label draws: the message, or its cut to the room."""
        return QLabel.text(self)

    def is_cut(self) -> bool:
        return self.shown_text() != self._full

    def hasHeightForWidth(self) -> bool:
        return False  # the room is fixed; the text fits into it

    # the room
    def _rich(self, text: str) -> bool:
        fmt = self.textFormat()
        return fmt == Qt.TextFormat.RichText or (
            fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))

    def _height_of(self, text: str, width: int) -> int:
        QLabel.setText(self, text)
        return QLabel.heightForWidth(self, width)

    def _fix_height(self) -> None:
        # rich text (the findings' coloured lines) may sit taller than plain: room for both
        room = max(self._height_of("\n".join(["Mg"] * self._lines), 10_000),
                   self._height_of("<br>".join(["<b>Mg</b>"] * self._lines), 10_000),
                   self.fontMetrics().lineSpacing() * self._lines)
        self.setFixedHeight(room)
        QLabel.setText(self, self._full)

    def _fit(self) -> None:
        full = self._full
        width = self.width()
        if not full or width < 40 or self._height_of(full, width) <= self.height():
            QLabel.setText(self, full)
            self.setToolTip("")
            return
        rich = self._rich(full)
        doc = QTextDocument()
        if rich:
            doc.setHtml(full)
        else:
            doc.setPlainText(full)
        plain = doc.toPlainText()

        def cut(keep: int) -> str:
            if not rich:
                return plain[:keep].rstrip() + ELLIPSIS
            part = doc.clone()
            cursor = QTextCursor(part)
            cursor.setPosition(keep)
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            cursor.insertText(ELLIPSIS)
            return part.toHtml()

        low, high = 0, len(plain)  # the longest prefix that fits: low fits, high does not
        while high - low > 1:
            middle = (low + high) // 2
            if self._height_of(cut(middle), width) <= self.height():
                low = middle
            else:
                high = middle
        space = plain.rfind(" ", 0, low + 1)
        keep = space if space > low - 20 and space > 0 else low  # end at a word
        QLabel.setText(self, cut(keep))
        self.setToolTip(plain.strip())

    # refit when the width or the font changes
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fix_height()
            self._fit()


def message_line(parent: QWidget, name: str = "", lines: int = 1) -> MessageLine:
    """A hidden message line under a field, with `lines` lines of room."""
    label = MessageLine(parent, lines)
    if name:
        label.setObjectName(name)
    label.hide()
    return label


def error_line(parent: QWidget, name: str = "", lines: int = 2) -> MessageLine:
    """A hidden, error-coloured message line for a field's problem, with room reserved for
    `lines` lines (a policy setting's message is one or two lines at the form's width)."""
    label = message_line(parent, name, lines)
    theme.set_style(label, "color: $error")
    return label


__all__ = ["ELLIPSIS", "MessageLine", "error_line", "message_line", "stacked_cell"]
