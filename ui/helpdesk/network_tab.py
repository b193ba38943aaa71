"""Help Desk → Network Info: printers, network drives, email, remote access, line-of-business
applications, Active Directory, backup and unlicensed software approvals, each filled in or
marked not applicable (seed 004)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.domain.helpdesk import Finding, NetworkInfo, validate_network_info
from ui.helpdesk.network_section import SectionBox
from ui.helpdesk.network_specs import SPECS
from ui.helpdesk.section_tab import SectionTab


class NetworkInfoTab(SectionTab):
    SECTION = "network-info"
    TITLE = "Network Info"
    INTRO = ("What the Help Desk needs to know about the client's network. Fill in each "
             "section or mark it not applicable; logins link to the site's vault items (add "
             "them under Passwords), never a password here.")

    def build_form(self, body: QWidget) -> None:
        layout = QVBoxLayout(body)
        self.sections = {spec.name: SectionBox(spec, body) for spec in SPECS}
        assert set(self.sections) == {f.name for f in fields(NetworkInfo)}
        for box in self.sections.values():
            layout.addWidget(box)
            box.changed.connect(self.edited)
        layout.addStretch(1)

    def fill(self, value: NetworkInfo) -> None:
        assert self.context is not None
        for name, box in self.sections.items():
            box.fill(getattr(value, name), self.context.vault_items)

    def update_choices(self) -> None:
        assert self.context is not None
        for box in self.sections.values():
            box.set_vault(self.context.vault_items)

    def value(self) -> NetworkInfo:
        return NetworkInfo(**{name: box.value() for name, box in self.sections.items()})

    def check(self, value: Any) -> list[Finding]:
        assert self.context is not None
        return validate_network_info(value, vault_ids=self.context.vault_ids)

    def labels(self) -> dict[str, QLabel]:
        out: dict[str, QLabel] = {}
        for box in self.sections.values():
            out.update(box.labels())
        return out
