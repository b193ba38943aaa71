"""Vault → Lock (Ctrl+L) and Unlock…, the focus in the vault dialogs, and notices that go away
(the "Copied …" notice when the clipboard is cleared)."""

# ruff: noqa: F811  (the shared fixtures are imported, then named as parameters)
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services.workspace import Workspace
from tests.ui.conftest import wait_idle
from tests.ui.test_vault_support import (  # noqa: F401 (fixtures)
    MASTER,
    cheap_kdf,
    create_vault,
    session,
    site,
    tab,
)
from ui.main_window import MainWindow
from ui.vault.passwords_tab import PasswordsTab
from ui.vault.session import VaultSession
from ui.vault.unlock_dialog import CreateVaultDialog, UnlockDialog
from ui.vault.wiring import LOCK_SHORTCUT
from ui.widgets.policy_common import NoticeBar


def vault_menu(window: MainWindow) -> Any:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == "Vault":
            return action.menu()
    raise AssertionError("no Vault menu")


def items(window: MainWindow) -> dict[str, Any]:
    return {a.text().replace("&", "").rstrip("…"): a for a in vault_menu(window).actions()}


def test_vault_menu_locks_with_ctrl_l_and_unlocks(qtbot: Any, window: MainWindow,
                                                  tab: PasswordsTab,
                                                  session: VaultSession) -> None:
    assert not items(window)["Lock"].isEnabled()  # no vault yet
    assert items(window)["Create Vault"].isEnabled()
    create_vault(qtbot, tab)
    menu = items(window)
    assert menu["Lock"].isEnabled()
    assert menu["Lock"].shortcut().toString() == LOCK_SHORTCUT == "Ctrl+L"
    assert not menu["Unlock"].isEnabled()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: session.state == "locked")
    assert window.statusBar().currentMessage() == "The password vault is locked."
    assert items(window)["Unlock"].isEnabled()
    assert not items(window)["Lock"].isEnabled()
    items(window)["Unlock"].trigger()
    qtbot.waitUntil(lambda: window.status.vault.dialog is not None)  # type: ignore[attr-defined]
    dialog = window.status.vault.dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, UnlockDialog)
    dialog.reject()
    wait_idle(qtbot)


def test_the_unlock_dialog_takes_typing_at_once_and_enter_unlocks(
        qtbot: Any, window: MainWindow, sample_workspace: Workspace,
        session: VaultSession) -> None:
    sample_workspace.vault.session.init(MASTER)
    sample_workspace.vault.session.lock()
    qtbot.waitUntil(lambda: session.state == "locked")
    dialog = UnlockDialog(session, window)
    dialog.open()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.password)
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClicks(focused, MASTER)  # typed where the focus is, no click first
    qtbot.keyClick(focused, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.state == "unlocked")
    assert dialog.message.text() != "Type the master password."
    wait_idle(qtbot)


def test_the_create_dialog_focuses_the_first_password(qtbot: Any, window: MainWindow,
                                                      session: VaultSession) -> None:
    qtbot.waitUntil(lambda: session.state == "none")
    dialog = CreateVaultDialog(session, window)
    dialog.open()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.password)
    dialog.reject()


def test_the_copied_notice_goes_when_the_clipboard_is_cleared(
        qtbot: Any, tab: PasswordsTab, session: VaultSession) -> None:
    create_vault(qtbot, tab)
    tab.copy_secret("s3cret-pass")  # what Copy Password does once the secret is revealed
    qtbot.waitUntil(lambda: tab.notice.text().startswith("Copied."))
    assert 0 < tab.notice.expires_in() <= session.clipboard.clear_after_ms + 50  # timer slack
    qtbot.waitUntil(lambda: tab.notice.text() == "", timeout=5_000)
    assert not tab.notice.isVisible()


def test_success_notices_expire_and_errors_stay(qtbot: Any) -> None:
    bar = NoticeBar()
    qtbot.addWidget(bar)
    bar.show_message("Saved.", "success", expire_ms=50)
    assert bar.text() == "Saved."
    qtbot.waitUntil(lambda: bar.text() == "", timeout=2_000)
    bar.show_message("Not saved: the name is taken.", "error")
    assert bar.expires_in() == -1
    bar.show_message("Saved.", "success")
    assert bar.expires_in() > 10_000  # read at leisure, then gone
    bar.show_message("Careful.", "warning")  # a new notice replaces the timer
    assert bar.expires_in() == -1
    qtbot.wait(100)
    assert bar.text() == "Careful."
