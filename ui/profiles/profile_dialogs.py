"""The questions the profile tab, the import wizard and file drops ask, behind one object that
tests replace (as `ui.dialogs.DialogService`, which it extends): spreadsheet file dialogs and
"which site?"."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog

from app.services.views import SiteView
from ui.dialogs import DialogService

SHEET_FILTER = ("Spreadsheets (*.xlsx *.ods *.csv *.txt *.tsv);;Excel workbooks (*.xlsx);;"
                "OpenDocument spreadsheets (*.ods);;CSV files (*.csv *.txt *.tsv);;All files (*)")
XLSX_FILTER = "Excel workbook (*.xlsx)"
CSV_FILTER = "CSV, UTF-8 (*.csv)"
EXPORT_FILTER = f"{XLSX_FILTER};;{CSV_FILTER}"


def site_label(site: SiteView) -> str:
    return f"{site.company} — {site.name}"


class ProfileDialogs(DialogService):
    def open_sheet(self, title: str, start: Path) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, title, str(start), SHEET_FILTER)
        return Path(name) if name else None

    def export_path(self, title: str, suggested: Path) -> Path | None:
        """Where to write profiles: .xlsx or .csv (the suffix follows the chosen filter)."""
        chosen = XLSX_FILTER if suggested.suffix.lower() != ".csv" else CSV_FILTER
        name, used = QFileDialog.getSaveFileName(self.parent, title, str(suggested),
                                                 EXPORT_FILTER, chosen)
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_suffix(".csv" if used == CSV_FILTER else ".xlsx")
        return path

    def choose_site(self, title: str, sites: Sequence[SiteView],
                    current: str | None = None) -> SiteView | None:
        """One of `sites` (a combo box), or None when cancelled."""
        labels = [site_label(s) for s in sites]
        start = next((i for i, s in enumerate(sites) if s.id == current), 0)
        label, ok = QInputDialog.getItem(self.parent, title, "Import the profiles into site:",
                                         labels, start, False)
        if not ok or label not in labels:
            return None
        return sites[labels.index(label)]
