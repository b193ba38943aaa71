"""Assignments: check sites, preview which sites change and what each loses, confirm, undo."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from app.services.workspace import Workspace
from tests.ui.conftest import wait_idle
from tests.ui.context_support import make_context
from ui.models.assignment_preview_model import AssignmentPreviewModel
from ui.models.sites_table_model import SitesTableModel
from ui.pages.assignment_dialog import AssignmentDialog
from ui.pages.assignments_page import AssignmentsPage


@pytest.fixture
def page(qtbot, sample_workspace: Workspace) -> Iterator[AssignmentsPage]:
    ws = sample_workspace
    widget = AssignmentsPage(make_context(ws, qtbot))
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitSignal(widget.refreshed):
        widget.refresh()
    yield widget
    wait_idle(qtbot)


def row_of(page: AssignmentsPage, site: str) -> int:
    model = page.model
    for row in range(model.rowCount()):
        if model.index(row, SitesTableModel.COL_SITE).data() == site:
            return row
    raise AssertionError(f"{site} is not shown")


def check_indicator(page: AssignmentsPage, index: QModelIndex) -> QPoint:
    """Where the check box of a cell is drawn, as the view's delegate lays it out."""
    option = QStyleOptionViewItem()
    option.initFrom(page.table)
    option.rect = page.table.visualRect(index)
    page.table.itemDelegateForIndex(index).initStyleOption(option, index)
    rect = page.table.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, page.table)
    return rect.center()


def click_check(qtbot, page: AssignmentsPage, site: str) -> None:
    index = page.model.index(row_of(page, site), SitesTableModel.COL_CHECK)
    before = index.data(Qt.ItemDataRole.CheckStateRole)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=check_indicator(page, index))
    assert index.data(Qt.ItemDataRole.CheckStateRole) != before


def site_id(ws: Workspace, name: str) -> str:
    return next(s.id for s in ws.sites.all() if s.name == name)


def packages(ws: Workspace) -> dict[str, str | None]:
    return {s.name: s.package for s in ws.sites.all()}


def open_dialog(qtbot, page: AssignmentsPage, button: str) -> AssignmentDialog:
    qtbot.mouseClick(getattr(page, button), Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, AssignmentDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.preview_result is not None)
    return dialog


def choose_package(qtbot, dialog: AssignmentDialog, name: str) -> None:
    combo = dialog.package_combo
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(name))
    if combo.currentIndex() == index:
        return
    with qtbot.waitSignal(dialog.preview_ready):
        combo.setCurrentIndex(index)


def confirm(qtbot, page: AssignmentsPage, dialog: AssignmentDialog) -> None:
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(page.assignment_done, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)


def preview_rows(dialog: AssignmentDialog) -> dict[str, tuple[str, str, str]]:
    model = dialog.model
    return {
        model.index(r, AssignmentPreviewModel.COL_SITE).data(): (
            model.index(r, AssignmentPreviewModel.COL_BEFORE).data(),
            model.index(r, AssignmentPreviewModel.COL_AFTER).data(),
            model.index(r, AssignmentPreviewModel.COL_CHANGE).data())
        for r in range(model.rowCount())
    }


def test_table_lists_every_site_with_its_package(page: AssignmentsPage,
                                                 sample_workspace: Workspace) -> None:
    model = page.model
    assert model.rowCount() == len(sample_workspace.sites.all()) == 8
    row = row_of(page, "Headquarters")
    assert model.index(row, SitesTableModel.COL_COMPANY).data() == "Fabrikam Logistics"
    assert model.index(row, SitesTableModel.COL_PACKAGE).data() == "Managed Servers"
    assert model.index(row_of(page, "Lab"), SitesTableModel.COL_PACKAGE).data() == \
        "Default: Baseline"
    assert model.index(row, SitesTableModel.COL_DEVICES).data() == "5"
    assert not page.assign_button.isEnabled()  # nothing checked yet


def test_bulk_assign_previews_losses_then_assigns_and_undoes(qtbot, page: AssignmentsPage,
                                                              sample_workspace: Workspace
                                                              ) -> None:
    ws = sample_workspace
    before = packages(ws)
    for site in ("Main Office", "Headquarters", "Lab"):
        click_check(qtbot, page, site)
    assert "3 checked" in page.count_label.text()
    assert page.assign_button.isEnabled()

    dialog = open_dialog(qtbot, page, "assign_button")
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    choose_package(qtbot, dialog, "Managed Servers")
    rows = preview_rows(dialog)
    assert rows["Main Office"] == ("Help Desk Ready", "Managed Servers",
                                   "Loses 'Help Desk Ready'")
    assert rows["Headquarters"][2] == "No change"  # it has that package already
    assert rows["Lab"] == ("—", "Managed Servers", "Gets a package")
    summary = dialog.summary.text()
    assert "2 sites will get 'Managed Servers'" in summary
    assert "'Help Desk Ready' (1)" in summary
    assert dialog.ok_button.text() == "Assign to 2 Sites"
    assert packages(ws) == before  # the preview changed nothing

    confirm(qtbot, page, dialog)
    after = packages(ws)
    assert after["Main Office"] == after["Lab"] == after["Headquarters"] == "Managed Servers"
    assert after["Downtown"] == before["Downtown"]
    assert page.model.index(row_of(page, "Lab"), SitesTableModel.COL_PACKAGE).data() == \
        "Managed Servers"
    assert "Assigned 'Managed Servers' to 2 sites" in page.notice.text()
    assert page.undo_stack.undoText() == "Assign 'Managed Servers' to 2 sites"

    with qtbot.waitSignal(page.assignment_done):
        page.undo_stack.undo()
    wait_idle(qtbot)
    assert packages(ws) == before
    with qtbot.waitSignal(page.assignment_done):
        page.undo_stack.redo()
    wait_idle(qtbot)
    assert packages(ws)["Main Office"] == "Managed Servers"


