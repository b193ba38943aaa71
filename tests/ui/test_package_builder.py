"""The Package Builder through its real widgets (seed 000, "Add Policies to a Package").

Drag and drop is driven as Qt drives it: the Policy List's own model makes the mime data of
the selected rows, and the building blocks' viewport gets real drag-enter, drag-move and drop
events. Questions go to a scripted dialog service; nothing waits on a timer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QToolButton

from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, shown_page
from tests.ui.context_support import make_context
from ui.models.policy_models import POLICY_IDS_MIME, decode_policy_ids
from ui.pages.packages_page import PackagesPage
from ui.widgets.package_builder import EMPTY_PACKAGE_MESSAGE


@pytest.fixture
def page(qtbot, sample_workspace: Workspace, undo_stack: QUndoStack,
         dialogs: ScriptedDialogs) -> Iterator[PackagesPage]:
    ws = sample_workspace
    yield from shown_page(qtbot, PackagesPage(make_context(ws, qtbot, undo_stack)), dialogs)


def pid(ws: Workspace, name: str) -> str:
    return ws.policies.get(name).id


def names(page: PackagesPage) -> list[str]:
    return [p.name for p in page.builder.blocks_model.policies()]


def select_policies(page: PackagesPage, ids: Sequence[str]) -> list[QModelIndex]:
    """Select rows of the Policy List as Ctrl-clicks would."""
    view = page.builder.policy_view
    model = page.builder.policy_model
    selection = view.selectionModel()
    selection.clearSelection()
    for policy_id in ids:
        index = model.policy_index(policy_id)
        assert index.isValid(), policy_id
        selection.select(index, QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    return view.selectedIndexes()


def drag_policies(page: PackagesPage, ids: Sequence[str], at: QPoint | None = None) -> None:
    """Drag the Policy List's selected rows onto the building blocks, event by event."""
    indexes = select_policies(page, ids)
    mime = page.builder.policy_view.model().mimeData(indexes)
    assert mime.hasFormat(POLICY_IDS_MIME)
    target = page.builder.blocks_view.viewport()
    point = at or QPoint(target.width() // 2, target.height() - 12)  # below the last block
    copy = Qt.DropAction.CopyAction
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, copy, mime, left, none)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(point, copy, mime, left, none)
    QApplication.sendEvent(target, move)
    assert move.isAccepted()
    drop = QDropEvent(QPointF(point), copy, mime, left, none)
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted()


def select_package(page: PackagesPage, name: str) -> None:
    model = page.package_model
    row = next(i for i, p in enumerate(model.rows()) if p.name == name)
    page.package_view.setCurrentIndex(model.index(row, 0))
    assert page.current_draft().state.name == name


def remove_button(page: PackagesPage, name: str) -> QToolButton:
    row = names(page).index(name)
    button = page.builder.blocks_view.remove_button(row)
    assert button is not None
    return button


def save(qtbot, page: PackagesPage) -> None:
    assert page.builder.save_button.isEnabled()
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        qtbot.mouseClick(page.builder.save_button, Qt.MouseButton.LeftButton)


# --- models ----------------------------------------------------------------------------------


def test_item_models_pass_the_model_tester(qtmodeltester, page: PackagesPage,
                                           sample_workspace: Workspace) -> None:
    qtmodeltester.check(page.builder.policy_model)
    qtmodeltester.check(page.builder.blocks_model)
    qtmodeltester.check(page.package_model)
    drag_policies(page, [pid(sample_workspace, "Communicator On")])
    qtmodeltester.check(page.builder.blocks_model)
    page.builder.search.setText("remote")
    qtmodeltester.check(page.builder.policy_model)


def test_policy_list_mime_data_carries_ids_in_list_order(page: PackagesPage,
                                                         sample_workspace: Workspace) -> None:
    ids = [pid(sample_workspace, n) for n in ("Communicator On", "RMM Standard")]
    mime = page.builder.policy_model.mimeData(select_policies(page, ids))
    # RMM Site Configuration is listed before Communicator
    assert decode_policy_ids(mime) == list(reversed(ids))
    headers = [page.builder.policy_model.index(0, 0)]
    assert decode_policy_ids(page.builder.policy_model.mimeData(headers)) == []


# --- drag and drop ---------------------------------------------------------------------------


def test_first_package_is_shown_and_its_policies_are_ticked(page: PackagesPage,
                                                            sample_workspace: Workspace) -> None:
    assert page.current_draft().state.name == "Baseline"
    assert names(page) == ["RMM Standard", "Remote Access Default", "Desktop Patching Weekly"]
    model = page.builder.policy_model
    ticked = model.policy_index(pid(sample_workspace, "RMM Standard"))
    assert "already in this package" in ticked.data(Qt.ItemDataRole.ToolTipRole)


