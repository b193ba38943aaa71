"""A site's Readiness tab: the go-live checklist (pass / warning / fail, why, and a button to
the tab that fixes each item), the go-live journey's timeline under it (next step first, a step
recorded in one click), Refresh, and Export go-live report… (HTML, via the service)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PreflightError
from app.domain.helpdesk import Checklist
from app.domain.helpdesk.journey import Journey
from app.services.views import SiteView
from ui.background import run_blocking
from ui.helpdesk.dialogs import HelpDeskDialogs
from ui.helpdesk.journey_timeline import JourneyTimeline
from ui.helpdesk.places import button_text, open_text
from ui.helpdesk.readiness_model import ChecklistModel, place_of
from ui.ops import Latest, present_failure
from ui.widgets.policy_common import NoticeBar, section_title
from ui.widgets.row_table import row_table

if TYPE_CHECKING:
    from app.services.workspace import Workspace
    from ui.workspace_context import WorkspaceContext


def report_name(checklist: Checklist) -> str:
    text = f"{checklist.company_name} {checklist.site_name} go-live"
    return "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in text).strip() + ".html"


class ReadinessTab(QWidget):
    loaded = Signal()  # the checklist was (re)loaded and shown
    exported = Signal(str)  # the report's path
    open_place = Signal(str, str)  # site id, place (`app.domain.helpdesk.PLACES`)

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("siteReadiness")
        self.workspace: Workspace = context.workspace
        self.dialogs: Any = HelpDeskDialogs(self)
        self.site: SiteView | None = None
        self.checklist: Checklist | None = None
        self._read = Latest(self, lambda exc: present_failure(exc, self.notice))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        top = QHBoxLayout()
        self.verdict = section_title("", self)
        self.verdict.setObjectName("readinessVerdict")
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName("refreshReadiness")
        self.refresh_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_BrowserReload))
        self.refresh_button.clicked.connect(lambda _c=False: self.refresh())
        self.export_button = QPushButton("Export go-live report…", self)
        self.export_button.setObjectName("exportReport")
        self.export_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_DialogSaveButton))
        self.export_button.clicked.connect(lambda _c=False: self.export())
        top.addWidget(self.verdict, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.notice = NoticeBar(self)
        self.notice.float_over(self.verdict)  # over the verdict, beside its buttons
        self.model = ChecklistModel(self)
        self.table: QTableView = row_table(self.model, self, "checklist",
                                           "Go-live checklist of the site")
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ChecklistModel.COL_WHY, QHeaderView.ResizeMode.Stretch)
        for column, width in ((ChecklistModel.COL_CHECK, 180), (ChecklistModel.COL_FIX, 150)):
            header.resizeSection(column, width)
        # The site pane is narrow: the status shows as the check's icon (and its tooltip).
        self.table.setColumnHidden(ChecklistModel.COL_STATUS, True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.timeline = self._add_tables(layout, context)
        self.hint = QLabel("Double-click an item, or use its button, to open the place that "
                           "fixes it. Warnings are advice; failing items block go-live.", self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.buttons: list[QPushButton] = []
        self._set_enabled(False)

    def _add_tables(self, layout: QVBoxLayout, context: WorkspaceContext) -> JourneyTimeline:
        """The checklist, and under it the journey's timeline (issue 19), in a splitter."""
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        timeline = JourneyTimeline(context, split)
        timeline.recorded.connect(lambda _step: self.refresh())
        split.addWidget(timeline)
        split.setSizes([300, 360])
        layout.addWidget(split, 1)
        return timeline

    def _set_enabled(self, on: bool) -> None:
        self.refresh_button.setEnabled(on)
        self.export_button.setEnabled(on and self.checklist is not None)

    # loading
    def set_site(self, site: SiteView | None) -> None:
        if site is None or self.site is None or site.id != self.site.id:
            self.checklist = None
            self.notice.clear()
            self._show(None)
        self.site = site
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.site is not None and self.checklist is not None:
            self.refresh()  # the other tabs may have fixed something

    def refresh(self) -> None:
        site = self.site
        self._set_enabled(site is not None)
        if site is None:
            self._read.cancel()
            self.loaded.emit()
            return
        golive = self.workspace.golive
        timeline = self.timeline

        def shown(result: tuple[Checklist, Journey | None]) -> None:
            checklist, journey = result
            self._show(checklist)
            timeline.show_journey(journey)
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            present_failure(exc, self.notice)
            if isinstance(exc, PreflightError):
                self.loaded.emit()

        self._read.run(lambda: golive.with_checklist(site.id), shown, failed)

    def _show(self, checklist: Checklist | None) -> None:
        self.checklist = checklist
        if checklist is None:
            self.timeline.show_journey(None)
        items = list(checklist.items) if checklist else []
        self.model.set_rows(items, in_order=True)
        self.buttons = []
        for row, item in enumerate(items):
            place = place_of(item)
            button = QPushButton(button_text(place), self.table)
            button.setObjectName(f"fix:{item.id}")
            button.setFlat(True)
            button.setToolTip(f"{open_text(place)} to fix: {item.title}")
            button.clicked.connect(lambda _c=False, r=row: self.open_row(r))
            self.table.setIndexWidget(self.model.index(row, ChecklistModel.COL_FIX), button)
            self.buttons.append(button)
        if checklist is None:
            self.verdict.setText("")
        elif checklist.ready:
            warn = len(checklist.warnings)
            self.verdict.setText("Ready for go-live" + (f" ({warn} warning(s))" if warn else ""))
        else:
            self.verdict.setText(f"Not ready: {len(checklist.blockers)} of "
                                 f"{len(checklist.items)} items fail")
        self._set_enabled(self.site is not None)

    def open_row(self, row: int) -> None:
        item = self.model.row_or_none(row)
        if item is not None and self.site is not None:
            self.open_place.emit(self.site.id, place_of(item))

    # the report
    def export(self) -> None:
        checklist, site = self.checklist, self.site
        if checklist is None or site is None:
            return
        path = self.dialogs.save_path("Export go-live report", Path.home() / report_name(
            checklist))
        if path is None:
            return
        helpdesk = self.workspace.helpdesk

        def write() -> Path:
            target = Path(path)
            target.write_text(helpdesk.golive_report(site.id), encoding="utf-8")
            return target

        def written(target: Path) -> None:
            self.notice.show_message(f"Wrote the go-live report to {target}.", "success")
            self.exported.emit(str(target))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError):  # a file that cannot be written is the user's to fix
                self.notice.show_message(f"Could not write the report: {exc}", "error")
            else:
                present_failure(exc, self.notice, "Could not write the report")

        run_blocking(self, write, written, failed)
