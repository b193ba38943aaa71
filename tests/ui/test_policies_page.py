"""The Policies page and the generated policy editor, through their real widgets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt, QTime
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QSpinBox

from app.services.views import PolicyView
from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, shown_page, wait_idle
from tests.ui.context_support import make_context
from ui.models.policy_models import PolicyTableModel
from ui.pages.policies_page import PoliciesPage
from ui.widgets.policy_editor import PAID_NOTE, BoolField, WindowField
from ui.widgets.rule_field import RuleField


@pytest.fixture
def page(qtbot, sample_workspace: Workspace, undo_stack: QUndoStack,
         dialogs: ScriptedDialogs) -> Iterator[PoliciesPage]:
    context = make_context(sample_workspace, qtbot, undo_stack)
    yield from shown_page(qtbot, PoliciesPage(context), dialogs)


def shown_names(page: PoliciesPage) -> list[str]:
    return [r.name for r in page.model.rows()]


def click_row(qtbot, page: PoliciesPage, name: str) -> None:
    row = shown_names(page).index(name)
    rect = page.table.visualRect(page.model.index(row, PolicyTableModel.COL_NAME))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected_policy() is not None
    assert page.selected_policy().name == name


def toggle(qtbot, field: BoolField) -> None:
    qtbot.mouseClick(field.check, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, field.check.height() // 2))


def wait_refresh(qtbot, page: PoliciesPage):
    return qtbot.waitSignal(page.refreshed, timeout=10_000)


# --- list ------------------------------------------------------------------------------------


def test_table_model_passes_the_model_tester(qtmodeltester, page: PoliciesPage) -> None:
    qtmodeltester.check(page.model)
    page.table.sortByColumn(PolicyTableModel.COL_USED, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(page.model)
    page.search.setText("remote")
    qtmodeltester.check(page.model)


def test_list_shows_name_type_category_and_packages(page: PoliciesPage) -> None:
    model = page.model
    assert model.columnCount() == 4
    row = shown_names(page).index("RMM with NOC")
    data = [model.index(row, c).data() for c in range(4)]
    assert data == ["RMM with NOC", "RMM Site Configuration", "Sites",
                    "Help Desk Essentials, Help Desk Ready, Managed Servers"]
    assert page.count_label.text() == "9 policies"


def test_search_and_type_filter(qtbot, page: PoliciesPage) -> None:
    qtbot.keyClicks(page.search, "patching")
    assert sorted(shown_names(page)) == ["Desktop Patching Weekly", "Server Patching Approved"]
    assert page.count_label.text() == "2 of 9"
    page.search.clear()
    combo = page.type_filter
    combo.setCurrentIndex(combo.findData("remote-access"))
    assert sorted(shown_names(page)) == ["Remote Access Default", "Remote Access Quiet"]
    qtbot.keyClicks(page.search, "quiet")
    assert shown_names(page) == ["Remote Access Quiet"]
    combo.setCurrentIndex(0)
    page.search.setText("help desk ready")  # packages count too
    assert "RMM with NOC" in shown_names(page)


def test_focus_search(page: PoliciesPage) -> None:
    page.activateWindow()
    page.focus_search()
    assert page.search.hasFocus()


# --- the generated editor --------------------------------------------------------------------


def test_selecting_a_policy_opens_a_form_generated_from_its_type(qtbot,
                                                                page: PoliciesPage) -> None:
    click_row(qtbot, page, "RMM with NOC")
    editor = page.editor
    assert page.side.currentWidget() is editor
    assert editor.name_edit.text() == "RMM with NOC"
    assert isinstance(editor.field("rmm_enabled").focus_target(), QCheckBox)
    assert isinstance(editor.field("noc_access_level").focus_target(), QSpinBox)
    assert editor.field("noc_access_level").focus_target().maximum() == 3
    assert isinstance(editor.field("coverage_hours").focus_target(), QComboBox)
    assert editor.field("coverage_hours").focus_target().currentText() == "24×7"
    # the page has the workspace's partner rules: the rule is picked from them
    assert isinstance(editor.field("notification_rule"), RuleField)
    assert isinstance(editor.field("notification_rule").focus_target(), QComboBox)
    assert editor.settings()["noc_access_level"] == 2
    assert not editor.save_button.isEnabled()  # nothing changed yet


def test_install_window_under_4_hours_shows_why_and_disables_save(qtbot,
                                                                 page: PoliciesPage) -> None:
    click_row(qtbot, page, "Desktop Patching Weekly")
    editor = page.editor
    window = editor.field("install_window")
    assert isinstance(window, WindowField)
    assert window.scheduled.isChecked()
    window.end.setTime(QTime(1, 30))  # 22:00 → 01:30
    assert window.value() == "22:00-01:30"
    message = editor.error_text("install_window")
    assert message == "Installation window must be at least 4 h; this one is 3 h 30 min"
    assert editor.findChild(QLabel, "error:install_window").isVisible()
    assert not editor.save_button.isEnabled()
    assert "1 problem" in editor.status.text()
    window.end.setTime(QTime(2, 0))
    assert editor.error_text("install_window") == ""
    assert editor.save_button.isEnabled()


def test_reboot_window_rule_and_unscheduled_window(qtbot, page: PoliciesPage) -> None:
    click_row(qtbot, page, "Server Patching Approved")
    editor = page.editor
    reboot = editor.field("reboot_window")
    assert isinstance(reboot, WindowField)
    reboot.set_window(QTime(5, 0), QTime(5, 45))
    assert "at least 1 h; this one is 45 min" in editor.error_text("reboot_window")
    qtbot.mouseClick(reboot.scheduled, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, reboot.scheduled.height() // 2))
    assert reboot.value() is None
    assert not reboot.start.isEnabled()
    assert editor.error_text("reboot_window") == ""


def test_rmm_dependent_fields_are_enabled_only_when_rmm_is_on(qtbot,
                                                              page: PoliciesPage) -> None:
    page.add_policy()
    editor = page.editor
    editor.category_combo.setCurrentIndex(editor.category_combo.findData("sites"))
    editor.type_combo.setCurrentIndex(editor.type_combo.findData("rmm-site-configuration"))
    assert editor.title.text() == "New RMM Site Configuration policy"
    dependents = ["noc_enabled", "notification_rule", "noc_access_level",
                  "auto_credentials_servers", "auto_credentials_desktops"]
    for key in dependents:
        assert not editor.field(key).isEnabled(), key
        assert not editor.field_label(key).isEnabled(), key
    toggle(qtbot, editor.field("rmm_enabled"))
    for key in dependents:
        assert editor.field(key).isEnabled(), key
    # NOC coverage depends on NOC, which depends on RMM
    assert not editor.field("coverage_hours").isEnabled()
    toggle(qtbot, editor.field("noc_enabled"))
    assert editor.field("coverage_hours").isEnabled()
    # RMM on needs a notification rule, said under the field
    assert editor.error_text("notification_rule") == \
        "Notification Rule is required when RMM services are enabled"
    toggle(qtbot, editor.field("rmm_enabled"))
    assert not editor.field("coverage_hours").isEnabled()
    assert "NOC services need RMM services enabled" in editor.error_text("noc_enabled")


def test_noc_services_carry_a_visible_paid_add_on_note(qtbot, page: PoliciesPage) -> None:
    click_row(qtbot, page, "RMM Standard")
    note = page.editor.paid_note("noc_enabled")
    assert note is not None
    assert note.isVisible()
    assert "Paid add-on" in note.text()
    assert "monthly invoice" in note.text()
    assert note.accessibleName() == PAID_NOTE
    assert page.editor.paid_note("rmm_enabled") is None


def test_editing_a_policy_and_saving_persists_and_undo_reverts(
        qtbot, page: PoliciesPage, sample_workspace: Workspace,
        undo_stack: QUndoStack) -> None:
    click_row(qtbot, page, "Remote Access Default")
    editor = page.editor
    toggle(qtbot, editor.field("notification_balloon"))
    editor.name_edit.selectAll()
    qtbot.keyClicks(editor.name_edit, "Remote Access Loud")
    assert editor.title.text().endswith("•")
    with wait_refresh(qtbot, page):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = sample_workspace.policies.get("Remote Access Loud")
    assert saved.settings["notification_balloon"] is True
    assert "Saved policy 'Remote Access Loud'" in editor.notice.text()
    assert "Remote Access Loud" in shown_names(page)
    assert page.selected_policy().name == "Remote Access Loud"

    assert undo_stack.undoText() == "Edit policy 'Remote Access Loud'"
    with wait_refresh(qtbot, page):
        undo_stack.undo()
    back = sample_workspace.policies.get(saved.id)
    assert back.name == "Remote Access Default"
    assert back.settings["notification_balloon"] is False
    assert editor.name_edit.text() == "Remote Access Default"


def test_a_new_policy_is_created_from_the_editor(qtbot, page: PoliciesPage,
                                                 sample_workspace: Workspace,
                                                 undo_stack: QUndoStack) -> None:
    page.type_filter.setCurrentIndex(page.type_filter.findData("communicator"))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    editor = page.editor
    assert editor.is_new()
    assert editor.type_combo.currentData() == "communicator"
    assert editor.error_text("name") == "Give the policy a name."
    assert not editor.save_button.isEnabled()
    qtbot.keyClicks(editor.name_edit, "Communicator Quiet")
    toggle(qtbot, editor.field("enabled"))
    toggle(qtbot, editor.field("news_feeds"))
    with wait_refresh(qtbot, page):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    created = sample_workspace.policies.get("Communicator Quiet")
    assert created.settings["enabled"] is True
    assert created.settings["news_feeds"] is False
    assert shown_names(page) == ["Communicator On", "Communicator Quiet"]
    assert not editor.is_new()
    with wait_refresh(qtbot, page):
        undo_stack.undo()
    assert shown_names(page) == ["Communicator On"]
    assert page.side.currentWidget() is page.placeholder


def test_a_duplicate_name_is_refused_inline(qtbot, page: PoliciesPage) -> None:
    page.add_policy("remote-access")
    qtbot.keyClicks(page.editor.name_edit, "Remote Access Quiet")
    qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)  # the save runs on the write queue, off the GUI thread
    assert "already exists" in page.editor.notice.text()
    assert page.editor.is_dirty()  # refused: the edit is kept, unsaved


def test_switching_away_from_unsaved_changes_asks(qtbot, page: PoliciesPage) -> None:
    click_row(qtbot, page, "Communicator On")
    toggle(qtbot, page.editor.field("news_feeds"))
    page.dialogs.answer = False  # type: ignore[attr-defined]
    click_row_index = shown_names(page).index("Help Desk Chat")
    rect = page.table.visualRect(page.model.index(click_row_index, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.dialogs.asked  # type: ignore[attr-defined]
    assert page.editor.policy().name == "Communicator On"
    assert page.selected_policy().name == "Communicator On"


def test_delete_is_refused_for_a_policy_in_a_package(qtbot, page: PoliciesPage,
                                                     sample_workspace: Workspace) -> None:
    click_row(qtbot, page, "RMM Standard")
    assert "remove it from them" in page.delete_button.toolTip()
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)  # the delete runs on the write queue, off the GUI thread
    assert page.notice.text() == ("Policy 'RMM Standard' is in package(s) 'Baseline'; "
                                  "remove it from them first.")
    assert page.notice.kind == "error"
    assert sample_workspace.policies.get("RMM Standard")


def duplicate(qtbot, page: PoliciesPage, ws: Workspace, name: str) -> PolicyView:
    """Select policy `name` and duplicate it with the page's button; the copy."""
    click_row(qtbot, page, name)
    with wait_refresh(qtbot, page):
        qtbot.mouseClick(page.duplicate_button, Qt.MouseButton.LeftButton)
    return ws.policies.get(f"{name} (copy)")


