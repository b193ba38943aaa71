"""One security-related request type: approver required, approvers in call order (picked from
the site's client profiles, moved up and down), SMS authentication of caller and approver."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.helpdesk import ProfileSummary, RequestKind, SecurityRequest
from ui.helpdesk.findings_view import error_label
from ui.helpdesk.widgets import tool_button

ID_ROLE = Qt.ItemDataRole.UserRole


def profile_label(profile: ProfileSummary | None, profile_id: str) -> str:
    if profile is None:
        return f"(not a client profile of this site: {profile_id[:8]})"
    return profile.name + ("" if profile.has_mobile else " (no mobile)")


class RequestBox(QGroupBox):
    changed = Signal()
    sms_ticked = Signal(str)  # "caller" or "approver", just turned on
    remove_requested = Signal()

    def __init__(self, request: SecurityRequest, profiles: Mapping[str, ProfileSummary],
                 parent: QWidget) -> None:
        super().__init__(request.label or "Custom request", parent)
        self.kind = request.kind
        self.profiles = profiles
        self.errors: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        row = 0
        self.name = self._name_edit(request.name)
        if request.kind is RequestKind.CUSTOM:
            remove = QPushButton("Remove type", self)
            remove.setObjectName("removeRequest")
            remove.clicked.connect(lambda _c=False: self.remove_requested.emit())
            self.errors["name"] = error_label(self, "name")
            grid.addWidget(QLabel("Name:", self), row, 0)
            grid.addWidget(self.name, row, 1)
            grid.addWidget(remove, row, 2)
            grid.addWidget(self.errors["name"], row + 1, 1, 1, 2)
            row += 2
            self.name.textChanged.connect(self._on_name)
        else:
            self.name.hide()
        self.required = QCheckBox("An approver must be contacted", self)
        self.required.setObjectName("approverRequired")
        self.required.setChecked(request.approver_required)
        grid.addWidget(self.required, row, 0, 1, 3)
        row += 1
        grid.addWidget(QLabel("Approvers, in call order:", self), row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._approvers(request.approver_ids), row, 1, 1, 2)
        self.errors["approver_ids"] = error_label(self, "approver_ids")
        grid.addWidget(self.errors["approver_ids"], row + 1, 1, 1, 2)
        row += 2
        self.sms_caller = QCheckBox("Authenticate the caller with an SMS code", self)
        self.sms_caller.setObjectName("smsCaller")
        self.sms_caller.setChecked(request.sms_auth_caller)
        self.sms_approver = QCheckBox("Authenticate the approver with an SMS code", self)
        self.sms_approver.setObjectName("smsApprover")
        self.sms_approver.setChecked(request.sms_auth_approver)
        self.errors["sms_auth_caller"] = error_label(self, "sms_auth_caller")
        self.errors["sms_auth_approver"] = error_label(self, "sms_auth_approver")
        grid.addWidget(self.sms_caller, row, 0, 1, 3)
        grid.addWidget(self.errors["sms_auth_caller"], row + 1, 0, 1, 3)
        grid.addWidget(self.sms_approver, row + 2, 0, 1, 3)
        grid.addWidget(self.errors["sms_auth_approver"], row + 3, 0, 1, 3)
        self.errors[""] = error_label(self, "request")
        grid.addWidget(self.errors[""], row + 4, 0, 1, 3)
        self.required.toggled.connect(lambda _on: self.changed.emit())
        self.sms_caller.toggled.connect(lambda on: self._on_sms("caller", on))
        self.sms_approver.toggled.connect(lambda on: self._on_sms("approver", on))

    def _name_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit(name, self)
        edit.setObjectName("customName")
        edit.setAccessibleName("Name of the request type")
        edit.setPlaceholderText("Name of the request type, e.g. VPN access")
        return edit

    def _approvers(self, ids: tuple[str, ...]) -> QWidget:
        cell = QWidget(self)
        layout = QHBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        self.approvers = QListWidget(cell)
        self.approvers.setObjectName("approvers")
        self.approvers.setAccessibleName("Approvers in call order")
        self.approvers.setMaximumHeight(90)
        self.approvers.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for profile_id in ids:
            self._append(profile_id)
        buttons = QVBoxLayout()
        icon = QStyle.StandardPixmap
        self.up = tool_button(cell, icon.SP_ArrowUp, "Call earlier",
                              lambda: self.move_approver(-1), "approverUp")
        self.down = tool_button(cell, icon.SP_ArrowDown, "Call later",
                                lambda: self.move_approver(1), "approverDown")
        self.remove = tool_button(cell, icon.SP_DialogDiscardButton, "Remove approver",
                                  self.remove_selected, "approverRemove")
        for button in (self.up, self.down, self.remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        picker = QVBoxLayout()
        self.picker = QComboBox(cell)
        self.picker.setObjectName("approverPicker")
        self.picker.setAccessibleName("Client profile to add as approver")
        self.fill_picker()
        self.add = QPushButton("Add approver", cell)
        self.add.setObjectName("addApprover")
        self.add.clicked.connect(lambda _c=False: self.add_current())
        self.add.setEnabled(bool(self.profiles))
        picker.addWidget(self.picker)
        picker.addWidget(self.add)
        picker.addStretch(1)
        layout.addWidget(self.approvers, 1)
        layout.addLayout(buttons)
        layout.addLayout(picker, 1)
        return cell

    def fill_picker(self) -> None:
        self.picker.clear()
        for profile in sorted(self.profiles.values(), key=lambda p: p.name.casefold()):
            self.picker.addItem(profile_label(profile, profile.id), profile.id)
        if not self.profiles:
            self.picker.addItem("No client profiles yet", None)
        self.picker.setEnabled(bool(self.profiles))
        if hasattr(self, "add"):
            self.add.setEnabled(bool(self.profiles))

    def set_profiles(self, profiles: Mapping[str, ProfileSummary]) -> None:
        self.profiles = profiles
        self.fill_picker()
        self._renumber()

    def _renumber(self) -> None:
        """"1. Ada Lovelace", "2. Bob Stone (no mobile)": the call order, in the text."""
        for index in range(self.approvers.count()):
            item = self.approvers.item(index)
            profile_id = item.data(ID_ROLE)
            label = profile_label(self.profiles.get(profile_id), profile_id)
            item.setText(f"{index + 1}. {label}")

    def _append(self, profile_id: str) -> None:
        item = QListWidgetItem()
        item.setData(ID_ROLE, profile_id)
        self.approvers.addItem(item)
        self._renumber()

    def add_current(self) -> None:
        profile_id = self.picker.currentData()
        if profile_id:
            self._append(profile_id)
            self.approvers.setCurrentRow(self.approvers.count() - 1)
            self.changed.emit()

    def move_approver(self, step: int) -> None:
        row = self.approvers.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.approvers.count():
            return
        item = self.approvers.takeItem(row)
        self.approvers.insertItem(target, item)
        self.approvers.setCurrentRow(target)
        self._renumber()
        self.changed.emit()

    def remove_selected(self) -> None:
        row = self.approvers.currentRow()
        if row >= 0:
            self.approvers.takeItem(row)
            self._renumber()
            self.changed.emit()

    def _on_name(self, text: str) -> None:
        self.setTitle(text.strip() or "Custom request")
        self.changed.emit()

    def _on_sms(self, which: str, on: bool) -> None:
        self.changed.emit()
        if on:
            self.sms_ticked.emit(which)

    def approver_ids(self) -> tuple[str, ...]:
        return tuple(self.approvers.item(i).data(ID_ROLE) for i in range(self.approvers.count()))

    def value(self) -> SecurityRequest:
        return SecurityRequest(
            self.kind, self.name.text() if self.kind is RequestKind.CUSTOM else "",
            self.required.isChecked(), self.approver_ids(), self.sms_caller.isChecked(),
            self.sms_approver.isChecked())