def test_remove_assignment_after_preview(qtbot, page: AssignmentsPage,
                                         sample_workspace: Workspace) -> None:
    ws = sample_workspace
    page.check_sites([site_id(ws, "Downtown"), site_id(ws, "Warehouse East"),
                      site_id(ws, "Remote Staff")])
    dialog = open_dialog(qtbot, page, "remove_button")
    rows = preview_rows(dialog)
    assert rows["Downtown"][2] == "Loses 'Help Desk Ready' (back to the default)"
    assert rows["Warehouse East"][0] == "Managed Servers"
    assert rows["Remote Staff"][2] == "No change"
    assert "2 sites will lose their package" in dialog.summary.text()
    confirm(qtbot, page, dialog)
    after = packages(ws)
    assert after["Downtown"] is None
    assert after["Warehouse East"] is None
    assert after["Main Office"] == "Help Desk Ready"
    with qtbot.waitSignal(page.assignment_done):
        page.undo_stack.undo()
    wait_idle(qtbot)
    assert packages(ws)["Downtown"] == "Help Desk Ready"


def test_cancelling_the_preview_changes_nothing(qtbot, page: AssignmentsPage,
                                                sample_workspace: Workspace) -> None:
    before = packages(sample_workspace)
    click_check(qtbot, page, "Lab")
    dialog = open_dialog(qtbot, page, "assign_button")
    dialog.reject()
    qtbot.waitUntil(lambda: page.dialog is None)  # closed and deleted
    wait_idle(qtbot)
    assert packages(sample_workspace) == before
    assert page.undo_stack.count() == 0


def test_filter_by_company_and_search_keep_checks(qtbot, page: AssignmentsPage,
                                                  sample_workspace: Workspace) -> None:
    combo = page.company_filter
    combo.setCurrentIndex(combo.findText("Fabrikam Logistics"))
    assert {page.model.row_at(r).company for r in range(page.model.rowCount())} == {
        "Fabrikam Logistics"}
    page.check_all.click()
    assert len(page.checked_ids()) == 3
    combo.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "clinic")
    assert [page.model.row_at(r).name for r in range(page.model.rowCount())] == [
        "Northside Clinic"]
    assert "3 hidden by the filter" in page.count_label.text()
    page.search.clear()
    assert page.model.rowCount() == 8
    assert page.model.visible_checked() == 3


def test_preview_can_start_on_a_package_named(qtbot, page: AssignmentsPage,
                                              sample_workspace: Workspace) -> None:
    page.check_sites([site_id(sample_workspace, "Lab")])
    dialog = page.assign_checked("Help Desk Ready")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.preview_result is not None)
    assert dialog.package_combo.currentText() == "Help Desk Ready"
    assert preview_rows(dialog)["Lab"][1] == "Help Desk Ready"
    dialog.reject()
    qtbot.waitUntil(lambda: page.dialog is None)


def test_assign_without_checked_sites_explains(qtbot, page: AssignmentsPage) -> None:
    assert page.assign_checked() is None
    assert "Check the sites first" in page.notice.text()


def shown_sites(page: AssignmentsPage) -> list[str]:
    return [page.model.row_at(r).name for r in range(page.model.rowCount())]


def test_a_header_click_sorts_and_filtering_keeps_that_order(qtbot,
                                                             page: AssignmentsPage) -> None:
    header = page.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(SitesTableModel.COL_SITE) + 20,
                                header.height() // 2))
    by_name = sorted(shown_sites(page), key=str.casefold)
    assert shown_sites(page) == by_name
    qtbot.keyClicks(page.search, "r")  # a filter keeps the rows in the table's order
    shown = shown_sites(page)
    assert 0 < len(shown) < len(by_name)
    assert shown == [s for s in by_name if s in shown]
    page.search.clear()
    assert shown_sites(page) == by_name


def test_search_matches_site_company_and_package_without_case(qtbot,
                                                              page: AssignmentsPage) -> None:
    for needle, expected in (("WAREHOUSE", {"Warehouse East", "Warehouse West"}),
                             ("northwind", {"Downtown", "Remote Staff"}),
                             ("managed serv", {"Headquarters", "Warehouse East"})):
        page.search.setText(needle)
        assert set(shown_sites(page)) == expected
    page.search.clear()
    assert len(shown_sites(page)) == 8
