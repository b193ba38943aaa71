"""Accessible names and keyboard navigation (issue 9): every interactive widget of every page
(and of the welcome panel, About, Preferences and the error dialog) has a name a screen reader
can say; Tab goes through each page's main controls in a sensible order and never gets stuck."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from tests.ui.conftest import wait_idle
from ui.accessibility import unnamed_widgets
from ui.excepthook import ErrorDialog, ErrorReport
from ui.main_window import MainWindow
from ui.pages.registry import PAGES, VIEWS

# page → its main controls (object names), in the order Tab reaches them
MAIN_CONTROLS: dict[str, list[str]] = {
    "companies": ["companySearch", "newCompany", "hierarchyTree", "qt_tabwidget_tabbar",
                  "deviceTable"],
    "policies": ["policySearch", "typeFilter", "addPolicy", "policyTable"],
    "packages": ["packageList", "packageName", "defaultPackage", "policySearch", "policyList"],
    "assignments": ["companyFilter", "siteSearch", "sitesTable", "checkAll"],
    "effective": ["effectiveSite", "effectiveDevice", "effectiveSearch", "effectiveTable"],
    "readiness": ["refreshOverview", "readinessTable"],
    "golive": ["refreshJourneys", "journeysTable"],
    "pending-changes": ["pendingTable"],
    "conflicts": ["conflictsTable"],
}
MAX_TABS = 80


def describe(widgets: list[QWidget]) -> list[str]:
    return [f"{type(w).__name__}#{w.objectName()} in {w.parentWidget().objectName()!r}"
            for w in widgets if w.parentWidget() is not None]


def visit_everything(qtbot: Any, window: MainWindow) -> None:
    for name in [*(spec.name for spec in PAGES), *VIEWS]:
        window.show_page(name)
        wait_idle(qtbot)


def test_every_interactive_widget_of_every_page_has_a_name(qtbot: Any,
                                                           window: MainWindow) -> None:
    visit_everything(qtbot, window)  # every page and every site tab, built and loaded
    window.help.show_welcome()
    assert describe(unnamed_widgets(window)) == []


def test_dialogs_name_their_widgets(qtbot: Any, window: MainWindow) -> None:
    about = window.help.show_about()
    preferences = window.show_preferences()
    error = ErrorDialog(ErrorReport("Preflight — unexpected error", "Something broke.", "tb",
                                    True, report="report", log_path="/tmp/x.log"))
    qtbot.addWidget(error)
    for dialog in (about, preferences, error):
        assert describe(unnamed_widgets(dialog)) == [], dialog.objectName()
    about.close()
    preferences.close()


def test_form_labels_name_the_field_inside_their_cell(qtbot: Any, window: MainWindow) -> None:
    window.show_page("basic-info")
    wait_idle(qtbot)
    domain = window.findChild(QLineEdit, "emailDomain")
    assert isinstance(domain, QLineEdit)
    assert domain.accessibleName() == "Email domain"
    buddies = [label for label in window.findChildren(QLabel) if label.buddy() is domain]
    assert [label.text() for label in buddies] == ["Email domain:"]


def tab_chain(window: MainWindow) -> list[QWidget]:
    """Tab from the sidebar until focus comes back to it: the widgets on the way."""
    window.sidebar.setFocus()
    assert window.focusWidget() is window.sidebar
    chain: list[QWidget] = []
    for _ in range(MAX_TABS):
        current = window.focusWidget()
        assert current is not None
        QTest.keyClick(current, Qt.Key.Key_Tab)
        reached = window.focusWidget()
        if reached is window.sidebar:
            return chain
        assert reached is not None
        chain.append(reached)
    raise AssertionError(f"Tab never came back to the sidebar: stuck in {describe(chain[-5:])}")


@pytest.mark.parametrize("page", list(MAIN_CONTROLS))
def test_tab_goes_through_the_main_controls_of_every_page(qtbot: Any, window: MainWindow,
                                                          page: str) -> None:
    window.show_page(page)
    wait_idle(qtbot)
    if page == "policies":  # with a policy open, its form is in the chain too
        window.page("policies").table.selectRow(0)  # type: ignore[attr-defined]
        wait_idle(qtbot)
    widgets = tab_chain(window)
    chain = [w.objectName() for w in widgets]
    expected = MAIN_CONTROLS[page]
    missing = [name for name in expected if name not in chain]
    assert missing == [], chain
    positions = [chain.index(name) for name in expected]
    assert positions == sorted(positions), chain
    # the status bar's controls come after the page, not in the middle of it
    status = [i for i, name in enumerate(chain) if name in ("syncButton", "vaultStatus")]
    assert status, chain
    page_widget = window.page(page)
    inside = [i for i, w in enumerate(widgets) if page_widget.isAncestorOf(w)]
    assert max(inside) < min(status), chain
    if page == "policies":  # the open policy's form is reached too, all of it
        editor = window.page("policies").editor  # type: ignore[attr-defined]
        fields = [w for w in editor.findChildren(QWidget)
                  if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        assert len(fields) > 3
        assert all(field in widgets for field in fields), describe(fields)


def test_tab_leaves_a_table_with_rows(qtbot: Any, window: MainWindow) -> None:
    window.show_page("effective")
    wait_idle(qtbot)
    table = window.page("effective").table  # type: ignore[attr-defined]
    assert table.model().rowCount() > 1
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Tab)
    assert window.focusWidget() is not table  # not from cell to cell
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    QTest.keyClick(table, Qt.Key.Key_Down)  # the arrow keys move inside it
    assert table.currentIndex().row() == 1
