"""The frame every Help Desk form shares: load the site's context, check on every edit, show
the findings inline, Save (off the GUI thread, undoable on the shared QUndoStack), Revert.

A subclass builds its fields in `build_form`, and implements `fill(value)`, `value()` and
`check(value)` (the domain's findings, with `self.context`); `labels()` maps field paths to
its error labels, `problems()` reports what it cannot even read (say, "Mon-Fri 8-5").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PreflightError
from app.domain.helpdesk import SECTIONS, Finding, SiteSetup
from app.services.views import SiteView
from ui.accessibility import name_form_fields
from ui.helpdesk.commands import SaveSectionCommand
from ui.helpdesk.context import SiteContext, blocking, load_context
from ui.helpdesk.findings_view import FindingRouter, error_label
from ui.ops import PageOps, present_failure
from ui.widgets.cells import MessageLine
from ui.widgets.page_header import PageHeader
from ui.widgets.policy_common import NoticeBar

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext


class SectionTab(QWidget):
    SECTION: ClassVar[str] = ""  # a key of app.domain.helpdesk.SECTIONS
    TITLE: ClassVar[str] = ""
    INTRO: ClassVar[str] = ""

    loaded = Signal()  # the site's context arrived and the form shows the saved value
    saved = Signal()  # a save (or its undo/redo) was stored
    checked = Signal()  # the findings on screen were updated

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"helpdesk:{self.SECTION}")
        self.workspace: Any = context.workspace  # its helpdesk, vault, …: taken as needed
        self.undo_stack = context.undo_stack
        self.navigator = context.navigator  # links to the window's pages
        self.ops = PageOps.of(self, context)  # the notice bar comes in _build
        self._context_read = self.ops.latest()  # the newest site's context only
        self.site: SiteView | None = None
        self.context: SiteContext | None = None
        self.findings: list[Finding] = []
        self.refused: list[Finding] = []
        self._baseline: Any = None  # the form's value when it showed what is stored
        self._stored: Any = None  # the stored document's value (None: never saved)
        self._filling = False
        self._build()

    # layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        header = PageHeader(self.TITLE, self.INTRO, self)
        layout.addWidget(header)
        self.notice = NoticeBar(self)
        self.notice.float_over(header)  # a message moves no field under the pointer
        self.ops.notice = self.notice
        self.general = error_label(self, "general", lines=1)  # whole in its tooltip
        layout.addWidget(self.general)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # text wraps
        self.body = QWidget(scroll)
        self.build_form(self.body)
        name_form_fields(self.body)  # each row's label names the field inside its cell
        scroll.setWidget(self.body)
        layout.addWidget(scroll, 1)
        footer = QHBoxLayout()
        self.status = MessageLine(self, 2)  # beside Save: its text never moves the buttons
        self.status.setObjectName("sectionStatus")
        self.revert_button = QPushButton("Revert", self)
        self.revert_button.setObjectName("revertSection")
        self.revert_button.clicked.connect(lambda _c=False: self.revert())
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("saveSection")
        self.save_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_DialogSaveButton))
        self.save_button.clicked.connect(lambda _c=False: self.save())
        footer.addWidget(self.status, 1)
        footer.addWidget(self.revert_button)
        footer.addWidget(self.save_button)
        layout.addLayout(footer)
        self.router = FindingRouter(self.general, self.labels)
        self.setEnabled(False)

    # what subclasses provide
    def build_form(self, body: QWidget) -> None:
        raise NotImplementedError

    def fill(self, value: Any) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def check(self, value: Any) -> list[Finding]:
        raise NotImplementedError

    def labels(self) -> dict[str, QLabel]:
        return {}

    def problems(self) -> dict[str, str]:
        """Field path → what the form cannot read (blocks Save, like an invalid value)."""
        return {}

    def update_choices(self) -> None:
        """The context changed under an edited form: refresh pick lists, keep the edits."""

    def present(self, findings: list[Finding]) -> list[Finding]:
        """The findings to route (a form showing one item of many summarises the others)."""
        return findings

    # the site
    def set_site(self, site: SiteView | None) -> None:
        if site is None or self.site is None or site.id != self.site.id:
            self.notice.clear()
            if self.site is not None and self.is_dirty():
                self.notice.show_message(f"Your unsaved changes to {self.TITLE} of "
                                         f"{self.site.name} were discarded.", "warning")
            self.context = None
        self.site = site
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.site is not None and self.context is not None:
            self.reload()  # other tabs may have changed rules, profiles or the vault

    def reload(self) -> None:
        site = self.site
        if site is None:
            self._context_read.cancel()
            self.setEnabled(False)
            self.loaded.emit()
            return

        def failed(exc: BaseException) -> None:
            present_failure(exc, self.notice)
            if isinstance(exc, PreflightError):
                self.loaded.emit()

        workspace = self.workspace
        self._context_read.run(lambda: load_context(workspace, site.id), self._on_context,
                               failed)

    def _on_context(self, context: SiteContext) -> None:
        keep_edits = (self.context is not None and self.context.site_id == context.site_id
                      and self.is_dirty())
        self.context = context
        self.setEnabled(True)
        if keep_edits:
            self._filling = True
            try:
                self.update_choices()
            finally:
                self._filling = False
        else:
            self._stored = self.saved_value()
            self._show(self._stored)
        self.recheck()
        self.loaded.emit()

    def _never_saved(self) -> bool:
        return bool(self._stored == getattr(SiteSetup(), SECTIONS[self.SECTION]))

    def saved_value(self) -> Any:
        assert self.context is not None
        return getattr(self.context.setup, SECTIONS[self.SECTION])

    def _show(self, value: Any) -> None:
        self._filling = True
        try:
            self.fill(value)
        finally:
            self._filling = False
        for edit in self.body.findChildren(QLineEdit):
            edit.setCursorPosition(0)  # a long value shows its start, not its end
        self._baseline = self.value()

    # checking
    def edited(self, *_args: Any) -> None:
        """Connect every field's change signal here."""
        if not self._filling:
            self.recheck()

    def is_dirty(self) -> bool:
        return self.context is not None and self.value() != self._baseline

    def recheck(self) -> None:
        if self.context is None:
            return
        value = self.value()
        self.findings = self.check(value)
        problems = self.problems()
        self.refused = blocking(self.findings)
        self.router.show(self.present(self.findings), problems)
        dirty = value != self._baseline
        count = len(self.refused) + len(problems)
        self.save_button.setEnabled(dirty and count == 0)
        self.revert_button.setEnabled(dirty)
        missing = sum(1 for f in self.findings if f.severity == "error") - len(self.refused)
        if count:
            noun = "problem" if count == 1 else "problems"
            self.status.setText(f"{count} {noun} to correct before saving.")
        elif dirty:
            self.status.setText("Unsaved changes." + (
                f" {missing} item(s) still missing; you can save and finish later."
                if missing else ""))
        elif missing:
            state = "Not filled in yet." if self._never_saved() else "Saved."
            self.status.setText(f"{state} {missing} item(s) still missing for go-live.")
        elif self._never_saved():
            self.status.setText("Not saved yet.")
        else:
            self.status.setText("Saved." if not self.findings else
                                "Saved, with advice shown above.")
        self.checked.emit()

    # saving
    def save(self) -> bool:
        """Save the form (undoably); refused while a value is invalid. True when started."""
        if self.context is None or self.site is None:
            return False
        self.recheck()
        if self.refused or self.problems():
            self.notice.show_message("Not saved: correct the values marked in red first.",
                                     "error")
            return False
        value = self.value()
        if value == self._baseline:
            return False
        command = SaveSectionCommand(self, self.site.id, self.site.name, self.TITLE,
                                     before=self._stored, after=value)
        self._baseline = self._stored = value  # what the form now stands for; the write follows
        self.undo_stack.push(command)
        return True

    # the quit guard (ui.unsaved)
    def unsaved_edits(self) -> list[str]:
        if self.site is None or not self.is_dirty():
            return []
        return [f"{self.TITLE} of site '{self.site.name}'"]

    def save_edits(self) -> bool:
        return self.save()

    def discard_edits(self) -> None:
        self.revert()

    def revert(self) -> None:
        if self.context is not None:
            self._show(self._baseline)
            self.recheck()

    def write(self, site_id: str, value: Any, done: str) -> None:
        service = self.workspace.helpdesk
        section = self.SECTION

        def stored(_findings: list[Finding]) -> None:
            if self.site is not None and self.site.id == site_id and self.context is not None:
                self._stored = value
                if value != self._baseline:  # an undo or redo: show what is stored now
                    self._show(value)  # (a save keeps what was typed meanwhile)
                self.recheck()
                self.notice.show_message(done, "success")
            self.saved.emit()

        def failed(exc: BaseException) -> None:
            present_failure(exc, self.notice, "Not saved")
            if isinstance(exc, PreflightError):
                self.saved.emit()

        self.ops.write(lambda: service.save(site_id, section, value), stored, on_failure=failed)


def form_label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    return label
