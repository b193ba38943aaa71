"""Help Desk → References: titled free-text documents for the Help Desk, each optionally with
an attached file (seed 004).

Attach file… (or a file dropped on the editor) stores the file's bytes in the workspace, off
the GUI thread (`workspace.attachments.attach`), and puts its name, SHA-256 and size on the
reference; Save file… writes the stored bytes out again; Remove file drops the reference's
link to them. Saving the section is what records the change (and syncs it, file and all)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
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
from app.domain.helpdesk.references import format_size
from ui.background import run_blocking
from ui.file_drop import local_files
from ui.helpdesk.dialogs import HelpDeskDialogs
from ui.helpdesk.findings_view import error_label
from ui.helpdesk.section_tab import SectionTab
from ui.helpdesk.widgets import field_cell
from ui.ops import present_failure

_DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove)


class ReferencesTab(SectionTab):
    SECTION = "references"
    TITLE = "References"
    INTRO = ("Documents the Help Desk reads before helping this client: procedures, contacts, "
             "quirks. Write the text, attach a file (or drop one here), or both.")

    attached = Signal()  # an Attach file… (or a drop) finished: stored, or refused
    file_saved = Signal()  # a Save file… finished: written, or refused

    def build_form(self, body: QWidget) -> None:
        self.dialogs: Any = HelpDeskDialogs(self)
        self.refs: list[Reference] = []
        self.current = -1
        self._generation = 0  # bumped when rows move: a late attach must not land elsewhere
        self._attaching = False
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
        left_layout.addLayout(buttons)  # above the list: in sight on a short screen too
        left_layout.addWidget(self.ref_list, 1)
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
        self.attachment.setReadOnly(True)  # the stored file's name; attach another to change it
        self.attachment_size = QLabel(self.editor)
        self.attachment_size.setObjectName("attachmentSize")
        self.attach = QPushButton("Attach file…", self.editor)
        self.attach.setObjectName("attachFile")
        self.attach.clicked.connect(lambda _c=False: self.choose_file())
        self.save_file = QPushButton("Save file…", self.editor)
        self.save_file.setObjectName("saveAttachedFile")
        self.save_file.setToolTip("Write the attached file to a folder of your choice")
        self.save_file.clicked.connect(lambda _c=False: self.write_file())
        self.detach = QPushButton("Remove file", self.editor)
        self.detach.setObjectName("detachFile")
        self.detach.clicked.connect(lambda _c=False: self.remove_file())
        self.errors = {key: error_label(self.editor, key)
                       for key in ("", "title", "body", "attachment_name")}
        # Name and size on one line, the buttons under them: the site panel is narrow.
        file_row = QWidget(self.editor)
        name_line = QHBoxLayout()
        name_line.setContentsMargins(0, 0, 0, 0)
        name_line.addWidget(self.attachment, 1)
        name_line.addWidget(self.attachment_size)
        button_line = QHBoxLayout()
        button_line.setContentsMargins(0, 0, 0, 0)
        for button in (self.attach, self.save_file, self.detach):
            button_line.addWidget(button)
        button_line.addStretch(1)
        file_layout = QVBoxLayout(file_row)
        file_layout.setContentsMargins(0, 0, 0, 0)
        file_layout.addLayout(name_line)
        file_layout.addLayout(button_line)
        form.addRow(self.errors[""])
        form.addRow("Title:", field_cell(self.editor, self.title_edit, self.errors["title"]))
        form.addRow("Text:", field_cell(self.editor, self.body_edit, self.errors["body"]))
        # the file's label above it, the row under both columns: beside the list, the site
        # pane at 1024 px has no room for a label column and the file's three buttons
        file_label = QLabel("Attached file:", self.editor)
        file_label.setBuddy(self.attachment)
        self.attachment.setAccessibleName("Attached file")
        form.addRow(file_label)
        form.addRow(field_cell(self.editor, file_row, self.errors["attachment_name"]))
        for signal in (self.title_edit.textChanged, self.body_edit.textChanged):
            signal.connect(self._ref_edited)
        # A file dropped anywhere on the editor attaches (text drops still edit the text).
        self.editor.setAcceptDrops(True)
        for target in (self.editor, self.title_edit, self.body_edit.viewport(), self.attachment):
            target.installEventFilter(self)
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
        self._generation += 1
        self.current = -1
        with QSignalBlocker(self.ref_list):
            self.ref_list.takeItem(row)
        self._select(min(row, len(self.refs) - 1))
        self.edited()

    # --- the attached file ------------------------------------------------------------------

    def choose_file(self) -> None:
        path = self.dialogs.open_path("Attach a file to the reference", Path.home())
        if path is not None:
            self.attach_file(Path(path))

    def attach_file(self, path: Path) -> None:
        """Store `path` in the workspace (in a worker thread: files run to 25 MB) and attach
        it to the selected reference; `attached` tells when it is done."""
        row = self.current
        if not 0 <= row < len(self.refs) or self._attaching:
            return
        generation = self._generation
        self._attaching = True
        self.attach.setEnabled(False)
        self.attachment_size.setText(f"Storing {path.name}…")
        service = self.workspace.attachments

        def stored(file: Any) -> None:
            self._attach_finished()
            if generation != self._generation or not 0 <= row < len(self.refs):
                self.notice.show_message(f"{file.name} was stored, but the references changed "
                                         "meanwhile; attach it again.", "warning")
            else:
                self.refs[row] = replace(self.refs[row], attachment_name=file.name,
                                         attachment_sha256=file.sha256,
                                         attachment_size=file.size)
                self.notice.clear()
                if row == self.current:
                    self._show_file(self.refs[row])
                self.edited()
            self.attached.emit()

        def failed(exc: BaseException) -> None:
            self._attach_finished()
            self._file_failed(exc, "Not attached", self.attached)

        run_blocking(self, lambda: service.attach(path), stored, failed)

    def _attach_finished(self) -> None:
        self._attaching = False
        self.attach.setEnabled(True)
        if 0 <= self.current < len(self.refs):
            self._show_file(self.refs[self.current])

    def remove_file(self) -> None:
        if not 0 <= self.current < len(self.refs):
            return
        self.refs[self.current] = replace(self.refs[self.current], attachment_name=None,
                                          attachment_sha256=None, attachment_size=None)
        self._show_file(self.refs[self.current])
        self.edited()

    def write_file(self) -> None:
        """Save file…: write the selected reference's stored file where the user says."""
        if not 0 <= self.current < len(self.refs):
            return
        ref = self.refs[self.current]
        sha, name = ref.attachment_sha256, ref.attachment_name or "attachment"
        if sha is None:
            return
        dest = self.dialogs.save_file_path("Save the attached file", Path.home() / name)
        if dest is None:
            return
        service = self.workspace.attachments

        def written(target: Path) -> None:
            self.notice.show_message(f"Saved {name} to {target}.", "success")
            self.file_saved.emit()

        run_blocking(self, lambda: service.save_attachment(sha, Path(dest)), written,
                     lambda exc: self._file_failed(exc, "Not saved", self.file_saved))

    def _file_failed(self, exc: BaseException, what: str, done: Any) -> None:
        """A file could not be stored or written: say why (a bug gets the error dialog), then
        emit `done` whatever happened."""
        try:
            present_failure(exc, self.notice, what)
        finally:
            done.emit()

    def _show_file(self, ref: Reference | None) -> None:
        self.attachment.setText(ref.attachment_name or "" if ref else "")
        size = ref.attachment_size if ref else None
        if self._attaching:
            pass  # "Storing …" stays until the file is in
        elif ref is not None and ref.attachment_sha256 is not None and size is not None:
            self.attachment_size.setText(format_size(size))
        else:
            self.attachment_size.clear()
        self.save_file.setEnabled(ref is not None and ref.attachment_sha256 is not None)
        self.detach.setEnabled(ref is not None and ref.attachment_name is not None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Files dragged over the editor: accepted while a reference is selected; dropped,
        the first one attaches to it."""
        kind = event.type()
        if kind not in (*_DRAG_EVENTS, QEvent.Type.Drop):
            return super().eventFilter(watched, event)
        assert isinstance(event, QDragEnterEvent | QDragMoveEvent | QDropEvent)
        mime = event.mimeData()
        paths = local_files(mime.urls()) if mime.hasUrls() else []
        if not paths or not self.editor.isEnabled():
            return False
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            if self._attaching:
                self.notice.show_message("A file is still being stored; drop the next one "
                                         "when it is attached.", "warning")
            else:
                if len(paths) > 1:
                    self.notice.show_message(f"A reference holds one file: attaching "
                                             f"{paths[0].name} only.", "warning")
                self.attach_file(paths[0])
        return True

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
            self._show_file(ref)
        finally:
            self._filling = was
        if not was:
            self.recheck()

    def _ref_edited(self, *_args: Any) -> None:
        if self._filling or not 0 <= self.current < len(self.refs):
            return
        ref = replace(self.refs[self.current], title=self.title_edit.text(),
                      body=self.body_edit.toPlainText())
        self.refs[self.current] = ref
        self.ref_list.item(self.current).setText(ref.title.strip() or "(untitled)")
        self.edited()

    def fill(self, value: tuple[Reference, ...]) -> None:
        self.refs = list(value)
        self._generation += 1
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
        labels: dict[str, QLabel] = {(f"{prefix}.{key}" if key else prefix): label
                  for key, label in self.errors.items()}
        for key in ("attachment_sha256", "attachment_size"):  # shown on the file's row
            labels[f"{prefix}.{key}"] = self.errors["attachment_name"]
        return labels
