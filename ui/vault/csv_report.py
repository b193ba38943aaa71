"""The validation report of an IT Glue / Hudu password CSV before it is imported: a grid of
row, column, severity and message (the client profiles' report style), then Import.

The report carries no secret (app/vault/csvimport.py); the import runs off the GUI thread.
With errors in the file, Import needs "Leave out the rows with errors" ticked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.models.rows import RowTableModel
from ui.widgets.policy_common import as_sentence
from ui.widgets.row_table import row_table

SEVERITY_COLORS = {"error": "#b3261e", "warning": "#8a5a00"}  # light; data(): ui.theme


class ReportModel(RowTableModel):
    COL_ROW, COL_COLUMN, COL_SEVERITY, COL_MESSAGE = range(4)
    HEADERS: ClassVar[tuple[str, ...]] = ("Row", "Column", "Severity", "Message")
    NUMERIC = frozenset({0})

    def row_id(self, row: Any) -> str:
        return f"{row.row}:{row.column}:{row.code}"

    def display(self, row: Any, column: int) -> str:
        if column == self.COL_ROW:
            return str(row.row)
        if column == self.COL_COLUMN:
            return str(row.column)
        if column == self.COL_SEVERITY:
            return str(row.severity)
        if column == self.COL_MESSAGE:
            return as_sentence(row.message)
        return ""

    def sort_value(self, row: Any, column: int) -> Any:
        return row.row if column == self.COL_ROW else self.display(row, column)

    def extra(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_SEVERITY:
            return theme.color(row.severity) if row.severity in SEVERITY_COLORS else None
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_MESSAGE:
            return f"Proposed: {row.fix}" if getattr(row, "fix", None) else None
        return None


def summary(report: Any) -> str:
    bad = len({i.row for i in report.issues if i.severity == "error"})
    text = (f"{report.rows:,} row{'s' if report.rows != 1 else ''}: {report.valid_rows:,} "
            f"ready to import, {bad:,} with errors, {report.warnings:,} "
            f"warning{'s' if report.warnings != 1 else ''}.")
    return text if report.issues else text + " Nothing to fix."


class CsvReportDialog(QDialog):
    import_requested = Signal(bool)  # skip_invalid

    def __init__(self, report: Any, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vaultCsvReport")
        self.setWindowTitle(f"Import Passwords — {file_name}")
        self.resize(760, 440)
        self.report = report
        layout = QVBoxLayout(self)
        self.summary = QLabel(summary(report), self)
        self.summary.setObjectName("csvReportSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = ReportModel(self)
        self.model.set_rows(report.issues)
        self.table = row_table(self.model, self, "csvReportTable", "Findings of the file")
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.resizeSection(0, 50)
        header.resizeSection(1, 120)
        header.resizeSection(2, 80)
        layout.addWidget(self.table, 1)
        self.header_error = any(i.row == 1 and i.severity == "error" for i in report.issues)
        self.error_rows = {i.row for i in report.issues if i.severity == "error"}
        self.skip = QCheckBox("Leave out the rows with errors", self)
        self.skip.setObjectName("skipInvalidRows")
        self.skip.setVisible(bool(self.error_rows) and not self.header_error)
        self.skip.toggled.connect(lambda _on: self._update())
        layout.addWidget(self.skip)
        self.message = QLabel(self)
        self.message.setObjectName("csvReportMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton("Import",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importCsvRows")
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        if self.header_error:
            self.message.setText("The header row has errors: nothing can be imported from "
                                 "this file.")
        ready = not self.header_error and (not self.error_rows or self.skip.isChecked())
        self.import_button.setEnabled(ready and self.report.valid_rows > 0)

    def _import(self) -> None:
        self.buttons.setEnabled(False)
        self.message.setText("Importing…")
        self.import_requested.emit(self.skip.isChecked())

    def failed(self, text: str) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(text)


def open_csv_report(report: Any, file_name: str, parent: QWidget | None,
                    on_import: Callable[[CsvReportDialog, bool], None]) -> CsvReportDialog:
    dialog = CsvReportDialog(report, file_name, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.import_requested.connect(lambda skip: on_import(dialog, skip))
    dialog.open()
    return dialog


__all__ = ["CsvReportDialog", "ReportModel", "open_csv_report", "summary"]