def test_dropping_a_policy_adds_it(qtbot, page: PackagesPage, sample_workspace: Workspace,
                                   undo_stack: QUndoStack) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert names(page) == []
    drag_policies(page, [pid(sample_workspace, "Communicator On")])
    assert names(page) == ["Communicator On"]
    assert "Added 'Communicator On'" in page.builder.notice.text()
    assert page.builder.count_label.text() == "1 policy"
    assert undo_stack.count() == 1
    assert undo_stack.undoText() == "Add 'Communicator On'"


def test_dropping_a_second_policy_of_a_type_replaces_it_and_undo_restores(
        page: PackagesPage, sample_workspace: Workspace, undo_stack: QUndoStack) -> None:
    drag_policies(page, [pid(sample_workspace, "Remote Access Quiet")])
    # same place in the list, the first one gone, and the builder says so
    assert names(page) == ["RMM Standard", "Remote Access Quiet", "Desktop Patching Weekly"]
    notice = page.builder.notice
    assert notice.isVisible()
    assert ("Replaced 'Remote Access Default' with 'Remote Access Quiet' "
            "(same type: Remote Access)") in notice.text()
    assert page.builder.save_button.isEnabled()

    undo_stack.undo()
    assert names(page) == ["RMM Standard", "Remote Access Default", "Desktop Patching Weekly"]
    assert "'Remote Access Default' is back" in notice.text()
    assert not page.builder.save_button.isEnabled()  # back to the saved package
    undo_stack.redo()
    assert names(page) == ["RMM Standard", "Remote Access Quiet", "Desktop Patching Weekly"]


def test_dropping_a_policy_already_there_changes_nothing(page: PackagesPage,
                                                         sample_workspace: Workspace,
                                                         undo_stack: QUndoStack) -> None:
    drag_policies(page, [pid(sample_workspace, "RMM Standard")])
    assert names(page) == ["RMM Standard", "Remote Access Default", "Desktop Patching Weekly"]
    assert "Already in this package" in page.builder.notice.text()
    assert undo_stack.count() == 0


def test_multi_select_drag_adds_all_three(qtbot, page: PackagesPage,
                                          sample_workspace: Workspace,
                                          undo_stack: QUndoStack) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    ids = [pid(sample_workspace, n)
           for n in ("Communicator On", "RMM with NOC", "Server Patching Approved")]
    drag_policies(page, ids)
    # in the Policy List's order (types: RMM, OS Patching Server, Communicator)
    assert names(page) == ["RMM with NOC", "Server Patching Approved", "Communicator On"]
    assert undo_stack.count() == 1  # one drop, one undo step
    undo_stack.undo()
    assert names(page) == []


def test_multi_select_drag_applies_the_replacement_rule_in_order(
        page: PackagesPage, sample_workspace: Workspace, undo_stack: QUndoStack) -> None:
    select_package(page, "Managed Servers")
    assert names(page) == ["RMM with NOC", "Server Patching Approved", "Remote Access Quiet"]
    ids = [pid(sample_workspace, n)
           for n in ("RMM Standard", "Remote Access Default", "Communicator On")]
    drag_policies(page, ids)
    assert names(page) == ["RMM Standard", "Server Patching Approved", "Remote Access Default",
                           "Communicator On"]
    text = page.builder.notice.text()
    assert "Replaced 'RMM with NOC' with 'RMM Standard' (same type: RMM Site Configuration)" \
        in text
    assert "Replaced 'Remote Access Quiet' with 'Remote Access Default'" in text
    undo_stack.undo()
    assert names(page) == ["RMM with NOC", "Server Patching Approved", "Remote Access Quiet"]


def test_two_policies_of_one_type_dropped_together_keep_the_later(
        qtbot, page: PackagesPage, sample_workspace: Workspace) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    drag_policies(page, [pid(sample_workspace, "Remote Access Default"),
                         pid(sample_workspace, "Remote Access Quiet")])
    assert names(page) == ["Remote Access Quiet"]
    assert "Replaced 'Remote Access Default' with 'Remote Access Quiet'" \
        in page.builder.notice.text()


