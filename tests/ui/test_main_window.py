"""The main window on the sample workspace: pages, menus, shortcuts, status bar, settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu

from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, wait_idle
from ui.main_window import MainWindow
from ui.pages.assignments_page import AssignmentsPage
from ui.pages.companies_page import CompaniesPage
from ui.pages.effective_page import EffectivePage
from ui.pages.packages_page import PackagesPage
from ui.pages.policies_page import PoliciesPage
from ui.pages.registry import PAGES
from ui.preferences import PreferencesDialog
from ui.ui_settings import UiSettings


def menu(window: MainWindow, title: str) -> QMenu:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title:
            sub = action.menu()
            assert isinstance(sub, QMenu)
            return sub
    raise AssertionError(f"no menu {title}")


def action(window: MainWindow, menu_title: str, text: str) -> QAction:
    for item in menu(window, menu_title).actions():
        if item.text().replace("&", "").startswith(text):
            return item
    raise AssertionError(f"no {text} in {menu_title}")


def keys(item: QAction) -> set[str]:
    return {s.toString(QKeySequence.SequenceFormat.PortableText) for s in item.shortcuts()}


def test_opens_on_the_sample_workspace(window: MainWindow, sample_workspace: Workspace) -> None:
    assert window.workspace is sample_workspace
    assert sample_workspace.name in window.windowTitle()
    assert window.status.workspace.text() == f"Workspace: {sample_workspace.name}"
    assert window.status.connection.text().startswith("Offline")
    assert window.status.vault.text() == "Vault: not set up"
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles == [spec.title for spec in PAGES]
    assert titles[:5] == [
        "Companies & Sites", "Policies", "Packages", "Assignments", "Effective Settings"]
    assert isinstance(window.current_page(), CompaniesPage)
    page = window.page("companies")
    assert isinstance(page, CompaniesPage)
    assert [c.name for c in page.model.companies()] == [
        "Contoso Dental", "Fabrikam Logistics", "Northwind Legal"]


def test_pages_share_the_window_undo_stack(window: MainWindow) -> None:
    for name in ("companies", "policies", "packages", "assignments"):
        assert window.page(name).undo_stack is window.undo_stack  # type: ignore[attr-defined]
    assert isinstance(window.page("policies"), PoliciesPage)
    assert isinstance(window.page("packages"), PackagesPage)


def test_menus_and_standard_shortcuts(window: MainWindow) -> None:
    assert "Ctrl+Q" in keys(action(window, "File", "Quit"))
    assert action(window, "File", "New Workspace")
    assert action(window, "File", "Open Workspace")
    undo = action(window, "Edit", "Undo")
    redo = action(window, "Edit", "Redo")
    assert "Ctrl+Z" in keys(undo)
    assert {"Ctrl+Shift+Z", "Ctrl+Y"} <= keys(redo)
    assert "Ctrl+F" in keys(action(window, "Edit", "Find"))
    assert keys(action(window, "Edit", "Preferences"))
    assert action(window, "Help", "About Preflight")
    assert not undo.isEnabled()  # nothing done yet


def test_sidebar_and_view_menu_switch_pages(qtbot, window: MainWindow) -> None:
    sidebar = window.sidebar
    order = [(1, PoliciesPage), (2, PackagesPage), (3, AssignmentsPage), (4, EffectivePage),
             (0, CompaniesPage)]
    for row, expected in order:
        rect = sidebar.visualItemRect(sidebar.item(row))
        with qtbot.waitSignal(window.page_changed):
            qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton,
                             pos=rect.center())
        assert isinstance(window.current_page(), expected)
        wait_idle(qtbot)
    action(window, "View", "Assignments").trigger()
    assert isinstance(window.current_page(), AssignmentsPage)
    assert sidebar.currentItem().text() == "Assignments"
    wait_idle(qtbot)


def test_find_shortcut_focuses_the_page_search(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page("assignments")
    wait_idle(qtbot)
    window.page("assignments").table.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    focused = QApplication.focusWidget()
    assert isinstance(focused, QLineEdit)
    assert focused.objectName() == "siteSearch"
    window.show_page("companies")
    wait_idle(qtbot)
    action(window, "Edit", "Find").trigger()
    assert QApplication.focusWidget().objectName() == "companySearch"


def test_undo_shortcut_undoes_through_the_shared_stack(qtbot, window: MainWindow,
                                                       sample_workspace: Workspace,
                                                       dialogs: ScriptedDialogs) -> None:
    page = window.page("companies")
    assert isinstance(page, CompaniesPage)
    page.dialogs = dialogs
    dialogs.texts.append("Adatum Corp")
    with qtbot.waitSignal(page.refreshed):
        page.new_company_button.click()
    wait_idle(qtbot)
    assert "Adatum Corp" in [c.name for c in sample_workspace.companies.all()]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.tree.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot)
    assert "Adatum Corp" not in [c.name for c in sample_workspace.companies.all()]
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot)
    assert "Adatum Corp" in [c.name for c in sample_workspace.companies.all()]


def test_geometry_and_page_are_remembered(qtbot, sample_workspace: Workspace,
                                          ui_settings: UiSettings) -> None:
    first = MainWindow(sample_workspace, ui_settings)
    qtbot.addWidget(first)
    first.resize(701, 555)  # within the offscreen screen (800 x 800)
    first.show()
    qtbot.waitExposed(first)
    first.show_page("effective")
    wait_idle(qtbot)
    assert first.height() == 555
    first.close()
    assert ui_settings.geometry() == first.saveGeometry()
    second = MainWindow(sample_workspace, ui_settings)
    qtbot.addWidget(second)
    # The offscreen screen is 800 px wide, narrower than the window's minimum: Qt fits the
    # restored width to the screen, the height is restored as saved.
    assert second.height() == 555
    assert second.start_page() == "effective"
    assert ui_settings.recent()[0] == sample_workspace.path


def test_preferences_dialog_saves_ui_preferences(qtbot, window: MainWindow,
                                                 ui_settings: UiSettings) -> None:
    dialog = window.show_preferences()
    assert isinstance(dialog, PreferencesDialog)
    qtbot.waitExposed(dialog)
    dialog.restore_page.setChecked(False)
    dialog.accept()
    assert ui_settings.restore_last_page is False
    assert window.start_page() == "companies"


def test_about_opens_a_window_modal_dialog(qtbot, window: MainWindow) -> None:
    # issue 9: About lists the versions (tests/ui/test_about_and_logs.py has the details)
    action(window, "Help", "About Preflight").trigger()
    dialog = window.help.about_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "About Preflight"
    dialog.close()


def test_new_workspace_switches_every_page(qtbot, window: MainWindow, tmp_path: Path,
                                           dialogs: ScriptedDialogs) -> None:
    window.dialogs = dialogs  # type: ignore[assignment]
    target = tmp_path / "second.preflight"
    dialogs.paths.append(target)
    with qtbot.waitSignal(window.workspace_changed, timeout=10_000):
        action(window, "File", "New Workspace").trigger()
    wait_idle(qtbot)
    try:
        assert window.workspace.path == target
        assert window.status.workspace.text() == "Workspace: second"
        page = window.page("companies")
        assert isinstance(page, CompaniesPage)
        assert page.model.companies() == []
        assert window.undo_stack.count() == 0
    finally:
        window.workspace.close()


def test_opening_a_damaged_workspace_says_why(qtbot, window: MainWindow, tmp_path: Path,
                                              dialogs: ScriptedDialogs,
                                              sample_workspace: Workspace) -> None:
    window.dialogs = dialogs  # type: ignore[assignment]
    bogus = tmp_path / "notes.preflight"
    bogus.write_text("this is not a database")
    dialogs.paths.append(bogus)
    action(window, "File", "Open Workspace").trigger()
    qtbot.waitUntil(lambda: bool(dialogs.errors))
    assert "not a Preflight workspace" in dialogs.errors[0][1]
    assert window.workspace is sample_workspace


@pytest.mark.parametrize("name", ["policies", "packages", "assignments", "effective"])
def test_every_page_loads(qtbot, window: MainWindow, name: str) -> None:
    with qtbot.waitSignal(window.page(name).refreshed, timeout=10_000):  # type: ignore[attr-defined]
        window.show_page(name)
    wait_idle(qtbot)


def test_without_a_workspace_it_says_it_is_opening_one(qtbot, sample_workspace: Workspace,
                                                      ui_settings: UiSettings) -> None:
    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.current_page() is window.loading
    assert window.loading.text() == "Opening workspace…"
    action(window, "View", "Policies").trigger()  # chosen while opening: shown once open
    action(window, "View", "Reload").trigger()  # nothing to reload yet: harmless
    action(window, "Edit", "Find").trigger()
    assert window.pages == {}
    assert not action(window, "File", "Open Workspace").isEnabled()
    with qtbot.waitSignal(window.workspace_changed):
        window.install_workspace(sample_workspace)
    window.show_page(window.wanted_page())
    assert isinstance(window.current_page(), PoliciesPage)
    assert action(window, "File", "Open Workspace").isEnabled()
    assert window.status.workspace.text() == f"Workspace: {sample_workspace.name}"
    wait_idle(qtbot)


def test_the_last_session_s_page_is_the_one_the_window_opens_on(
        qtbot, sample_workspace: Workspace, ui_settings: UiSettings) -> None:
    """As the launcher starts: the window shows (its page list gets the focus) while the
    workspace opens, then shows the page it wants. The list's first row (Companies & Sites)
    must not read as a wish that overrides the page restored from the last session."""
    ui_settings.set_last_page("policies")
    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.sidebar.setFocus()
    qtbot.wait(10)
    assert window.sidebar.current_name() == "policies"
    window.install_workspace(sample_workspace)
    window.show_page(window.wanted_page())
    assert isinstance(window.current_page(), PoliciesPage)
    wait_idle(qtbot)


def test_only_the_start_page_is_built_and_navigating_builds_the_next(
        qtbot, window: MainWindow) -> None:
    assert list(window.pages) == ["companies"]  # the others wait until first shown
    assert window.stack.indexOf(window.page("companies")) >= 0
    sidebar = window.sidebar
    row = [sidebar.item(i).text() for i in range(sidebar.count())].index("Policies")
    rect = sidebar.visualItemRect(sidebar.item(row))
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    policies = window.pages.get("policies")
    assert isinstance(policies, PoliciesPage)
    assert window.current_page() is policies
    assert sorted(window.pages) == ["companies", "policies"]
    wait_idle(qtbot)
    assert window.page("policies") is policies  # built once, then kept
    assert "packages" not in window.pages


def test_unbuilt_pages_hold_no_edits_when_quitting(qtbot, window: MainWindow) -> None:
    window.close()  # only the start page exists; nothing to ask about
    assert not window.isVisible()
    assert list(window.pages) == ["companies"]
