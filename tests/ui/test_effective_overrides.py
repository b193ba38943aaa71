"""Effective Settings as the place to act on a setting: open the policy it comes from, override
it on a device or remove the override (undoable), and on a narrow screen every column that
matters stays in sight (docs/architecture.md §14)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox, QPushButton, QTableView

from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, shown_page, wait_idle
from tests.ui.context_support import make_context
from tests.ui.test_effective_page import choose, row, site
from ui.main_window import MainWindow
from ui.models.effective_models import ComparisonTableModel, EffectiveTableModel
from ui.pages.device_overrides import OverrideDialog
from ui.pages.effective_page import EffectivePage
from ui.pages.policies_page import PoliciesPage
from ui.widgets.policy_editor import BoolField, WindowField

SAVE = QDialogButtonBox.StandardButton.Save


@pytest.fixture
def page(qtbot, sample_workspace: Workspace, dialogs: ScriptedDialogs
         ) -> Iterator[EffectivePage]:
    yield from shown_page(qtbot, EffectivePage(make_context(sample_workspace, qtbot)), dialogs)


def device_named(ws: Workspace, site_name: str, kind: str) -> str:
    """A device of that kind at that site, without overrides."""
    return next(d.name for d in ws.devices.all(site(ws, site_name).id)
                if d.kind == kind and d.override_count == 0)


def overrides(ws: Workspace, device_name: str) -> dict[tuple[str, str], object]:
    view = next(d for d in ws.devices.all() if d.name == device_name)
    effective = ws.effective.for_site(view.site_id, view.id)
    return {(r.type, r.key): r.value for r in effective.rows if r.level == "device-override"}


def select(qtbot, page: EffectivePage, setting: str) -> None:
    model = page.model
    found = next(r for r in range(model.rowCount())
                 if model.index(r, EffectiveTableModel.COL_SETTING).data() == setting)
    page.table.setCurrentIndex(model.index(found, EffectiveTableModel.COL_SETTING))
    page.table.setFocus()


def show(qtbot, page: EffectivePage, device: str, setting: str) -> None:
    """Main Office's device `device` on the page, its row `setting` current."""
    choose(qtbot, page, "site_combo", "Contoso Dental / Main Office")
    choose(qtbot, page, "device_combo", device)
    select(qtbot, page, setting)


def overridden_server(ws: Workspace, key: str, value: bool) -> str:
    """A server of Main Office with its Remote Access `key` overridden to `value`."""
    server = device_named(ws, "Main Office", "server")
    device_id = next(d.id for d in ws.devices.all() if d.name == server)
    ws.devices.set_override(device_id, "remote-access", key, value)
    return server


def open_dialog(qtbot, page: EffectivePage) -> OverrideDialog:
    actions = page.setting_actions
    assert actions.override.isEnabled()
    actions.override.trigger()
    dialog = actions.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def reloaded(qtbot, page: EffectivePage) -> None:
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: not page.loading)
    wait_idle(qtbot)


def test_the_context_menu_offers_the_three_actions(qtbot, page: EffectivePage,
                                                   sample_workspace: Workspace) -> None:
    table = page.table
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert [a.text() for a in table.actions()] == [
        "Open &Policy", "&Override on This Device…", "&Remove Override"]
    choose(qtbot, page, "site_combo", "Contoso Dental / Main Office")
    select(qtbot, page, "Notification Balloon")
    actions = page.setting_actions
    # the whole site: a package's value can be opened, not overridden
    assert (actions.open_policy.isEnabled(), actions.override.isEnabled(),
            actions.remove.isEnabled()) == (True, False, False)
    choose(qtbot, page, "device_combo", device_named(sample_workspace, "Main Office", "server"))
    select(qtbot, page, "Notification Balloon")
    assert (actions.open_policy.isEnabled(), actions.override.isEnabled(),
            actions.remove.isEnabled()) == (True, True, False)
    # a server gets no desktop patching, so it is neither listed nor offered
    assert "os-patching-desktop" not in {r.type for r in page.model.rows()}
    select(qtbot, page, "Enable RMM Services")  # a Sites type: never on a device
    assert not actions.override.isEnabled()


