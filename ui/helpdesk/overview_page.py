"""The companies-wide Readiness page: which sites are ready for go-live and what blocks the
others; double-click a site to open its Readiness tab."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.errors import PreflightError
from app.domain.helpdesk import CHECKS, ReadinessOverview
from ui.background import report_error, run_blocking
from ui.helpdesk.navigate import open_site_readiness
from ui.helpdesk.readiness_model import OverviewModel
from ui.widgets.page_header import PageHeader
from ui.widgets.policy_common import NoticeBar, as_sentence
from ui.widgets.row_table import row_table


class ReadinessPage(QWidget):
    refreshed = Signal()
    site_opened = Signal(str)  # site id (double-click)

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readinessPage")
        self.workspace = workspace
        self.overview: ReadinessOverview | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        top = QHBoxLayout()
        top.addWidget(PageHeader(
            "Go-live readiness", "Every site's go-live checklist at a glance. Double-click a "
            "site to open its checklist and fix what blocks it.", self), 1)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName("refreshOverview")
        self.refresh_button.clicked.connect(lambda _c=False: self.refresh())
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.notice = NoticeBar(self)
        layout.addWidget(self.notice)
        self.summary = QLabel(self)
        self.summary.setObjectName("readinessSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = OverviewModel(self)
        self.table = row_table(self.model, self, "readinessTable", "Sites and their go-live "
                               "readiness", sort_column=OverviewModel.COL_STATUS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(OverviewModel.COL_BLOCKERS, QHeaderView.ResizeMode.Stretch)
        for column, width in ((OverviewModel.COL_STATUS, 100), (OverviewModel.COL_COMPANY, 180),
                              (OverviewModel.COL_SITE, 160), (OverviewModel.COL_WARNINGS, 240)):
            header.resizeSection(column, width)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.table, 2)
        self.blocked_by = QLabel(self)
        self.blocked_by.setObjectName("blockedBy")
        self.blocked_by.setWordWrap(True)
        self.blocked_by.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.blocked_by)

    def refresh(self) -> None:
        helpdesk = self.workspace.helpdesk
        run_blocking(self, helpdesk.overview, self._show, self._failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PreflightError):
            self.notice.show_message(as_sentence(str(exc)), "error")
            self.refreshed.emit()
        else:
            report_error(exc)

    def _show(self, overview: ReadinessOverview) -> None:
        self.overview = overview
        self.model.set_rows(overview.sites)
        total, ready = len(overview.sites), len(overview.ready)
        self.summary.setText(f"{ready} of {total} site(s) ready for go-live; "
                             f"{total - ready} blocked." if total else
                             "No sites yet: create them on the Companies & Sites page.")
        counts = overview.blocked_by()
        if counts:
            parts = [f"{CHECKS[check]} ({len(ids)})" for check, ids in
                     sorted(counts.items(), key=lambda kv: -len(kv[1]))]
            self.blocked_by.setText("<b>What blocks the others:</b> " + ", ".join(parts))
        else:
            self.blocked_by.setText("")
        self.refreshed.emit()

    def open_row(self, row: int) -> None:
        checklist = self.model.row_or_none(row)
        if checklist is not None:
            self.site_opened.emit(checklist.site_id)
            open_site_readiness(self, checklist.site_id)

    def focus_search(self) -> None:
        self.table.setFocus()
