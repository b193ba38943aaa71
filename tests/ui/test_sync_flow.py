# ruff: noqa: F811  (the shared fixtures are imported, then named as parameters)
"""Sync from the window against the real server on 127.0.0.1: the Sync button, the status
bar, changes from another workspace, Cancel, a bad secret, the server down."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt

from app.services.sync import SyncSettings
from app.services.workspace import Workspace
from tests.server.live import LiveServer, free_port, sync
from tests.sync.helpers import open_ws
from tests.ui.test_sync_support import (  # noqa: F401 (fixtures)
    SECRET,
    asks,
    click_sync,
    controller_of,
    drive,
    loop,
    patient_retry,
    pending,
    server,
    settled,
    sync_ui,
    sync_window,
    until,
)
from ui.main_window import MainWindow
from ui.sync.controller import AUTH, CANCELLED, DONE, OFFLINE


def server_counts(server: LiveServer) -> dict[str, int]:
    with server.client() as client:
        return dict(client.get("/v1/counts").json())


def test_sync_button_sends_everything_and_shows_the_last_sync(
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace,
        server: LiveServer, loop: asyncio.AbstractEventLoop) -> None:
    controller_of(sync_window).remember_secret("alpha", SECRET)
    before = pending(sample_workspace)
    assert before > 0
    label = sync_ui(sync_window).widget.label
    phases: list[str] = []
    controller_of(sync_window).progressed.connect(lambda phase, *_: phases.append(phase))

    async def scenario() -> None:
        await settled()
        assert f"{before} changes pending" in label.text()
        outcome = await click_sync(qtbot, sync_window)
        assert outcome.kind == DONE, outcome.message

    drive(loop, scenario)
    assert pending(sample_workspace) == 0
    status = controller_of(sync_window).status
    assert status.pending == 0
    assert status.online
    assert status.last_sync
    assert label.text().startswith("Online · synced ")
    assert "pending" not in label.text()
    assert {"push", "pull"} <= set(phases)
    assert sync_ui(sync_window).sync_action.isEnabled()
    assert server_counts(server)["company"] == len(sample_workspace.companies.all())


def test_a_change_made_on_another_workspace_appears_after_sync(  # noqa: PLR0917
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace,
        server: LiveServer, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> None:
    controller_of(sync_window).remember_secret("alpha", SECRET)
    drive(loop, lambda: click_sync(qtbot, sync_window))
    other = open_ws(tmp_path, "other")
    try:
        sync(other, server)
        other.companies.create("Globex Freight")
        sync(other, server)
    finally:
        other.close()
    page: Any = sync_window.page("companies")

    async def scenario() -> None:
        outcome = await click_sync(qtbot, sync_window)
        assert outcome.kind == DONE
        assert outcome.report is not None
        assert outcome.report.pulled >= 1
        await settled()  # the companies page reloads what the server sent

    drive(loop, scenario)
    assert "Globex Freight" in [c.name for c in sample_workspace.companies.all()]
    assert "Globex Freight" in [c.name for c in page._companies]


def test_cancel_during_a_sync_keeps_the_outbox(
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace,
        server: LiveServer, loop: asyncio.AbstractEventLoop) -> None:
    controller = controller_of(sync_window)
    controller.remember_secret("alpha", SECRET)
    controller.retry = patient_retry
    before = pending(sample_workspace)
    server.fault("/v1/batch", mode="delay", delay=1.5, times=1)  # the push hangs a while
    widget = sync_ui(sync_window).widget

    async def scenario() -> None:
        qtbot.mouseClick(widget.sync_button, Qt.MouseButton.LeftButton)
        await until(lambda: server.hits("/v1/batch") >= 1)  # the batch is on the wire
        assert widget.cancel_button.isVisible()
        qtbot.mouseClick(widget.cancel_button, Qt.MouseButton.LeftButton)
        outcome = await controller.wait()
        assert outcome is not None
        assert outcome.kind == CANCELLED
        await settled()

    drive(loop, scenario)
    assert pending(sample_workspace) == before  # nothing left the outbox unconfirmed
    assert not widget.cancel_button.isVisible()
    assert sync_ui(sync_window).sync_action.isEnabled()

    # The server applied the delayed batch after all; the next sync sends the same batch
    # (same Idempotency-Key): it is confirmed, not applied twice.
    drive(loop, lambda: click_sync(qtbot, sync_window))
    assert pending(sample_workspace) == 0
    counts = server_counts(server)
    assert counts["company"] == len(sample_workspace.companies.all())
    assert counts["site"] == len(sample_workspace.sites.all())


def test_a_bad_secret_says_to_check_preferences_and_keeps_the_work(
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace,
        loop: asyncio.AbstractEventLoop) -> None:
    controller_of(sync_window).remember_secret("alpha", "not-the-secret")
    before = pending(sample_workspace)
    outcome = drive(loop, lambda: click_sync(qtbot, sync_window))
    assert outcome.kind == AUTH
    assert asks(sync_window).errors
    _title, text = asks(sync_window).errors[0]
    assert "check client id/secret in Preferences" in text
    assert pending(sample_workspace) == before
    assert controller_of(sync_window).status.online  # the server answered


def test_server_down_means_offline_and_the_changes_stay_pending(
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace,
        loop: asyncio.AbstractEventLoop) -> None:
    sample_workspace.sync.save_settings(SyncSettings(f"http://127.0.0.1:{free_port()}", "alpha"))
    controller_of(sync_window).remember_secret("alpha", SECRET)
    before = pending(sample_workspace)
    outcome = drive(loop, lambda: click_sync(qtbot, sync_window))
    assert outcome.kind == OFFLINE
    assert "stay pending" in outcome.message
    assert not asks(sync_window).errors  # offline is a state, not an error box
    assert pending(sample_workspace) == before
    label = sync_ui(sync_window).widget.label.text()
    assert label.startswith("Offline")
    assert f"{before} changes pending" in label
    assert "stay pending" in sync_window.statusBar().currentMessage()


def test_the_menu_entry_and_shortcut_start_a_sync(
        qtbot: Any, sync_window: MainWindow, loop: asyncio.AbstractEventLoop) -> None:
    ui = sync_ui(sync_window)
    assert ui.sync_action.shortcut().toString() == "Ctrl+Shift+S"
    assert ui.sync_action in ui.menu.actions()
    controller_of(sync_window).remember_secret("alpha", SECRET)

    async def scenario() -> None:
        ui.sync_action.trigger()
        assert controller_of(sync_window).running
        assert not ui.sync_action.isEnabled()
        assert ui.cancel_action.isEnabled()
        ui.sync_action.trigger()  # disabled: no second sync
        outcome = await controller_of(sync_window).wait()
        assert outcome is not None
        assert outcome.kind == DONE
        await settled()

    drive(loop, scenario)


def test_quitting_during_a_sync_cancels_and_awaits_it(  # noqa: PLR0917
        qtbot: Any, qapp: Any, sync_window: MainWindow, sample_workspace: Workspace,
        server: LiveServer, loop: asyncio.AbstractEventLoop) -> None:
    qapp.setQuitOnLastWindowClosed(False)  # as the launcher runs the app
    controller = controller_of(sync_window)
    controller.remember_secret("alpha", SECRET)
    before = pending(sample_workspace)
    server.fault("/v1/batch", mode="delay", delay=1.0, times=1)

    async def scenario() -> None:
        sync_ui(sync_window).sync()
        await until(lambda: server.hits("/v1/batch") >= 1)
        assert not sync_window.close()  # refused for now: the sync is cancelled first
        await until(lambda: not sync_window.isVisible())
        assert not controller.running
        assert not controller.has_client

    try:
        drive(loop, scenario)
    finally:
        qapp.setQuitOnLastWindowClosed(True)
    assert pending(sample_workspace) == before
    # Let the delayed request finish on the server before it stops.
    with httpx.Client() as client:
        client.get(f"{server.url}/openapi.json")


def test_the_pending_count_follows_edits(
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace,
        loop: asyncio.AbstractEventLoop) -> None:
    before = pending(sample_workspace)
    sample_workspace.companies.create("Initech")

    async def scenario() -> None:
        sync_window.show_page("companies")  # the page reloads; the count follows
        await settled()

    drive(loop, scenario)
    assert f"{before + 1} changes pending" in sync_ui(sync_window).widget.label.text()
