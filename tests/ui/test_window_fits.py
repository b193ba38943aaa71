"""Content never sizes the window: 200-character names elide (titles, trees, tabs, pick lists)
and every page fits 1024×700."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QPushButton, QScrollArea

from app.domain.names import MAX_NAME_LENGTH
from app.services.workspace import Workspace
from tests.ui.conftest import wait_idle
from tests.ui.helpdesk_support import type_into
from tests.ui.policies_support import open_policy
from ui.main_window import MainWindow
from ui.models.policy_models import PolicyTableModel
from ui.pages.packages_page import PackagesPage
from ui.pages.policies_page import PoliciesPage
from ui.pages.registry import PAGES
from ui.screen_fit import PAGE_SCROLL

LONG = ("Contoso Dental Northern Regional Clinics and Satellite Offices "
        * 4)[:MAX_NAME_LENGTH]


@pytest.fixture
def long_names(sample_workspace: Workspace) -> Workspace:
    ws = sample_workspace
    company = ws.companies.all()[0]
    ws.companies.rename(company.id, LONG)
    site = ws.sites.all(company=LONG)[0]
    ws.sites.rename(site.id, LONG[::-1].strip())
    policy = next(p for p in ws.policies.all() if p.name == "RMM with NOC")
    ws.policies.update(policy.id, policy.settings, name=LONG[:-1] + "P")
    package = ws.packages.all()[0]
    ws.packages.save(LONG[:-1] + "K", [p.id for p in package.policies], package_id=package.id)
    return ws


def page_scroll(window: MainWindow) -> QScrollArea:
    scroll = window.centralWidget()
    assert isinstance(scroll, QScrollArea)
    assert scroll.objectName() == PAGE_SCROLL
    return scroll


def fits(window: MainWindow, width: int = 1024, height: int = 700) -> None:
    """At width×height the page is laid out whole: nothing to scroll, nothing grown."""
    hint = window.minimumSizeHint()
    assert hint.width() <= width, f"{window.current_name()}: needs {hint.width()} px wide"
    assert hint.height() <= height, f"{window.current_name()}: needs {hint.height()} px high"
    assert window.width() <= width, f"{window.current_name()}: grew to {window.width()} px"
    pages = page_scroll(window)
    needs = pages.widget().minimumSizeHint()
    room = pages.viewport().size()
    assert needs.width() <= room.width(), f"{window.current_name()}: needs {needs.width()} px"
    assert needs.height() <= room.height(), f"{window.current_name()}: needs {needs.height()} px"


def test_every_page_fits_1024_by_700_with_200_character_names(
        qtbot: Any, long_names: Workspace, window: MainWindow) -> None:
    window.resize(1024, 700)
    for spec in PAGES:
        window.show_page(spec.name)
        wait_idle(qtbot)
        qtbot.wait(10)
        fits(window)
    assert window.select_site(LONG[::-1].strip())
    wait_idle(qtbot)
    fits(window)


def test_typing_a_200_character_package_name_keeps_the_window_width(
        qtbot: Any, window: MainWindow) -> None:
    window.resize(1280, 800)
    window.show_page("packages")
    page = window.page("packages")
    assert isinstance(page, PackagesPage)
    qtbot.waitUntil(lambda: page.current_draft().package_id is not None, timeout=10_000)
    type_into(qtbot, page.builder.name_edit, LONG)
    qtbot.wait(10)
    assert window.width() == 1280
    assert page.builder.save_button.isVisible()
    right = page.builder.save_button.mapTo(window, page.builder.save_button.rect().topRight())
    assert right.x() < 1280  # Save stays on screen
    assert page.builder.title.text() == f"Package: {LONG}"  # the whole name is kept …
    assert page.builder.title.toolTip() == f"Package: {LONG}"  # … and shown in full on hover
    type_into(qtbot, page.builder.name_edit, "Short")
    assert window.width() == 1280


def test_typing_a_200_character_policy_name_keeps_the_window_width(
        qtbot: Any, window: MainWindow) -> None:
    window.resize(1024, 700)
    window.show_page("policies")
    page = window.page("policies")
    assert isinstance(page, PoliciesPage)
    qtbot.waitUntil(lambda: bool(page.model.rows()), timeout=10_000)
    page.table.selectRow(0)
    type_into(qtbot, page.editor.name_edit, LONG)
    qtbot.wait(10)
    assert window.width() == 1024
    fits(window)
    assert page.editor.title.text().startswith(LONG)
    assert Qt.TextElideMode.ElideRight  # the title elides on the right


def test_at_1024_the_tree_gives_site_names_the_room(qtbot: Any, window: MainWindow) -> None:
    window.resize(1024, 700)
    qtbot.wait(10)
    page: Any = window.page("companies")
    tree = page.tree
    assert tree.isColumnHidden(1)  # Package: the detail line says it
    assert tree.columnWidth(0) >= 150
    window.resize(1600, 900)
    qtbot.wait(10)
    assert not tree.isColumnHidden(1)


@pytest.mark.parametrize("group", ["Help Desk", "Client Info"])
def test_at_1280_the_site_sub_tabs_fit_without_scroll_arrows(
        qtbot: Any, window: MainWindow, group: str) -> None:
    window.resize(1280, 800)
    assert window.select_site("Main Office")
    wait_idle(qtbot)
    page: Any = window.page("companies")
    host = page.site_tabs.groups[group]
    page.site_tabs.setCurrentWidget(host)
    qtbot.wait(10)
    bar = host.tabBar()
    needed = sum(bar.tabRect(i).width() for i in range(bar.count()))
    assert needed <= bar.width(), f"{group}: tabs need {needed} px of {bar.width()}"


def test_a_click_on_the_selected_site_does_not_start_renaming(qtbot: Any,
                                                              window: MainWindow) -> None:
    assert window.select_site("Main Office")
    page: Any = window.page("companies")
    tree = page.tree
    index = tree.currentIndex()
    rect = tree.visualRect(index)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.wait(500)  # past the double-click interval, when a rename would start
    assert tree.state() != tree.State.EditingState


def test_a_screen_below_1024_by_700_scrolls_the_page_instead_of_cutting_the_window(
        qtbot: Any, window: MainWindow) -> None:
    """1920×1080 at 2× is 960×540 logical: the window fits it (frame and title bar
    included) and the page scrolls to what is off to the right."""
    window.show_page("policies")
    wait_idle(qtbot)
    hint = window.minimumSizeHint()
    assert hint.width() <= 960 - 8
    assert hint.height() <= 540 - 32
    window.resize(952, 508)
    qtbot.waitUntil(lambda: window.size().width() == 952 and window.size().height() == 508)
    pages = page_scroll(window)
    bar = pages.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # the page keeps its minimum width...
    qtbot.waitUntil(bar.isVisible)
    page = window.page("policies")
    rightmost = max(page.findChildren(QPushButton), key=lambda b: b.mapTo(page, QPoint(0, 0)).x()
                    if b.isVisibleTo(page) else -1)
    bar.setValue(bar.maximum())  # ...and scrolls to its right edge
    shown = QRect(rightmost.mapTo(pages.viewport(), QPoint(0, 0)), rightmost.size())
    assert pages.viewport().rect().contains(shown), rightmost.text()
    window.resize(1024, 700)  # room again: nothing scrolls
    qtbot.waitUntil(lambda: bar.maximum() == 0)
    fits(window)


@pytest.mark.parametrize(("title", "group"), [
    ("Product Options", "Help Desk"), ("Basic Info", "Help Desk"),
    ("Security Requests", "Help Desk"), ("Network Info", "Client Info"),
    ("References", "Client Info")])
def test_at_1024_a_help_desk_form_is_not_cut_on_the_right(
        qtbot: Any, window: MainWindow, title: str, group: str) -> None:
    """The forms scroll down, never sideways: at 1024×700 each one's widest row fits the
    site pane (a field cut under the scroll bar can't be read)."""
    window.resize(1024, 700)
    assert window.select_site("Main Office")
    wait_idle(qtbot)
    page: Any = window.page("companies")
    tab = page.site_tabs.show_tab(title, group)
    qtbot.waitUntil(lambda: tab.site is not None)
    wait_idle(qtbot)
    scroll = tab.findChild(QScrollArea)
    needed = tab.body.minimumSizeHint().width()
    assert needed <= scroll.viewport().width(), \
        f"{title}: the form needs {needed} px of {scroll.viewport().width()}"


def test_at_1024_the_policies_list_and_editor_need_no_sideways_scrolling(
        qtbot: Any, window: MainWindow) -> None:
    """Beside the editor the list shows name and type (the rest is in each row's tooltip),
    and no policy's form is wider than the editor: no sideways scrolling at 1024×700."""
    window.resize(1024, 700)
    window.show_page("policies")
    wait_idle(qtbot)
    page: Any = window.page("policies")
    table = page.table
    assert table.isColumnHidden(PolicyTableModel.COL_USED)
    assert table.isColumnHidden(PolicyTableModel.COL_CATEGORY)
    assert table.horizontalScrollBar().maximum() == 0
    first = page.model.index(0, PolicyTableModel.COL_NAME)
    assert "package" in first.data(Qt.ItemDataRole.ToolTipRole)
    for name in [r.name for r in page.model.rows()]:
        open_policy(qtbot, page, name)
        wait_idle(qtbot)
        scroll = page.editor.scroll_area
        bar = scroll.verticalScrollBar()
        room = scroll.viewport().width() - (0 if bar.isVisible() else bar.sizeHint().width())
        needed = scroll.widget().minimumSizeHint().width()
        assert needed <= room, f"{name}: the form needs {needed} px of {room}"
    window.resize(1600, 900)
    qtbot.wait(10)
    assert not table.isColumnHidden(PolicyTableModel.COL_USED)
