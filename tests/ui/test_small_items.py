"""Small things a new user trips over: the View menu's "Companies & Sites", the NOC message on
Product Options, the default package's site count, Assign Package… offering the package just
saved and clearing the checks once done."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.domain.helpdesk.product import NOC_REQUIRED
from app.services.workspace import Workspace
from tests.ui.conftest import wait_idle
from tests.ui.test_assignments_page import click_check, confirm, open_dialog
from ui.main_window import MainWindow
from ui.models.policy_models import PackageTableModel
from ui.pages.assignments_page import AssignmentsPage
from ui.pages.packages_page import PackagesPage


def test_the_view_menu_shows_companies_and_sites(window: MainWindow) -> None:
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    texts = [a.text() for a in view.actions()]
    assert "Companies && Sites" in texts  # shown as "Companies & Sites", no "_Sites" mnemonic


def test_the_noc_message_points_at_the_checkbox_on_its_own_tab() -> None:
    assert "server options" not in NOC_REQUIRED
    assert "tick NOC Services on the site's Product Options" in NOC_REQUIRED


def test_the_default_package_counts_the_sites_that_inherit_it(
        qtbot: Any, window: MainWindow, sample_workspace: Workspace) -> None:
    window.show_page("packages")
    page = window.page("packages")
    assert isinstance(page, PackagesPage)
    qtbot.waitUntil(lambda: bool(page.package_model.rows()), timeout=10_000)
    default = next(p for p in page.package_model.rows() if p.is_default)
    inheriting = sum(1 for s in sample_workspace.sites.all() if not s.package)
    assert inheriting > 0
    assert default.inherited_by == inheriting
    row = page.package_model.rows().index(default)
    shown = page.package_model.index(row, PackageTableModel.COL_SITES).data()
    assert shown == (f"{inheriting} (inherited)" if not default.site_count
                     else f"{default.site_count + inheriting} ({inheriting} inherited)")


def test_assign_offers_the_package_saved_last_and_clears_the_checks(
        qtbot: Any, window: MainWindow, sample_workspace: Workspace) -> None:
    window.show_page("packages")
    packages = window.page("packages")
    assert isinstance(packages, PackagesPage)
    qtbot.waitUntil(lambda: packages.current_draft().package_id is not None, timeout=10_000)
    packages.new_package()
    qtbot.keyClicks(packages.builder.name_edit, "Zeta Clinics")
    policy = next(p for p in sample_workspace.policies.all() if p.name == "RMM Standard")
    packages.add_policies([policy.id])
    assert packages.save()
    wait_idle(qtbot)
    window.show_page("assignments")
    page = window.page("assignments")
    assert isinstance(page, AssignmentsPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    click_check(qtbot, page, "Main Office")
    dialog = open_dialog(qtbot, page, "assign_button")
    assert dialog.package_combo.currentText() == "Zeta Clinics"  # not the first alphabetically
    confirm(qtbot, page, dialog)
    assert {s.name: s.package for s in sample_workspace.sites.all()}["Main Office"] == \
        "Zeta Clinics"
    assert page.checked_ids() == []


def test_the_welcome_panel_is_not_back_at_every_start_once_closed(
        qtbot: Any, sample_workspace: Workspace, ui_settings: Any) -> None:
    first = MainWindow(sample_workspace, ui_settings)
    qtbot.addWidget(first)
    first.show()
    assert first.help.at_start(True)  # the first run shows it
    qtbot.mouseClick(first.help.welcome.close_button, Qt.MouseButton.LeftButton)
    first.close()
    again = MainWindow(sample_workspace, ui_settings)
    qtbot.addWidget(again)
    again.show()
    assert again.help.at_start(False) is False  # a later start: the page as it was
    assert not again.help.welcome.isVisible()


def test_the_site_sub_tab_is_restored_at_the_next_start(
        qtbot: Any, sample_workspace: Workspace, ui_settings: Any) -> None:
    first = MainWindow(sample_workspace, ui_settings)
    qtbot.addWidget(first)
    first.show()
    first.page("companies").site_tabs.show_tab("Basic Info")  # type: ignore[attr-defined]
    assert ui_settings.last_site_tab() == ("Help Desk", "Basic Info")
    wait_idle(qtbot)
    first.close()
    again = MainWindow(sample_workspace, ui_settings)
    qtbot.addWidget(again)
    tabs = again.page("companies").site_tabs  # type: ignore[attr-defined]
    assert tabs.current_place() == ("Help Desk", "Basic Info")
    wait_idle(qtbot)


def test_a_new_unsaved_package_is_listed_until_saved(qtbot: Any, window: MainWindow,
                                                     sample_workspace: Workspace) -> None:
    window.show_page("packages")
    page = window.page("packages")
    assert isinstance(page, PackagesPage)
    qtbot.waitUntil(lambda: page.current_draft().package_id is not None, timeout=10_000)
    saved = len(page.package_model.rows())
    page.new_package()
    assert len(page.package_model.rows()) == saved  # nothing in it yet: nothing to list
    qtbot.keyClicks(page.builder.name_edit, "Night Shift")
    names = [page.package_model.index(r, PackageTableModel.COL_NAME).data()
             for r in range(page.package_model.rowCount())]
    assert "Night Shift •" in names  # listed, marked unsaved
    selected = page.package_view.selectionModel().selectedRows()
    assert [page.package_model.package_at(i.row()).name for i in selected] == ["Night Shift"]
    policy = next(p for p in sample_workspace.policies.all() if p.name == "RMM Standard")
    page.add_policies([policy.id])
    assert page.save()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: len(page.package_model.rows()) == saved + 1, timeout=10_000)
    names = [p.name for p in page.package_model.rows()]
    assert names.count("Night Shift") == 1  # the saved one, no leftover draft row
