"""One Network Info section: its items (built from field specs), Add / Remove, and "Not
applicable". Credentials are picked from the site's vault items by id; no secret is shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.helpdesk import Section
from ui.helpdesk.context import VaultChoice
from ui.helpdesk.findings_view import error_label
from ui.helpdesk.network_specs import SectionSpec, blank, choice_label
from ui.helpdesk.widgets import muted, tool_button

NO_LOGIN = "No login linked"


class ItemRow(QFrame):
    changed = Signal()
    remove_requested = Signal()

    def __init__(self, spec: SectionSpec, item: Any, vault: Sequence[VaultChoice],
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        self.editors: dict[str, QWidget] = {}
        for column, field in enumerate(spec.fields):
            grid.addWidget(QLabel(field.label, self), 0, column)
            editor = self._editor(field.kind, field.choices, field.placeholder, vault,
                                  getattr(item, field.name))
            editor.setObjectName(f"field:{field.name}")
            editor.setAccessibleName(field.label)
            grid.addWidget(editor, 1, column)
            grid.setColumnStretch(column, 2 if field.kind in ("text", "long") else 1)
            self.editors[field.name] = editor
        self.remove = tool_button(self, QStyle.StandardPixmap.SP_DialogDiscardButton,
                                  "Remove this entry", self.remove_requested.emit, "removeItem")
        grid.addWidget(self.remove, 1, len(spec.fields))
        self.error = error_label(self, "item")
        grid.addWidget(self.error, 2, 0, 1, len(spec.fields) + 1)

    def _editor(self, kind: str, choices: Any, placeholder: str,
                vault: Sequence[VaultChoice], value: Any) -> QWidget:
        if kind == "choice":
            combo = QComboBox(self)
            for choice in choices:
                combo.addItem(choice_label(choice), choice.value)
            combo.setCurrentIndex(max(0, combo.findData(value.value)))
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
            return combo
        if kind == "credential":
            combo = QComboBox(self)
            self.fill_vault(combo, vault, value)
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
            return combo
        if kind == "long":
            text = QPlainTextEdit(value, self)
            text.setPlaceholderText(placeholder)
            text.setTabChangesFocus(True)
            text.setFixedHeight(54)
            text.textChanged.connect(self.changed.emit)
            return text
        edit = QLineEdit(value, self)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(lambda _t: self.changed.emit())
        return edit

    @staticmethod
    def fill_vault(combo: QComboBox, vault: Sequence[VaultChoice], value: str | None) -> None:
        combo.clear()
        combo.addItem(NO_LOGIN, None)
        for choice in vault:
            combo.addItem(choice.label, choice.id)
        if value and combo.findData(value) < 0:
            combo.addItem("(a vault item that no longer exists)", value)
        combo.setCurrentIndex(max(0, combo.findData(value)) if value else 0)

    def set_vault(self, vault: Sequence[VaultChoice]) -> None:
        for field in self.spec.fields:
            if field.kind == "credential":
                combo = self.editors[field.name]
                assert isinstance(combo, QComboBox)
                combo.blockSignals(True)
                self.fill_vault(combo, vault, combo.currentData())
                combo.blockSignals(False)

    def value(self) -> Any:
        values: dict[str, Any] = {}
        for field in self.spec.fields:
            editor = self.editors[field.name]
            if isinstance(editor, QComboBox):
                data = editor.currentData()
                values[field.name] = (field.choices(data) if field.choices is not None
                                      else data)
            elif isinstance(editor, QPlainTextEdit):
                values[field.name] = editor.toPlainText()
            elif isinstance(editor, QLineEdit):
                values[field.name] = editor.text()
        return self.spec.item(**values)


class SectionBox(QGroupBox):
    changed = Signal()

    def __init__(self, spec: SectionSpec, parent: QWidget) -> None:
        super().__init__(spec.title, parent)
        self.spec = spec
        self.setObjectName(f"section:{spec.name}")
        self.vault: Sequence[VaultChoice] = ()
        self.rows: list[ItemRow] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.not_applicable = QCheckBox("Not applicable", self)
        self.not_applicable.setObjectName("notApplicable")
        self.not_applicable.setToolTip(f"The client has no {spec.title.lower()}")
        self.add = QPushButton("Add", self)
        self.add.setObjectName("addItem")
        self.add.clicked.connect(lambda _c=False: self.add_item(blank(spec), edited=True))
        top.addWidget(self.not_applicable)
        if spec.help:
            top.addWidget(muted(spec.help, self), 1)
        else:
            top.addStretch(1)
        top.addWidget(self.add)
        layout.addLayout(top)
        self.missing = muted("Nothing entered yet: add the entries, or tick Not applicable. "
                             "The go-live checklist needs one or the other.", self)
        self.missing.setObjectName("sectionMissing")
        layout.addWidget(self.missing)
        self.error = error_label(self, spec.name)
        layout.addWidget(self.error)
        self.item_layout = QVBoxLayout()
        layout.addLayout(self.item_layout)
        self.not_applicable.toggled.connect(lambda _on: self.changed.emit())
        self.changed.connect(self._update_state)

    def add_item(self, item: Any, edited: bool = False) -> ItemRow:
        row = ItemRow(self.spec, item, self.vault, self)
        row.changed.connect(self.changed.emit)
        row.remove_requested.connect(lambda r=row: self._remove(r))
        self.rows.append(row)
        self.item_layout.addWidget(row)
        row.show()
        if edited:
            next(iter(row.editors.values())).setFocus()
            self.changed.emit()
        return row

    def _remove(self, row: ItemRow) -> None:
        self.rows.remove(row)
        row.hide()
        row.deleteLater()
        self.changed.emit()

    def fill(self, section: Section[Any], vault: Sequence[VaultChoice]) -> None:
        self.vault = vault
        for row in self.rows:
            row.hide()
            row.deleteLater()
        self.rows = []
        self.not_applicable.setChecked(section.not_applicable)
        for item in section.items:
            self.add_item(item)
        self._update_state()

    def _update_state(self) -> None:
        self.missing.setVisible(not self.rows and not self.not_applicable.isChecked())

    def set_vault(self, vault: Sequence[VaultChoice]) -> None:
        self.vault = vault
        for row in self.rows:
            row.set_vault(vault)

    def value(self) -> Section[Any]:
        return Section(tuple(row.value() for row in self.rows),
                       self.not_applicable.isChecked())

    def labels(self) -> dict[str, QLabel]:
        out: dict[str, QLabel] = {self.spec.name: self.error}
        for index, row in enumerate(self.rows):
            out[f"{self.spec.name}[{index}]"] = row.error
        return out
