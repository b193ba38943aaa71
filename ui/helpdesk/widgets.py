"""Small pieces the Help Desk forms share: a field with its findings under it, a phone entry
(2-letter country code + digits), up/down/remove buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.helpdesk.findings_view import error_label
from ui.widgets.cells import stacked_cell


def field_cell(parent: QWidget, *widgets: QWidget) -> QWidget:
    """Widgets stacked in one form cell (the field, a note, its findings)."""
    return stacked_cell(parent, *widgets, spacing=2)


class PhoneEntry(QWidget):
    """Country code and digits, as the seed asks for them; findings under both."""

    changed = Signal()

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        row = QHBoxLayout()
        self.country = QLineEdit(self)
        self.country.setObjectName(f"{name}Country")
        self.country.setPlaceholderText("US")
        self.country.setMaxLength(20)
        self.country.setMaximumWidth(60)
        self.country.setAccessibleName("Country code")
        self.country.setToolTip("2-letter ISO country code (US, GB, DE, …)")
        self.number = QLineEdit(self)
        self.number.setObjectName(f"{name}Number")
        self.number.setPlaceholderText("Digits only, e.g. 4155552671")
        self.number.setAccessibleName("Phone number")
        row.addWidget(self.country)
        row.addWidget(self.number, 1)
        outer.addLayout(row)
        self.error = error_label(self, name)
        outer.addWidget(self.error)
        self.country.textChanged.connect(lambda _t: self.changed.emit())
        self.number.textChanged.connect(lambda _t: self.changed.emit())

    def value(self) -> tuple[str, str]:
        return self.country.text(), self.number.text()

    def set_value(self, country: str, number: str) -> None:
        self.country.setText(country)
        self.number.setText(number)


def phone_row(parent: QWidget, name: str) -> PhoneEntry:
    return PhoneEntry(parent, name)


def tool_button(parent: QWidget, icon: QStyle.StandardPixmap, tip: str,
                slot: Callable[[], None], name: str = "") -> QToolButton:
    button = QToolButton(parent)
    button.setIcon(parent.style().standardIcon(icon))
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    if name:
        button.setObjectName(name)
    button.clicked.connect(lambda _c=False: slot())
    return button


def muted(text: str, parent: QWidget) -> QLabel:
    from ui.widgets.page_header import muted_label

    label = muted_label(text, parent)
    label.setWordWrap(True)
    return label
