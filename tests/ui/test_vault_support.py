"""Shared pieces of the vault GUI tests (no tests here): the real window showing a site's
Passwords tab, cheap Argon2id, scripted file and password questions, and GUI helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.services.views import SiteView
from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, wait_idle
from ui.main_window import MainWindow
from ui.vault.item_form import ItemDialog
from ui.vault.passwords_tab import PasswordsTab
from ui.vault.session import VaultSession
from ui.vault.unlock_dialog import CreateVaultDialog, UnlockDialog

MASTER = "correct horse battery staple"
CANARY = "CANARY-GUI-5b1e7d2a-4c9f-4e0b-a3d6-9f8e7c6b5a41"
SHORT_CLEAR_MS = 300


class ScriptedVaultDialogs(ScriptedDialogs):
    """Answers the Passwords tab's file and password questions from queues."""

    def __init__(self, answer: bool | None = None) -> None:
        super().__init__(answer)
        self.passwords: list[str | None] = []

    def open_file(self, title: str, start: Path, filters: str) -> Path | None:
        self.asked.append((title, str(start)))
        return self.paths.pop(0)

    def save_file(self, title: str, suggested: Path, filters: str) -> Path | None:
        self.asked.append((title, str(suggested)))
        return self.paths.pop(0)

    def ask_password(self, title: str, label: str, *, confirm: bool = False,
                     min_length: int = 1) -> str | None:
        self.asked.append((title, label))
        return self.passwords.pop(0)


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with tiny parameters (tests only; app/vault/crypto.py)."""
    monkeypatch.setenv("PREFLIGHT_VAULT_INSECURE_TEST_KDF", "1")


@pytest.fixture
def site(sample_workspace: Workspace) -> SiteView:
    return next(s for s in sample_workspace.sites.all() if s.name == "Main Office")


@pytest.fixture
def session(window: MainWindow) -> VaultSession:
    session: VaultSession = window.vault_session  # type: ignore[attr-defined]
    session.timer.setInterval(20)
    session.clipboard.clear_after_ms = SHORT_CLEAR_MS
    return session


@pytest.fixture
def tab(qtbot: Any, window: MainWindow, site: SiteView, session: VaultSession
        ) -> Iterator[PasswordsTab]:
    page: Any = window.page("companies")
    assert page.select(site.id)
    widget = page.site_tabs.show_tab("Passwords")
    assert isinstance(widget, PasswordsTab)
    widget.dialogs = ScriptedVaultDialogs()
    qtbot.waitUntil(lambda: widget.site is not None and session.state != "loading")
    wait_idle(qtbot)
    yield widget
    wait_idle(qtbot)


def click_accept(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)


def create_vault(qtbot: Any, tab: PasswordsTab, password: str = MASTER) -> None:
    """First use through the tab's banner: Create Vault… → password twice → unlocked."""
    assert tab.session.state == "none"
    qtbot.mouseClick(tab.unlock_button, Qt.MouseButton.LeftButton)
    dialog = tab.vault_dialog
    assert isinstance(dialog, CreateVaultDialog)
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClicks(dialog.again, password)
    click_accept(qtbot, dialog)
    qtbot.waitUntil(lambda: tab.session.state == "unlocked")
    wait_idle(qtbot)


def unlock(qtbot: Any, dialog: QDialog, password: str) -> None:
    assert isinstance(dialog, UnlockDialog)
    qtbot.keyClicks(dialog.password, password)
    click_accept(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.busy)


def add_item(qtbot: Any, tab: PasswordsTab, *, kind: str | None = None, title: str,
             username: str = "", password: str = "", url: str = "", notes: str = "",
             properties: tuple[tuple[str, str, bool], ...] = ()) -> None:
    """Add an item through the form, as a user types it."""
    if kind is not None:
        tab.kinds.setCurrentIndex(list(tab.models).index(kind))
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.item_dialog
    assert isinstance(dialog, ItemDialog)
    qtbot.keyClicks(dialog.title, title)
    if username:
        qtbot.keyClicks(dialog.username, username)
    if password:
        qtbot.keyClicks(dialog.password, password)
    if url:
        qtbot.keyClicks(dialog.url, url)
    if notes:
        dialog.notes.setPlainText(notes)
    for name, value, secret in properties:
        row = dialog.properties.add_row(None)
        qtbot.keyClicks(row.name, name)
        row.secret.setChecked(secret)
        qtbot.keyClicks(row.value, value)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
