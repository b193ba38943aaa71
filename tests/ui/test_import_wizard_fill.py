"""The import wizard as a new user meets it: a typed path is read without Enter, and a file
with Office Phone but no Office Country Code column is mended in bulk (previewed first)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from app.services.views import SiteView
from app.services.workspace import Workspace
from tests.ui.conftest import wait_idle
from tests.ui.profiles_support import write_csv
from ui.profiles.country_fill_dialog import CountryFillDialog
from ui.profiles.import_wizard import PAGE_MAPPING, PAGE_VALIDATION, ImportWizard

HEADERS = ["First Name*", "Last Name*", "Email", "Office Phone"]


@pytest.fixture
def site(sample_workspace: Workspace) -> SiteView:
    return next(s for s in sample_workspace.sites.all() if s.name == "Main Office")


@pytest.fixture
def wizard(qtbot: Any, sample_workspace: Workspace, site: SiteView) -> Iterator[ImportWizard]:
    wizard = ImportWizard(sample_workspace.profiles, site)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    yield wizard
    wait_idle(qtbot)


@pytest.fixture
def office_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "office.csv", HEADERS, [
        ["Ada", "Lovelace", "ada@example.com", "415 555 3657"],
        ["Bob", "Hyphen", "bob@example.com", ""],
        ["Cy", "Dots", "cy@example.com", "415-555-3662"],
    ])


def next_button(wizard: ImportWizard) -> Any:
    return wizard.button(QWizard.WizardButton.NextButton)


def test_a_typed_path_is_read_without_enter(qtbot: Any, wizard: ImportWizard,
                                            office_csv: Path) -> None:
    page = wizard.file_page
    page.path_edit.setFocus()
    qtbot.keyClicks(page.path_edit, str(office_csv)[:-4])
    qtbot.wait(600)
    assert "No file at that path yet" in page.info.text()  # says why Next waits
    assert not next_button(wizard).isEnabled()
    qtbot.keyClicks(page.path_edit, ".csv")
    qtbot.waitUntil(lambda: wizard.read_sheet is not None, timeout=10_000)
    assert next_button(wizard).isEnabled()
    assert page.path_edit.text() == str(office_csv)  # the user's text, cursor and all
    assert "Read 3 rows" in page.info.text()


def test_a_typed_path_is_read_on_focus_out(qtbot: Any, wizard: ImportWizard,
                                           office_csv: Path) -> None:
    page = wizard.file_page
    page.path_edit.setFocus()
    page.path_edit.setText(str(office_csv))  # pasted: no pause timer runs
    page.encoding.setFocus()  # Tab away
    qtbot.waitUntil(lambda: wizard.read_sheet is not None, timeout=10_000)
    assert next_button(wizard).isEnabled()


def test_a_missing_office_country_code_column_is_added_and_filled(
        qtbot: Any, wizard: ImportWizard, office_csv: Path) -> None:
    wizard.file_page.read(office_csv, advance=True)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_MAPPING, timeout=10_000)
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_VALIDATION)
    page = wizard.validation_page
    qtbot.waitUntil(lambda: wizard.report is not None and not wizard.busy(), timeout=10_000)
    missing = [i for i in wizard.report.issues if i.code == "country_code.missing"]
    assert [i.row for i in missing] == [2, 4]  # every office phone is an error
    assert page.fill_country_button.isEnabled()
    page.fill_country_button.click()
    dialog = page.country_dialog
    assert isinstance(dialog, CountryFillDialog)
    assert dialog.line.currentText() == "Office Phone"
    assert dialog.preview.text().startswith(
        "Adds an 'Office Country Code' column and fills it with US in 2 rows")
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, "QQ")
    assert "not a 2-letter ISO country code" in dialog.preview.text()
    assert not dialog.apply.isEnabled()
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, "us")
    assert dialog.apply.isEnabled()
    dialog.apply.click()
    qtbot.waitUntil(lambda: wizard.report is not None and not wizard.busy(), timeout=10_000)
    assert not [i for i in wizard.report.issues if i.code.startswith("country_code")]
    assert "Filled 'Office Country Code' with US in 2 rows." in page.notice.text()
    assert not page.fill_country_button.isEnabled()
    assert office_csv.read_text().splitlines()[0] == ",".join(HEADERS)  # the file untouched
