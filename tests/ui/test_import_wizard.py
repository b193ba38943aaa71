"""The import wizard, driven like a user: a file dropped on the window, columns mapped, fixes
applied, a cell edited in place, validated again, imported; and what must change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QWizard

from app.services.views import SiteView
from app.services.workspace import Workspace
from tests.ui.conftest import wait_idle
from tests.ui.profiles_support import (
    TEMPLATE,
    ScriptedProfileDialogs,
    drop_files,
    profile_row,
    write_csv,
    write_xlsx,
)
from ui.main_window import MainWindow
from ui.profiles.grid_model import ERROR_BRUSH
from ui.profiles.import_wizard import (
    PAGE_IMPORT,
    PAGE_MAPPING,
    PAGE_RESULT,
    PAGE_VALIDATION,
    ImportWizard,
)
from ui.profiles.profiles_tab import ClientProfilesTab

HANDY = [("Handy" if h == "Mobile Phone" else h) for h in TEMPLATE]
PHONE = TEMPLATE.index("Mobile Phone")
COUNTRY = TEMPLATE.index("Mobile Country Code")
LAST = TEMPLATE.index("Last Name*")
FIRST = TEMPLATE.index("First Name*")


@pytest.fixture
def site(qtbot, window: MainWindow, sample_workspace: Workspace) -> SiteView:
    site = next(s for s in sample_workspace.sites.all() if s.name == "Main Office")
    assert window.page("companies").select(site.id)  # type: ignore[attr-defined]
    wait_idle(qtbot)
    return site


@pytest.fixture
def scripted(window: MainWindow) -> ScriptedProfileDialogs:
    dialogs = ScriptedProfileDialogs()
    window.file_drop.profiles.dialogs = dialogs
    return dialogs


@pytest.fixture
def messy_xlsx(tmp_path: Path) -> Path:
    rows = [
        profile_row("Ada", "Lovelace", "ada@example.com", "4155553657"),
        profile_row("Bob", "Hyphen", "bob@example.com", "415-555-3658"),
        profile_row("Cy", "Dots", "cy@example.com", "415.555.3662"),
        profile_row(" Dee", "Space", "dee@example.com", "4155553659"),
        profile_row("Eve", "", "eve@example.com", "4155553660"),
        profile_row("Gil", "Britain", "gil@example.co.uk", "7911123456", country="UK"),
    ]
    return write_xlsx(tmp_path / "clients.xlsx", HANDY, rows)


def click_next(qtbot, wizard: QWizard) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(button.isEnabled)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tick(qtbot, box: QCheckBox) -> None:
    """Click a check box on its indicator (a click right of its text does nothing)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def wait_validated(qtbot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.report is not None and not wizard.busy())


def grid_index(wizard: ImportWizard, row_number: int, column: int) -> QModelIndex:
    index = wizard.validation_page.model.index_of(row_number, column)
    assert index.isValid()
    return index


def select_cell(wizard: ImportWizard, row_number: int, column: int) -> None:
    wizard.validation_page.grid.setCurrentIndex(grid_index(wizard, row_number, column))


@pytest.fixture
def dropped(qtbot, window: MainWindow, site: SiteView, scripted: ScriptedProfileDialogs,
            messy_xlsx: Path) -> Iterator[ImportWizard]:
    assert drop_files(window, [messy_xlsx])
    qtbot.waitUntil(lambda: window.file_drop.profiles.wizard is not None)
    wizard = window.file_drop.profiles.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_MAPPING)  # read, then on by itself
    yield wizard
    if shiboken6.isValid(wizard) and wizard.isVisible():
        wizard.reject()
    wait_idle(qtbot)


