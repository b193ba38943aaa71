# ruff: noqa: F811  (the shared fixtures are imported, then named as parameters)
"""Preferences → Sync (server URL and client id where `preflight sync` reads them; the secret
in the vault, never in QSettings) and a locked vault at sync time."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.services.sample_mark import clear_sample_mark
from app.services.sync import SECRET_NAME, SyncSettings
from app.services.workspace import Workspace
from tests.server.live import LiveServer
from tests.ui.conftest import wait_idle
from tests.ui.test_sync_support import (  # noqa: F401 (fixtures)
    SECRET,
    asks,
    click_sync,
    controller_of,
    drive,
    loop,
    server,
    settled,
    sync_window,
    until,
)
from ui.main_window import MainWindow
from ui.sync.controller import DONE, Asks
from ui.sync.prefs_group import SyncPreferencesGroup
from ui.vault.unlock_dialog import UnlockDialog

MASTER = "correct horse battery staple"


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFLIGHT_VAULT_INSECURE_TEST_KDF", "1")


def with_vault(qtbot: Any, window: MainWindow, ws: Workspace, *, locked: bool) -> None:
    ws.vault.session.init(MASTER)
    ws.vault.app_secrets.set(SECRET_NAME, SECRET, username="alpha")
    if locked:
        ws.vault.session.lock()
    session: Any = window.vault_session  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: session.state == ("locked" if locked else "unlocked"))


def open_preferences(qtbot: Any, window: MainWindow) -> tuple[QDialog, SyncPreferencesGroup]:
    dialog = window.show_preferences()
    group = dialog.findChild(SyncPreferencesGroup)
    assert group is not None
    qtbot.waitUntil(lambda: group.loaded)
    return dialog, group


def test_preferences_keep_url_and_client_id_for_the_cli_and_the_secret_in_the_vault(
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace,
        server: LiveServer, tmp_path: Path) -> None:
    with_vault(qtbot, sync_window, sample_workspace, locked=False)
    sample_workspace.sync.save_settings(SyncSettings())
    dialog, group = open_preferences(qtbot, sync_window)
    assert group.server.text() == ""
    assert "vault" in group.note.text()
    qtbot.keyClicks(group.server, "sync.example.com")
    qtbot.keyClicks(group.client_id, "beta")
    qtbot.keyClicks(group.secret, "beta-new-secret")
    assert group.secret.echoMode() == group.secret.EchoMode.Password
    dialog.accept()
    wait_idle(qtbot)
    assert sample_workspace.sync.settings() == SyncSettings("https://sync.example.com", "beta")
    assert sample_workspace.vault.app_secrets.get(SECRET_NAME) == "beta-new-secret"
    settings_file = tmp_path / "ui.ini"
    if settings_file.exists():
        assert "beta-new-secret" not in settings_file.read_text()
    # The CLI reads the same server URL from the workspace.
    env = {**os.environ, "PREFLIGHT_SYNC_SERVER": "", "PREFLIGHT_SYNC_CLIENT_ID": ""}
    done = subprocess.run(
        [sys.executable, "-m", "preflight", "--workspace", str(sample_workspace.path), "--json",
         "sync", "--dry-run"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["server"] == "https://sync.example.com"


def test_a_bad_url_is_not_saved(qtbot: Any, sync_window: MainWindow,
                                sample_workspace: Workspace, server: LiveServer) -> None:
    dialog, group = open_preferences(qtbot, sync_window)
    group.server.setText("ftp://nowhere")
    assert group.problem.isVisibleTo(group)
    dialog.accept()
    wait_idle(qtbot)
    assert sample_workspace.sync.settings().server == server.url
    assert "not saved" in sync_window.statusBar().currentMessage()


def test_without_a_vault_the_secret_is_kept_for_this_session_only(
        qtbot: Any, sync_window: MainWindow, loop: asyncio.AbstractEventLoop) -> None:
    dialog, group = open_preferences(qtbot, sync_window)
    qtbot.keyClicks(group.secret, SECRET)
    dialog.accept()
    wait_idle(qtbot)
    assert "for this session only" in sync_window.statusBar().currentMessage()
    outcome = drive(loop, lambda: click_sync(qtbot, sync_window))
    assert outcome.kind == DONE
    assert asks(sync_window).asked == []  # nothing asked: the session has the secret


def test_a_locked_vault_is_unlocked_with_its_own_dialog_before_the_sync(
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace,
        loop: asyncio.AbstractEventLoop) -> None:
    with_vault(qtbot, sync_window, sample_workspace, locked=True)
    clear_sample_mark(sample_workspace)  # the real questions: only the vault's is meant here
    controller = controller_of(sync_window)
    real = Asks(sync_window)
    real.vault_session = sync_window.vault_session  # type: ignore[attr-defined]
    controller.asks = real

    async def scenario() -> None:
        controller.start()
        await until(lambda: _dialog(sync_window) is not None)
        dialog = _dialog(sync_window)
        assert dialog is not None
        qtbot.keyClicks(dialog.password, MASTER)
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        outcome = await controller.wait()
        assert outcome is not None
        assert outcome.kind == DONE, outcome.message
        await settled()

    drive(loop, scenario)
    # Everything else was sent. The vault's own records are refused by the server today
    # (entity 'vault' unknown; vault items carry `password`/`notes` where the server wants
    # `password_ct`/`notes_ct`): a vault/server contract gap outside the GUI, shown here as
    # "refused by the server" conflicts with their outbox rows kept.
    refused = {c.entity for c in controller.conflicts()}
    assert refused <= {"vault", "vault_item"}
    assert controller.status.pending == len(refused)


def test_refusing_to_unlock_asks_for_the_secret_for_this_session(
        qtbot: Any, sync_window: MainWindow, sample_workspace: Workspace,
        loop: asyncio.AbstractEventLoop) -> None:
    with_vault(qtbot, sync_window, sample_workspace, locked=True)
    scripted = asks(sync_window)
    scripted.unlocks.append(lambda: False)
    scripted.secrets.append(SECRET)
    outcome = drive(loop, lambda: click_sync(qtbot, sync_window))
    assert outcome.kind == DONE
    assert scripted.asked == ["unlock", "secret alpha"]


def _dialog(window: MainWindow) -> UnlockDialog | None:
    found = [d for d in window.findChildren(UnlockDialog) if d.isVisible()]
    return found[0] if found else None
