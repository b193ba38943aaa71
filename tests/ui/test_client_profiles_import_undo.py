"""Undo and redo of a client-profile import, through the real window: a file dropped on it (or
chosen from the tab's Import… button) is imported by the wizard, then Edit → Undo / Ctrl+Z
takes the whole import back and Redo applies it again — on the real workspace file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from app.profiles import Profile
from app.services.views import SiteView
from app.services.workspace import Workspace
from tests.cli.helpers import assert_unchanged, snapshot
from tests.ui.conftest import wait_idle
from tests.ui.profiles_support import (
    TEMPLATE,
    ScriptedProfileDialogs,
    drop_files,
    profile_row,
    write_csv,
)
from tests.ui.test_import_wizard import click_next, wait_validated
from ui.main_window import MainWindow
from ui.profiles.import_wizard import PAGE_IMPORT, PAGE_MAPPING, PAGE_RESULT, ImportWizard
from ui.profiles.profiles_tab import ClientProfilesTab

Row = tuple[str, Profile]


@pytest.fixture
def site(sample_workspace: Workspace) -> SiteView:
    return next(s for s in sample_workspace.sites.all() if s.name == "Main Office")


@pytest.fixture
def tab(qtbot, window: MainWindow, site: SiteView, sample_workspace: Workspace
        ) -> ClientProfilesTab:
    """The Client Profiles tab of Main Office, which has Ada and Grace already."""
    for n, (first, last) in enumerate((("Ada", "Lovelace"), ("Grace", "Hopper"))):
        sample_workspace.profiles.add(site.id, Profile(
            first, last, f"{first.lower()}@example.com", mobile_country_code="US",
            mobile_phone=f"415555365{n}"))
    page = window.page("companies")
    assert page.select(site.id)  # type: ignore[attr-defined]
    window.show_page("client-profiles")
    widget = page.site_tabs.current_tab()  # type: ignore[attr-defined]
    assert isinstance(widget, ClientProfilesTab)
    qtbot.waitUntil(lambda: widget.model.rowCount() == 2)
    widget.dialogs = ScriptedProfileDialogs()
    window.file_drop.profiles.dialogs = ScriptedProfileDialogs()
    return widget


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    """Ada updated (a title), Grace unchanged, Katherine and Alan new."""
    rows = [
        profile_row("Ada", "Lovelace", "ada@example.com", "4155553650", Title="Countess"),
        profile_row("Grace", "Hopper", "grace@example.com", "4155553651"),
        profile_row("Katherine", "Johnson", "katherine@example.com", "4155553652"),
        profile_row("Alan", "Turing", "alan@example.com", "4155553653"),
    ]
    return write_csv(tmp_path / "clients.csv", TEMPLATE, rows)


def shown_site(tab: ClientProfilesTab) -> SiteView:
    assert tab.site is not None
    return tab.site


def stored(ws: Workspace, site: SiteView) -> list[Row]:
    return sorted((r.id, r.profile) for r in ws.profiles.list(site.id))


def shown(tab: ClientProfilesTab) -> list[Row]:
    return sorted((r.id, r.profile) for r in tab.model.rows())


def import_in(qtbot, wizard: ImportWizard) -> None:
    """From the columns step: check, import, and close the wizard on its result page."""
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_MAPPING)
    click_next(qtbot, wizard)
    wait_validated(qtbot, wizard)
    click_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_IMPORT
    click_next(qtbot, wizard)  # Import
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RESULT)
    assert "Undo" in wizard.result_page.undo_hint.text()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(wizard) or not wizard.isVisible())


def dropped_and_imported(qtbot, window: MainWindow, tab: ClientProfilesTab, path: Path) -> None:
    assert drop_files(window, [path])
    qtbot.waitUntil(lambda: window.file_drop.profiles.wizard is not None)
    wizard = window.file_drop.profiles.wizard
    assert wizard is not None
    import_in(qtbot, wizard)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4)


def test_drop_import_then_ctrl_z_and_redo(qtbot, window: MainWindow, tab: ClientProfilesTab,
                                          sample_workspace: Workspace, sheet: Path) -> None:
    site = shown_site(tab)
    before = stored(sample_workspace, site)
    assert shown(tab) == before
    stack = window.undo_stack
    depth = stack.count()

    dropped_and_imported(qtbot, window, tab, sheet)
    after = stored(sample_workspace, site)
    assert len(after) == 4
    assert shown(tab) == after
    assert stack.count() == depth + 1
    assert stack.undoText() == "Import 3 profiles from clients.csv"  # 2 new, 1 updated
    assert window.menus.undo.isEnabled()
    assert "Ctrl+Z" in tab.notice.text()

    # Ctrl+Z, as the user presses it in the table
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    tab.table.setFocus()
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot)
    assert stored(sample_workspace, site) == before  # same ids, Ada's title back
    assert shown(tab) == before
    assert tab.count.text() == "2 profiles"
    assert "Undid the import from clients.csv" in tab.notice.text()
    assert "removed 2 new profiles and put back 1 updated profile" in tab.notice.text()
    assert "Undid the import" in window.statusBar().currentMessage()
    assert stack.redoText() == "Import 3 profiles from clients.csv"
    pending = sample_workspace.pending_changes()

    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.menus.redo.trigger()
    wait_idle(qtbot)
    assert stored(sample_workspace, site) == after  # the same profiles again
    assert shown(tab) == after
    assert "Redid the import from clients.csv" in tab.notice.text()
    assert sample_workspace.pending_changes() != pending  # a new change, not a rewrite

    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.menus.undo.trigger()
    wait_idle(qtbot)
    assert stored(sample_workspace, site) == before


def test_a_refused_undo_says_why_and_keeps_the_stack_true(
        qtbot, window: MainWindow, tab: ClientProfilesTab, sample_workspace: Workspace,
        sheet: Path) -> None:
    """The import is made from the tab's own Import… button; then Katherine is changed
    outside the undo stack (as a sync or another window would), so Undo must refuse."""
    site = shown_site(tab)
    tab.dialogs.paths.append(sheet)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    wizard = tab.wizard
    assert wizard is not None
    qtbot.mouseClick(wizard.file_page.browse, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.read_sheet is not None and not wizard.busy())
    click_next(qtbot, wizard)
    import_in(qtbot, wizard)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4)
    stack = window.undo_stack
    index = stack.index()
    assert stack.undoText() == "Import 3 profiles from clients.csv"

    katherine = next(r for r in sample_workspace.profiles.list(site.id)
                     if r.profile.first_name == "Katherine")
    sample_workspace.profiles.update(katherine.id, replace(katherine.profile, title="Engineer"))
    state = snapshot(sample_workspace.path)

    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.menus.undo.trigger()
    wait_idle(qtbot)
    assert tab.notice.kind == "error"
    message = tab.notice.text()
    assert "Could not undo “Import 3 profiles from clients.csv”" in message
    assert "'Katherine Johnson' was edited" in message
    assert "Nothing was changed" in message
    assert_unchanged(state, snapshot(sample_workspace.path))
    assert len(tab.model.rows()) == 4
    # the stack still says the import is there: Undo offers it again, Redo offers nothing
    assert stack.index() == index
    assert stack.undoText() == "Import 3 profiles from clients.csv"
    assert not stack.canRedo()

    # once the later change is taken back, the same Undo works
    sample_workspace.profiles.update(katherine.id, katherine.profile)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.menus.undo.trigger()
    wait_idle(qtbot)
    assert tab.notice.kind == "success"
    assert sorted(r.profile.first_name for r in sample_workspace.profiles.list(site.id)) == [
        "Ada", "Grace"]
    assert stack.index() == index - 1


def test_a_refused_redo_moves_the_stack_back(qtbot, window: MainWindow,
                                             tab: ClientProfilesTab,
                                             sample_workspace: Workspace, sheet: Path) -> None:
    site = shown_site(tab)
    dropped_and_imported(qtbot, window, tab, sheet)
    stack = window.undo_stack
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.menus.undo.trigger()
    wait_idle(qtbot)
    index = stack.index()
    # Alan comes back by hand after the undo: redoing the import would make him twice
    sample_workspace.profiles.add(site.id, Profile("Alan", "Turing", "alan@example.com",
                                                   mobile_country_code="US",
                                                   mobile_phone="4155553653"))
    state = snapshot(sample_workspace.path)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.menus.redo.trigger()
    wait_idle(qtbot)
    assert "Could not redo" in tab.notice.text()
    assert "'Alan Turing'" in tab.notice.text()
    assert_unchanged(state, snapshot(sample_workspace.path))
    assert stack.index() == index
    assert stack.redoText() == "Import 3 profiles from clients.csv"


def test_an_import_that_changes_nothing_is_not_on_the_stack(
        qtbot, window: MainWindow, tab: ClientProfilesTab, tmp_path: Path) -> None:
    same = write_csv(tmp_path / "same.csv", TEMPLATE, [
        profile_row("Ada", "Lovelace", "ada@example.com", "4155553650")])
    count = window.undo_stack.count()
    assert drop_files(window, [same])
    qtbot.waitUntil(lambda: window.file_drop.profiles.wizard is not None)
    wizard = window.file_drop.profiles.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_MAPPING)
    click_next(qtbot, wizard)
    wait_validated(qtbot, wizard)
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RESULT)
    assert wizard.result_page.counts["unchanged"].text() == "1"
    assert wizard.result_page.undo_hint.text() == ""
    wizard.accept()
    wait_idle(qtbot)
    assert window.undo_stack.count() == count