def test_override_a_setting_on_a_device_then_undo_and_redo(qtbot, page: EffectivePage,
                                                           sample_workspace: Workspace) -> None:
    ws = sample_workspace
    server = device_named(ws, "Main Office", "server")
    show(qtbot, page, server, "Notification Balloon")
    assert row(page.model, "Notification Balloon")["value"] == "Off"

    dialog = open_dialog(qtbot, page)
    assert dialog.windowTitle() == f"Override on {server}"
    field = dialog.field
    assert isinstance(field, BoolField)
    assert not field.check.isChecked()  # it opens on the value the device has now
    qtbot.mouseClick(field.check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.buttons.button(SAVE), Qt.MouseButton.LeftButton)
    reloaded(qtbot, page)

    assert overrides(ws, server) == {("remote-access", "notification_balloon"): True}
    balloon = row(page.model, "Notification Balloon")
    assert (balloon["value"], balloon["level"]) == ("On", "Device override")
    assert f"is On on {server}" in page.notice.text()
    # the setting just overridden is still the current row, ready for the next action
    assert page.model.row_or_none(page.table.currentIndex().row()).key == "notification_balloon"
    assert page.setting_actions.remove.isEnabled()
    assert page.device_combo.currentText() == f"{server} — 1 override"

    undo = page.setting_actions.ops.undo_stack
    assert undo.undoText() == f"Override 'Notification Balloon' on {server}"
    undo.undo()
    reloaded(qtbot, page)
    assert overrides(ws, server) == {}
    assert row(page.model, "Notification Balloon")["level"] == "Site package"
    assert page.notice.text() == f"Undone: Override 'Notification Balloon' on {server}."
    undo.redo()
    reloaded(qtbot, page)
    assert overrides(ws, server) == {("remote-access", "notification_balloon"): True}


def test_the_delete_key_removes_an_override_and_undo_brings_it_back(
        qtbot, page: EffectivePage, sample_workspace: Workspace) -> None:
    ws = sample_workspace
    server = overridden_server(ws, "auto_update_agent", False)
    show(qtbot, page, server, "Automatically Update Agent Version")
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    reloaded(qtbot, page)
    assert overrides(ws, server) == {}
    assert row(page.model, "Automatically Update Agent Version")["value"] == "On"
    page.setting_actions.ops.undo_stack.undo()
    reloaded(qtbot, page)
    assert overrides(ws, server) == {("remote-access", "auto_update_agent"): False}


def test_a_window_too_short_is_refused_in_the_dialog_and_nothing_is_saved(
        qtbot, page: EffectivePage, sample_workspace: Workspace) -> None:
    ws = sample_workspace
    desktop = device_named(ws, "Main Office", "desktop")
    show(qtbot, page, desktop, "Installation Window")
    dialog = open_dialog(qtbot, page)
    field = dialog.field
    assert isinstance(field, WindowField)
    save = dialog.buttons.button(SAVE)
    assert save.isEnabled()
    field.set_window(QTime(8, 0), QTime(10, 0))  # two hours: the rule asks for four
    assert not save.isEnabled()
    assert dialog.problem.isVisible()
    assert dialog.problem.text() == "Installation window must be at least 4 h; this one is 2 h."
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter does not get past it either
    assert dialog.isVisible()
    field.set_window(QTime(8, 0), QTime(13, 0))
    assert save.isEnabled()
    assert not dialog.problem.isVisible()
    dialog.reject()  # Esc or Cancel with an edit asks first
    box = dialog.discard_box
    assert box is not None
    qtbot.mouseClick(box.findChild(QPushButton, "discard"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.setting_actions.dialog is None)  # closed and gone
    wait_idle(qtbot)
    assert overrides(ws, desktop) == {}


def test_narrow_the_tables_hide_what_their_tooltips_say(qtbot, page: EffectivePage) -> None:
    """At 1024 px the page is ~800 px wide: the settings table names each value's policy in
    its Source column, the comparison keeps both sites' values in sight; neither scrolls
    sideways."""
    choose(qtbot, page, "site_combo", "Contoso Dental / Main Office")
    m = EffectiveTableModel
    assert not page.table.isColumnHidden(m.COL_POLICY)
    assert row(page.model, "Enable NOC Services")["level"] == "Site package"
    page.resize(800, 600)
    qtbot.waitUntil(lambda: page.table.isColumnHidden(m.COL_POLICY))
    assert page.table.isColumnHidden(m.COL_PACKAGE)
    assert row(page.model, "Enable NOC Services")["level"] == "RMM with NOC"
    assert_no_sideways_scroll(page.table)

    c = ComparisonTableModel
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.compare_model.rowCount() > 0)
    table = page.compare_table
    qtbot.waitUntil(lambda: table.isColumnHidden(c.COL_LEFT_SOURCE))
    assert table.isColumnHidden(c.COL_RIGHT_SOURCE)
    assert_no_sideways_scroll(table)
    tip = page.compare_model.index(0, c.COL_RIGHT).data(Qt.ItemDataRole.ToolTipRole)
    assert "\nFrom: " in tip

    page.resize(1400, 700)
    qtbot.waitUntil(lambda: not table.isColumnHidden(c.COL_LEFT_SOURCE))
    page.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: not page.table.isColumnHidden(m.COL_POLICY))
    assert row(page.model, "Enable NOC Services")["level"] == "Site package"


