"""The go-live journey as table rows: a site's timeline (next step first) and the partner view
(one row per site: progress, next step, what is overdue)."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from app.domain.helpdesk.journey import STEP_BY_ID, JourneyStep, StepStatus
from app.services.golive import SiteJourney
from ui.models.rows import RowTableModel

STATUS_LABELS = {StepStatus.DONE: "Done", StepStatus.OPEN: "Open", StepStatus.NA: "N/A"}
_ICONS = {StepStatus.DONE: QStyle.StandardPixmap.SP_DialogApplyButton,
          StepStatus.OPEN: QStyle.StandardPixmap.SP_DialogNoButton,
          StepStatus.NA: QStyle.StandardPixmap.SP_DialogDiscardButton}
NEXT_ICON = QStyle.StandardPixmap.SP_ArrowRight


def _icon(pixmap: QStyle.StandardPixmap) -> QIcon:
    style = QApplication.style()
    return style.standardIcon(pixmap) if style is not None else QIcon()


class TimelineModel(RowTableModel):
    """Rows: `JourneyStep`s in timeline order (`Journey.ordered()`); `next_id` marks the next."""

    COL_STEP, COL_DATE, COL_BY, COL_NOTE, COL_ACTION = range(5)
    HEADERS: ClassVar[tuple[str, ...]] = ("Step", "Date", "By", "Note", "")
    next_id: str | None = None

    def row_id(self, row: JourneyStep) -> str:
        return row.id

    def display(self, row: JourneyStep, column: int) -> str:
        if column == self.COL_STEP:
            prefix = "Next: " if row.id == self.next_id else ""
            return prefix + row.title
        if column == self.COL_DATE:
            return row.date.isoformat() if row.date else ""
        if column == self.COL_BY:
            return row.by
        if column == self.COL_NOTE:
            return row.note or ("From the readiness checklist" if row.source == "data"
                                and row.status is StepStatus.DONE else "")
        return ""  # the view puts the step's button there

    def extra(self, row: JourneyStep, column: int, role: int) -> Any:
        if column == self.COL_DATE and role == Qt.ItemDataRole.ToolTipRole and row.by:
            return f"Recorded by {row.by}"
        if column != self.COL_STEP:
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return _icon(NEXT_ICON if row.id == self.next_id else _ICONS[row.status])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{STATUS_LABELS[row.status]}: {row.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            how = ("computed from the readiness checklist" if row.source == "data"
                   else "partner-wide: recorded once for every site" if row.partner_wide
                   else "recorded by you")
            return f"{STATUS_LABELS[row.status]} ({how}); step id: {row.id}"
        return None


class PartnerJourneyModel(RowTableModel):
    COL_COMPANY, COL_SITE, COL_PROGRESS, COL_NEXT, COL_OVERDUE = range(5)
    HEADERS: ClassVar[tuple[str, ...]] = ("Company", "Site", "Progress", "Next step",
                                          "Overdue")

    def row_id(self, row: SiteJourney) -> str:
        return row.journey.site_id

    def display(self, row: SiteJourney, column: int) -> str:
        j = row.journey
        if column == self.COL_COMPANY:
            return row.company
        if column == self.COL_SITE:
            return j.site_name
        if column == self.COL_PROGRESS:
            return f"{j.done_count} of {len(j.steps)}"
        if column == self.COL_NEXT:
            return STEP_BY_ID[j.next].title if j.next else "Complete"
        return "; ".join(o.message for o in j.overdue) or "—"

    def sort_value(self, row: SiteJourney, column: int) -> Any:
        if column == self.COL_PROGRESS:
            return row.journey.done_count
        if column == self.COL_OVERDUE:
            return len(row.journey.overdue)
        return self.display(row, column)

    def extra(self, row: SiteJourney, column: int, role: int) -> Any:
        if (role == Qt.ItemDataRole.DecorationRole and column == self.COL_OVERDUE
                and row.journey.overdue):
            return _icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return None
