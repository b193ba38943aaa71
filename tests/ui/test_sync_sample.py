# ruff: noqa: F811  (the shared fixtures are imported, then named as parameters)
"""The sample workspace is marked as one: its first sync from the window asks before sending the
made-up companies to a real server; Don't Send sends nothing, Send clears the mark."""

from __future__ import annotations

import asyncio
from typing import Any

from app.services.sample_mark import is_sample
from app.services.sync import SyncSettings
from app.services.workspace import Workspace
from tests.server.live import LiveServer
from tests.ui.test_sync_support import (  # noqa: F401 (fixtures)
    SECRET,
    asks,
    click_sync,
    controller_of,
    drive,
    loop,
    pending,
    server,
    settled,
    sync_window,
)
from ui.main_window import MainWindow
from ui.preferences import PreferencesDialog
from ui.sync.controller import CONFIG, DONE


def server_companies(server: LiveServer) -> int:
    with server.client() as client:
        return int(client.get("/v1/counts").json().get("company", 0))


def test_the_sample_is_marked_and_its_first_sync_asks_then_sends_nothing(
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace, server: LiveServer,
        loop: asyncio.AbstractEventLoop) -> None:
    assert is_sample(sample_workspace)
    controller_of(sync_window).remember_secret("alpha", SECRET)
    before = pending(sample_workspace)
    scripted = asks(sync_window)
    scripted.send_samples.append(False)

    async def scenario() -> None:
        outcome = await click_sync(qtbot, sync_window)
        assert outcome.kind == CONFIG
        assert "this is the sample workspace" in outcome.message

    drive(loop, scenario)
    assert scripted.sample_asked == [(before, server.url)]
    assert pending(sample_workspace) == before  # nothing sent
    assert server_companies(server) == 0
    assert is_sample(sample_workspace)


def test_sending_the_sample_on_purpose_clears_the_mark(
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace, server: LiveServer,
        loop: asyncio.AbstractEventLoop) -> None:
    controller_of(sync_window).remember_secret("alpha", SECRET)
    scripted = asks(sync_window)
    scripted.send_samples.append(True)

    async def scenario() -> None:
        outcome = await click_sync(qtbot, sync_window)
        assert outcome.kind == DONE, outcome.message
        again = await click_sync(qtbot, sync_window)  # asked once, not at every sync
        assert again.kind == DONE, again.message

    drive(loop, scenario)
    assert len(scripted.sample_asked) == 1
    assert not is_sample(sample_workspace)
    assert pending(sample_workspace) == 0
    assert server_companies(server) == 3


def test_a_workspace_of_ones_own_is_not_a_sample(workspace: Workspace) -> None:
    assert not is_sample(workspace)


def test_sync_without_settings_offers_to_open_preferences(
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace,
        loop: asyncio.AbstractEventLoop) -> None:
    sample_workspace.sync.save_settings(SyncSettings())  # no server, no client id
    scripted = asks(sync_window)

    async def scenario() -> None:
        outcome = await click_sync(qtbot, sync_window)
        assert outcome.kind == CONFIG
        await settled()

    drive(loop, scenario)
    assert scripted.sample_asked == []  # nothing to send to: no question about the sample
    assert "Preferences" in scripted.errors[-1][1]
    fix = scripted.fixes[-1]
    assert fix is not None
    label, action = fix
    assert label == "Open Preferences"
    dialog = action()  # the button opens Preferences
    assert isinstance(dialog, PreferencesDialog)
    dialog.reject()
