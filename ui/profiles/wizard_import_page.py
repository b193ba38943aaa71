"""Steps 4 and 5 of the import wizard: import (one transaction, progress, Cancel) and result."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from app.profiles import Sheet, ValidationCancelled
from app.services.profiles import rejects_suffix
from ui.ops import present_to
from ui.profiles.jobs import Job
from ui.profiles.profile_dialogs import site_label
from ui.profiles.progress_panel import ProgressPanel
from ui.widgets.policy_common import NoticeBar, as_sentence

if TYPE_CHECKING:
    from app.services.profiles import ImportResult
    from ui.profiles.import_wizard import ImportWizard


def rejects_path_for(source: Path, sheet: Sheet) -> Path:
    """Beside the source: CSV stays CSV, workbooks (XLSX, ODS) get an XLSX."""
    return source.with_name(f"{source.stem} - rejected rows{rejects_suffix(sheet)}")


def nothing_imported(exc: BaseException) -> str:
    """Why an import wrote nothing: a refusal, or the rejects file that cannot be written."""
    if isinstance(exc, OSError):
        return (f"Nothing was imported: {exc.strerror or exc} ({exc.filename or ''}). "
                "Choose another rejects file.")
    return f"Nothing was imported. {as_sentence(str(exc))}"


class ImportPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle("Import")
        self.setSubTitle("The import is one transaction: all accepted rows or nothing. "
                         "Profiles the site already has (same email, or same name and phone) "
                         "are updated, not duplicated.")
        self.setButtonText(QWizard.WizardButton.NextButton, "&Import")
        self.job: Job | None = None
        self.done = False
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.skip = QCheckBox("Skip invalid rows (import only the rows without errors)", self)
        self.skip.setObjectName("skipInvalid")
        layout.addWidget(self.skip)
        row = QHBoxLayout()
        self.write_rejects = QCheckBox("Write the skipped rows, with their errors, to:", self)
        self.write_rejects.setObjectName("writeRejects")
        self.rejects_edit = QLineEdit(self)
        self.rejects_edit.setObjectName("rejectsPath")
        self.rejects_edit.setAccessibleName("Rejects file")
        self.rejects_browse = QPushButton("Browse…", self)
        self.rejects_browse.clicked.connect(self._browse)
        row.addSpacing(24)
        row.addWidget(self.write_rejects)
        row.addWidget(self.rejects_edit, 1)
        row.addWidget(self.rejects_browse)
        layout.addLayout(row)
        self.progress = ProgressPanel(self)
        layout.addWidget(self.progress)
        self.notice = NoticeBar(self)
        self.notice.setObjectName("importNotice")
        layout.addWidget(self.notice)
        layout.addStretch(1)
        self.skip.toggled.connect(self._update)
        self.write_rejects.toggled.connect(self._update)

    def initializePage(self) -> None:
        report = self.owner.report
        assert report is not None
        assert self.owner.sheet is not None
        self.done = False
        self.notice.clear()
        bad = len(report.error_rows - {self.owner.sheet.header_row})
        site = site_label(self.owner.site)
        if bad:
            self.summary.setText(
                f"{report.valid_rows:,} of {report.rows:,} rows are ready to import into "
                f"{site}; {bad:,} still have errors. Skip them, or go Back and fix them.")
        else:
            self.summary.setText(f"All {report.rows:,} rows are ready to import into {site}.")
        self.skip.setChecked(False)
        self.skip.setEnabled(bad > 0)
        if self.owner.path is not None and not self.rejects_edit.text():
            self.rejects_edit.setText(str(rejects_path_for(self.owner.path, self.owner.sheet)))
        self._update()

    def _bad_rows(self) -> int:
        report, sheet = self.owner.report, self.owner.sheet
        if report is None or sheet is None:
            return 0
        return len(report.error_rows - {sheet.header_row})

    def _update(self, *_args: Any) -> None:
        running = self.job is not None and self.job.running
        self.write_rejects.setEnabled(self.skip.isChecked() and not running)
        on = self.skip.isChecked() and self.write_rejects.isChecked()
        self.rejects_edit.setEnabled(on)
        self.rejects_browse.setEnabled(on)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.job is not None and self.job.running:
            return False
        return self._bad_rows() == 0 or self.skip.isChecked()

    def _browse(self) -> None:
        current = Path(self.rejects_edit.text() or ".")
        path = self.owner.dialogs.export_path("Write the Rejected Rows To", current)
        if path is not None:
            self.rejects_edit.setText(str(path))

    def rejects(self) -> Path | None:
        if not (self.skip.isChecked() and self.write_rejects.isChecked()):
            return None
        text = self.rejects_edit.text().strip()
        return Path(text).expanduser() if text else None

    def validatePage(self) -> bool:
        if self.done:
            return True
        self.start()
        return False

    def start(self) -> None:
        if self.job is not None and self.job.running:
            return
        sheet = self.owner.sheet
        assert sheet is not None
        service, site = self.owner.service, self.owner.site.id
        skip, rejects = self.skip.isChecked(), self.rejects()
        self.notice.clear()
        job = self.job = Job(self)
        self.progress.attach(job, "Importing…")
        self.skip.setEnabled(False)
        self._update()

        def work(progress: Any, cancelled: Any) -> ImportResult:
            return service.import_sheet(site, sheet, skip_invalid=skip, rejects=rejects,
                                        progress=progress, cancelled=cancelled)

        job.start(work, lambda result: self._imported(job, result),
                  lambda exc: self._failed(job, exc))

    def _imported(self, job: Job, result: ImportResult) -> None:
        if job is not self.job:
            return
        self.owner.import_result = result
        self.done = True
        self.owner.imported.emit(self.owner.site.id)
        self.owner.import_done.emit(result)
        self.owner.next()

    def _failed(self, job: Job, exc: BaseException) -> None:
        if job is not self.job:
            return
        self.skip.setEnabled(self._bad_rows() > 0)
        self._update()
        if job.is_cancelled() or isinstance(exc, ValidationCancelled):
            self.notice.show_message("Import cancelled: nothing was imported.", "info")
        else:
            present_to(exc, lambda text: self.notice.show_message(text, "error"),
                       text=nothing_imported, environment=True)


class ResultPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle("Imported")
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.counts: dict[str, QLabel] = {}
        for key, label in (("created", "New profiles"), ("updated", "Updated profiles"),
                           ("unchanged", "Already up to date"), ("rejected", "Rows skipped")):
            value = QLabel(self)
            value.setObjectName(f"result_{key}")
            self.counts[key] = value
            form.addRow(label + ":", value)
        layout.addLayout(form)
        self.rejects = QLabel(self)
        self.rejects.setObjectName("resultRejects")
        self.rejects.setWordWrap(True)
        layout.addWidget(self.rejects)
        self.undo_hint = QLabel(self)
        self.undo_hint.setObjectName("resultUndo")
        self.undo_hint.setWordWrap(True)
        layout.addWidget(self.undo_hint)
        layout.addStretch(1)

    def initializePage(self) -> None:
        result = self.owner.import_result
        assert result is not None
        for key, label in self.counts.items():
            label.setText(f"{getattr(result, key):,}")
        self.setSubTitle(f"The profiles of {site_label(self.owner.site)} are up to date.")
        path = result.rejects_path
        self.rejects.setText(f"The skipped rows, with their errors, are in {path}." if path
                             else "")
        changed = result.created + result.updated
        self.undo_hint.setText("Edit → Undo (Ctrl+Z) in the main window takes this import back."
                               if changed else "")
