"""Writes land in the order asked across pages: pages given the window's undo stack share its
one write queue (`ui.ops`), so a write, its undo and redo, and another page's write run one
after another, in that order, on a real workspace."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtGui import QUndoStack

from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, shown_page, wait_idle
from ui.models.hierarchy_model import COMPANY, SITE
from ui.pages.companies_page import CompaniesPage
from ui.pages.rules_page import RulesPage


@pytest.fixture
def companies(qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack,
              dialogs: ScriptedDialogs) -> Iterator[CompaniesPage]:
    ws = sample_workspace
    yield from shown_page(qtbot, CompaniesPage(ws.companies, ws.sites, ws.devices, undo_stack),
                          dialogs)


@pytest.fixture
def rules(qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack) -> RulesPage:
    page = RulesPage(sample_workspace.rules, undo_stack)
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
