"""Help Desk → References: titled free-text documents for the Help Desk, each optionally with
an attached file's name (seed 004)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.helpdesk import Finding, Reference, validate_references
from ui.helpdesk.dialogs import HelpDeskDialogs
from ui.helpdesk.findings_view import error_label
from ui.helpdesk.section_tab import SectionTab
from ui.helpdesk.widgets import field_cell


class ReferencesTab(SectionTab):
    SECTION = "references"
    TITLE = "References"
    INTRO = ("Documents the Help Desk reads before helping this client: procedures, contacts, "
             "quirks. Write the text, attach a file, or both.")

    def build_form(self, body: QWidget) -> None:
        self.dialogs: Any = HelpDeskDialogs(self)
        self.refs: list[Reference] = []
        self.current = -1
        outer = QHBoxLayout(body)
        # A box layout, not a splitter: it passes height-for-width on, so findings that wrap
        # get the lines they need inside the scroll area.
        left = QWidget(body)
        left.setFixedWidth(170)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.ref_list = QListWidget(left)
        self.ref_list.setObjectName("referenceList")
        self.ref_list.setAccessibleName("References")
        self.ref_list.currentRowChanged.connect(self._select)
        buttons = QHBoxLayout()
        self.add_ref = QPushButton("Add reference", left)
        self.add_ref.setObjectName("addReference")
        self.add_ref.clicked.connect(lambda _c=False: self.new_reference())
        self.remove_ref = QPushButton("Remove", left)
        self.remove_ref.setObjectName("removeReference")
        self.remove_ref.clicked.connect(lambda _c=False: self.delete_reference())
        buttons.addWidget(self.add_ref)
        buttons.addWidget(self.remove_ref)
        left_layout.addWidget(self.ref_list, 1)
        left_layout.addLayout(buttons)
        outer.addWidget(left)
        outer.addWidget(self._build_editor(body), 1)

    def _build_editor(self, body: QWidget) -> QWidget:
        self.editor = QWidget(body)
        form = QFormLayout(self.editor)
        self.title_edit = QLineEdit(self.editor)
        self.title_edit.setObjectName("referenceTitle")
        self.body_edit = QPlainTextEdit(self.editor)
        self.body_edit.setObjectName("referenceBody")
        self.body_edit.setTabChangesFocus(True)
        self.attachment = QLineEdit(self.editor)
        self.attachment.setObjectName("attachmentName")
        self.attachment.setPlaceholderText("No file attached")
        self.attach = QPushButton("Attach file…", self.editor)
        self.attach.setObjectName("attachFile")
        self.attach.clicked.connect(lambda _c=False: self.choose_file())
        self.detach = QPushButton("Remove file", self.editor)
        self.detach.setObjectName("detachFile")
        self.detach.clicked.connect(lambda _c=False: self.attachment.clear())
        self.errors = {key: error_label(self.editor, key)
                       for key in ("", "title", "body", "attachment_name")}
        file_row = QWidget(self.editor)
        file_layout = QHBoxLayout(file_row)
        file_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.attachment, self.attach, self.detach):
            file_layout.addWidget(widget)
        form.addRow(self.errors[""])
        form.addRow("Title:", field_cell(self.editor, self.title_edit, self.errors["title"]))
        form.addRow("Text:", field_cell(self.editor, self.body_edit, self.errors["body"]))
        form.addRow("Attached file:", field_cell(self.editor, file_row,
                                                 self.errors["attachment_name"]))
        for signal in (self.title_edit.textChanged, self.body_edit.textChanged,
                       self.attachment.textChanged):
            signal.connect(self._ref_edited)
        return self.editor

    def new_reference(self) -> None:
        self.refs.append(Reference(f"Reference {len(self.refs) + 1}"))
        self.ref_list.addItem(self.refs[-1].title)
        self.ref_list.setCurrentRow(len(self.refs) - 1)
        self.title_edit.setFocus()
        self.title_edit.selectAll()
        self.edited()

    def delete_reference(self) -> None:
        row = self.current
        if row < 0:
            return
        self.refs.pop(row)
        self.current = -1
        with QSignalBlocker(self.ref_list):
            self.ref_list.takeItem(row)
        self._select(min(row, len(self.refs) - 1))
        self.edited()

    def choose_file(self) -> None:
        path = self.dialogs.open_path("Attach a file to the reference", Path.home())
        if path is not None:
            self.attachment.setText(Path(path).name)

    def _select(self, row: int) -> None:
        self.current = row
        with QSignalBlocker(self.ref_list):
            self.ref_list.setCurrentRow(row)
        ref = self.refs[row] if 0 <= row < len(self.refs) else None
        self.editor.setEnabled(ref is not None)
        self.remove_ref.setEnabled(ref is not None)
        was = self._filling
        self._filling = True
        try:
            self.title_edit.setText(ref.title if ref else "")
            self.body_edit.setPlainText(ref.body if ref else "")
            self.attachment.setText(ref.attachment_name or "" if ref else "")
        finally:
            self._filling = was
        if not was:
            self.recheck()

    def _ref_edited(self, *_args: Any) -> None:
        if self._filling or not 0 <= self.current < len(self.refs):
            return
        name = self.attachment.text()
        ref = replace(self.refs[self.current], title=self.title_edit.text(),
                      body=self.body_edit.toPlainText(), attachment_name=name or None)
        self.refs[self.current] = ref
        self.ref_list.item(self.current).setText(ref.title.strip() or "(untitled)")
        self.edited()

    def fill(self, value: tuple[Reference, ...]) -> None:
        self.refs = list(value)
        with QSignalBlocker(self.ref_list):
            self.ref_list.clear()
            for ref in self.refs:
                self.ref_list.addItem(ref.title.strip() or "(untitled)")
        self._select(0 if self.refs else -1)

    def value(self) -> tuple[Reference, ...]:
        return tuple(self.refs)

    def check(self, value: Any) -> list[Finding]:
        return validate_references(value)

    def present(self, findings: list[Finding]) -> list[Finding]:
        mine = f"references[{self.current}]"
        out: list[Finding] = []
        others: set[int] = set()
        for finding in findings:
            if finding.field == mine or finding.field.startswith(f"{mine}."):
                out.append(finding)
            else:
                others.add(int(finding.field[11:finding.field.index("]")]))
        for index in sorted(others):
            title = self.refs[index].title.strip() or "(untitled)"
            out.append(Finding("references", "", "warning", "reference.duplicate_title",
                               f"'{title}' needs attention too; select it to see why."))
        return out

    def labels(self) -> dict[str, QLabel]:
        if not 0 <= self.current < len(self.refs):
            return {}
        prefix = f"references[{self.current}]"
        return {(f"{prefix}.{key}" if key else prefix): label
                for key, label in self.errors.items()}
