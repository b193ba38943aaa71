"""Help Desk → Notification Rules: the site's rules, each with its escalation paths (MSP
Escalation, Call Before Escalating, NOC Escalation), contacts in call order and time slots.
The lint runs on every keystroke: gaps in coverage, paths without contacts, contacts without a
phone (seed 004)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.helpdesk import Finding, NotificationRule, PathKind, lint_notification_rules
from ui.helpdesk.findings_view import error_label
from ui.helpdesk.path_box import PathBox
from ui.helpdesk.section_tab import SectionTab


class NotificationRulesTab(SectionTab):
    SECTION = "notification-rules"
    TITLE = "Notification Rules"
    INTRO = ("Whom the Help Desk contacts, how and when. Select the rule the Help Desk uses on "
             "Basic Info.")

    def build_form(self, body: QWidget) -> None:
        self.rules: list[NotificationRule] = []
        self.current = -1
        outer = QHBoxLayout(body)
        # A box layout, not a splitter: it passes height-for-width on, so findings that wrap
        # get the lines they need inside the scroll area.
        left = QWidget(body)
        left.setFixedWidth(150)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.rule_list = QListWidget(left)
        self.rule_list.setObjectName("ruleList")
        self.rule_list.setAccessibleName("Notification rules")
        self.rule_list.currentRowChanged.connect(self._select)
        buttons = QHBoxLayout()
        self.add_rule = QPushButton("Add rule", left)
        self.add_rule.setObjectName("addRule")
        self.add_rule.clicked.connect(lambda _c=False: self.new_rule())
        self.remove_rule = QPushButton("Remove", left)
        self.remove_rule.setObjectName("removeRule")
        self.remove_rule.clicked.connect(lambda _c=False: self.delete_rule())
        buttons.addWidget(self.add_rule)
        buttons.addWidget(self.remove_rule)
        left_layout.addWidget(self.rule_list, 1)
        left_layout.addLayout(buttons)
        self.editor = QWidget(body)
        editor = QVBoxLayout(self.editor)
        editor.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.name = QLineEdit(self.editor)
        self.name.setObjectName("ruleName")
        self.name.setPlaceholderText("e.g. Business hours escalation")
        self.name_error = error_label(self.editor, "ruleName")
        cell = QWidget(self.editor)
        cell_layout = QVBoxLayout(cell)
        cell_layout.setContentsMargins(0, 0, 0, 0)
        cell_layout.addWidget(self.name)
        cell_layout.addWidget(self.name_error)
        form.addRow("Rule name:", cell)
        editor.addLayout(form)
        self.rule_error = error_label(self.editor, "rule")
        editor.addWidget(self.rule_error)
        self.paths = {kind: PathBox(kind, self.editor) for kind in PathKind}
        for box in self.paths.values():
            editor.addWidget(box)
            box.changed.connect(self._rule_edited)
        editor.addStretch(1)
        outer.addWidget(left)
        outer.addWidget(self.editor, 1)
        self.name.textChanged.connect(self._rule_edited)

    # the list of rules
    def new_rule(self) -> None:
        taken = {r.name.strip().casefold() for r in self.rules}
        number = len(self.rules) + 1
        while f"rule {number}" in taken:
            number += 1
        rule = NotificationRule(uuid.uuid4().hex, f"Rule {number}")
        self.rules.append(rule)
        self.rule_list.addItem(rule.name)
        self.rule_list.setCurrentRow(len(self.rules) - 1)
        self.name.setFocus()
        self.name.selectAll()
        self.edited()

    def delete_rule(self) -> None:
        row = self.current
        if row < 0:
            return
        self.rules.pop(row)
        self.current = -1
        with QSignalBlocker(self.rule_list):
            self.rule_list.takeItem(row)
        self.rule_list.setCurrentRow(min(row, len(self.rules) - 1))
        self._select(self.rule_list.currentRow())
        self.edited()

    def _select(self, row: int) -> None:
        self.current = row
        rule = self.rules[row] if 0 <= row < len(self.rules) else None
        self.editor.setEnabled(rule is not None)
        self.remove_rule.setEnabled(rule is not None)
        was = self._filling
        self._filling = True
        try:
            self.name.setText(rule.name if rule else "")
            for kind, box in self.paths.items():
                box.fill(rule.path(kind) if rule else None)
        finally:
            self._filling = was
        if not was:
            self.recheck()

    def _rule_edited(self, *_args: Any) -> None:
        if self._filling or not 0 <= self.current < len(self.rules):
            return
        paths = tuple(p for box in self.paths.values() if (p := box.value()) is not None)
        rule = replace(self.rules[self.current], name=self.name.text(), paths=paths)
        self.rules[self.current] = rule
        self.rule_list.item(self.current).setText(rule.name.strip() or "(unnamed rule)")
        self.edited()

    # the section
    def fill(self, value: tuple[NotificationRule, ...]) -> None:
        self.rules = list(value)
        with QSignalBlocker(self.rule_list):
            self.rule_list.clear()
            for rule in self.rules:
                self.rule_list.addItem(QListWidgetItem(rule.name.strip() or "(unnamed rule)"))
            self.rule_list.setCurrentRow(0 if self.rules else -1)
        self._select(0 if self.rules else -1)

    def value(self) -> tuple[NotificationRule, ...]:
        return tuple(self.rules)

    def check(self, value: Any) -> list[Finding]:
        assert self.context is not None
        return lint_notification_rules(value, noc_enabled=self.context.noc_enabled)

    def problems(self) -> dict[str, str]:
        if not 0 <= self.current < len(self.rules):
            return {}
        out = {}
        for index, box in enumerate(b for b in self.paths.values() if b.isChecked()):
            problem = box.parsed_slots()[1]
            if problem:
                out[f"rules[{self.current}].paths[{index}].slots"] = problem
        return out

    def present(self, findings: list[Finding]) -> list[Finding]:
        """The selected rule's findings at their fields; other rules' as one line each."""
        mine = f"rules[{self.current}]"
        out = []
        others: dict[int, int] = {}
        for finding in findings:
            field = finding.field
            if field == mine or field.startswith((f"{mine}.", f"{mine}[")) or field == "rules":
                out.append(finding)
            elif field.startswith("rules["):
                index = int(field[6:field.index("]")])
                others[index] = others.get(index, 0) + 1
        for index, count in others.items():
            name = self.rules[index].name.strip() or "(unnamed rule)"
            out.append(_summary(name, count))
        return out

    def labels(self) -> dict[str, QLabel]:
        if not 0 <= self.current < len(self.rules):
            return {}
        prefix = f"rules[{self.current}]"
        out: dict[str, QLabel] = {prefix: self.rule_error, f"{prefix}.name": self.name_error,
                                  f"{prefix}.paths": self.rule_error}
        checked = [b for b in self.paths.values() if b.isChecked()]
        for index, box in enumerate(checked):
            out.update(box.labels(f"{prefix}.paths[{index}]"))
        return out


def _summary(name: str, count: int) -> Finding:
    # A finding for the general label only (its code is the lint's own for a rule's findings).
    return Finding("notification-rules", "", "warning", "rules.coverage_gap",
                   f"Rule '{name}' has {count} finding(s); select it to see them.")
