"""The companies-wide Readiness page: which sites are ready for go-live and what blocks the
others; double-click a site to open its Readiness tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.domain.helpdesk import CHECKS, ReadinessOverview
from ui.background import run_blocking
from ui.helpdesk.readiness_model import OverviewModel
from ui.helpdesk.sites_page import SitesPage

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext


class ReadinessPage(SitesPage):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        model = OverviewModel()
        super().__init__(
            context, model, names=("readinessPage", "refreshOverview", "readinessSummary"),
            header=("Go-live readiness", "Every site's go-live checklist at a glance. "
                    "Double-click a site to open its checklist and fix what blocks it."),
            table=("readinessTable", "Sites and their go-live readiness"),
            sort_column=OverviewModel.COL_STATUS, stretch_column=OverviewModel.COL_BLOCKERS,
            widths=((OverviewModel.COL_STATUS, 100), (OverviewModel.COL_COMPANY, 180),
                    (OverviewModel.COL_SITE, 160), (OverviewModel.COL_WARNINGS, 240)),
            table_stretch=2, parent=parent)
        model.setParent(self)
        self.model = model
        self.overview: ReadinessOverview | None = None
        self.blocked_by = QLabel(self)
        self.blocked_by.setObjectName("blockedBy")
        self.blocked_by.setWordWrap(True)
        self.blocked_by.setTextFormat(Qt.TextFormat.RichText)
        self.page_layout.addWidget(self.blocked_by)

    def refresh(self) -> None:
        helpdesk = self.workspace.helpdesk
        run_blocking(self, helpdesk.overview, self._show, self._failed)

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

    def site_id_at(self, row: int) -> str | None:
        checklist = self.model.row_or_none(row)
        return None if checklist is None else checklist.site_id
