"""The Pending Changes page: what the next sync would send (the engine's plan), read off the
GUI thread, with the Sync button beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QToolButton, QVBoxLayout, QWidget

from ui.background import run_blocking
from ui.ops import present_failure
from ui.sync.controller import SyncController
from ui.sync.models import PlanModel, PlanRow
from ui.widgets.page_header import PageHeader
from ui.widgets.row_table import row_table

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext


class PendingChangesPage(QWidget):
    refreshed = Signal()

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pendingChangesPage")
        self.controller: SyncController = context.sync_controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        top = QHBoxLayout()
        top.addWidget(PageHeader(
            "Pending changes", "What the next sync sends to the server: one line per record, "
            "with every edit since the last sync folded in. Nothing leaves this workspace "
            "until the server confirms it.", self), 1)
        self.sync_button = QToolButton(self)
        self.sync_button.setObjectName("pendingSyncButton")
        self.sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        top.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.summary = QLabel(self)
        self.summary.setObjectName("pendingSummary")
        layout.addWidget(self.summary)
        self.model = PlanModel(self)
        self.table = row_table(self.model, self, "pendingTable", "Changes waiting to be sent")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PlanModel.COL_FIELDS, QHeaderView.ResizeMode.Stretch)
        for column, width in ((PlanModel.COL_ENTITY, 130), (PlanModel.COL_NAME, 240),
                              (PlanModel.COL_OPERATION, 90), (PlanModel.COL_CHANGES, 60)):
            header.resizeSection(column, width)
        layout.addWidget(self.table, 1)
        self.controller.data_changed.connect(self.refresh)

    def set_sync_action(self, action: QAction) -> None:
        self.sync_button.setDefaultAction(action)

    def refresh(self) -> None:
        controller = self.controller

        def rows() -> tuple[list[PlanRow], int, int]:  # off the GUI thread: 10k rows cost
            plan = controller.plan()
            return ([PlanRow.of(item) for item in plan], sum(item.changes for item in plan),
                    len(controller.conflicts()))

        run_blocking(self, rows, self._show, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.refreshed.emit()
        present_failure(exc, None)  # the page has no notice: the error dialog

    def _show(self, found: tuple[list[PlanRow], int, int]) -> None:
        plan, edits, conflicts = found
        self.model.set_rows(plan, in_order=True)
        text = (f"{len(plan):,} record(s) to send ({edits:,} edit(s))." if plan else
                "Nothing to send: every change of this workspace is on the server.")
        if conflicts:
            text += (f" {conflicts:,} record(s) in conflict wait until you resolve them on "
                     "the Sync Conflicts page.")
        self.summary.setText(text)
        self.refreshed.emit()


__all__ = ["PendingChangesPage"]