def test_drop_onto_a_block_inserts_before_it(page: PackagesPage,
                                             sample_workspace: Workspace) -> None:
    view = page.builder.blocks_view
    first = view.visualRect(page.builder.blocks_model.index(0, 0))
    drag_policies(page, [pid(sample_workspace, "Communicator On")],
                  at=QPoint(first.center().x(), first.top() + 2))
    assert names(page)[0] == "Communicator On"


def test_double_click_in_the_policy_list_adds_too(qtbot, page: PackagesPage,
                                                  sample_workspace: Workspace) -> None:
    view = page.builder.policy_view
    index = page.builder.policy_model.policy_index(pid(sample_workspace, "Help Desk Chat"))
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert names(page)[-1] == "Help Desk Chat"


# --- the delete icon -------------------------------------------------------------------------


def test_delete_icon_removes_the_policy_and_undo_puts_it_back(
        qtbot, page: PackagesPage, undo_stack: QUndoStack) -> None:
    button = remove_button(page, "Remote Access Default")
    assert button.accessibleName() == "Remove Remote Access Default"
    assert not button.icon().isNull()
    assert button.isVisible()
    # the icon sits to the left of the policy name
    rect = page.builder.blocks_view.visualRect(page.builder.blocks_model.index(1, 0))
    assert button.geometry().right() < rect.left() + rect.width() // 4
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert names(page) == ["RMM Standard", "Desktop Patching Weekly"]
    assert "Removed 'Remote Access Default'" in page.builder.notice.text()
    undo_stack.undo()
    assert names(page) == ["RMM Standard", "Remote Access Default", "Desktop Patching Weekly"]
    assert remove_button(page, "Remote Access Default").accessibleName() \
        == "Remove Remote Access Default"


# --- name, default, save ---------------------------------------------------------------------


def test_name_over_200_characters_turns_the_counter_red_and_blocks_save(
        qtbot, page: PackagesPage, undo_stack: QUndoStack) -> None:
    builder = page.builder
    builder.name_edit.selectAll()
    qtbot.keyClicks(builder.name_edit, "x" * 201)
    assert builder.counter.text() == "201/200"
    assert "color: #b3261e" in builder.counter.styleSheet()
    assert not builder.save_button.isEnabled()
    assert "at most 200" in builder.status.text()
    qtbot.keyClick(builder.name_edit, Qt.Key.Key_Backspace)
    assert builder.counter.text() == "200/200"
    assert "#b3261e" not in builder.counter.styleSheet()
    assert builder.save_button.isEnabled()
    # the typing is one undo step
    undo_stack.undo()
    assert builder.name_edit.text() == "Baseline"
    assert builder.counter.text() == "8/200"


def test_saving_an_empty_package_is_refused_with_a_clear_message(
        qtbot, page: PackagesPage, sample_workspace: Workspace) -> None:
    before = len(sample_workspace.packages.all())
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.builder.name_edit, "Nothing in it")
    assert page.builder.save_button.isEnabled()
    qtbot.mouseClick(page.builder.save_button, Qt.MouseButton.LeftButton)
    assert EMPTY_PACKAGE_MESSAGE in page.builder.notice.text()
    assert page.builder.notice.kind == "error"
    assert len(sample_workspace.packages.all()) == before


def test_removing_the_last_policy_then_saving_is_refused(qtbot, page: PackagesPage,
                                                         sample_workspace: Workspace) -> None:
    for name in list(names(page)):
        qtbot.mouseClick(remove_button(page, name), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.builder.save_button, Qt.MouseButton.LeftButton)
    assert EMPTY_PACKAGE_MESSAGE in page.builder.notice.text()
    assert len(sample_workspace.packages.get("Baseline").policies) == 3


def test_a_new_package_built_by_drag_and_drop_is_saved(
        qtbot, page: PackagesPage, sample_workspace: Workspace,
        undo_stack: QUndoStack) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.builder.name_edit, "Starter")
    assert page.builder.counter.text() == "7/200"
    ids = [pid(sample_workspace, n) for n in ("RMM Standard", "Remote Access Quiet")]
    drag_policies(page, ids)
    qtbot.mouseClick(page.builder.default_check, Qt.MouseButton.LeftButton)
    assert page.current_draft().state.is_default
    assert undo_stack.undoText() == "Make default package"
    save(qtbot, page)

    saved = sample_workspace.packages.get("Starter")
    assert [p.id for p in saved.policies] == ids
    assert saved.is_default
    assert not sample_workspace.packages.get("Baseline").is_default
    text = page.builder.notice.text()
    assert "Saved package 'Starter' with 2 policies" in text
    assert "'Baseline' is no longer the default package" in text
    # the list shows it, selected, and the builder has nothing unsaved
    current = page.package_view.currentIndex()
    assert page.package_model.package_at(current.row()).name == "Starter"
    assert not page.builder.save_button.isEnabled()


