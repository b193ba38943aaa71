"""Help Desk → Security Requests: per request type, whether an approver is contacted, the
approvers in call order and SMS-code authentication (seed 004). Turning SMS authentication on
is refused, with the reason, when the profiles concerned have no mobile number."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.helpdesk import (
    Finding,
    RequestKind,
    SecurityRequest,
    default_requests,
    validate_security_requests,
)
from ui.helpdesk.request_box import RequestBox
from ui.helpdesk.section_tab import SectionTab

# SMS authentication that cannot reach anyone: the tick is refused.
_REFUSED = {"caller": ("sms_auth_caller", {"security.caller_no_mobiles"}),
            "approver": ("sms_auth_approver", {"security.approver_no_mobile"})}


class SecurityRequestsTab(SectionTab):
    SECTION = "security-requests"
    TITLE = "Security Requests"
    INTRO = ("For each kind of security-related request: must the Help Desk call an approver "
             "first, whom (in call order), and are callers or approvers authenticated with an "
             "SMS code (sent to the mobile number of their client profile)?")

    def build_form(self, body: QWidget) -> None:
        outer = QVBoxLayout(body)
        self.boxes: list[RequestBox] = []
        self.box_layout = QVBoxLayout()
        outer.addLayout(self.box_layout)
        bar = QHBoxLayout()
        self.add_custom = QPushButton("Add custom request type", body)
        self.add_custom.setObjectName("addCustomRequest")
        self.add_custom.clicked.connect(
            lambda _c=False: self._add(SecurityRequest(RequestKind.CUSTOM), edited=True))
        bar.addWidget(self.add_custom)
        bar.addStretch(1)
        outer.addLayout(bar)
        outer.addStretch(1)
        self.refusals: dict[int, Finding] = {}  # id(box) → the refused tick's finding

    def _add(self, request: SecurityRequest, edited: bool = False) -> RequestBox:
        assert self.context is not None
        box = RequestBox(request, self.context.profiles, self.body)
        box.changed.connect(lambda b=box: self._on_changed(b))
        box.sms_ticked.connect(lambda which, b=box: self._on_sms(b, which))
        box.remove_requested.connect(lambda b=box: self._remove(b))
        self.boxes.append(box)
        self.box_layout.addWidget(box)
        box.show()
        if edited:
            box.name.setFocus()
            self.edited()
        return box

    def _remove(self, box: RequestBox) -> None:
        self.boxes.remove(box)
        self.refusals.pop(id(box), None)
        box.hide()
        box.deleteLater()
        self.edited()

    def _on_changed(self, box: RequestBox) -> None:
        if not self._filling:
            self.refusals.pop(id(box), None)
            self.edited()

    def _on_sms(self, box: RequestBox, which: str) -> None:
        assert self.context is not None
        field, codes = _REFUSED[which]
        index = self.boxes.index(box)
        found = [f for f in validate_security_requests([box.value()], self.context.profiles)
                 if f.code in codes and f.severity == "error"]
        if not found:
            return
        check = box.sms_caller if which == "caller" else box.sms_approver
        with QSignalBlocker(check):
            check.setChecked(False)
        self.refusals[id(box)] = replace(
            found[0], field=f"requests[{index}].{field}",
            message=f"Not turned on: {found[0].message}")
        self.recheck()

    def fill(self, value: tuple[SecurityRequest, ...]) -> None:
        for box in self.boxes:
            box.hide()
            box.deleteLater()
        self.boxes = []
        self.refusals = {}
        for request in value or default_requests():
            self._add(request)

    def update_choices(self) -> None:
        assert self.context is not None
        for box in self.boxes:
            box.set_profiles(self.context.profiles)

    def value(self) -> tuple[SecurityRequest, ...]:
        return tuple(box.value() for box in self.boxes)

    def check(self, value: Any) -> list[Finding]:
        assert self.context is not None
        return validate_security_requests(value, self.context.profiles)

    def present(self, findings: list[Finding]) -> list[Finding]:
        return [*findings, *(f for b in self.boxes if (f := self.refusals.get(id(b)))
                             is not None)]

    def labels(self) -> dict[str, QLabel]:
        return {(f"requests[{i}].{key}" if key else f"requests[{i}]"): label
                for i, box in enumerate(self.boxes) for key, label in box.errors.items()}