def test_duplicate_then_delete_then_undo_both(qtbot, page: PoliciesPage,
                                              sample_workspace: Workspace,
                                              undo_stack: QUndoStack) -> None:
    copy = duplicate(qtbot, page, sample_workspace, "Remote Access Quiet")
    assert copy.settings == sample_workspace.policies.get("Remote Access Quiet").settings
    assert page.selected_policy().name == "Remote Access Quiet (copy)"

    with wait_refresh(qtbot, page):
        qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    title, question = page.dialogs.asked[-1]  # type: ignore[attr-defined]
    assert title == "Delete policy"
    assert question.startswith("Delete policy 'Remote Access Quiet (copy)'?")
    assert "Remote Access Quiet (copy)" not in shown_names(page)

    with wait_refresh(qtbot, page):
        undo_stack.undo()  # the delete: it comes back (a new id, same settings)
    again = sample_workspace.policies.get("Remote Access Quiet (copy)")
    assert again.settings == copy.settings
    assert page.selected_policy().name == "Remote Access Quiet (copy)"
    with wait_refresh(qtbot, page):
        undo_stack.undo()  # the duplicate: gone again
    assert [p.name for p in sample_workspace.policies.all("remote-access")] == [
        "Remote Access Default", "Remote Access Quiet"]
    with wait_refresh(qtbot, page):
        undo_stack.redo()
    assert "Remote Access Quiet (copy)" in shown_names(page)


