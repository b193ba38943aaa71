"""Companies & Sites: create, rename (in place) and delete through the real tree and buttons."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from app.services.views import SiteView
from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, wait_idle
from tests.ui.context_support import make_context
from ui.models.hierarchy_model import HierarchyModel
from ui.pages.companies_page import CompaniesPage


@pytest.fixture
def page(qtbot, sample_workspace: Workspace, dialogs: ScriptedDialogs) -> Iterator[CompaniesPage]:
    ws = sample_workspace
    widget = CompaniesPage(make_context(ws, qtbot))
    qtbot.addWidget(widget)
    widget.dialogs = dialogs  # type: ignore[assignment]
    widget.resize(1100, 700)
    widget.show()
    with qtbot.waitSignal(widget.refreshed):
        widget.refresh()
    wait_idle(qtbot)
    yield widget
    wait_idle(qtbot)


def names(ws: Workspace) -> list[str]:
    return [c.name for c in ws.companies.all()]


def site_named(ws: Workspace, name: str) -> SiteView:
    return next(s for s in ws.sites.all() if s.name == name)


def rename_in_place(qtbot, page: CompaniesPage, item_id: str, new_name: str) -> None:
    """Select the row, press F2 like a user, type the name, press Enter."""
    assert page.select(item_id)
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, new_name)
    with qtbot.waitSignal(page.refreshed):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_idle(qtbot)


def test_tree_shows_companies_sites_and_the_devices_of_a_site(qtbot, page: CompaniesPage,
                                                              sample_workspace: Workspace
                                                              ) -> None:
    model = page.model
    assert model.rowCount() == 3
    contoso = model.index(0, 0)
    assert contoso.data() == "Contoso Dental"
    assert [model.index(r, 0, contoso).data() for r in range(model.rowCount(contoso))] == [
        "Lab", "Main Office", "Northside Clinic"]
    main_office = model.index(1, HierarchyModel.COL_PACKAGE, contoso)
    assert main_office.data() == "Help Desk Ready"
    site = site_named(sample_workspace, "Main Office")
    with qtbot.waitSignal(page.devices_loaded):
        page.select(site.id)
    assert page.device_model.rowCount() == site.device_count
    assert "Help Desk Ready" in page.detail_info.text()


def test_create_company_and_site_with_undo(qtbot, page: CompaniesPage,
                                           sample_workspace: Workspace,
                                           dialogs: ScriptedDialogs) -> None:
    ws = sample_workspace
    dialogs.texts.append("Adatum Corp")
    with qtbot.waitSignal(page.refreshed):
        qtbot.mouseClick(page.new_company_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert "Adatum Corp" in names(ws)
    current = page.current_item()
    assert current is not None
    assert current.name == "Adatum Corp"

    dialogs.texts.append("Head Office")
    with qtbot.waitSignal(page.refreshed):
        qtbot.mouseClick(page.new_site_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert dialogs.asked[-1][1] == "Name of the new site of Adatum Corp:"
    site = site_named(ws, "Head Office")
    assert site.company == "Adatum Corp"
    assert page.current_id() == site.id
    assert page.undo_stack.count() == 2

    with qtbot.waitSignal(page.refreshed):
        page.undo_stack.undo()  # the site goes
    wait_idle(qtbot)
    assert all(s.name != "Head Office" for s in ws.sites.all())
    with qtbot.waitSignal(page.refreshed):
        page.undo_stack.undo()  # then the company
    wait_idle(qtbot)
    assert "Adatum Corp" not in names(ws)
    with qtbot.waitSignal(page.refreshed):
        page.undo_stack.redo()
    wait_idle(qtbot)
    assert "Adatum Corp" in names(ws)


def test_duplicate_company_name_is_refused_with_a_message(qtbot, page: CompaniesPage,
                                                          sample_workspace: Workspace,
                                                          dialogs: ScriptedDialogs) -> None:
    dialogs.texts.append("Contoso Dental")
    page.new_company_button.click()
    qtbot.waitUntil(lambda: page.notice.kind == "error")
    assert "already exists" in page.notice.text()
    assert names(sample_workspace).count("Contoso Dental") == 1
    assert page.undo_stack.count() == 0


def test_rename_company_and_site_in_place(qtbot, page: CompaniesPage,
                                          sample_workspace: Workspace) -> None:
    ws = sample_workspace
    company = next(c for c in ws.companies.all() if c.name == "Northwind Legal")
    rename_in_place(qtbot, page, company.id, "Northwind Law")
    assert "Northwind Law" in names(ws)
    assert page.model.item(page.model.company_index(company.id)).name == "Northwind Law"

    site = site_named(ws, "Downtown")
    rename_in_place(qtbot, page, site.id, "City Centre")
    assert ws.sites.get(site.id).name == "City Centre"
    assert page.undo_stack.count() == 2
    with qtbot.waitSignal(page.refreshed):
        page.undo_stack.undo()
    wait_idle(qtbot)
    assert ws.sites.get(site.id).name == "Downtown"


def test_rename_button_opens_the_editor_and_a_refused_name_reverts(qtbot, page: CompaniesPage,
                                                                   sample_workspace: Workspace
                                                                   ) -> None:
    site = site_named(sample_workspace, "Lab")
    page.select(site.id)
    page.rename_button.click()
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Main Office")  # the same company already has one
    with qtbot.waitSignal(page.refreshed):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_idle(qtbot)
    assert "already has a site named" in page.notice.text()
    assert page.model.item(page.model.site_index(site.id)).name == "Lab"
    assert sample_workspace.sites.get(site.id).name == "Lab"


def test_delete_company_says_everything_that_goes(qtbot, page: CompaniesPage,
                                                   sample_workspace: Workspace,
                                                   dialogs: ScriptedDialogs) -> None:
    ws = sample_workspace
    company = next(c for c in ws.companies.all() if c.name == "Fabrikam Logistics")
    devices = sum(s.device_count for s in ws.sites.all() if s.company_id == company.id)
    page.select(company.id)
    dialogs.confirms.append(False)
    page.delete_button.click()
    qtbot.waitUntil(lambda: not dialogs.confirms)
    wait_idle(qtbot)
    assert f"With it go 3 sites, {devices} devices" in dialogs.asked[-1][1]
    assert "Fabrikam Logistics" in names(ws)  # declined: nothing changed
    assert page.undo_stack.count() == 0

    dialogs.confirms.append(True)
    with qtbot.waitSignal(page.refreshed):
        page.delete_button.click()
    wait_idle(qtbot)
    assert "Fabrikam Logistics" not in names(ws)
    assert not [s for s in ws.sites.all() if s.company_id == company.id]
    assert not page.model.company_index(company.id).isValid()


def test_delete_site_with_the_delete_key(qtbot, page: CompaniesPage,
                                         sample_workspace: Workspace,
                                         dialogs: ScriptedDialogs) -> None:
    site = site_named(sample_workspace, "Remote Staff")
    page.select(site.id)
    page.tree.setFocus()
    dialogs.confirms.append(True)
    with qtbot.waitSignal(page.refreshed):
        qtbot.keyClick(page.tree, Qt.Key.Key_Delete)
    wait_idle(qtbot)
    assert f"With it go {site.device_count} devices" in dialogs.asked[-1][1]
    assert all(s.id != site.id for s in sample_workspace.sites.all())
    current = page.current_item()
    assert current is not None
    assert current.name == "Northwind Legal"


def test_search_filters_the_tree(qtbot, page: CompaniesPage) -> None:
    qtbot.keyClicks(page.search, "warehouse")
    model = page.model
    assert [c.name for c in model.companies()] == ["Fabrikam Logistics"]
    assert [s.name for s in model.sites()] == ["Warehouse East", "Warehouse West"]
    page.search.clear()
    assert model.rowCount() == 3
