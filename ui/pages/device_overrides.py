"""What the Effective Settings table does with a setting (docs/rules.md, "Assignment and
inheritance"): open the policy it comes from, in the Policies page's editor (where a package's
value is changed); and, with a device chosen, override it on that device or remove the
override (a device setting a value for itself wins over every package). Overrides are
undoable (Edit → Undo) like every saved change.

Double-click or Enter opens where the value is set: the policy, or the override's own dialog.
The context menu has all three; Delete removes an override.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.overrides import value_problem
from app.domain.policy_types import REMOTE_ACCESS, policy_type
from app.domain.settings import SettingValue
from app.services.hierarchy import DeviceService
from app.services.policies import PolicyService
from app.services.views import DeviceView, EffectiveRow
from ui import theme
from ui.formatting import format_value
from ui.hierarchy_commands import Done, ErrorSink, QueuedCommand, Tell
from ui.models.effective_models import EffectiveTableModel, source_phrase
from ui.navigator import Navigator
from ui.ops import PageOps, Writes
from ui.widgets.cells import error_line, message_line
from ui.widgets.edit_dialog import EditDialog
from ui.widgets.page_header import muted_label
from ui.widgets.policy_common import NoticeBar, as_sentence
from ui.widgets.policy_editor import FIELD_TYPES, describe_problem

POLICIES_PAGE = "policies"
OVERRIDE = "device-override"


class OverrideDialog(EditDialog):
    """One setting of one device: the value it is to have whatever its packages say. The
    value is checked as it is edited (the device's kind, the setting's spec, its type's rules:
    `app.domain.overrides`); Save waits for a valid one, so nothing typed is lost."""

    def __init__(self, device: DeviceView, row: EffectiveRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overrideDialog")
        self.setWindowTitle(f"Override on {device.name}")
        self.device, self.row = device, row
        self.spec = policy_type(row.type).spec(row.key)
        layout = QVBoxLayout(self)
        now = format_value(row.type, row.key, row.value)
        self.about = muted_label(
            f"{row.type_label} · {row.label}. Now {now}, {source_phrase(row)}. An override wins "
            "over every package, for this device only.", self)
        self.about.setWordWrap(True)
        layout.addWidget(self.about)
        form = QFormLayout()
        self.field = FIELD_TYPES[self.spec.kind](self.spec, self)
        self.field.set_value(row.value)
        label = QLabel(f"{self.spec.label}:", self)
        label.setBuddy(self.field.focus_target())
        form.addRow(label, self.field)
        layout.addLayout(form)
        self.problem = error_line(self, "overrideProblem", lines=1)
        layout.addWidget(self.problem)
        # the seeds' advice on this value (Remote Access, the one Devices type that has some):
        # a warning that never blocks Save, in a room kept for it, so Save does not move
        self.advice = message_line(self, "overrideAdvice",
                                   lines=3 if row.type == REMOTE_ACCESS.id else 1)
        theme.set_style(self.advice, "color: $warning_text")
        self.advice.hide()
        layout.addWidget(self.advice)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.field.changed.connect(self._check)
        self._check()
        self.setMinimumWidth(460)
        # as tall as the intro needs wrapped at that width (its size hint is for a narrower one)
        self.resize(460, layout.totalHeightForWidth(460))
        self.field.focus_target().setFocus()

    def value(self) -> SettingValue:
        return self.field.value()

    def _check(self) -> bool:
        reason = value_problem(self.row.type, self.row.key, self.value())
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(reason is None)
        if reason is not None:
            self.problem.setText(as_sentence(describe_problem(self.spec, reason)))
            self.problem.show()
            return False
        self.problem.hide()
        advice = [a.message for a in PolicyService.advice(self.row.type,
                                                          {self.row.key: self.value()})
                  if a.key == self.row.key]
        self.advice.setText(" ".join(advice))
        self.advice.setVisible(bool(advice))
        return True

    def accept(self) -> None:
        if self._check():
            super().accept()


class _NotOverridden:
    """The state before an override that did not exist: undo removes it."""


NOT_OVERRIDDEN = _NotOverridden()
Before = SettingValue | _NotOverridden


class OverrideCommand(QueuedCommand):
    """A device's override of one setting set to `after` (NOT_OVERRIDDEN: removed); undo puts
    back `before` (the earlier override, or none)."""

    def __init__(self, devices: DeviceService, device: DeviceView, row: EffectiveRow,
                 before: Before, after: Before, *, queue: Writes, on_done: Done,
                 on_error: ErrorSink, tell: Tell | None = None) -> None:
        text = (f"Remove the override of '{row.label}' on {device.name}"
                if isinstance(after, _NotOverridden)
                else f"Override '{row.label}' on {device.name}")
        super().__init__(text, queue, on_done, on_error, tell=tell)
        self.devices, self.device_id = devices, device.id
        self.type_id, self.key = row.type, row.key
        self.before, self.after = before, after

    def _put(self, state: Before) -> str | None:
        if isinstance(state, _NotOverridden):
            self.devices.clear_override(self.device_id, self.type_id, self.key)
        else:
            self.devices.set_override(self.device_id, self.type_id, self.key, state)
        return None

    def do_redo(self) -> str | None:
        return self._put(self.after)

    def do_undo(self) -> str | None:
        return self._put(self.before)


class SettingActions(QObject):
    """Open Policy, Override on This Device…, Remove Override on the table's current row."""

    def __init__(self, table: QTableView, model: EffectiveTableModel, *, devices: DeviceService,
                 navigator: Navigator, ops: PageOps, notice: NoticeBar,
                 device: Callable[[], DeviceView | None],
                 reload: Callable[[], None]) -> None:
        super().__init__(table)
        self.table, self.model, self.devices = table, model, devices
        self.navigator, self.ops, self.notice = navigator, ops, notice
        self.device, self.reload = device, reload
        self.dialog: OverrideDialog | None = None
        self.open_policy = self._action("Open &Policy", self.open_current_policy,
                                        "Open the policy this value comes from, to change it")
        self.override = self._action("&Override on This Device…", self.override_current,
                                     "Give the chosen device its own value for this setting")
        self.remove = self._action("&Remove Override", self.remove_current,
                                   "The device takes its packages' value again",
                                   QKeySequence(QKeySequence.StandardKey.Delete))
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        table.activated.connect(self._activated)
        table.selectionModel().currentRowChanged.connect(self.update)
        model.modelReset.connect(self.update)
        self.update()

    def _action(self, text: str, slot: Callable[[], None], tip: str,
                shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self.table)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.table.addAction(action)
        return action

    def current(self) -> EffectiveRow | None:
        row: EffectiveRow | None = self.model.row_or_none(self.table.currentIndex().row())
        return row

    def update(self, *_args: Any) -> None:
        row, device = self.current(), self.device()
        self.open_policy.setEnabled(row is not None and row.policy_id is not None)
        self.override.setEnabled(row is not None and device is not None and row.overridable)
        self.remove.setEnabled(row is not None and device is not None
                               and row.level == OVERRIDE)

    def _activated(self, index: QModelIndex) -> None:
        row: EffectiveRow | None = self.model.row_or_none(index.row())
        if row is None:
            return
        if row.level == OVERRIDE:
            self.override_current()
        else:
            self.open_current_policy()

    # the three actions
    def open_current_policy(self) -> None:
        row = self.current()
        if row is None or row.policy_id is None:
            return
        from ui.pages.policies_page import PoliciesPage

        page = self.navigator.go(POLICIES_PAGE, PoliciesPage)
        if page is not None:
            page.open_policy(row.policy_id)

    def override_current(self) -> None:
        row, device = self.current(), self.device()
        if row is None or device is None:
            self.notice.show_message("Choose a device first: an override belongs to one "
                                     "device.", "info")
            return
        if not row.overridable:
            self.notice.show_message(
                f"{device.name} cannot override '{row.label}': only settings of Devices "
                "policy types that apply to its kind can be set on a device.", "info")
            return
        dialog = OverrideDialog(device, row, self.table)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._save(device, row, dialog.value()))
        dialog.destroyed.connect(lambda _o=None: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def remove_current(self) -> None:
        row, device = self.current(), self.device()
        if row is None or device is None or row.level != OVERRIDE:
            return
        devices = self.devices

        def removed(_none: None) -> None:
            self._done(OverrideCommand(devices, device, row, row.value, NOT_OVERRIDDEN,
                                       **self._hooks()),
                       f"{device.name} takes '{row.label}' from its packages again.")

        self.ops.write(lambda: devices.clear_override(device.id, row.type, row.key), removed,
                       what="Could not remove the override")

    def _save(self, device: DeviceView, row: EffectiveRow, value: SettingValue) -> None:
        before: Before = row.value if row.level == OVERRIDE else NOT_OVERRIDDEN
        devices = self.devices

        def saved(_override: object) -> None:
            shown = format_value(row.type, row.key, value)
            self._done(OverrideCommand(devices, device, row, before, value, **self._hooks()),
                       f"'{row.label}' is {shown} on {device.name}, whatever its packages "
                       "say. Undo with Ctrl+Z.")

        self.ops.write(lambda: devices.set_override(device.id, row.type, row.key, value),
                       saved, what="Could not save the override")

    def _done(self, command: OverrideCommand, message: str) -> None:
        self.ops.undo_stack.push(command)
        self.notice.show_message(message, "success")
        self.reload()

    def _hooks(self) -> dict[str, Any]:
        return {"queue": self.ops, "on_done": lambda _selected: self.reload(),
                "on_error": lambda text: self.notice.show_message(text, "error"),
                "tell": lambda text: self.notice.show_message(text, "info")}


__all__ = ["OverrideCommand", "OverrideDialog", "SettingActions"]
