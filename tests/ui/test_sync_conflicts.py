# ruff: noqa: F811  (the shared fixtures are imported, then named as parameters)
"""The Pending Changes and Conflicts pages over a real sync with the server on 127.0.0.1: a
same-field conflict is shown field by field and resolved with theirs, or per field."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.services.workspace import Workspace
from tests.server.live import LiveServer, sync
from tests.sync.helpers import open_ws
from tests.ui.test_sync_support import (  # noqa: F401 (fixtures)
    SECRET,
    click_sync,
    controller_of,
    drive,
    loop,
    server,
    settled,
    sync_ui,
    sync_window,
)
from ui.main_window import MainWindow
from ui.sync.conflicts_page import ConflictsPage
from ui.sync.controller import DONE
from ui.sync.models import CONFLICT, FieldModel, PlanModel
from ui.sync.pending_page import PendingChangesPage

POLICY = "RMM Standard"


@pytest.fixture
def conflicted(qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace,  # noqa: PLR0917
               server: LiveServer, loop: asyncio.AbstractEventLoop, tmp_path: Path
               ) -> MainWindow:
    """The window's workspace and another one both changed the name and the notification
    rule of one policy; the window's sync has just met the conflict."""
    for name in ("Server Rule", "Local Rule"):  # partner rules (ids read as names)
        sample_workspace.rules.create(name, rule_id=name)
    controller_of(sync_window).remember_secret("alpha", SECRET)
    drive(loop, lambda: click_sync(qtbot, sync_window))
    other = open_ws(tmp_path, "other")
    try:
        sync(other, server)
        other.policies.update(POLICY, {"notification_rule": "Server Rule"},
                              name="RMM Server")
        sync(other, server)
    finally:
        other.close()
    sample_workspace.policies.update(POLICY, {"notification_rule": "Local Rule"},
                                     name="RMM Local")
    outcome = drive(loop, lambda: click_sync(qtbot, sync_window))
    assert outcome.kind == DONE
    assert outcome.report is not None
    assert outcome.report.conflicts == 1
    return sync_window


def open_conflicts(window: MainWindow, loop: asyncio.AbstractEventLoop) -> ConflictsPage:
    async def show() -> None:
        window.show_page("conflicts")
        await settled()

    drive(loop, show)
    page = window.page("conflicts")
    assert isinstance(page, ConflictsPage)
    return page


def values(model: FieldModel, field: str) -> tuple[str, str, str, str]:
    row = model.find_row(field)
    assert row >= 0, field
    return tuple(model.index(row, c).data() for c in range(1, 5))  # type: ignore[return-value]


def test_a_same_field_conflict_shows_both_versions_field_by_field(
        conflicted: MainWindow, loop: asyncio.AbstractEventLoop, qtmodeltester: Any,
        sample_workspace: Workspace) -> None:
    assert "1 conflict" in sync_ui(conflicted).widget.label.text()
    page = open_conflicts(conflicted, loop)
    assert page.model.rowCount() == 1
    assert page.model.index(0, 1).data() == "RMM Local"
    assert "name" in page.model.index(0, 3).data()
    fields = page.fields
    assert values(fields, "name") == ("RMM Standard", "RMM Local", "RMM Server", "mine")
    # The policy stores a rule id (the sample's rule, then the two rules made for the test,
    # whose ids are their names); each is shown by its name, the id in the tooltip.
    base = sample_workspace.rules.get("Standard Notifications").id
    assert values(fields, "settings.notification_rule") == (
        "Standard Notifications", "Local Rule", "Server Rule", "mine")
    rule_row = fields.find_row("settings.notification_rule")
    assert base in fields.index(rule_row, FieldModel.COL_BASE).data(
        Qt.ItemDataRole.ToolTipRole)
    conflicting = fields.index(fields.find_row("name"), FieldModel.COL_THEIRS)
    assert conflicting.data(Qt.ItemDataRole.BackgroundRole).color() == CONFLICT
    same = fields.find_row("settings.rmm_enabled")
    assert fields.index(same, FieldModel.COL_MINE).data(Qt.ItemDataRole.BackgroundRole) is None
    assert page.keep_theirs.isEnabled()
    assert page.keep_fields.isEnabled()
    qtmodeltester.check(page.model)
    qtmodeltester.check(fields)

    async def show_pending() -> None:
        conflicted.show_page("pending-changes")
        await settled()

    drive(loop, show_pending)
    summary = conflicted.page("pending-changes").summary.text()  # type: ignore[attr-defined]
    assert "1 record(s) in conflict" in summary


