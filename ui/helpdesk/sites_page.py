"""A partner-wide page listing every site in one table (the Readiness overview, the Go-Live
Journeys): a header with Refresh, a notice bar, a summary line and the table; a load that a
rule refuses goes to the notice, anything else to the error dialog; double-clicking a site
opens its Readiness tab. Subclasses load their rows (`refresh`) and show them (`_show`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.errors import PreflightError
from ui.helpdesk.navigate import open_site_readiness
from ui.ops import present_failure
from ui.widgets.page_header import PageHeader
from ui.widgets.policy_common import NoticeBar
from ui.widgets.row_table import row_table

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext


class SitesPage(QWidget):
    refreshed = Signal()
    site_opened = Signal(str)  # site id (double-click)

    def __init__(self, context: WorkspaceContext, model: QAbstractItemModel, *,
                 names: tuple[str, str, str], header: tuple[str, str], table: tuple[str, str],
                 sort_column: int, stretch_column: int, widths: Sequence[tuple[int, int]],
                 table_stretch: int, parent: QWidget | None = None) -> None:
        """`names`: the object names of the page, its Refresh button and its summary line;
        `header`: the page's title and what it is for; `table`: the table's object name and
        accessible name."""
        super().__init__(parent)
        page_name, refresh_name, summary_name = names
        self.setObjectName(page_name)
        self.workspace: Any = context.workspace  # its helpdesk, golive services: as needed
        self.navigator = context.navigator
        layout = self.page_layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        top = QHBoxLayout()
        page_header = PageHeader(*header, self)
        top.addWidget(page_header, 1)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName(refresh_name)
        self.refresh_button.clicked.connect(lambda _c=False: self.refresh())
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.notice = NoticeBar(self)
        self.notice.float_over(page_header)  # a message moves nothing under the pointer
        self.summary = QLabel(self)
        self.summary.setObjectName(summary_name)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = row_table(model, self, *table, sort_column=sort_column)
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        for column, width in widths:
            header_view.resizeSection(column, width)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.table, table_stretch)

    def refresh(self) -> None:
        raise NotImplementedError

    def site_id_at(self, row: int) -> str | None:
        raise NotImplementedError

    def _failed(self, exc: BaseException) -> None:
        present_failure(exc, self.notice)
        if isinstance(exc, PreflightError):
            self.refreshed.emit()

    def open_row(self, row: int) -> None:
        site_id = self.site_id_at(row)
        if site_id is not None:
            self.site_opened.emit(site_id)
            open_site_readiness(self.navigator, site_id)

    def focus_search(self) -> None:
        self.table.setFocus()
