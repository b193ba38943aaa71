"""The RMM Site Configuration's Notification Rule as a pick list of the partner's rules (by name,
storing the id), with "New rule…" at the end. A stored reference to a rule that does not exist
stays visible as such, so the editor can show it as an error instead of losing it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from app.domain.settings import SettingSpec, SettingValue
from ui.widgets.policy_editor import SettingField

NEW_RULE = "\x00new-rule"  # the data of the "New rule…" item (never a rule id)
NEW_RULE_TEXT = "New rule…"


class RuleField(SettingField):
    new_rule_requested = Signal()

    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName("rulePicker")
        self.combo.setAccessibleName(spec.label)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumContentsLength(24)
        self.choices: list[tuple[str, str]] | None = None  # None: not loaded yet
        self._value = ""
        self.combo.activated.connect(self._activated)
        self._layout.addWidget(self.combo)
        self._layout.addStretch(1)
        self._fill()

    def set_choices(self, choices: Sequence[tuple[str, str]]) -> None:
        """(id, name) of the partner's rules."""
        self.choices = list(choices)
        self._fill()

    def known(self) -> bool:
        """Whether the value is empty or a rule that exists (True until the rules are known)."""
        return (not self._value or self.choices is None
                or any(rule_id == self._value for rule_id, _ in self.choices))

    def _fill(self) -> None:
        with QSignalBlocker(self.combo):
            self.combo.clear()
            self.combo.addItem("Not selected", "")
            for rule_id, name in self.choices or ():
                self.combo.addItem(name, rule_id)
            if self._value and self.combo.findData(self._value) < 0:
                text = (f"{self._value} (loading…)" if self.choices is None
                        else f"⚠ {self._value} (no such rule)")
                self.combo.addItem(text, self._value)
            self.combo.insertSeparator(self.combo.count())
            self.combo.addItem(NEW_RULE_TEXT, NEW_RULE)
            self.combo.setCurrentIndex(max(0, self.combo.findData(self._value)))

    def _activated(self, index: int) -> None:
        data = self.combo.itemData(index)
        if data == NEW_RULE:
            with QSignalBlocker(self.combo):
                self.combo.setCurrentIndex(max(0, self.combo.findData(self._value)))
            self.new_rule_requested.emit()
            return
        self._value = str(data or "")
        self._fill()
        self.changed.emit()

    def value(self) -> SettingValue:
        return self._value

    def set_value(self, value: SettingValue) -> None:
        self._value = value if isinstance(value, str) else ""
        self._fill()
        self.changed.emit()

    def choose(self, rule_id: str) -> None:
        """Select a rule (a new one once the choices include it)."""
        self._value = rule_id
        self._fill()
        self.changed.emit()

    def focus_target(self) -> QWidget:
        return self.combo
