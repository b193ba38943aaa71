"""Files dropped on the main window (real drag-enter and drop events with file URLs), and the
File menu's Import/Export Client Profiles entries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QWizard

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
from ui.file_drop import WHAT_CAN_BE_DROPPED
from ui.main_window import MainWindow
from ui.profiles.import_wizard import PAGE_FILE, PAGE_MAPPING, ImportWizard

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def scripted(window: MainWindow) -> ScriptedProfileDialogs:
    dialogs = ScriptedProfileDialogs()
    window.file_drop.profiles.dialogs = dialogs
    return dialogs


def site_named(ws: Workspace, name: str) -> SiteView:
    return next(s for s in ws.sites.all() if s.name == name)


def opened_wizard(qtbot, window: MainWindow) -> ImportWizard:
    qtbot.waitUntil(lambda: window.file_drop.profiles.wizard is not None)
    wizard = window.file_drop.profiles.wizard
    assert wizard is not None
    return wizard


def close(qtbot, wizard: ImportWizard) -> None:
    if shiboken6.isValid(wizard):
        wizard.reject()
    wait_idle(qtbot)


def test_a_png_renamed_xlsx_is_refused_and_nothing_changes(qtbot, window: MainWindow,
                                                          scripted: ScriptedProfileDialogs,
                                                          sample_workspace: Workspace,
                                                          tmp_path: Path) -> None:
    site = site_named(sample_workspace, "Main Office")
    window.page("companies").select(site.id)  # type: ignore[attr-defined]
    wait_idle(qtbot)
    pending = sample_workspace.pending_changes()
    bad = tmp_path / "profiles.xlsx"
    bad.write_bytes(PNG)
    assert drop_files(window, [bad])
    wizard = opened_wizard(qtbot, window)
    page = wizard.file_page
    qtbot.waitUntil(lambda: page.notice.kind == "error")
    assert "PNG image, not a spreadsheet" in page.notice.text()
    assert "profiles.xlsx was not imported" in page.notice.text()
    assert wizard.currentId() == PAGE_FILE
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    close(qtbot, wizard)
    assert sample_workspace.profiles.list(site.id) == []
    assert sample_workspace.pending_changes() == pending


def test_without_a_selected_site_the_drop_asks_which(qtbot, window: MainWindow,
                                                     scripted: ScriptedProfileDialogs,
                                                     sample_workspace: Workspace,
                                                     tmp_path: Path) -> None:
    window.show_page("policies")
    wait_idle(qtbot)
    path = write_csv(tmp_path / "people.csv", TEMPLATE,
                     [profile_row("Ada", "Lovelace", "ada@example.com", "4155553657")])
    scripted.sites.append("Downtown")
    assert drop_files(window, [path])
    wizard = opened_wizard(qtbot, window)
    assert scripted.asked[-1][0] == "Import people.csv into Which Site?"
    assert "Downtown" in scripted.asked[-1][1]
    assert wizard.site.name == "Downtown"
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_MAPPING)
    close(qtbot, wizard)


def test_choosing_no_site_opens_nothing(qtbot, window: MainWindow,
                                        scripted: ScriptedProfileDialogs,
                                        tmp_path: Path) -> None:
    window.show_page("packages")
    wait_idle(qtbot)
    path = write_csv(tmp_path / "people.csv", TEMPLATE,
                     [profile_row("Ada", "Lovelace", "ada@example.com", "4155553657")])
    scripted.sites.append(None)
    assert drop_files(window, [path])
    wait_idle(qtbot)
    assert window.file_drop.profiles.wizard is None


def test_dropping_a_workspace_file_opens_it(qtbot, window: MainWindow,
                                            tmp_path: Path) -> None:
    other = tmp_path / "other.preflight"
    Workspace.open(other, create=True).close()
    assert drop_files(window, [other])
    qtbot.waitUntil(lambda: window.workspace is not None
                    and window.workspace.path.resolve() == other.resolve(), timeout=10_000)
    wait_idle(qtbot)
    assert window.windowTitle().startswith("other")


def test_other_files_say_what_can_be_dropped(qtbot, window: MainWindow,
                                             tmp_path: Path) -> None:
    photo = tmp_path / "holiday.png"
    photo.write_bytes(PNG)
    assert drop_files(window, [photo])
    assert WHAT_CAN_BE_DROPPED in window.statusBar().currentMessage()
    assert "holiday.png" in window.statusBar().currentMessage()
    assert window.file_drop.profiles.wizard is None


def test_file_menu_import_and_export(qtbot, window: MainWindow,
                                     scripted: ScriptedProfileDialogs,
                                     sample_workspace: Workspace, tmp_path: Path) -> None:
    site = site_named(sample_workspace, "Headquarters")
    window.page("companies").select(site.id)  # type: ignore[attr-defined]
    wait_idle(qtbot)
    menus = window.menus
    assert menus.import_profiles is not None
    assert menus.export_profiles is not None
    assert menus.import_profiles.text().replace("&", "") == "Import Client Profiles…"
    menus.import_profiles.trigger()
    wizard = opened_wizard(qtbot, window)
    assert wizard.site.id == site.id
    assert wizard.currentId() == PAGE_FILE
    path = write_csv(tmp_path / "hq.csv", TEMPLATE,
                     [profile_row("Ada", "Lovelace", "ada@example.com", "4155553657")])
    scripted.paths.append(path)
    wizard.file_page.browse.click()
    qtbot.waitUntil(lambda: wizard.read_sheet is not None)
    assert "Read 1 row and 10 columns" in wizard.file_page.info.text()
    close(qtbot, wizard)

    target = tmp_path / "hq.csv.out.csv"
    scripted.paths.append(target)
    menus.export_profiles.trigger()
    qtbot.waitUntil(lambda: "Exported 0 client profiles" in window.statusBar().currentMessage())
    assert target.is_file()


def empty_csv(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(b"")
    return path


def header_only_csv(folder: Path) -> Path:
    return write_csv(folder / "header.csv", TEMPLATE, [])


def truncated_xlsx(folder: Path) -> Path:
    whole = write_xlsx(folder / "whole.xlsx", TEMPLATE,
                       [profile_row("Ada", "Lovelace", "ada@example.com", "4155553657")])
    cut = folder / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    return cut


@pytest.mark.parametrize("case", [
    (empty_csv, "empty (0 bytes)"),
    (header_only_csv, "no profile rows"),
    (truncated_xlsx, "damaged"),
], ids=["0-byte", "header-only", "truncated-xlsx"])
def test_bad_files_say_why_and_change_nothing(qtbot, window: MainWindow,
                                              sample_workspace: Workspace, tmp_path: Path,
                                              case: tuple[Callable[[Path], Path], str]) -> None:
    make, said = case
    site = site_named(sample_workspace, "Main Office")
    window.page("companies").select(site.id)  # type: ignore[attr-defined]
    wait_idle(qtbot)
    pending = sample_workspace.pending_changes()
    path = make(tmp_path)
    assert drop_files(window, [path])
    wizard = opened_wizard(qtbot, window)
    qtbot.waitUntil(lambda: wizard.file_page.notice.kind == "error")
    assert said in wizard.file_page.notice.text().lower()
    assert wizard.currentId() == PAGE_FILE
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    close(qtbot, wizard)
    assert sample_workspace.pending_changes() == pending


def test_csv_encoding_and_delimiter_can_be_chosen(qtbot, window: MainWindow,
                                                  sample_workspace: Workspace,
                                                  tmp_path: Path) -> None:
    site = site_named(sample_workspace, "Main Office")
    window.page("companies").select(site.id)  # type: ignore[attr-defined]
    wait_idle(qtbot)
    path = tmp_path / "semicolons.csv"
    lines = [";".join(TEMPLATE), ";".join(profile_row("Zoë", "Müller", "zoe@example.com",
                                                       "4155553657"))]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    window.file_drop.open_files([path])
    wizard = opened_wizard(qtbot, window)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_MAPPING)  # detected: cp1252, ';'
    assert wizard.read_sheet is not None
    assert wizard.read_sheet.rows[0].values[:2] == ["Zoë", "Müller"]
    wizard.back()
    page = wizard.file_page
    page.delimiter.setCurrentIndex(page.delimiter.findData(","))
    page.delimiter.activated.emit(page.delimiter.currentIndex())
    qtbot.waitUntil(lambda: page.notice.kind == "error")  # one column: no template header
    assert wizard.read_sheet is None
    page.delimiter.setCurrentIndex(0)
    page.encoding.setCurrentIndex(page.encoding.findData("latin-1"))
    page.encoding.activated.emit(page.encoding.currentIndex())
    qtbot.waitUntil(lambda: wizard.read_sheet is not None)
    assert "latin-1" in page.info.text()
    close(qtbot, wizard)
