"""The partner view of the go-live journeys: every site, how far it is, what comes next and what
is overdue; double-click a site to open its Readiness tab (checklist and timeline)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.errors import PreflightError
from app.services.golive import SiteJourney
from ui.background import report_error, run_blocking
from ui.helpdesk.journey_model import PartnerJourneyModel
from ui.helpdesk.navigate import open_site_readiness
from ui.widgets.page_header import PageHeader
from ui.widgets.policy_common import NoticeBar, as_sentence
from ui.widgets.row_table import row_table


class GoLivePage(QWidget):
    refreshed = Signal()
    site_opened = Signal(str)  # site id (double-click)

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goLivePage")
        self.workspace = workspace
        self.journeys: list[SiteJourney] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        top = QHBoxLayout()
        top.addWidget(PageHeader(
            "Go-live journeys", "Where each site stands in the Help Desk activation process, "
            "from I'm Interested to the 30-day escalation reviews. Double-click a site to see "
            "its timeline and record a step.", self), 1)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName("refreshJourneys")
        self.refresh_button.clicked.connect(lambda _c=False: self.refresh())
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.notice = NoticeBar(self)
        layout.addWidget(self.notice)
        self.summary = QLabel(self)
        self.summary.setObjectName("journeySummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = PartnerJourneyModel(self)
        self.table = row_table(self.model, self, "journeysTable", "Every site's go-live journey",
                               sort_column=PartnerJourneyModel.COL_COMPANY)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PartnerJourneyModel.COL_OVERDUE,
                                    QHeaderView.ResizeMode.Stretch)
        for column, width in ((PartnerJourneyModel.COL_COMPANY, 180),
                              (PartnerJourneyModel.COL_SITE, 160),
                              (PartnerJourneyModel.COL_PROGRESS, 90),
                              (PartnerJourneyModel.COL_NEXT, 300)):
            header.resizeSection(column, width)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        run_blocking(self, self.workspace.golive.all, self._show, self._failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PreflightError):
            self.notice.show_message(as_sentence(str(exc)), "error")
            self.refreshed.emit()
        else:
            report_error(exc)

    def _show(self, journeys: list[SiteJourney]) -> None:
        self.journeys = journeys
        self.model.set_rows(journeys)
        overdue = sum(bool(j.journey.overdue) for j in journeys)
        done = sum(j.journey.next is None for j in journeys)
        self.summary.setText(
            f"{len(journeys)} site(s): {done} through the whole journey, {overdue} with "
            "something overdue." if journeys else
            "No sites yet: create them on the Companies & Sites page.")
        self.refreshed.emit()

    def open_row(self, row: int) -> None:
        found = self.model.row_or_none(row)
        if found is not None:
            self.site_opened.emit(found.journey.site_id)
            open_site_readiness(self, found.journey.site_id)

    def focus_search(self) -> None:
        self.table.setFocus()
