"""Deleting a package from the Packages page (issue 14): the confirmation names the sites whose
settings change, deleting from it works (no "offers Delete, then refuses"), and undo restores
the package with its assignments and default flag."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, shown_page, wait_idle
from tests.ui.context_support import make_context
from ui.pages.packages_page import PackagesPage


@pytest.fixture
def page(qtbot, sample_workspace: Workspace, undo_stack: QUndoStack,
         dialogs: ScriptedDialogs) -> Iterator[PackagesPage]:
    ws = sample_workspace
    yield from shown_page(qtbot, PackagesPage(make_context(ws, qtbot, undo_stack)), dialogs)


def select_package(page: PackagesPage, name: str) -> None:
    model = page.package_model
    row = next(i for i, p in enumerate(model.rows()) if p.name == name)
    page.package_view.setCurrentIndex(model.index(row, 0))
    assert page.current_draft().state.name == name


def assignments(ws: Workspace) -> dict[str, str | None]:
    return {s.name: s.package for s in ws.sites.all()}


def click_delete(qtbot, page: PackagesPage) -> None:
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)


def test_an_assigned_package_names_its_sites_deletes_and_undo_restores(
        qtbot, page: PackagesPage, sample_workspace: Workspace,
        dialogs: ScriptedDialogs) -> None:
    ws = sample_workspace
    before = assignments(ws)
    select_package(page, "Managed Servers")
    dialogs.confirms.append(True)
    click_delete(qtbot, page)
    title, asked = dialogs.asked[-1]
    assert title == "Delete package"
    assert "assigned to 2 site(s)" in asked
    assert "Fabrikam Logistics / Headquarters" in asked
    assert "Fabrikam Logistics / Warehouse East" in asked
    assert "Managed Servers" not in [p.name for p in ws.packages.all()]
    assert "Deleted package 'Managed Servers'" in page.builder.notice.text()
    assert all(p.name != "Managed Servers" for p in page.package_model.rows())
    assert page.undo_stack.undoText() == "Delete package 'Managed Servers'"

    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.undo_stack.undo()
    wait_idle(qtbot)
    assert assignments(ws) == before
    assert ws.packages.get("Managed Servers").site_count == 2
    assert page.current_draft().state.name == "Managed Servers"
    assert page.builder.notice.text() == "Undone: Delete package 'Managed Servers'."


def test_the_default_package_names_the_sites_that_inherit_it(
        qtbot, page: PackagesPage, sample_workspace: Workspace,
        dialogs: ScriptedDialogs) -> None:
    ws = sample_workspace
    select_package(page, "Baseline")
    dialogs.confirms.append(True)
    click_delete(qtbot, page)
    asked = dialogs.asked[-1][1]
    assert "It is the default package" in asked
    assert "Contoso Dental / Lab" in asked
    assert "Contoso Dental / Main Office" in asked
    assert [p.name for p in ws.packages.all() if p.is_default] == []
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.undo_stack.undo()
    wait_idle(qtbot)
    assert [p.name for p in ws.packages.all() if p.is_default] == ["Baseline"]
    assert page.current_draft().state.is_default


def test_declining_keeps_the_package(qtbot, page: PackagesPage, sample_workspace: Workspace,
                                     dialogs: ScriptedDialogs) -> None:
    select_package(page, "Managed Servers")
    dialogs.confirms.append(False)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)  # the impact is read on the write queue, then the question asked
    assert "Fabrikam Logistics / Headquarters" in dialogs.asked[-1][1]
    assert sample_workspace.packages.get("Managed Servers").site_count == 2
    assert page.undo_stack.count() == 0
