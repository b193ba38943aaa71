"""The RMM Site Configuration's Notification Rule in the policy editor: a pick list of the
partner's rules by name (the id stored), "New rule…" creating one and selecting it, and a
reference to a rule that does not exist shown as an error that blocks Save."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QInputDialog

from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, shown_page, wait_idle
from tests.ui.context_support import make_context
from tests.ui.test_policies_page import click_row, wait_refresh
from ui.pages.policies_page import PoliciesPage
from ui.widgets.rule_field import NEW_RULE_TEXT, RuleField


@pytest.fixture
def page(qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack,
         dialogs: ScriptedDialogs) -> Iterator[PoliciesPage]:
    yield from shown_page(qtbot, PoliciesPage(make_context(sample_workspace, qtbot,
                                                           undo_stack)), dialogs)


def picker(qtbot: Any, page: PoliciesPage) -> RuleField:
    field = page.editor.field("notification_rule")
    assert isinstance(field, RuleField)
    qtbot.waitUntil(lambda: field.choices is not None, timeout=10_000)
    return field


def pick(field: RuleField, text: str) -> None:
    index = field.combo.findText(text)
    assert index >= 0, text
    field.combo.setCurrentIndex(index)
    field.combo.activated.emit(index)  # what a user's choice in the popup sends


def test_choose_a_rule_by_name_and_the_id_is_saved(qtbot: Any, page: PoliciesPage,
                                                   sample_workspace: Workspace) -> None:
    ws = sample_workspace
    click_row(qtbot, page, "RMM with NOC")
    field = picker(qtbot, page)
    items = [field.combo.itemText(i) for i in range(field.combo.count())]
    assert items[0] == "Not selected"
    assert {"NOC Escalation", "Northside standard", "Standard Notifications"} <= set(items)
    assert items[-1] == NEW_RULE_TEXT
    assert field.combo.currentText() == "NOC Escalation"
    pick(field, "Standard Notifications")
    assert page.editor.save_button.isEnabled()
    with wait_refresh(qtbot, page):
        qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    assert ws.policies.get("RMM with NOC").settings["notification_rule"] == \
        ws.rules.get("Standard Notifications").id
    pick(field, "Not selected")
    assert "Notification Rule is required" in page.editor.error_text("notification_rule")
    assert not page.editor.save_button.isEnabled()


def test_new_rule_creates_and_selects_it(qtbot: Any, page: PoliciesPage,
                                         sample_workspace: Workspace,
                                         monkeypatch: Any) -> None:
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *_a, **_k: ("After hours", True))
    click_row(qtbot, page, "RMM Standard")
    field = picker(qtbot, page)
    pick(field, NEW_RULE_TEXT)
    qtbot.waitUntil(lambda: field.combo.currentText() == "After hours", timeout=10_000)
    wait_idle(qtbot)
    created = sample_workspace.rules.get("After hours")
    assert field.value() == created.id
    assert "Notification Rules page" in page.editor.notice.text()
    assert page.editor.save_button.isEnabled()
    with wait_refresh(qtbot, page):
        qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    assert sample_workspace.policies.get("RMM Standard").settings["notification_rule"] == \
        created.id
    # A taken name is refused, and nothing is selected instead.
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *_a, **_k: ("after HOURS", True))
    pick(field, NEW_RULE_TEXT)
    qtbot.waitUntil(lambda: "already exists" in page.editor.notice.text(), timeout=10_000)
    assert field.value() == created.id


def test_an_unknown_rule_is_shown_as_an_error(qtbot: Any, sample_workspace: Workspace,
                                              undo_stack: QUndoStack,
                                              dialogs: ScriptedDialogs) -> None:
    # A reference the migration could not resolve (or an older client's free text).
    policy = sample_workspace.policies.get("RMM Standard")
    settings = {**policy.settings, "notification_rule": "Totally Bogus Rule"}
    with closing(sqlite3.connect(sample_workspace.path)) as conn:
        conn.execute("UPDATE policies SET settings_json = ? WHERE id = ?",
                     (json.dumps(settings), policy.id))
        conn.commit()
    for page in shown_page(qtbot, PoliciesPage(make_context(sample_workspace, qtbot,
                                                            undo_stack)), dialogs):
        click_row(qtbot, page, "RMM Standard")
        field = picker(qtbot, page)
        assert field.combo.currentText() == "⚠ Totally Bogus Rule (no such rule)"
        qtbot.waitUntil(lambda p=page: bool(p.editor.error_text("notification_rule")),
                        timeout=10_000)
        assert "'Totally Bogus Rule' does not exist" in page.editor.error_text(
            "notification_rule")
        pick(field, "Standard Notifications")
        assert not page.editor.error_text("notification_rule")
        assert page.editor.save_button.isEnabled()