def assert_no_sideways_scroll(table: QTableView) -> None:
    header = table.horizontalHeader()
    last = max(col for col in range(header.count()) if not table.isColumnHidden(col))
    assert header.sectionViewportPosition(last) + header.sectionSize(last) \
        <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0


def test_double_click_opens_the_policy_a_value_comes_from(qtbot, window: MainWindow) -> None:
    window.show_page("effective")
    page = window.page("effective")
    assert isinstance(page, EffectivePage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    choose(qtbot, page, "site_combo", "Contoso Dental / Main Office")
    model = page.model
    found = next(r for r in range(model.rowCount())
                 if model.index(r, EffectiveTableModel.COL_SETTING).data() == "Critical")
    expected = model.row_at(found).policy
    page.table.scrollTo(model.index(found, 0))
    cell = page.table.visualRect(model.index(found, EffectiveTableModel.COL_SETTING))
    # a double-click is a press, a release, then the double-click (the view acts on a
    # double-click only on the cell pressed first)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    policies = window.page("policies")
    assert isinstance(policies, PoliciesPage)
    qtbot.waitUntil(lambda: policies.isVisible() and policies.editor.policy() is not None
                    and policies.editor.policy().name == expected)
    assert policies.side.currentWidget() is policies.editor


def test_an_override_row_opens_its_own_dialog(qtbot, page: EffectivePage,
                                              sample_workspace: Workspace) -> None:
    ws = sample_workspace
    server = overridden_server(ws, "notification_balloon", True)
    show(qtbot, page, server, "Notification Balloon")
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter: as a double-click
    dialog = page.setting_actions.dialog
    assert dialog is not None
    field = dialog.field
    assert isinstance(field, BoolField)
    assert field.check.isChecked()
    assert "Now On, set on this device." in dialog.about.text()
    dialog.reject()


def test_the_seeds_advice_shows_in_the_dialog_and_save_stays_put(
        qtbot, page: EffectivePage, sample_workspace: Workspace) -> None:
    """Turning Automatically Update Agent Version off on a device goes against seed 001's
    advice: the dialog says so as the readiness checklist will, yet saves (advice, not a
    rule); the warning takes a room kept for it, so Save does not move under the pointer."""
    server = device_named(sample_workspace, "Main Office", "server")
    show(qtbot, page, server, "Automatically Update Agent Version")
    dialog = open_dialog(qtbot, page)
    save = dialog.buttons.button(SAVE)
    where = save.mapTo(dialog, save.rect().topLeft())
    assert not dialog.advice.isVisible()
    field = dialog.field
    assert isinstance(field, BoolField)
    qtbot.mouseClick(field.check, Qt.MouseButton.LeftButton)  # off
    assert dialog.advice.isVisible()
    assert dialog.advice.text().startswith("Keep Automatically Update Agent Version on")
    assert save.isEnabled()
    assert save.mapTo(dialog, save.rect().topLeft()) == where
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    reloaded(qtbot, page)
    assert overrides(sample_workspace, server) == {("remote-access", "auto_update_agent"): False}
