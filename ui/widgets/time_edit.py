"""A 24-hour HH:MM field that takes typed digits wherever the cursor is.

QTimeEdit only takes digits into a selected section: after a click (cursor, no selection)
typing changes nothing, and "0630" typed into the hour stops at 06:00. Here digits fill the
hour, then the minutes: "0630", "630" and "6:30" all give 06:30; ":" or "." moves to the minutes;
the arrow keys still step the section at the cursor.
"""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QDateTimeEdit, QTimeEdit, QWidget

HOUR, MINUTE = QDateTimeEdit.Section.HourSection, QDateTimeEdit.Section.MinuteSection


class TimeEdit(QTimeEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("HH:mm")
        self.setWrapping(True)
        self._section: QDateTimeEdit.Section | None = None  # where typing goes; None: fresh
        self._digits = ""  # typed into that section so far

    def _start(self) -> None:
        self._section = None
        self._digits = ""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and len(text) == 1:
            self._type_digit(int(text))
            event.accept()
            return
        if text in (":", ".", "h"):
            self._section, self._digits = MINUTE, ""
            self.setSelectedSection(MINUTE)
            event.accept()
            return
        self._start()
        super().keyPressEvent(event)

    def _type_digit(self, digit: int) -> None:
        if self._section is None:
            # fresh typing fills the hour first, unless the cursor is inside the minutes (a
            # click near the colon, or past the end of the text, means the whole time)
            line = self.lineEdit()
            inside_minutes = (line.selectionStart() >= 3 if line.hasSelectedText()
                              else 4 <= line.cursorPosition() < len(self.text()))
            self._section = MINUTE if inside_minutes else HOUR
            self._digits = ""
        time = self.time()
        self._digits += str(digit)
        value = int(self._digits)
        if self._section == HOUR:
            if value > 23:  # "7" then "5": 07, and the 5 starts the minutes
                self._section, self._digits = MINUTE, ""
                self._type_digit(digit)
                return
            self.setTime(QTime(value, time.minute()))
            if len(self._digits) == 2 or value > 2:
                self._section, self._digits = MINUTE, ""
                self.setSelectedSection(MINUTE)
            else:
                self.setSelectedSection(HOUR)
            return
        if value > 59:
            self._digits = str(digit)
            value = digit
        self.setTime(QTime(time.hour(), value))
        if len(self._digits) == 2:
            self._digits = ""
        self.setSelectedSection(MINUTE)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._start()
        super().focusInEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._start()
        super().mousePressEvent(event)


__all__ = ["TimeEdit"]