def test_a_refused_undo_says_why_and_leaves_the_stack(qtbot, page: PoliciesPage,
                                                      sample_workspace: Workspace,
                                                      undo_stack: QUndoStack) -> None:
    copy = duplicate(qtbot, page, sample_workspace, "Communicator On")
    sample_workspace.packages.save("Uses the copy", [copy.id])
    with wait_refresh(qtbot, page):
        undo_stack.undo()
    assert "Could not undo" in page.notice.text()
    assert "remove it from them first" in page.notice.text()
    assert undo_stack.count() == 0
    assert sample_workspace.policies.get(copy.id)


def test_show_scrolls_to_the_first_problem(qtbot, page: PoliciesPage) -> None:
    page.resize(1000, 500)
    click_row(qtbot, page, "Desktop Patching Weekly")
    editor = page.editor
    window = editor.field("install_window")
    assert isinstance(window, WindowField)
    editor.scroll_area.verticalScrollBar().setValue(0)
    window.end.setTime(QTime(23, 0))
    assert editor.show_problem.isVisible()
    qtbot.mouseClick(editor.show_problem, Qt.MouseButton.LeftButton)
    error = editor.findChild(QLabel, "error:install_window")
    top = error.mapTo(editor.scroll_area.viewport(), QPoint(0, 0)).y()
    assert 0 <= top < editor.scroll_area.viewport().height()