def test_editing_an_existing_package_saves_the_replacement(
        qtbot, page: PackagesPage, sample_workspace: Workspace) -> None:
    drag_policies(page, [pid(sample_workspace, "Remote Access Quiet")])
    save(qtbot, page)
    saved = sample_workspace.packages.get("Baseline")
    assert [p.name for p in saved.policies] == ["RMM Standard", "Remote Access Quiet",
                                                "Desktop Patching Weekly"]
    assert saved.is_default


def test_undo_brings_back_the_package_it_changed(page: PackagesPage,
                                                 sample_workspace: Workspace,
                                                 undo_stack: QUndoStack) -> None:
    drag_policies(page, [pid(sample_workspace, "Remote Access Quiet")])
    select_package(page, "Managed Servers")
    # the unsaved edit stays with its package, marked in the list
    assert page.package_model.index(0, 0).data().endswith("•")
    undo_stack.undo()
    assert page.current_draft().state.name == "Baseline"
    assert names(page)[1] == "Remote Access Default"
    assert page.package_model.package_at(page.package_view.currentIndex().row()).name \
        == "Baseline"


def test_revert_goes_back_to_the_saved_package(qtbot, page: PackagesPage,
                                               sample_workspace: Workspace,
                                               undo_stack: QUndoStack) -> None:
    drag_policies(page, [pid(sample_workspace, "Communicator On")])
    qtbot.mouseClick(page.builder.revert_button, Qt.MouseButton.LeftButton)
    assert names(page) == ["RMM Standard", "Remote Access Default", "Desktop Patching Weekly"]
    undo_stack.undo()
    assert "Communicator On" in names(page)


def test_leaving_an_unsaved_new_package_asks_first(qtbot, page: PackagesPage) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.builder.name_edit, "Half built")
    dialogs = page.dialogs
    dialogs.answer = False  # type: ignore[attr-defined]
    page.package_view.setCurrentIndex(page.package_model.index(1, 0))
    assert dialogs.asked  # type: ignore[attr-defined]
    assert page.current_draft().state.name == "Half built"
    dialogs.answer = True  # type: ignore[attr-defined]
    page.package_view.setCurrentIndex(page.package_model.index(1, 0))
    assert page.current_draft().package_id is not None


def test_new_package_can_be_deleted(qtbot, page: PackagesPage,
                                    sample_workspace: Workspace) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.builder.name_edit, "Short lived")
    drag_policies(page, [pid(sample_workspace, "Communicator On")])
    save(qtbot, page)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    title, question = page.dialogs.asked[-1]  # type: ignore[attr-defined]
    assert title == "Delete package"
    assert question.startswith("Delete package 'Short lived'?")
    assert [p.name for p in sample_workspace.packages.all()] == [
        "Baseline", "Help Desk Essentials", "Help Desk Ready", "Managed Servers"]
    assert "Deleted package 'Short lived'" in page.builder.notice.text()
    assert all(p.name != "Short lived" for p in page.package_model.rows())


def test_focus_search_filters_the_policy_list(qtbot, page: PackagesPage) -> None:
    page.activateWindow()
    page.focus_search()
    qtbot.keyClicks(page.builder.search, "patching")
    assert page.builder.policy_model.policy_count() == 2
    assert page.builder.policy_model.rowCount() == 2


def test_a_drop_message_moves_nothing_below_it(qtbot, page: PackagesPage,
                                               sample_workspace: Workspace) -> None:
    """The notice shows over the heading: the form and both lists stay where the pointer
    left them (docs/architecture.md §14)."""
    builder = page.builder
    watched = (builder.name_edit, builder.policy_view, builder.blocks_view)

    def places() -> list[QPoint]:
        return [w.mapTo(page, QPoint(0, 0)) for w in watched]

    before = places()
    drag_policies(page, [pid(sample_workspace, "Communicator On")])
    notice = builder.notice
    assert "Added 'Communicator On'" in notice.text()
    assert places() == before
    assert notice.geometry().top() == builder.title.geometry().top()
    assert notice.width() == builder.title.width()
    assert notice.geometry().bottom() < builder.name_edit.mapTo(builder, QPoint(0, 0)).y()
    notice.clear()
    assert places() == before
    page.resize(page.width() - 200, page.height())  # and it follows its heading
    drag_policies(page, [pid(sample_workspace, "Server Patching Approved")])
    assert notice.width() == builder.title.width()