def test_drop_map_fix_edit_and_import(qtbot, window: MainWindow, site: SiteView,
                                      sample_workspace: Workspace,
                                      dropped: ImportWizard) -> None:
    window.show_page("client-profiles")  # the site's tab is on screen: it reloads after
    wait_idle(qtbot)
    tab = window.page("companies").site_tabs.current_tab()  # type: ignore[attr-defined]
    assert isinstance(tab, ClientProfilesTab)
    assert tab.model.rowCount() == 0
    wizard = dropped
    assert wizard.site.id == site.id
    assert "Main Office" in wizard.windowTitle()
    mapping = wizard.mapping_page
    assert "1 ignored" in mapping.status.text()  # "Handy" is not a template header
    assert mapping.combos[PHONE].currentData() is None
    mapping.combos[PHONE].setCurrentIndex(mapping.combos[PHONE].findData("mobile_phone"))
    assert mapping.status.text() == "10 columns are imported."
    click_next(qtbot, wizard)

    assert wizard.currentId() == PAGE_VALIDATION
    wait_validated(qtbot, wizard)
    page = wizard.validation_page
    model = page.model
    bob_phone = grid_index(wizard, 3, PHONE)
    assert bob_phone.data(Qt.ItemDataRole.BackgroundRole) == ERROR_BRUSH
    assert "digits only" in bob_phone.data(Qt.ItemDataRole.ToolTipRole)
    assert grid_index(wizard, 2, PHONE).data(Qt.ItemDataRole.BackgroundRole) is None

    # Apply all fixes of this kind: both phones with separators become digits.
    select_cell(wizard, 3, PHONE)
    assert page.fix_all_button.isEnabled()
    assert "2" in page.fix_all_button.text()
    qtbot.mouseClick(page.fix_all_button, Qt.MouseButton.LeftButton)
    wait_validated(qtbot, wizard)
    assert grid_index(wizard, 3, PHONE).data() == "4155553658"
    assert grid_index(wizard, 4, PHONE).data() == "4155553662"
    assert wizard.report is not None
    assert not [i for i in wizard.report.issues if i.code == "phone.not_digits"]

    # Apply fix on one cell: the stray space, then the UK country code.
    for row, column, fixed in ((5, FIRST, "Dee"), (7, COUNTRY, "GB")):
        select_cell(wizard, row, column)
        qtbot.mouseClick(page.fix_button, Qt.MouseButton.LeftButton)
        wait_validated(qtbot, wizard)
        assert grid_index(wizard, row, column).data() == fixed

    # The missing last name has no proposal: type it in place.
    eve_last = grid_index(wizard, 6, LAST)
    assert "last name" in page.model.issues_at(eve_last)[0].message
    page.grid.setFocus()
    page.grid.setCurrentIndex(eve_last)
    page.grid.edit(eve_last)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "Evans")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits in a queued call
    qtbot.waitUntil(lambda: model.index_of(6, LAST).data() == "Evans")
    wait_validated(qtbot, wizard)
    assert wizard.report is not None
    assert wizard.report.errors == 0
    assert "6 ready to import" in page.summary.text()

    click_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_IMPORT
    assert "All 6 rows" in wizard.import_page.summary.text()
    assert wizard.button(QWizard.WizardButton.NextButton).text().replace("&", "") == "Import"
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RESULT)
    assert wizard.result_page.counts["created"].text() == "6"
    assert wizard.result_page.counts["rejected"].text() == "0"

    records = {r.profile.email: r.profile for r in sample_workspace.profiles.list(site.id)}
    assert set(records) == {"ada@example.com", "bob@example.com", "cy@example.com",
                            "dee@example.com", "eve@example.com", "gil@example.co.uk"}
    assert records["bob@example.com"].mobile_phone == "4155553658"
    assert records["dee@example.com"].first_name == "Dee"
    assert records["eve@example.com"].last_name == "Evans"
    assert records["gil@example.co.uk"].mobile_country_code == "GB"
    qtbot.waitUntil(lambda: tab.model.rowCount() == 6)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())


def test_errors_only_filter(qtbot, dropped: ImportWizard) -> None:
    wizard = dropped
    wizard.mapping_page.choose(PHONE, "mobile_phone")
    click_next(qtbot, wizard)
    wait_validated(qtbot, wizard)
    page = wizard.validation_page
    assert page.model.rowCount() == 6
    tick(qtbot, page.errors_only)
    assert page.errors_only.isChecked()
    shown = [page.model.row_number(r) for r in range(page.model.rowCount())]
    assert shown == [3, 4, 5, 6, 7]  # Ada (row 2) has no error
    page.errors_only.setChecked(False)
    assert page.model.rowCount() == 6


def test_skip_invalid_rows_with_a_rejects_file(qtbot, dropped: ImportWizard, site: SiteView,
                                               sample_workspace: Workspace,
                                               tmp_path: Path) -> None:
    wizard = dropped
    wizard.mapping_page.choose(PHONE, "mobile_phone")
    click_next(qtbot, wizard)
    wait_validated(qtbot, wizard)
    click_next(qtbot, wizard)  # errors left: go on and skip them
    page = wizard.import_page
    assert "5 still have errors" in page.summary.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    tick(qtbot, page.skip)
    tick(qtbot, page.write_rejects)
    rejects = tmp_path / "rejects.xlsx"
    page.rejects_edit.setText(str(rejects))
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RESULT)
    assert wizard.result_page.counts["created"].text() == "1"
    assert wizard.result_page.counts["rejected"].text() == "5"
    assert str(rejects) in wizard.result_page.rejects.text()
    assert rejects.is_file()
    assert [r.profile.first_name for r in sample_workspace.profiles.list(site.id)] == ["Ada"]


