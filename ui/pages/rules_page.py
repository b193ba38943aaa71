"""Notification Rules: the partner's rules (seed 002 phase 5, "RMM Setup > Notification Rules"),
each with its escalation paths (MSP Escalation, Call Before Escalating, NOC Escalation), contacts
in call order and time slots, edited with the same path boxes the Help Desk used per site.

The RMM Site Configuration policies and the sites' Basic Info pick a rule from these; the page
says who uses each one and lints it for what they need. Reads and writes run off the GUI thread,
one after another; every save, new rule and delete is undoable on the window's stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PreflightError
from app.domain.helpdesk import Finding, NotificationRule, PathKind
from app.domain.helpdesk.notifications import lint_notification_rule
from app.services.rules import RuleService, RuleView
from ui.helpdesk.findings_view import error_label
from ui.helpdesk.path_box import PathBox
from ui.ops import PageOps, present_failure
from ui.widgets.page_header import PageHeader, muted_label
from ui.widgets.policy_common import NoticeBar

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext

ID_ROLE = Qt.ItemDataRole.UserRole


class RuleCommand(QUndoCommand):
    """One stored change of a rule: `redo` stores `after`, `undo` stores `before` (None: the
    rule does not exist on that side, so it is deleted or brought back)."""

    def __init__(self, page: RulesPage, text: str, before: NotificationRule | None,
                 after: NotificationRule | None) -> None:
        super().__init__(text)
        self.page = page
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.page.store(self.before, self.after, self.text())

    def undo(self) -> None:
        self.page.store(self.after, self.before, f"Undone: {self.text()}")


class RulesPage(QWidget):
    loaded = Signal()  # the list shows what is stored
    stored = Signal()  # a write (or its undo/redo) finished

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page:notification-rules")
        self.rules: RuleService = context.workspace.rules
        self.undo_stack = context.undo_stack
        self.ops = PageOps.of(self, context)  # the notice bar comes in _build
        self._list_read = self.ops.latest("Could not load the notification rules")
        self.views: list[RuleView] = []
        self.current: RuleView | None = None
        self._filling = False
        self._select_after: str | None = None
        self._build()
        self.refresh()

    # layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        header = PageHeader(
            "Notification Rules",
            "Whom the NOC and the Help Desk contact, how and when. RMM Site Configuration "
            "policies and each site's Basic Info select one of these rules.", self)
        layout.addWidget(header)
        self.notice = NoticeBar(self)
        self.notice.float_over(header)  # a message moves no field under the pointer
        self.ops.notice = self.notice
        body = QHBoxLayout()
        left = QVBoxLayout()
        self.rule_list = QListWidget(self)
        self.rule_list.setObjectName("ruleList")
        self.rule_list.setAccessibleName("Notification rules")
        self.rule_list.setMaximumWidth(260)
        self.rule_list.currentItemChanged.connect(lambda _c, _p: self._select_current())
        left.addWidget(self.rule_list, 1)
        buttons = QHBoxLayout()
        self.add_rule = QPushButton("New rule", self)
        self.add_rule.setObjectName("addRule")
        self.add_rule.clicked.connect(lambda _c=False: self.new_rule())
        self.remove_rule = QPushButton("Delete", self)
        self.remove_rule.setObjectName("removeRule")
        self.remove_rule.clicked.connect(lambda _c=False: self.delete_rule())
        buttons.addWidget(self.add_rule)
        buttons.addWidget(self.remove_rule)
        left.addLayout(buttons)
        body.addLayout(left)
        body.addLayout(self._build_editor(), 1)
        layout.addLayout(body, 1)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        self._show(None)

    def _build_editor(self) -> QVBoxLayout:
        self.editor = QWidget(self)
        editor = QVBoxLayout(self.editor)
        editor.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.name = QLineEdit(self.editor)
        self.name.setObjectName("ruleName")
        self.name.setAccessibleName("Rule name")
        self.name.setPlaceholderText("e.g. NOC Escalation")
        self.name_error = error_label(self.editor, "ruleName")
        cell = QWidget(self.editor)
        cell_layout = QVBoxLayout(cell)
        cell_layout.setContentsMargins(0, 0, 0, 0)
        cell_layout.addWidget(self.name)
        cell_layout.addWidget(self.name_error)
        form.addRow("Rule name:", cell)
        self.users = muted_label("", self.editor)
        self.users.setObjectName("ruleUsers")
        self.users.setWordWrap(True)
        form.addRow("Used by:", self.users)
        editor.addLayout(form)
        self.rule_error = error_label(self.editor, "rule")
        editor.addWidget(self.rule_error)
        self.paths = {kind: PathBox(kind, self.editor) for kind in PathKind}
        for box in self.paths.values():
            editor.addWidget(box)
            box.changed.connect(self._edited)
        editor.addStretch(1)
        self.name.textChanged.connect(self._edited)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.editor)
        right = QVBoxLayout()
        right.addWidget(scroll, 1)
        footer = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("ruleStatus")
        footer.addWidget(self.status, 1)
        self.revert_button = QPushButton("Revert", self)
        self.revert_button.setObjectName("revertRule")
        self.revert_button.clicked.connect(lambda _c=False: self._show(self.current))
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("saveRule")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda _c=False: self.save())
        footer.addWidget(self.revert_button)
        footer.addWidget(self.save_button)
        right.addLayout(footer)
        return right

    # loading
    def refresh(self, select: str | None = None) -> None:
        self._select_after = select or (self.current.id if self.current else None)
        self._list_read.run(self.rules.all, self._loaded)

    def _loaded(self, views: list[RuleView]) -> None:
        self.views = views
        wanted = self._select_after
        with QSignalBlocker(self.rule_list):
            self.rule_list.clear()
            for view in views:
                item = QListWidgetItem(view.name)
                item.setData(ID_ROLE, view.id)
                if any(f.severity == "error" for f in view.findings):
                    item.setToolTip(view.findings[0].message)
                self.rule_list.addItem(item)
            row = next((i for i, v in enumerate(views) if v.id == wanted), 0 if views else -1)
            self.rule_list.setCurrentRow(row)
        self._select_current()
        self.loaded.emit()

    def _store_failed(self, exc: BaseException) -> None:
        present_failure(exc, self.notice)
        if isinstance(exc, PreflightError):  # refused: show the rules as they are stored
            self.stored.emit()
            self.refresh()

    def _select_current(self) -> None:
        item = self.rule_list.currentItem()
        rule_id = item.data(ID_ROLE) if item is not None else None
        self._show(next((v for v in self.views if v.id == rule_id), None))

    def select(self, rule_id: str) -> bool:
        for row in range(self.rule_list.count()):
            if self.rule_list.item(row).data(ID_ROLE) == rule_id:
                self.rule_list.setCurrentRow(row)
                return True
        return False

    def show_site(self, site_id: str) -> None:
        """Opened from a site's readiness link: select the rule the site's Basic Info uses."""
        for view in self.views:
            if any(u.kind == "site" and u.id == site_id for u in view.users):
                self.select(view.id)
                return

    def _show(self, view: RuleView | None) -> None:
        self.current = view
        self.editor.setEnabled(view is not None)
        self.remove_rule.setEnabled(view is not None)
        self._filling = True
        try:
            self.name.setText(view.name if view else "")
            for kind, box in self.paths.items():
                box.fill(view.rule.path(kind) if view else None)
            if view is None:
                self.users.setText("")
            else:
                users = [f"policy {n}" for n in view.policies] + [
                    f"site {n} (Basic Info)" for n in view.sites]
                self.users.setText(", ".join(users) or "Nothing yet: select it in an RMM "
                                   "Site Configuration policy or a site's Basic Info.")
        finally:
            self._filling = False
        self._recheck()

    # editing
    def value(self) -> NotificationRule | None:
        if self.current is None:
            return None
        paths = tuple(p for box in self.paths.values() if (p := box.value()) is not None)
        return NotificationRule(self.current.id, self.name.text().strip(), paths)

    def is_dirty(self) -> bool:
        value = self.value()
        return self.current is not None and value != self.current.rule

    def _edited(self, *_args: Any) -> None:
        if not self._filling:
            self._recheck()

    def problems(self) -> list[str]:
        """What cannot even be read (slots typed wrong), or a name that cannot be saved."""
        out = [problem for box in self.paths.values()
               if box.isChecked() and (problem := box.parsed_slots()[1])]
        if self.current is not None and not self.name.text().strip():
            out.insert(0, "Give the rule a name.")
        return out

    def _recheck(self) -> None:
        rule = self.value()
        view = self.current
        findings: list[Finding] = []
        if rule is not None and view is not None:
            findings = lint_notification_rule(rule, noc_enabled=view.needs_noc,
                                              help_desk=bool(view.sites))
        labels = self._labels()
        texts: dict[int, list[str]] = {}
        for finding in findings:
            label = labels.get(finding.field) or self._nearest(labels, finding.field)
            texts.setdefault(id(label), []).append(finding.message)
        for label in {id(lbl): lbl for lbl in labels.values()}.values():
            message = " ".join(texts.get(id(label), []))
            label.setText(message)
            label.setVisible(bool(message))
        problems = self.problems()
        for box in self.paths.values():
            problem = box.parsed_slots()[1] if box.isChecked() else ""
            if problem:
                box.slots_error.setText(problem)
                box.slots_error.setVisible(True)
        if problems:
            self.name_error.setText(problems[0] if problems[0].startswith("Give") else "")
            self.name_error.setVisible(problems[0].startswith("Give"))
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty and not problems)
        self.revert_button.setEnabled(dirty)
        errors = sum(f.severity == "error" for f in findings)
        self.status.setText(
            f"{len(problems)} problem(s) to fix before saving" if problems else
            "Unsaved changes" if dirty else
            f"{errors} error(s) the go-live checklist will report" if errors else "")

    def _labels(self) -> dict[str, QLabel]:
        out: dict[str, QLabel] = {"": self.rule_error, "name": self.name_error,
                                  "paths": self.rule_error}
        checked = [b for b in self.paths.values() if b.isChecked()]
        for index, box in enumerate(checked):
            out.update(box.labels(f"paths[{index}]"))
        return out

    @staticmethod
    def _nearest(labels: dict[str, QLabel], field: str) -> QLabel:
        while field:
            if field in labels:
                return labels[field]
            field = field.rsplit(".", 1)[0] if "." in field else ""
        return labels[""]

    # actions
    def new_rule(self) -> None:
        taken = {v.name.casefold() for v in self.views}
        number = 1
        while f"new rule {number}" in taken:
            number += 1
        rule = NotificationRule(_new_id(), f"New rule {number}")
        self.undo_stack.push(RuleCommand(self, f"Create notification rule {rule.name}",
                                         None, rule))

    def save(self) -> bool:
        rule = self.value()
        if rule is None or not self.save_button.isEnabled() or self.current is None:
            return False
        self.undo_stack.push(RuleCommand(self, f"Save notification rule {rule.name}",
                                         self.current.rule, rule))
        return True

    def delete_rule(self) -> None:
        view = self.current
        if view is None:
            return
        if view.users:
            QMessageBox.information(
                self, "Rule in use",
                f"'{view.name}' is used by {self.users.text()}. Select another rule there "
                "first.")
            return
        self.undo_stack.push(RuleCommand(self, f"Delete notification rule {view.name}",
                                         view.rule, None))

    def store(self, before: NotificationRule | None, after: NotificationRule | None,
              done: str) -> None:
        """Make the stored rule `after` (None: delete it), off the GUI thread, in order."""
        job: Callable[[], RuleView]
        if after is None:
            assert before is not None
            rule_id = before.id
            job = lambda: self.rules.delete(rule_id)  # noqa: E731
        elif before is None:
            rule = after
            job = lambda: self.rules.restore(rule)  # noqa: E731
        else:
            rule = after
            job = lambda: self.rules.restore(rule)  # noqa: E731

        def stored(view: RuleView) -> None:
            self.notice.show_message(done.rstrip(".") + ".", "success")
            self.refresh(select=None if after is None else view.id)
            self.stored.emit()

        self.ops.write(job, stored, on_failure=self._store_failed)


def _new_id() -> str:
    from app.domain.model import new_id

    return new_id()
