"""A page's notice shows over its heading and moves nothing under the pointer when it comes
or goes (docs/architecture.md §14): every other widget of the page stays where it was, a
message of two lines too, and the notice follows its heading when the page is resized."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, shown_page, wait_idle
from tests.ui.context_support import make_context
from tests.ui.policies_support import open_policy
from ui.helpdesk.golive_page import GoLivePage
from ui.helpdesk.overview_page import ReadinessPage
from ui.main_window import MainWindow
from ui.pages.assignments_page import AssignmentsPage
from ui.pages.companies_page import CompaniesPage
from ui.pages.effective_page import EffectivePage
from ui.pages.policies_page import PoliciesPage
from ui.pages.rules_page import RulesPage
from ui.sync.conflicts_page import ConflictsPage
from ui.widgets.policy_common import NoticeBar

PAGES: list[Callable[..., QWidget]] = [AssignmentsPage, CompaniesPage, EffectivePage,
                                       PoliciesPage, RulesPage, ConflictsPage, GoLivePage,
                                       ReadinessPage]
LONG = ("The workspace could not be written: the disk is full. Free some space and try "
        "again; nothing was changed, and every edit you made is still on the page. ") * 2


def _places(page: QWidget, notice: NoticeBar) -> dict[int, tuple[str, QPoint]]:
    """Where each visible widget of the page is (the notice and its own children aside)."""
    return {id(w): (type(w).__name__, w.mapTo(page, QPoint(0, 0)))
            for w in page.findChildren(QWidget)
            if w.isVisible() and w is not notice and not notice.isAncestorOf(w)}


def _shown(qtbot, page: QWidget, dialogs: ScriptedDialogs) -> Iterator[QWidget]:
    if hasattr(page, "refreshed"):
        yield from shown_page(qtbot, page, dialogs)
        return
    qtbot.addWidget(page)  # the rules page loads as it is made
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    yield page
    wait_idle(qtbot)


@pytest.mark.parametrize("make", PAGES, ids=lambda make: make.__name__)
def test_a_notice_moves_nothing_on_the_page(qtbot, sample_workspace: Workspace,
                                            undo_stack: QUndoStack, dialogs: ScriptedDialogs,
                                            make: Callable[..., QWidget]) -> None:
    made = make(make_context(sample_workspace, qtbot, undo_stack))
    for page in _shown(qtbot, made, dialogs):
        notice = page.notice  # type: ignore[attr-defined]
        assert isinstance(notice, NoticeBar)
        wait_idle(qtbot)  # what the page shows once loaded (details panes, empty states)
        _check_notice_moves_nothing(lambda p=page: p.resize(p.width() - 240, p.height()),
                                    page, notice, "top")


def test_a_policy_editors_message_moves_no_field(qtbot, sample_workspace: Workspace,
                                                 undo_stack: QUndoStack,
                                                 dialogs: ScriptedDialogs) -> None:
    """After a save the editor says so over its heading; its fields stay where they were."""
    page = PoliciesPage(make_context(sample_workspace, qtbot, undo_stack))
    for shown in shown_page(qtbot, page, dialogs):
        open_policy(qtbot, shown, "Remote Access Quiet")
        wait_idle(qtbot)
        editor = shown.editor
        before = _places(editor, editor.notice)
        editor.notice.show_message("Saved policy 'Remote Access Quiet'. Packages using it: "
                                   "'Managed Servers'.", "success")
        assert editor.notice.isVisible()
        assert _places(editor, editor.notice) == before
        anchor = editor.notice.anchor
        assert anchor is not None
        assert editor.notice.geometry().topLeft() == anchor.mapTo(editor, QPoint(0, 0))


# A site's tabs: (title, group) as `SiteTabs.show_tab` takes them, and where the notice goes
SITE_TABS = [("Product Options", "Help Desk", "top"), ("Basic Info", "Help Desk", "top"),
             ("Security Requests", "Help Desk", "top"), ("Client Profiles", "Client Info",
                                                         "bottom"),
             ("Network Info", "Client Info", "top"), ("References", "Client Info", "top"),
             ("Passwords", None, "bottom"), ("Readiness", None, "top")]


def _site_tab(qtbot, window: MainWindow, title: str, group: str | None) -> QWidget:
    page: Any = window.page("companies")
    site = next(s for s in window.workspace.sites.all() if s.name == "Main Office")
    assert page.select(site.id)
    tab = page.site_tabs.show_tab(title, group) if group else page.site_tabs.show_tab(title)
    assert isinstance(tab, QWidget)
    qtbot.waitUntil(lambda: getattr(tab, "site", None) is not None
                    or getattr(tab, "checklist", None) is not None)
    wait_idle(qtbot)
    return tab


def _check_notice_moves_nothing(shrink: Callable[[], None], tab: QWidget,
                                notice: NoticeBar, edge: str) -> None:
    """Messages of one line and of several come and go, and nothing else on `tab` moves;
    after `shrink` the notice is still over its anchor's `edge`."""
    before = _places(tab, notice)
    for text in ("Saved.", LONG):
        notice.show_message(text, "error")
        assert notice.isVisible()
        assert notice.text() == text
        assert _places(tab, notice) == before
        notice.clear()
        assert _places(tab, notice) == before
    notice.show_message("Saved.", "success")
    shrink()
    anchor = notice.anchor
    assert anchor is not None
    corner = anchor.mapTo(notice.parentWidget(), QPoint(0, 0))
    assert notice.width() == anchor.width()
    if edge == "top":  # over the heading
        assert notice.geometry().topLeft() == corner
    else:  # on the table's bottom edge, as tall as one line of message
        assert notice.geometry().bottom() == corner.y() + anchor.height() - 1
        assert notice.height() < anchor.height() // 2
    notice.clear()


@pytest.mark.parametrize(("title", "group", "edge"), SITE_TABS,
                         ids=[title for title, _g, _e in SITE_TABS])
def test_a_site_tabs_notice_moves_nothing(qtbot, window: MainWindow, title: str,
                                          group: str | None, edge: str) -> None:
    """A site's tabs have no page heading above them (the tab bar is): a tab with a heading
    of its own (a Help Desk section's title, the readiness verdict) shows its message over
    it; a table tab on the table's bottom edge. Either way no field or row moves."""
    window.resize(1024, 700)
    tab = _site_tab(qtbot, window, title, group)
    notice = tab.notice  # type: ignore[attr-defined]
    assert isinstance(notice, NoticeBar)
    _check_notice_moves_nothing(lambda: window.resize(964, 640), tab, notice, edge)


def test_the_journeys_notice_moves_no_step(qtbot, window: MainWindow) -> None:
    window.resize(1024, 700)
    tab: Any = _site_tab(qtbot, window, "Readiness", None)
    timeline = tab.timeline
    assert timeline is not None
    qtbot.waitUntil(lambda: timeline.journey is not None)
    _check_notice_moves_nothing(lambda: window.resize(964, 640), timeline, timeline.notice,
                                "top")
