"""Step 3 of the import wizard: every finding on its cell; fix, edit, validate again.

Validation runs off the GUI thread through the ProfileService (the site's existing profiles
count as duplicates) with progress and Cancel. Applying fixes or editing a cell validates the
sheet again at once (a run still going is cancelled, its outcome dropped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from app.profiles import CODES, Issue, Report, ValidationCancelled
from app.profiles.template import BY_FIELD, PHONE_LINES
from ui.ops import present_failure
from ui.profiles.country_fill_dialog import CountryFillDialog
from ui.profiles.grid_model import SheetGridModel, describe
from ui.profiles.jobs import Job
from ui.profiles.progress_panel import ProgressPanel
from ui.widgets.policy_common import NoticeBar

if TYPE_CHECKING:
    from ui.profiles.import_wizard import ImportWizard


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def summary_text(report: Report, header_row: int) -> str:
    bad = len(report.error_rows - {header_row})
    text = (f"{plural(report.rows, 'row')}: {report.valid_rows:,} ready to import, "
            f"{plural(bad, 'row')} with errors, {plural(report.warnings, 'warning')}.")
    header = [i.message for i in report.issues if i.row == header_row]
    if header:
        text += " Header: " + " ".join(header)
    if bad:
        text += (" Cells with errors are red, warnings yellow; hover or select a cell to see "
                 "why. Fix them here, or skip those rows on the next step.")
    return text


class ValidationPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle("Check the profiles")
        self.setSubTitle("Each finding is on its cell. Apply the proposed fixes or edit cells "
                         "in place (double-click or F2); the rows are checked again at once.")
        self.job: Job | None = None
        self.cancelled = False
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("validationSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        bar = QHBoxLayout()
        self.errors_only = QCheckBox("Errors only", self)
        self.errors_only.setObjectName("errorsOnly")
        self.errors_only.setToolTip("Show only the rows that have an error")
        self.fix_button = QPushButton("Apply Fix", self)
        self.fix_button.setObjectName("applyFix")
        self.fix_button.setToolTip("Put the proposed value into the selected cell")
        self.fix_all_button = QPushButton("Apply All Fixes of This Kind", self)
        self.fix_all_button.setObjectName("applyAllFixes")
        self.fill_country_button = QPushButton("Fill Country Code…", self)
        self.fill_country_button.setObjectName("fillCountryCode")
        self.fill_country_button.setToolTip("Give every phone number of a line the same "
                                            "country code (adds the column when the file "
                                            "lacks it)")
        self.fill_country_button.clicked.connect(lambda _c=False: self.open_country_fill())
        self.country_dialog: CountryFillDialog | None = None
        self.revalidate_button = QPushButton("Check Again", self)
        self.revalidate_button.setObjectName("revalidate")
        self.revalidate_button.setToolTip("Validate every row again (F5)")
        bar.addWidget(self.errors_only)
        bar.addStretch(1)
        for button in (self.fix_button, self.fix_all_button, self.fill_country_button,
                       self.revalidate_button):
            bar.addWidget(button)
        layout.addLayout(bar)
        self._build_grid(layout)

    def _build_grid(self, layout: QVBoxLayout) -> None:
        self.progress = ProgressPanel(self)
        self.notice = NoticeBar(self)
        self.model = SheetGridModel(self)
        self.grid = QTableView(self)
        self.grid.setObjectName("validationGrid")
        self.grid.setAccessibleName("Rows of the file with their findings")
        self.grid.setModel(self.model)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.grid.verticalHeader().setDefaultSectionSize(22)
        self.grid.horizontalHeader().setDefaultSectionSize(130)
        layout.addWidget(self.grid, 1)
        # a message, or the rows being checked again, moves no cell under the pointer
        self.notice.float_over(self.grid, edge="bottom")
        self.progress.float_over(self.grid)
        self.detail = QLabel(self)
        self.detail.setObjectName("cellFindings")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)
        self._again = QTimer(self)  # edits validate again once the editor has closed
        self._again.setSingleShot(True)
        self._again.setInterval(0)
        self._again.timeout.connect(self.validate)
        self.errors_only.toggled.connect(self._errors_only)
        self.fix_button.clicked.connect(lambda _c=False: self.apply_fix())
        self.fix_all_button.clicked.connect(lambda _c=False: self.apply_all_fixes())
        self.revalidate_button.clicked.connect(lambda _c=False: self.validate())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.validate)
        self.model.edited.connect(self._edited)
        self.model.modelReset.connect(self._update_buttons)
        self.grid.selectionModel().currentChanged.connect(self._current_changed)
        self._update_buttons()

    # the wizard
    def initializePage(self) -> None:
        sheet = self.owner.sheet
        assert sheet is not None
        self.model.set_sheet(sheet)
        self.validate()

    def cleanupPage(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.job = None
        self.owner.report = None

    def isComplete(self) -> bool:
        return (self.owner.report is not None and not self.model.stale
                and not (self.job is not None and self.job.running))

    # validating
    def validate(self) -> None:
        sheet = self.owner.sheet
        if sheet is None:
            return
        if self.job is not None:
            self.job.cancel()
        self.cancelled = False
        self.owner.report = None
        job = self.job = Job(self)
        self.progress.attach(job, "Checking the rows…")
        self.revalidate_button.setEnabled(False)
        self.completeChanged.emit()
        service, site = self.owner.service, self.owner.site.id

        def work(progress: Any, cancelled: Any) -> Report:
            return service.validate(site, sheet, progress=progress, cancelled=cancelled)

        job.start(work, lambda report: self._validated(job, report),
                  lambda exc: self._failed(job, exc))

    def _validated(self, job: Job, report: Report) -> None:
        if job is not self.job:
            return
        if job.is_cancelled():  # Cancel came while the last chunk ran: honour it all the same
            self._failed(job, ValidationCancelled(report.rows))
            return
        current = self._current_cell()
        self.owner.report = report
        self.model.set_report(report)
        assert self.owner.sheet is not None
        self.summary.setText(summary_text(report, self.owner.sheet.header_row))
        self._update_buttons()
        self.revalidate_button.setEnabled(True)
        self._restore_cell(current)
        self.completeChanged.emit()

    def _failed(self, job: Job, exc: BaseException) -> None:
        if job is not self.job:
            return
        self.revalidate_button.setEnabled(True)
        if isinstance(exc, ValidationCancelled) or job.is_cancelled():
            self.cancelled = True
            self.summary.setText("Checking was cancelled; nothing was changed. Press Check "
                                 "Again to check the rows before importing.")
        else:
            present_failure(exc, self.notice, "Could not check the rows")
        self.completeChanged.emit()

    # fixing
    def _current_cell(self) -> tuple[int, int] | None:
        index = self.grid.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_number(index.row()), index.column()

    def _restore_cell(self, cell: tuple[int, int] | None) -> None:
        if cell is None:
            return
        index = self.model.index_of(*cell)
        if index.isValid():
            self.grid.setCurrentIndex(index)
            self.grid.scrollTo(index)

    def current_issue(self) -> Issue | None:
        """The selected cell's first finding with a proposed fix (errors first)."""
        issues = self.model.issues_at(self.grid.currentIndex())
        fixable = [i for i in issues if i.fix is not None]
        fixable.sort(key=lambda i: i.severity != "error")
        return fixable[0] if fixable else None

    def apply_fix(self) -> None:
        issue = self.current_issue()
        if issue is None:
            return
        if self.model.apply_fixes([issue]):
            self.notice.show_message(f"Row {issue.row}, {issue.column.rstrip('*')}: "
                                     f"{'cleared' if not issue.fix else repr(issue.fix)}.",
                                     "success")

    def apply_all_fixes(self) -> None:
        issue = self.current_issue()
        if issue is None:
            return
        issues = self.model.fixable(issue.code)
        changed = self.model.apply_fixes(issues)
        what = CODES.get(issue.code, issue.code)
        fixes = "1 fix" if changed == 1 else f"{changed:,} fixes"
        self.notice.show_message(f"Applied {fixes} for “{what}”.", "success")

    def missing_country_lines(self) -> list[str]:
        """The phone lines (field ids) with a number but no country code, per the report."""
        report = self.owner.report
        sheet = self.owner.sheet
        if report is None or sheet is None:
            return []
        missing = {i.column for i in report.issues if i.code == "country_code.missing"}
        return [phone for cc, phone in PHONE_LINES if BY_FIELD[cc].header in missing
                and phone in sheet.columns]

    def open_country_fill(self) -> CountryFillDialog | None:
        lines = self.missing_country_lines()
        sheet = self.owner.sheet
        if not lines or sheet is None:
            return None
        dialog = CountryFillDialog(sheet, lines, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._country_filled(dialog))
        self.country_dialog = dialog
        dialog.open()
        return dialog

    def _country_filled(self, dialog: CountryFillDialog) -> None:
        sheet, fill = dialog.result_sheet, dialog.fill
        if sheet is None or fill is None:
            return
        self.owner.sheet = sheet
        self.model.set_sheet(sheet)
        count = len(fill.rows)
        self.notice.show_message(f"Filled '{fill.column}' with {fill.code} in {count:,} "
                                 f"row{'' if count == 1 else 's'}.", "success")
        self.validate()

    def _edited(self) -> None:
        self.owner.report = None
        self.completeChanged.emit()
        self._again.start()

    def _errors_only(self, on: bool) -> None:
        current = self._current_cell()
        self.model.set_errors_only(on)
        self._restore_cell(current)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        issues = self.model.issues_at(current)
        if current.isValid() and not issues:
            issues = self.model.row_issues(current.row())
        self.detail.setText(describe(issues).replace("\n\n", "  ·  ").replace("\n", " ")
                            if issues else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        issue = self.current_issue()
        self.fix_button.setEnabled(issue is not None)
        count = len(self.model.fixable(issue.code)) if issue is not None else 0
        self.fix_all_button.setEnabled(count > 0)
        self.fill_country_button.setEnabled(bool(self.missing_country_lines()))
        self.fix_all_button.setText(f"Apply All {count:,} Fixes of This Kind" if count > 1
                                    else "Apply All Fixes of This Kind")