def test_keep_theirs_takes_the_server_copy(
        qtbot: Any, conflicted: MainWindow, sample_workspace: Workspace,
        loop: asyncio.AbstractEventLoop) -> None:
    page = open_conflicts(conflicted, loop)

    async def resolve() -> None:
        qtbot.mouseClick(page.keep_theirs, Qt.MouseButton.LeftButton)
        await settled()

    drive(loop, resolve)
    assert page.model.rowCount() == 0
    assert controller_of(conflicted).conflicts() == []
    policy = sample_workspace.policies.get("RMM Server")
    assert policy.settings["notification_rule"] == "Server Rule"
    assert controller_of(conflicted).status.conflicts == 0
    outcome = drive(loop, lambda: click_sync(qtbot, conflicted))
    assert outcome.kind == DONE
    assert controller_of(conflicted).status.pending == 0


def test_a_choice_per_field_is_kept_and_sent(  # noqa: PLR0917
        qtbot: Any, conflicted: MainWindow, sample_workspace: Workspace, server: LiveServer,
        loop: asyncio.AbstractEventLoop, tmp_path: Path) -> None:
    page = open_conflicts(conflicted, loop)
    fields = page.fields
    theirs = fields.index(fields.find_row("name"), FieldModel.COL_THEIRS)
    rect = page.field_table.visualRect(theirs)
    qtbot.mouseClick(page.field_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.field_table.viewport(), Qt.MouseButton.LeftButton,
                      pos=rect.center())
    assert values(fields, "name")[3] == "theirs"
    assert values(fields, "settings.notification_rule")[3] == "mine"

    async def resolve() -> None:
        qtbot.mouseClick(page.keep_fields, Qt.MouseButton.LeftButton)
        await settled()

    drive(loop, resolve)
    assert page.model.rowCount() == 0
    policy = sample_workspace.policies.get("RMM Server")
    assert policy.settings["notification_rule"] == "Local Rule"
    assert drive(loop, lambda: click_sync(qtbot, conflicted)).kind == DONE
    check = open_ws(tmp_path, "check")
    try:
        sync(check, server)
        merged = check.policies.get("RMM Server")
        assert merged.settings["notification_rule"] == "Local Rule"
    finally:
        check.close()


def test_the_pending_changes_page_lists_the_plan(
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace,
        loop: asyncio.AbstractEventLoop, qtmodeltester: Any) -> None:
    sample_workspace.companies.create("Initech")

    async def show() -> None:
        sync_window.show_page("pending-changes")
        await settled()

    drive(loop, show)
    page = sync_window.page("pending-changes")
    assert isinstance(page, PendingChangesPage)
    rows = [[page.model.index(r, c).data() for c in range(5)]
            for r in range(page.model.rowCount())]
    assert ["Company", "Initech", "Create", "name", "1"] in rows  # partnerId is the server's
    assert page.sync_button.defaultAction() is sync_ui(sync_window).sync_action
    assert "record(s) to send" in page.summary.text()
    qtmodeltester.check(page.model)
    page.table.sortByColumn(PlanModel.COL_NAME, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(page.model)

    controller_of(sync_window).remember_secret("alpha", SECRET)
    drive(loop, lambda: click_sync(qtbot, sync_window))
    assert page.model.rowCount() == 0
    assert page.summary.text().startswith("Nothing to send")
