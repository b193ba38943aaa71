"""`ui.ops` on real pages over a real workspace: pages given the window's undo stack share its
one write queue, so a write, its undo and redo, and another page's write run one after another
in the order asked; and a failure is shown by the default presenter (a refusal in the page's
notice, a bug in the error dialog and the log)."""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtGui import QUndoStack

from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, shown_page, wait_idle
from tests.ui.context_support import make_context
from ui import excepthook
from ui.models.hierarchy_model import COMPANY, SITE
from ui.pages.companies_page import CompaniesPage
from ui.pages.policies_page import PoliciesPage
from ui.pages.rules_page import RulesPage


@pytest.fixture
def companies(qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack,
              dialogs: ScriptedDialogs) -> Iterator[CompaniesPage]:
    ws = sample_workspace
    yield from shown_page(qtbot, CompaniesPage(make_context(ws, qtbot, undo_stack)),
                          dialogs)


@pytest.fixture
def rules(qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack) -> RulesPage:
    page = RulesPage(make_context(sample_workspace, qtbot, undo_stack))
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot)
    return page


def test_writes_undo_and_redo_of_two_pages_land_in_the_order_asked(
        qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack,
        companies: CompaniesPage, rules: RulesPage) -> None:
    ws = sample_workspace
    assert companies.ops.writes is rules.ops.writes  # one queue for the window's stack
    site = next(s for s in ws.sites.all() if s.name == "Downtown")
    company = next(c for c in ws.companies.all() if c.name == "Northwind Legal")

    companies.rename(SITE, site.id, "City Centre")
    companies.rename(COMPANY, company.id, "Northwind Law")
    assert rules.ops.writes.busy()  # the other page's writes wait behind these
    wait_idle(qtbot)
    assert undo_stack.count() == 2

    # Undo, undo, redo without waiting: each runs after the one before it, so the site ends
    # renamed and the company not (a redo overtaking the second undo would leave "Downtown").
    undo_stack.undo()
    undo_stack.undo()
    undo_stack.redo()
    # ...and another page's write asked now lands after all three.
    rule = ws.rules.get("Standard Notifications")
    seen_when_stored: list[tuple[str, str]] = []
    rules.stored.connect(lambda: seen_when_stored.append(
        (ws.sites.get(site.id).name, ws.companies.get(company.id).name)))
    rules.store(rule.rule, replace(rule.rule, name="Standard Alerts"), "Renamed the rule")
    wait_idle(qtbot)

    assert seen_when_stored == [("City Centre", "Northwind Legal")]
    assert ws.sites.get(site.id).name == "City Centre"
    assert ws.companies.get(company.id).name == "Northwind Legal"
    assert [r.name for r in ws.rules.all()].count("Standard Alerts") == 1


@pytest.fixture
def hooked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", excepthook.handle)


@pytest.fixture
def policies(qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack,
             dialogs: ScriptedDialogs) -> Iterator[PoliciesPage]:
    ws = sample_workspace
    yield from shown_page(qtbot, PoliciesPage(make_context(ws, qtbot, undo_stack)),
                          dialogs)


def damage(ws: Workspace, sql: str) -> None:
    """Change the workspace file under the app, as another program (or a bad disk) might."""
    with sqlite3.connect(ws.path) as db:
        db.execute(sql)


@pytest.mark.qt_no_exception_capture
@pytest.mark.usefixtures("hooked")
def test_a_bug_while_loading_policies_reaches_the_dialog_and_the_log_not_the_notice(
        qtbot: Any, sample_workspace: Workspace, policies: PoliciesPage, error_dialogs: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    # settings that are not JSON: the service does not expect it, so it is a bug's path
    damage(sample_workspace, "UPDATE policies SET settings_json = '{not json' "
                             "WHERE name = 'Remote Access Quiet'")
    with caplog.at_level(logging.ERROR, logger="ui.excepthook"):
        with qtbot.waitSignal(policies.refreshed, timeout=10_000):
            policies.refresh()
        wait_idle(qtbot)
    assert policies.notice.text() == ""  # before: "Could not load the policies: Expecting…"
    [report] = error_dialogs.reports
    assert report.is_bug
    assert "JSONDecodeError" in report.details
    assert any(r.exc_info is not None and r.exc_info[0].__name__ == "JSONDecodeError"
               for r in caplog.records)


@pytest.mark.usefixtures("hooked")
def test_a_refusal_while_loading_policies_reaches_the_notice_and_no_dialog(
        qtbot: Any, sample_workspace: Workspace, policies: PoliciesPage,
        error_dialogs: Any) -> None:
    damage(sample_workspace, "UPDATE policies SET type_id = 'no-such-type' "
                             "WHERE name = 'Remote Access Quiet'")
    with qtbot.waitSignal(policies.refreshed, timeout=10_000):
        policies.refresh()
    wait_idle(qtbot)
    assert policies.notice.text().startswith(
        "Could not load the policies: Unknown policy type 'no-such-type'")
    assert policies.notice.kind == "error"
    assert error_dialogs.reports == []


@pytest.mark.usefixtures("hooked")
def test_a_refused_write_reaches_the_pages_notice_and_no_dialog(
        qtbot: Any, sample_workspace: Workspace, companies: CompaniesPage,
        error_dialogs: Any) -> None:
    site = next(s for s in sample_workspace.sites.all() if s.name == "Lab")
    companies.rename(SITE, site.id, "Main Office")  # the company already has one
    wait_idle(qtbot)
    assert "Could not rename 'Lab'" in companies.notice.text()
    assert "already has a site named" in companies.notice.text()
    assert companies.notice.kind == "error"
    assert error_dialogs.reports == []
    assert sample_workspace.sites.get(site.id).name == "Lab"
