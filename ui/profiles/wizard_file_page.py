"""Step 1 of the import wizard: the file, read off the GUI thread (a bad file says why)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from app.profiles import Sheet, read_sheet
from ui.ops import present_to
from ui.profiles.jobs import Job
from ui.profiles.profile_dialogs import site_label
from ui.profiles.progress_panel import ProgressPanel
from ui.widgets.policy_common import NoticeBar, as_sentence

if TYPE_CHECKING:
    from ui.profiles.import_wizard import ImportWizard


TYPING_PAUSE_MS = 400
ENCODINGS = (("Detect", None), ("UTF-8", "utf-8-sig"), ("UTF-16 (Excel Unicode Text)", "utf-16"),
             ("Windows-1252 (Western)", "cp1252"), ("ISO-8859-1 (Latin-1)", "latin-1"))
DELIMITERS = (("Detect", None), ("Comma ,", ","), ("Semicolon ;", ";"), ("Tab", "\t"),
              ("Pipe |", "|"))


def read_failure(path: Path, exc: BaseException) -> str:
    """The message for a file that cannot be read (a refusal, or an `OSError`)."""
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return f"Cannot open {path}: {reason}. Check that the file exists and is readable."
    return f"{path.name} was not imported. {as_sentence(str(exc))}"


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle("Choose the spreadsheet")
        self.setSubTitle(f"Profiles go into {site_label(wizard.site)}. Excel (.xlsx), "
                         "LibreOffice (.ods) or CSV in the client-profile template; nothing is "
                         "imported before the last step.")
        self.job: Job | None = None
        self._advance = False
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("importPath")
        self.path_edit.setAccessibleName("Spreadsheet file")
        self.path_edit.setPlaceholderText("Path of an .xlsx, .ods or .csv file")
        self.path_edit.returnPressed.connect(self._read_typed)
        self.path_edit.editingFinished.connect(self._read_typed)  # Tab or a click elsewhere
        self.path_edit.textEdited.connect(self._forget)
        # a typed path is read once the typing pauses on the name of a file
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._typed_pause)
        self.path_edit.textEdited.connect(lambda _t: self._typing.start())
        self.browse = QPushButton("Browse…", self)
        self.browse.setObjectName("browseSheet")
        self.browse.clicked.connect(self._browse)
        row.addWidget(QLabel("File:", self))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        layout.addLayout(row)
        layout.addLayout(self._build_text_options())
        self.progress = ProgressPanel(self)
        layout.addWidget(self.progress)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.notice = NoticeBar(self)  # last: a message moves nothing
        self.notice.setObjectName("fileNotice")
        layout.addWidget(self.notice)
        layout.addStretch(1)

    def _build_text_options(self) -> QHBoxLayout:
        """Encoding and delimiter of a CSV file: detected, or chosen when detection is wrong."""
        row = QHBoxLayout()
        self.encoding = QComboBox(self)
        self.encoding.setObjectName("csvEncoding")
        self.encoding.setAccessibleName("Text encoding of a CSV file")
        for label, value in ENCODINGS:
            self.encoding.addItem(label, value)
        self.delimiter = QComboBox(self)
        self.delimiter.setObjectName("csvDelimiter")
        self.delimiter.setAccessibleName("Delimiter of a CSV file")
        for label, value in DELIMITERS:
            self.delimiter.addItem(label, value)
        row.addWidget(QLabel("CSV encoding:", self))
        row.addWidget(self.encoding)
        row.addSpacing(12)
        row.addWidget(QLabel("Delimiter:", self))
        row.addWidget(self.delimiter)
        row.addStretch(1)
        self.encoding.activated.connect(lambda _i: self._read_again())
        self.delimiter.activated.connect(lambda _i: self._read_again())
        return row

    def _read_again(self) -> None:
        if self.owner.path is not None:
            self.read(self.owner.path)

    def isComplete(self) -> bool:
        return self.owner.read_sheet is not None and not (self.job and self.job.running)

    def _forget(self, *_args: Any) -> None:
        if self.owner.read_sheet is not None:
            self.owner.read_sheet = None
            self.info.clear()
            self.completeChanged.emit()

    def _browse(self) -> None:
        start = self.owner.path.parent if self.owner.path else Path.home()
        path = self.owner.dialogs.open_sheet("Import Client Profiles", start)
        if path is not None:
            self.read(path)

    def _read_typed(self) -> None:
        self._typing.stop()
        text = self.path_edit.text().strip()
        if not text:
            return
        path = Path(text).expanduser()
        if path == self.owner.path and (self.owner.read_sheet is not None
                                        or (self.job is not None and self.job.running)):
            return  # read already, or being read
        self.read(path)

    def _typed_pause(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            return
        if Path(text).expanduser().is_file():
            self._read_typed()
        else:
            self.info.setText("No file at that path yet: finish typing it, or use Browse…")

    def read(self, path: Path, *, advance: bool = False) -> None:
        """Read `path` in a worker thread; with `advance`, go on to the columns once read."""
        if self.job is not None:
            self.job.cancel()
        self.owner.path = path
        self.owner.read_sheet = None
        self._advance = advance
        if Path(self.path_edit.text().strip()).expanduser() != path:
            self.path_edit.setText(str(path))  # not while the user's own text says it
        self.notice.clear()
        self.info.clear()
        job = self.job = Job(self)
        self.progress.attach(job, f"Reading {path.name}…")
        self.completeChanged.emit()

        encoding, delimiter = self.encoding.currentData(), self.delimiter.currentData()

        def read(_progress: Any, _cancelled: Any) -> Sheet:
            return read_sheet(path, encoding=encoding, delimiter=delimiter)

        job.start(read, lambda sheet: self._read(job, path, sheet),
                  lambda exc: self._failed(job, path, exc))

    def _read(self, job: Job, path: Path, sheet: Sheet) -> None:
        if job is not self.job or job.is_cancelled():
            return
        self.owner.read_sheet = sheet
        self.owner.sheet = sheet
        where = (f"sheet '{sheet.name}'" if sheet.source != "csv"
                 else f"{sheet.encoding or 'text'}, delimiter {sheet.delimiter!r}")
        unknown = len(sheet.unknown_columns) + len(sheet.duplicate_columns)
        rows, columns = len(sheet.rows), len(sheet.headers)
        self.info.setText(
            f"Read {rows:,} row{'' if rows == 1 else 's'} and {columns} column"
            f"{'' if columns == 1 else 's'} ({where}). "
            + (f"{unknown} column(s) need a decision on the next step." if unknown
               else "Every column matches the template."))
        self.completeChanged.emit()
        if self._advance and self.owner.currentPage() is self:
            self.owner.next()

    def _failed(self, job: Job, path: Path, exc: BaseException) -> None:
        if job is not self.job:
            return
        present_to(exc, self._show_failure, text=lambda e: read_failure(path, e),
                   environment=True)

    def _show_failure(self, message: str) -> None:
        self.notice.show_message(message, "error")
        self.completeChanged.emit()
