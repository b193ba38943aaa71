"""A site's go-live journey as a timeline (the next step first), on its Readiness tab.

Each step the admin records has a button: "Done today" on an open step, "Reopen" on a done one
("Not applicable" too on the optional steps, from the row's context menu). Recording runs off the
GUI thread through `workspace.golive` (which enforces the order of the process); a refusal shows
in the notice bar, naming what is allowed. A recorded step is undoable: undo restores the record
the step had before, redo the one it got.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand
from PySide6.QtWidgets import QHeaderView, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget

from app.domain.errors import PreflightError
from app.domain.helpdesk.journey import Journey, JourneyStep, StepRecord, StepStatus
from ui.helpdesk.journey_model import TimelineModel
from ui.ops import PageOps, present_failure
from ui.widgets.policy_common import NoticeBar
from ui.widgets.row_table import row_table

if TYPE_CHECKING:
    from app.services.workspace import Workspace
    from ui.workspace_context import WorkspaceContext

DONE_SHORTCUT = "Ctrl+D"
_VERBS = {StepStatus.DONE: "done", StepStatus.OPEN: "reopened", StepStatus.NA: "not applicable"}


class RecordStepCommand(QUndoCommand):
    """Undo/redo of one recorded step: the step's record before and after the change (the change
    itself already went through the rules when it was made)."""

    def __init__(self, timeline: JourneyTimeline, site_id: str, step: JourneyStep, *,
                 before: StepRecord | None, after: StepRecord | None, verb: str) -> None:
        super().__init__(f"Mark '{step.title}' {verb}")
        self.timeline = timeline
        self.site_id = site_id
        self.step_id = step.id
        self.before = before
        self.after = after
        self._first = True

    def redo(self) -> None:
        if self._first:  # made already by `record`
            self._first = False
            return
        self.timeline.restore(self.site_id, self.step_id, self.after, f"Redone: {self.text()}.")

    def undo(self) -> None:
        self.timeline.restore(self.site_id, self.step_id, self.before,
                              f"Undone: {self.text()}.")


class JourneyTimeline(QWidget):
    loaded = Signal()  # a journey was shown
    recorded = Signal(str)  # step id: a change was stored (or undone / redone)

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("journeyTimeline")
        self.workspace: Workspace = context.workspace
        self.undo_stack = context.undo_stack
        self.site_id: str | None = None
        self.journey: Journey | None = None
        self.buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self)
        self.heading.setObjectName("journeyHeading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.notice = NoticeBar(self)
        self.notice.float_over(self.heading)  # a message moves no step under the pointer
        # steps, their undo and redo go on the workspace's write queue, after the other writes
        self.ops = PageOps.of(self, context, self.notice)
        self.model = TimelineModel(self)
        self.table = row_table(self.model, self, "journey", "Go-live journey of the site, the "
                               "next step first")
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TimelineModel.COL_NOTE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((TimelineModel.COL_STEP, 220), (TimelineModel.COL_DATE, 85),
                              (TimelineModel.COL_BY, 70), (TimelineModel.COL_ACTION, 105)):
            header.resizeSection(column, width)
        # The site pane is narrow: who recorded a step shows in its date's tooltip.
        self.table.setColumnHidden(TimelineModel.COL_BY, True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        layout.addWidget(self.table, 1)
        # Ctrl+D: the selected step done today, without reaching for its button.
        done = QShortcut(QKeySequence(DONE_SHORTCUT), self.table)
        done.setContext(Qt.ShortcutContext.WidgetShortcut)
        done.activated.connect(self.done_selected)

    # showing
    def show_journey(self, journey: Journey | None) -> None:
        self.journey = journey
        self.site_id = journey.site_id if journey else None
        self.model.next_id = journey.next if journey else None
        self.model.set_rows(journey.ordered() if journey else [], in_order=True)
        self.buttons = {}
        for row, step in enumerate(self.model.rows()):
            button = self._button(step)
            if button is not None:
                self.table.setIndexWidget(self.model.index(row, TimelineModel.COL_ACTION),
                                          button)
                self.buttons[step.id] = button
        if journey is None:
            self.heading.setText("")
        else:
            upcoming = journey.step(journey.next).title if journey.next else "none: complete"
            overdue = "".join(f"<br><b>Overdue:</b> {o.message}." for o in journey.overdue)
            self.heading.setText(f"<b>Go-live journey</b>: {journey.done_count} of "
                                 f"{len(journey.steps)} steps done. Next: {upcoming}.{overdue}")
        self.loaded.emit()

    def _button(self, step: JourneyStep) -> QPushButton | None:
        if step.source == "data":
            return None
        reviews = step.id == "escalation-reviews"
        if step.status is StepStatus.OPEN:
            text, status = ("Review held today" if reviews else "Done today"), StepStatus.DONE
        else:
            text, status = "Reopen", StepStatus.OPEN
        button = QPushButton(text, self.table)
        button.setObjectName(f"{'done' if status is StepStatus.DONE else 'reopen'}:{step.id}")
        button.setToolTip(f"{text}: {step.title}" + (" (for every site: partner-wide)"
                                                      if step.partner_wide else "")
                          + (f" ({DONE_SHORTCUT} on the selected step)"
                             if status is StepStatus.DONE else ""))
        button.clicked.connect(lambda _c=False, s=step, st=status: self.record(s, st))
        return button

    def _menu(self, pos: QPoint) -> None:
        step = self.model.row_or_none(self.table.indexAt(pos).row())
        if step is None or step.source == "data":
            return
        menu = QMenu(self)
        for status, label in ((StepStatus.DONE, "Done today"), (StepStatus.OPEN, "Reopen"),
                              (StepStatus.NA, "Not applicable")):
            action = menu.addAction(label)
            action.setEnabled(step.status is not status and (
                status is not StepStatus.NA or step.optional))
            action.triggered.connect(lambda _c=False, s=step, st=status: self.record(s, st))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # recording
    def done_selected(self) -> None:
        """The selected step done today, when it is an open step the admin records."""
        step = self.model.row_or_none(self.table.currentIndex().row())
        if step is not None and step.source == "manual" and step.status is StepStatus.OPEN:
            self.record(step, StepStatus.DONE)

    def record(self, step: JourneyStep, status: StepStatus) -> None:
        """Record `status` for `step` today (off the GUI thread), undoably."""
        site_id = self.site_id
        if site_id is None:
            return
        golive = self.workspace.golive
        for button in self.buttons.values():
            button.setEnabled(False)

        def work() -> tuple[StepRecord | None, StepRecord | None, Journey]:
            before = golive.record_of(site_id, step.id)
            journey = golive.set(site_id, step.id, status)
            return before, golive.record_of(site_id, step.id), journey

        def stored(result: tuple[StepRecord | None, StepRecord | None, Journey]) -> None:
            before, after, journey = result
            verb = _VERBS[status]
            self.undo_stack.push(RecordStepCommand(self, site_id, step, before=before,
                                                   after=after, verb=verb))
            if self.site_id == site_id:
                self.show_journey(journey)
                self.notice.show_message(f"'{step.title}' marked {verb}.", "success")
            self.recorded.emit(step.id)

        self.ops.write(work, stored, on_failure=self._failed)

    def restore(self, site_id: str, step_id: str, record: StepRecord | None, done: str) -> None:
        golive = self.workspace.golive

        def work() -> Journey:
            golive.restore(site_id, step_id, record)
            return golive.journey(site_id)

        def stored(journey: Journey) -> None:
            if self.site_id == site_id:
                self.show_journey(journey)
                self.notice.show_message(done, "success")
            self.recorded.emit(step_id)

        self.ops.write(work, stored, on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        for button in self.buttons.values():
            button.setEnabled(True)
        present_failure(exc, self.notice)
        if isinstance(exc, PreflightError):
            self.loaded.emit()
