"""Import client profiles from a spreadsheet into one site, step by step:

1. file     choose a file (or it comes from a drop) and read it off the GUI thread;
2. columns  map the headers the template does not know (a combo per column: field or ignore);
3. check    the validation grid: findings per cell, errors only, Apply fix / Apply all fixes of
            this kind, edit cells in place; every change is validated again off the GUI thread;
4. import   skip invalid rows (optionally writing them to a rejects file) and import, in one
            transaction, with progress and Cancel;
5. result   how many profiles were created, updated, unchanged and rejected.

Nothing in the workspace changes before step 4 succeeds. The wizard is window-modal and opened
with `open()`; `imported(site_id)` fires when profiles were written, then `import_done(result)`
(whoever opened the wizard pushes the import on the undo stack).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget, QWizard

from app.profiles import Report, Sheet
from app.services.views import SiteView
from ui.profiles.profile_dialogs import ProfileDialogs, site_label
from ui.profiles.wizard_file_page import FilePage
from ui.profiles.wizard_import_page import ImportPage, ResultPage
from ui.profiles.wizard_mapping_page import MappingPage
from ui.profiles.wizard_validation_page import ValidationPage

if TYPE_CHECKING:
    from app.services.profiles import ImportResult, ProfileService

PAGE_FILE, PAGE_MAPPING, PAGE_VALIDATION, PAGE_IMPORT, PAGE_RESULT = range(5)


class ImportWizard(QWizard):
    imported = Signal(str)  # site id
    import_done = Signal(object)  # the ImportResult, right after `imported`: for Undo

    def __init__(self, service: ProfileService, site: SiteView, *,
                 dialogs: ProfileDialogs | Any | None = None, path: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle(f"Import Client Profiles — {site_label(site)}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(1060, 700)
        self.service = service
        self.site = site
        self.dialogs = dialogs if dialogs is not None else ProfileDialogs(self)
        self.path: Path | None = path
        self.read_sheet: Sheet | None = None  # as read
        self.sheet: Sheet | None = None  # with the user's column mapping
        self.report: Report | None = None
        self.import_result: ImportResult | None = None
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.validation_page = ValidationPage(self)
        self.import_page = ImportPage(self)
        self.result_page = ResultPage(self)
        for number, page in enumerate((self.file_page, self.mapping_page, self.validation_page,
                                       self.import_page, self.result_page)):
            self.setPage(number, page)
        self.setStartId(PAGE_FILE)
        if path is not None:
            self.file_page.read(path, advance=True)

    def busy(self) -> bool:
        """Whether a read, validation or import is running."""
        return any(page.job is not None and page.job.running
                   for page in (self.file_page, self.validation_page, self.import_page))

    def reject(self) -> None:
        """Cancel (or Esc, or closing): stop what runs; nothing was imported unless step 4
        finished."""
        for page in (self.file_page, self.validation_page, self.import_page):
            if page.job is not None:
                page.job.cancel()
        super().reject()

    def keyPressEvent(self, event: Any) -> None:
        # Enter in the grid's editor must not press Next.
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.currentId() == PAGE_VALIDATION):
            return
        super().keyPressEvent(event)
