"""The partner view of the go-live journeys: every site, how far it is, what comes next and what
is overdue; double-click a site to open its Readiness tab (checklist and timeline)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app.services.golive import SiteJourney
from ui.background import run_blocking
from ui.helpdesk.journey_model import PartnerJourneyModel
from ui.helpdesk.sites_page import SitesPage

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext


class GoLivePage(SitesPage):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        model = PartnerJourneyModel()
        super().__init__(
            context, model, names=("goLivePage", "refreshJourneys", "journeySummary"),
            header=("Go-live journeys", "Where each site stands in the Help Desk activation "
                    "process, from I'm Interested to the 30-day escalation reviews. "
                    "Double-click a site to see its timeline and record a step."),
            table=("journeysTable", "Every site's go-live journey"),
            sort_column=PartnerJourneyModel.COL_COMPANY,
            stretch_column=PartnerJourneyModel.COL_OVERDUE,
            widths=((PartnerJourneyModel.COL_COMPANY, 180), (PartnerJourneyModel.COL_SITE, 160),
                    (PartnerJourneyModel.COL_PROGRESS, 90), (PartnerJourneyModel.COL_NEXT, 300)),
            table_stretch=1, parent=parent)
        model.setParent(self)
        self.model = model
        self.journeys: list[SiteJourney] = []

    def refresh(self) -> None:
        run_blocking(self, self.workspace.golive.all, self._show, self._failed)

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

    def site_id_at(self, row: int) -> str | None:
        found = self.model.row_or_none(row)
        return None if found is None else found.journey.site_id
