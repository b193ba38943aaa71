"""Add or edit one vault item: kind, application (pre-defined or custom), title, username,
password (masked; Show, Generate…), URL / host, notes, custom properties.

The dialog holds plaintext only while it is open: every field is cleared when it closes, and
`ItemInput`'s repr shows no secret. Editing starts from the item's revealed secrets (the vault
must be unlocked to edit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.vault.items import APPLICATIONS, KINDS, LIMITS, Property
from ui import theme
from ui.vault.property_rows import PropertyList
from ui.widgets.cells import MessageLine
from ui.widgets.edit_dialog import NOT_AN_EDIT, EditDialog

CUSTOM_APPLICATION = "Custom application…"


@dataclass(frozen=True)
class ItemInput:
    """What the form holds; plaintext secrets, so its repr hides them."""

    kind: str
    title: str
    username: str = ""
    password: str = field(default="", repr=False)
    url: str = ""
    notes: str = field(default="", repr=False)
    application: str = ""
    properties: tuple[Property, ...] = ()


class ItemDialog(EditDialog):
    saved = Signal(object)  # ItemInput

    def __init__(self, title: str, kind: str, start: ItemInput | None,
                 generate: Callable[[QWidget, Callable[[str], None]], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vaultItemDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self._generate = generate
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self._build_kind(form, kind)
        self._build_fields(form)
        layout.addLayout(form)
        self.message = MessageLine(self, 2)  # room kept: the buttons stay under the pointer
        self.message.setObjectName("itemFormMessage")
        theme.set_style(self.message, "color: $error;")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.application.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.title.textChanged.connect(lambda _t: self._check())
        if start is not None:
            self._fill(start)
        self._kind_changed()
        self._check()

    def _build_kind(self, form: QFormLayout, kind: str) -> None:
        self.kind = QComboBox(self)
        self.kind.setObjectName("itemKind")
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        form.addRow("Type:", self.kind)
        self.application = QComboBox(self)
        self.application.setObjectName("itemApplication")
        self.application.addItems([*APPLICATIONS, CUSTOM_APPLICATION])
        self.custom_application = QLineEdit(self)
        self.custom_application.setObjectName("itemCustomApplication")
        self.custom_application.setPlaceholderText("Name of the custom application")
        self.custom_application.setMaxLength(LIMITS["application"])
        app_row = QHBoxLayout()
        app_row.addWidget(self.application)
        app_row.addWidget(self.custom_application, 1)
        self.application_label = QLabel("Application:", self)
        form.addRow(self.application_label, app_row)

    def _build_fields(self, form: QFormLayout) -> None:
        self.title = self._line("itemTitle", LIMITS["title"], "e.g. DC01 local administrator")
        form.addRow("Title*:", self.title)
        self.username = self._line("itemUsername", LIMITS["username"], "")
        form.addRow("Username:", self.username)
        self.password = QLineEdit(self)
        self.password.setObjectName("itemPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_password = QPushButton("Show", self)
        self.show_password.setObjectName("showItemPassword")
        self.show_password.setCheckable(True)
        self.show_password.setProperty(NOT_AN_EDIT, True)  # shows the password, changes nothing
        self.show_password.toggled.connect(self._show_password)
        generate_button = QPushButton("Generate…", self)
        generate_button.setObjectName("generateItemPassword")
        generate_button.clicked.connect(
            lambda _c=False: self._generate(self, self.password.setText))
        pw_row = QHBoxLayout()
        pw_row.addWidget(self.password, 1)
        pw_row.addWidget(self.show_password)
        pw_row.addWidget(generate_button)
        form.addRow("Password:", pw_row)
        self.url = self._line("itemUrl", LIMITS["url"], "https://… or host name / IP")
        form.addRow("URL / Host:", self.url)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("itemNotes")
        self.notes.setPlaceholderText("Encrypted like the password (PINs, recovery codes …)")
        self.notes.setFixedHeight(70)
        form.addRow("Notes:", self.notes)
        self.properties = PropertyList(self)
        form.addRow("Properties:", self.properties)

    def _line(self, name: str, limit: int, placeholder: str) -> QLineEdit:
        line = QLineEdit(self)
        line.setObjectName(name)
        line.setMaxLength(limit)
        line.setPlaceholderText(placeholder)
        return line

    def _fill(self, start: ItemInput) -> None:
        self.title.setText(start.title)
        self.username.setText(start.username)
        self.password.setText(start.password)
        self.url.setText(start.url)
        self.notes.setPlainText(start.notes)
        if start.application:
            index = self.application.findText(start.application)
            if index >= 0:
                self.application.setCurrentIndex(index)
            else:
                self.application.setCurrentText(CUSTOM_APPLICATION)
                self.custom_application.setText(start.application)
        for prop in start.properties:
            self.properties.add_row(prop)

    def _show_password(self, shown: bool) -> None:
        self.password.setEchoMode(QLineEdit.EchoMode.Normal if shown
                                  else QLineEdit.EchoMode.Password)
        self.show_password.setText("Hide" if shown else "Show")

    def _kind_changed(self) -> None:
        is_app = self.kind.currentData() == "application"
        self.application.setVisible(is_app)
        self.application_label.setVisible(is_app)
        custom = is_app and self.application.currentText() == CUSTOM_APPLICATION
        self.custom_application.setVisible(custom)
        self._check()

    def chosen_application(self) -> str:
        if self.kind.currentData() != "application":
            return ""
        text = self.application.currentText()
        return self.custom_application.text().strip() if text == CUSTOM_APPLICATION else text

    def _problem(self) -> str:
        if not self.title.text().strip():
            return "An item needs a title."
        if self.kind.currentData() == "application" and not self.chosen_application():
            return "Name the custom application."
        names = [p.name.strip().casefold() for p in self.properties.properties()]
        if any(not n for n in names):
            return "Every property needs a name."
        if len(set(names)) != len(names):
            return "Two properties have the same name."
        return ""

    def _check(self) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(bool(self.title.text().strip()))

    def value(self) -> ItemInput:
        return ItemInput(
            kind=str(self.kind.currentData()), title=self.title.text().strip(),
            username=self.username.text().strip(), password=self.password.text(),
            url=self.url.text().strip(), notes=self.notes.toPlainText(),
            application=self.chosen_application(),
            properties=tuple(self.properties.properties()))

    def submit(self) -> None:
        problem = self._problem()
        if problem:
            self.message.setText(problem)
            return
        self.message.setText("Saving…")
        self.buttons.setEnabled(False)
        self.saved.emit(self.value())  # the tab writes it, then `accept()` or `show_error()`

    def save_edits(self) -> bool:
        """The quit guard's Save: the tab writes the item, then closes the dialog."""
        problem = self._problem()
        if problem:
            self.message.setText(problem)
            return False
        self.submit()
        return True

    def show_error(self, text: str) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(text)

    def done(self, result: int) -> None:
        self.password.clear()
        self.notes.clear()
        self.properties.clear_values()
        super().done(result)


__all__ = ["CUSTOM_APPLICATION", "ItemDialog", "ItemInput"]
