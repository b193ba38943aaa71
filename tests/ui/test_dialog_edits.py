# ruff: noqa: F811  (the shared fixtures are imported, then named as parameters)
"""Dialogs that hold edits (a client profile, a vault item, the preferences) answer "dirty?":
Esc, Cancel or the window's close with edits ask Discard / Keep Editing, and quitting while one
is open lists its edits with the pages' in the quit guard's question."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox, QPushButton

from app.services.views import SiteView
from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, wait_idle
from tests.ui.test_vault_support import (  # noqa: F401 (fixtures)
    cheap_kdf,
    create_vault,
    session,
    site,
    tab,
)
from ui.main_window import MainWindow
from ui.preferences import PreferencesDialog
from ui.profiles.profile_form import ProfileDialog
from ui.profiles.profiles_tab import ClientProfilesTab
from ui.site.build import CLIENT_INFO, CLIENT_PROFILES
from ui.vault.item_form import ItemDialog
from ui.vault.passwords_tab import PasswordsTab


def profiles_tab(qtbot: Any, window: MainWindow, site: SiteView) -> ClientProfilesTab:
    page: Any = window.page("companies")
    assert page.select(site.id)
    widget = page.site_tabs.show_tab(CLIENT_PROFILES, CLIENT_INFO)
    assert isinstance(widget, ClientProfilesTab)
    wait_idle(qtbot)
    return widget


def open_profile_form(qtbot: Any, tab: ClientProfilesTab) -> ProfileDialog:
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.profile_dialog
    assert isinstance(dialog, ProfileDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # as a window manager does (offscreen does not)
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def discard_question(qtbot: Any, dialog: Any) -> QMessageBox:
    qtbot.waitUntil(lambda: dialog.discard_box is not None and dialog.discard_box.isVisible())
    box = dialog.discard_box
    assert isinstance(box, QMessageBox)
    return box


def answer(qtbot: Any, box: QMessageBox, name: str) -> None:
    button = box.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_esc_in_a_profile_form_with_edits_asks_and_keep_editing_keeps_them(
        qtbot: Any, window: MainWindow, site: SiteView, sample_workspace: Workspace) -> None:
    tab = profiles_tab(qtbot, window, site)
    before = len(sample_workspace.profiles.list(site.id))
    dialog = open_profile_form(qtbot, tab)
    first = dialog.form.edits["first_name"]
    qtbot.keyClicks(first, "Katherine")
    assert dialog.is_dirty()
    qtbot.keyClick(first, Qt.Key.Key_Escape)
    box = discard_question(qtbot, dialog)
    assert "Discard your changes" in box.text()
    assert "Add Client Profile" in box.text()
    answer(qtbot, box, "keepEditing")
    assert dialog.isVisible()
    assert first.text() == "Katherine"
    dialog.close()  # the window's close button: asked again
    box = discard_question(qtbot, dialog)
    answer(qtbot, box, "discard")
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    wait_idle(qtbot)
    assert len(sample_workspace.profiles.list(site.id)) == before  # nothing stored


def test_a_form_without_edits_closes_at_once(qtbot: Any, window: MainWindow,
                                            site: SiteView) -> None:
    tab = profiles_tab(qtbot, window, site)
    dialog = open_profile_form(qtbot, tab)
    qtbot.keyClick(dialog.form.edits["first_name"], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()]


def test_cancel_in_the_vault_item_form_with_edits_asks(qtbot: Any, tab: PasswordsTab) -> None:
    create_vault(qtbot, tab)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.item_dialog
    assert isinstance(dialog, ItemDialog)
    qtbot.mouseClick(dialog.show_password, Qt.MouseButton.LeftButton)
    assert not dialog.is_dirty()  # showing the password is no edit
    qtbot.keyClicks(dialog.title, "Router")
    cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    box = discard_question(qtbot, dialog)
    answer(qtbot, box, "keepEditing")
    assert dialog.isVisible()
    assert dialog.title.text() == "Router"
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    answer(qtbot, discard_question(qtbot, dialog), "discard")
    qtbot.waitUntil(lambda: tab.item_dialog is None)
    wait_idle(qtbot)
    assert all(row.title != "Router" for model in tab.models.values() for row in model.rows())


def scripted(window: MainWindow, *answers: str) -> ScriptedDialogs:
    dialogs = ScriptedDialogs(answer=True)
    dialogs.unsaved.extend(answers)
    window.dialogs = dialogs  # type: ignore[assignment]
    return dialogs


def test_ctrl_q_in_the_preferences_with_a_change_asks_the_quit_guard(
        qtbot: Any, window: MainWindow) -> None:
    dialogs = scripted(window, "cancel", "discard")
    dialog = window.show_preferences()
    assert isinstance(dialog, PreferencesDialog)
    qtbot.waitExposed(dialog)
    wait_idle(qtbot)  # the sync section's stored values are in: they are not edits
    assert not dialog.is_dirty()
    reopen = dialog.reopen
    assert isinstance(reopen, QCheckBox)
    was = reopen.isChecked()
    qtbot.mouseClick(reopen, Qt.MouseButton.LeftButton)
    qtbot.keyClick(reopen, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # Cancel
    assert dialogs.unsaved_asked == [["Preferences (open dialog)"]]
    assert window.isVisible()
    assert dialog.isVisible()
    qtbot.keyClick(reopen, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # Discard
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not dialog.isVisible()
    assert window.settings.reopen_last_workspace == was  # the change was not kept


def test_quitting_with_a_profile_form_open_saves_it_first(
        qtbot: Any, window: MainWindow, site: SiteView, sample_workspace: Workspace) -> None:
    tab = profiles_tab(qtbot, window, site)
    dialog = open_profile_form(qtbot, tab)
    for field, text in (("first_name", "Katherine"), ("last_name", "Johnson"),
                        ("email", "katherine@example.com"), ("mobile_country_code", "US"),
                        ("mobile_phone", "4155553699")):
        qtbot.keyClicks(dialog.form.edits[field], text)
    assert dialog.save_button.isEnabled(), dialog.form.messages_shown()
    dialogs = scripted(window, "save")
    qtbot.keyClick(dialog.form.edits["email"], Qt.Key.Key_Q,
                   Qt.KeyboardModifier.ControlModifier)
    assert dialogs.unsaved_asked == [["Add Client Profile (open dialog)"]]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    wait_idle(qtbot)
    saved = [r.profile for r in sample_workspace.profiles.list(site.id)]
    assert [(p.first_name, p.last_name, p.email) for p in saved
            if p.first_name == "Katherine"] == [("Katherine", "Johnson", "katherine@example.com")]


def test_a_profile_form_with_an_error_refuses_the_quit_guard_save(
        qtbot: Any, window: MainWindow, site: SiteView) -> None:
    tab = profiles_tab(qtbot, window, site)
    dialog = open_profile_form(qtbot, tab)
    qtbot.keyClicks(dialog.form.edits["first_name"], "Katherine")  # no last name yet
    assert dialog.form.has_errors()
    dialogs = scripted(window, "save")
    window.menus.quit.trigger()
    assert dialogs.unsaved_asked == [["Add Client Profile (open dialog)"]]
    assert window.isVisible()  # refused: the form says why
    assert dialog.isVisible()
    dialog.discard_edits()
