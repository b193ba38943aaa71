"""The password generator: length, character classes, the strength the service computes for
that choice; Copy (to the clipboard, cleared again) and Use (into the item form)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import RuleViolation

CLASS_LABELS = (("lower", "Lowercase (a–z)"), ("upper", "Uppercase (A–Z)"),
                ("digits", "Digits (0–9)"), ("symbols", "Symbols (!#$%…)"))
DEFAULT_LENGTH = 20
MIN_LENGTH, MAX_LENGTH = 8, 256


class PasswordGeneratorDialog(QDialog):
    used = Signal()  # "Use" was clicked: `password()` is the generated password

    def __init__(self, service: Any, copy: Callable[[str], None],
                 parent: QWidget | None = None, *, can_use: bool = False) -> None:
        """`service` has `generate_password(length, classes, avoid_ambiguous=)` and
        `generated_strength(length, classes)` (`app.services.vault.PasswordGenerator`)."""
        super().__init__(parent)
        self.setObjectName("passwordGenerator")
        self.setWindowTitle("Password Generator")
        self.service = service
        self._copy = copy
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.length = QSpinBox(self)
        self.length.setObjectName("generatorLength")
        self.length.setRange(MIN_LENGTH, MAX_LENGTH)
        self.length.setValue(DEFAULT_LENGTH)
        form.addRow("Length:", self.length)
        self.classes: dict[str, QCheckBox] = {}
        classes_box = QVBoxLayout()
        for name, label in CLASS_LABELS:
            box = QCheckBox(label, self)
            box.setObjectName(f"generator_{name}")
            box.setChecked(True)
            box.toggled.connect(lambda _on: self.generate())
            self.classes[name] = box
            classes_box.addWidget(box)
        self.avoid_ambiguous = QCheckBox("Avoid look-alikes (I l 1 O 0 o |)", self)
        self.avoid_ambiguous.setObjectName("generatorAvoidAmbiguous")
        self.avoid_ambiguous.toggled.connect(lambda _on: self.generate())
        classes_box.addWidget(self.avoid_ambiguous)
        form.addRow("Characters:", classes_box)
        row = QHBoxLayout()
        self.output = QLineEdit(self)
        self.output.setObjectName("generatedPassword")
        self.output.setReadOnly(True)
        self.output.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.output.setMinimumWidth(320)
        self.regenerate = QPushButton("Regenerate", self)
        self.regenerate.setObjectName("regeneratePassword")
        self.regenerate.clicked.connect(lambda _c=False: self.generate())
        row.addWidget(self.output, 1)
        row.addWidget(self.regenerate)
        form.addRow("Password:", row)
        self.strength = QLabel(self)
        self.strength.setObjectName("generatorStrength")
        form.addRow("Strength:", self.strength)
        layout.addLayout(form)
        layout.addWidget(self._build_buttons(can_use))
        self.length.valueChanged.connect(lambda _v: self.generate())
        self.generate()

    def _build_buttons(self, can_use: bool) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.copy_button = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setObjectName("copyGenerated")
        self.copy_button.setToolTip("Copy to the clipboard (cleared again after 10 seconds)")
        self.copy_button.clicked.connect(lambda _c=False: self.copy())
        self.use_button = buttons.addButton("Use", QDialogButtonBox.ButtonRole.AcceptRole)
        self.use_button.setObjectName("useGenerated")
        self.use_button.setVisible(can_use)
        self.use_button.clicked.connect(lambda _c=False: self.use())
        return buttons

    def chosen_classes(self) -> list[str]:
        return [name for name, box in self.classes.items() if box.isChecked()]

    def generate(self) -> None:
        classes = self.chosen_classes()
        length = self.length.value()
        try:
            password = self.service.generate_password(
                length, classes, avoid_ambiguous=self.avoid_ambiguous.isChecked())
        except RuleViolation:
            self.output.clear()
            self.strength.setText("Choose at least one kind of character.")
            self.copy_button.setEnabled(False)
            self.use_button.setEnabled(False)
            return
        strength = self.service.generated_strength(length, classes)
        self.output.setText(password)
        self.strength.setText(f"{strength.label} ({strength.bits:.0f} bits)")
        self.copy_button.setEnabled(True)
        self.use_button.setEnabled(True)

    def password(self) -> str:
        return self.output.text()

    def copy(self) -> None:
        if self.output.text():
            self._copy(self.output.text())

    def use(self) -> None:
        if self.output.text():
            self.used.emit()
            self.accept()

    def done(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            self.output.clear()
        super().done(result)


def open_generator(service: Any, copy: Callable[[str], None], parent: QWidget | None, *,
                   on_use: Callable[[str], None] | None = None) -> PasswordGeneratorDialog:
    """Open the generator window-modal; `on_use(password)` when "Use" is clicked."""
    dialog = PasswordGeneratorDialog(service, copy, parent, can_use=on_use is not None)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_use is not None:
        dialog.used.connect(lambda: on_use(dialog.password()))
    dialog.open()
    return dialog


__all__ = ["PasswordGeneratorDialog", "open_generator"]