def test_cancel_during_validation_changes_nothing(qtbot, window: MainWindow, site: SiteView,
                                                  sample_workspace: Workspace,
                                                  tmp_path: Path) -> None:
    rows = [profile_row(f"P{i}", "Bulk", f"p{i}@example.com", f"41555{i:05d}")
            for i in range(40_000)]
    path = write_csv(tmp_path / "big.csv", TEMPLATE, rows)
    before = sample_workspace.profiles.list(site.id)
    assert drop_files(window, [path])
    qtbot.waitUntil(lambda: window.file_drop.profiles.wizard is not None)
    wizard = window.file_drop.profiles.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_MAPPING, timeout=20_000)
    click_next(qtbot, wizard)
    page = wizard.validation_page
    assert wizard.busy()
    assert page.progress.isVisible()
    # the progress sits on the grid's bottom edge: the grid does not move when it goes
    grid_at = page.grid.mapTo(page, QPoint(0, 0))
    bottom = page.grid.mapTo(page, QPoint(0, page.grid.height())).y()
    assert page.progress.geometry().bottom() == bottom - 1
    qtbot.mouseClick(page.progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.busy(), timeout=20_000)
    assert not page.progress.isVisible()
    assert page.grid.mapTo(page, QPoint(0, 0)) == grid_at
    assert page.cancelled
    assert "cancelled" in page.summary.text()
    assert wizard.report is None
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.reject()
    wait_idle(qtbot)
    assert sample_workspace.profiles.list(site.id) == before


def test_cancel_during_import_imports_nothing(qtbot, window: MainWindow, site: SiteView,
                                             sample_workspace: Workspace,
                                             tmp_path: Path) -> None:
    rows = [profile_row(f"P{i}", "Bulk", f"p{i}@example.com", f"41555{i:05d}")
            for i in range(40_000)]
    path = write_csv(tmp_path / "big.csv", TEMPLATE, rows)
    pending = sample_workspace.pending_changes()
    assert drop_files(window, [path])
    qtbot.waitUntil(lambda: window.file_drop.profiles.wizard is not None)
    wizard = window.file_drop.profiles.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_MAPPING, timeout=20_000)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.report is not None and not wizard.busy(), timeout=30_000)
    click_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_IMPORT
    click_next(qtbot, wizard)  # Import
    page = wizard.import_page
    assert wizard.busy()
    qtbot.mouseClick(page.progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.busy(), timeout=30_000)
    assert wizard.currentId() == PAGE_IMPORT
    assert page.notice.text() == "Import cancelled: nothing was imported."
    assert sample_workspace.profiles.list(site.id) == []
    assert sample_workspace.pending_changes() == pending
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # may try again
    wizard.reject()
    wait_idle(qtbot)


def test_a_fix_message_moves_no_cell(qtbot, dropped: ImportWizard) -> None:
    """"Applied 2 fixes …" shows on the grid's bottom edge: the grid, its buttons and the
    cell the pointer is on stay where they were (docs/architecture.md §14)."""
    wizard = dropped
    wizard.mapping_page.choose(PHONE, "mobile_phone")
    click_next(qtbot, wizard)
    wait_validated(qtbot, wizard)
    page = wizard.validation_page
    select_cell(wizard, 3, PHONE)
    grid_at, button_at = page.grid.mapTo(page, QPoint(0, 0)), page.fix_all_button.pos()
    cell = page.grid.visualRect(grid_index(wizard, 3, PHONE))
    qtbot.mouseClick(page.fix_all_button, Qt.MouseButton.LeftButton)
    wait_validated(qtbot, wizard)
    assert page.notice.isVisible()
    assert page.notice.text().startswith("Applied 2 fixes")
    assert page.grid.mapTo(page, QPoint(0, 0)) == grid_at
    assert page.fix_all_button.pos() == button_at
    assert page.grid.visualRect(grid_index(wizard, 3, PHONE)) == cell
    bottom = page.grid.mapTo(page, QPoint(0, page.grid.height()))
    assert page.notice.geometry().bottom() == bottom.y() - 1  # over the grid's last rows
