"""Help Desk → Client Profiles of a site: add, edit and delete one by one through the form,
undo and redo on the window's stack, the filter box and Export — through the real window."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.profiles import Profile, read_sheet
from app.services.views import SiteView
from app.services.workspace import Workspace
from tests.ui.conftest import wait_idle
from tests.ui.profiles_support import ScriptedProfileDialogs
from ui.main_window import MainWindow
from ui.profiles.profiles_tab import ClientProfilesTab
from ui.site.build import CLIENT_INFO, CLIENT_PROFILES


@pytest.fixture
def site(sample_workspace: Workspace) -> SiteView:
    return next(s for s in sample_workspace.sites.all() if s.name == "Main Office")


@pytest.fixture
def tab(qtbot, window: MainWindow, site: SiteView, sample_workspace: Workspace
        ) -> ClientProfilesTab:
    for n, (first, last) in enumerate((("Ada", "Lovelace"), ("Grace", "Hopper"),
                                        ("Alan", "Turing"))):
        sample_workspace.profiles.add(site.id, Profile(
            first, last, f"{first.lower()}@example.com", mobile_country_code="US",
            mobile_phone=f"415555365{n}"))
    page = window.page("companies")
    assert page.select(site.id)  # type: ignore[attr-defined]
    widget = page.site_tabs.show_tab(CLIENT_PROFILES, CLIENT_INFO)  # type: ignore[attr-defined]
    assert isinstance(widget, ClientProfilesTab)
    qtbot.waitUntil(lambda: widget.model.rowCount() == 3)
    widget.dialogs = ScriptedProfileDialogs()
    return widget


def names(tab: ClientProfilesTab) -> list[str]:
    return [f"{r.profile.first_name} {r.profile.last_name}" for r in tab.model.rows()]


def stored(ws: Workspace, site: SiteView) -> dict[str, Profile]:
    return {r.profile.email: r.profile for r in ws.profiles.list(site.id)}


def type_into(qtbot, tab: ClientProfilesTab, field: str, text: str) -> None:
    assert tab.profile_dialog is not None
    edit = tab.profile_dialog.form.edits[field]
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def save(qtbot, tab: ClientProfilesTab) -> None:
    dialog = tab.profile_dialog
    assert dialog is not None
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)


def test_the_tab_lists_the_profiles_of_the_selected_site(tab: ClientProfilesTab) -> None:
    assert names(tab) == ["Grace Hopper", "Ada Lovelace", "Alan Turing"]
    assert tab.count.text() == "3 profiles"
    assert tab.site is not None
    assert tab.site.name == "Main Office"


def test_add_with_inline_validation_then_undo_and_redo(qtbot, window: MainWindow,
                                                       tab: ClientProfilesTab, site: SiteView,
                                                       sample_workspace: Workspace) -> None:
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.profile_dialog
    assert dialog is not None
    assert not dialog.save_button.isEnabled()
    assert "last name" in dialog.form.summary.text()  # what is still needed, said once
    type_into(qtbot, tab, "first_name", "Katherine")
    type_into(qtbot, tab, "last_name", "Johnson")
    type_into(qtbot, tab, "email", "katherine@example.com")
    type_into(qtbot, tab, "mobile_country_code", "US")
    type_into(qtbot, tab, "mobile_phone", "415-555-3699")
    shown = dialog.form.messages_shown()
    assert "digits only" in shown["mobile_phone"]
    assert not dialog.save_button.isEnabled()
    type_into(qtbot, tab, "mobile_phone", "4155553699")
    assert "mobile_phone" not in dialog.form.messages_shown()
    type_into(qtbot, tab, "email", "ada@example.com")  # Ada has it already
    assert "already" in dialog.form.messages_shown()["email"]
    type_into(qtbot, tab, "email", "katherine@example.com")
    type_into(qtbot, tab, "computer_name", "NASA-01")
    assert dialog.save_button.isEnabled()
    save(qtbot, tab)
    assert "Katherine Johnson" in names(tab)
    assert tab.current_record() is not None
    assert tab.current_record().profile.first_name == "Katherine"  # type: ignore[union-attr]
    assert stored(sample_workspace, site)["katherine@example.com"].computer_name == "NASA-01"

    with qtbot.waitSignal(tab.loaded):
        window.menus.undo.trigger()
    assert "Katherine Johnson" not in names(tab)
    assert "katherine@example.com" not in stored(sample_workspace, site)
    with qtbot.waitSignal(tab.loaded):
        window.menus.redo.trigger()
    assert "Katherine Johnson" in names(tab)
    wait_idle(qtbot)


def test_edit_with_enter_then_undo(qtbot, window: MainWindow, tab: ClientProfilesTab,
                                   site: SiteView, sample_workspace: Workspace) -> None:
    ada = next(r for r in tab.model.rows() if r.profile.first_name == "Ada")
    assert tab.select(ada.id)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    dialog = tab.profile_dialog
    assert dialog is not None
    assert dialog.form.edits["email"].text() == "ada@example.com"
    type_into(qtbot, tab, "title", "Analyst")
    dialog.form.vip.setChecked(True)
    save(qtbot, tab)
    after = stored(sample_workspace, site)["ada@example.com"]
    assert (after.title, after.vip) == ("Analyst", True)
    assert tab.current_id() == ada.id

    with qtbot.waitSignal(tab.loaded):
        window.menus.undo.trigger()
    before = stored(sample_workspace, site)["ada@example.com"]
    assert (before.title, before.vip) == ("", False)
    wait_idle(qtbot)


def test_delete_with_the_delete_key_then_undo_restores_it(qtbot, window: MainWindow,
                                                          tab: ClientProfilesTab,
                                                          site: SiteView,
                                                          sample_workspace: Workspace) -> None:
    grace = next(r for r in tab.model.rows() if r.profile.first_name == "Grace")
    assert tab.select(grace.id)
    tab.table.setFocus()
    with qtbot.waitSignal(tab.loaded):
        qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    wait_idle(qtbot)
    assert "Grace Hopper" not in names(tab)
    assert "Undo" in tab.notice.text()
    assert "grace@example.com" not in stored(sample_workspace, site)
    with qtbot.waitSignal(tab.loaded):
        window.menus.undo.trigger()
    wait_idle(qtbot)
    assert "Grace Hopper" in names(tab)
    assert [r.id for r in sample_workspace.profiles.list(site.id)
            if r.profile.first_name == "Grace"] == [grace.id]  # the same profile, restored
    assert tab.current_id() == grace.id
    # the message that told of the deletion says what happened since
    assert tab.notice.text() == "Undone: Delete profile 'Grace Hopper'."
    with qtbot.waitSignal(tab.loaded):
        window.menus.redo.trigger()
    wait_idle(qtbot)
    assert "Grace Hopper" not in names(tab)
    assert tab.notice.text() == "Redone: Delete profile 'Grace Hopper'."


def test_filter_and_ctrl_f(qtbot, window: MainWindow, tab: ClientProfilesTab) -> None:
    tab.table.setFocus()
    window.activateWindow()
    window.menus.find.trigger()
    assert QApplication.focusWidget() is tab.filter
    qtbot.keyClicks(tab.filter, "TUR")
    assert names(tab) == ["Alan Turing"]
    assert tab.count.text() == "1 of 3"
    tab.filter.clear()
    qtbot.keyClicks(tab.filter, "4155553651")  # phones are searched too
    assert names(tab) == ["Grace Hopper"]
    tab.filter.clear()
    assert len(names(tab)) == 3
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(0) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert names(tab) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]  # by first name
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert names(tab) == ["Grace Hopper", "Alan Turing", "Ada Lovelace"]
    qtbot.keyClicks(tab.filter, "a")  # the filtered rows keep the order
    assert names(tab) == ["Grace Hopper", "Alan Turing", "Ada Lovelace"]


def test_export_then_read_back(qtbot, tab: ClientProfilesTab, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    tab.dialogs.paths.append(target)
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Exported 3 profiles" in tab.notice.text())
    sheet = read_sheet(target)
    assert sorted(r.values[0] for r in sheet.rows) == ["Ada", "Alan", "Grace"]


def test_export_refusal_is_said(qtbot, tab: ClientProfilesTab, tmp_path: Path) -> None:
    tab.dialogs.paths.append(tmp_path / "missing" / "out.xlsx")
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.notice.kind == "error")
    assert "Could not export" in tab.notice.text()
    assert shiboken6.isValid(tab)
