"""The status-bar vault control: first use creates the vault, a click locks it, the unlock
dialog (wrong password: the message, nothing changed), "Remember on this device" without a
secure keyring, the idle lock and its preference, locking when the workspace closes."""

# ruff: noqa: F811  (the shared fixtures are imported, then named as parameters)
from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel

from app.services.workspace import Workspace
from tests.ui.conftest import wait_idle
from tests.ui.test_vault_support import (  # noqa: F401 (fixtures)
    MASTER,
    cheap_kdf,
    click_accept,
    create_vault,
    session,
    site,
    tab,
    unlock,
)
from ui.main_window import MainWindow
from ui.preferences import PreferencesDialog
from ui.vault.passwords_tab import PasswordsTab
from ui.vault.prefs import idle_minutes
from ui.vault.session import VaultSession
from ui.vault.status_control import VaultStatusControl
from ui.vault.unlock_dialog import CreateVaultDialog, UnlockDialog
from ui.widgets.policy_common import as_sentence


def control_of(window: MainWindow) -> VaultStatusControl:
    control = window.status.vault
    assert isinstance(control, VaultStatusControl)
    return control


def test_first_use_creates_the_vault_from_the_status_bar(
        qtbot: Any, window: MainWindow, session: VaultSession) -> None:
    control = control_of(window)
    assert control.text() == "Vault: not set up"
    qtbot.mouseClick(control, Qt.MouseButton.LeftButton)
    dialog = control.dialog
    assert isinstance(dialog, CreateVaultDialog)
    rules = dialog.findChild(QLabel, "createVaultRules")
    assert rules is not None
    assert "at least 10 characters" in rules.text()
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.again, "short")
    click_accept(qtbot, dialog)
    assert "at least 10" in dialog.message.text()
    assert session.state == "none"
    dialog.password.clear()
    dialog.again.clear()
    qtbot.keyClicks(dialog.password, MASTER)
    qtbot.keyClicks(dialog.again, MASTER + "x")
    click_accept(qtbot, dialog)
    assert "differ" in dialog.message.text()
    dialog.again.clear()
    qtbot.keyClicks(dialog.again, MASTER)
    click_accept(qtbot, dialog)
    qtbot.waitUntil(lambda: session.state == "unlocked")
    assert control.text() == "Vault: unlocked"
    wait_idle(qtbot)


def test_the_service_rules_are_shown_for_a_weak_master_password(
        qtbot: Any, window: MainWindow, session: VaultSession) -> None:
    control = control_of(window)
    qtbot.mouseClick(control, Qt.MouseButton.LeftButton)
    dialog = control.dialog
    assert isinstance(dialog, CreateVaultDialog)
    qtbot.keyClicks(dialog.password, "aaaaaaaaaaaa")
    qtbot.keyClicks(dialog.again, "aaaaaaaaaaaa")
    click_accept(qtbot, dialog)
    qtbot.waitUntil(lambda: "too easy to guess" in dialog.message.text())
    assert session.state == "none"
    assert dialog.isVisible()
    dialog.reject()


def test_lock_and_unlock_through_the_status_bar(
        qtbot: Any, window: MainWindow, tab: PasswordsTab, session: VaultSession,
        sample_workspace: Workspace) -> None:
    create_vault(qtbot, tab)
    control = control_of(window)
    qtbot.mouseClick(control, Qt.MouseButton.LeftButton)  # open: a click locks it now
    assert session.state == "locked"
    assert control.text() == "Vault: locked"
    assert not sample_workspace.vault.session.is_unlocked
    assert tab.banner.isVisible()
    assert tab.unlock_button.text() == "Unlock…"

    qtbot.mouseClick(control, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: control.dialog is not None)  # once the keychain was looked for
    dialog = control.dialog
    assert isinstance(dialog, UnlockDialog)
    unlock(qtbot, dialog, "not the master password")
    assert "wrong master password" in dialog.message.text().lower()
    assert "nothing was changed" in dialog.message.text()
    assert dialog.isVisible()
    assert dialog.password.text() == ""
    assert session.state == "locked"
    assert not sample_workspace.vault.session.is_unlocked

    unlock(qtbot, dialog, MASTER)
    qtbot.waitUntil(lambda: session.state == "unlocked")
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))  # closed and deleted
    assert control.text() == "Vault: unlocked"
    assert not tab.banner.isVisible()
    assert tab.add_button.isEnabled()


def test_remember_is_disabled_without_a_secure_keyring(
        qtbot: Any, window: MainWindow, tab: PasswordsTab, session: VaultSession) -> None:
    create_vault(qtbot, tab)
    session.lock()
    # what check_keychain finds without a trusted keyring
    session.keychain_message = "no secure keyring on this machine (found fail.Keyring)"
    session.keychain_checked = True
    dialog = tab.open_unlock()
    assert isinstance(dialog, UnlockDialog)
    assert not dialog.remember.isEnabled()
    assert "No secure keyring" in dialog.remember.toolTip()
    dialog.reject()


def test_idle_lock_with_a_short_timeout(qtbot: Any, tab: PasswordsTab,
                                        session: VaultSession) -> None:
    create_vault(qtbot, tab)
    session.set_idle_timeout(0.3)
    with qtbot.waitSignal(session.state_changed, timeout=5_000) as blocker:
        pass
    assert blocker.args == ["locked"]
    assert session.locked_reason == "idle"
    assert "after idle time" in tab.window().status.vault.toolTip()  # type: ignore[attr-defined]


def test_activity_restarts_the_idle_clock(qtbot: Any, tab: PasswordsTab,
                                          session: VaultSession) -> None:
    create_vault(qtbot, tab)
    vault = session.service()
    vault.session.idle._last = vault.session.idle.clock() - 100  # idle for 100 s already
    assert session.activity is not None
    session.activity._last = 0.0  # the throttle lets the next event through
    QApplication.sendEvent(tab.search, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A,
                                                 Qt.KeyboardModifier.NoModifier, "a"))
    assert vault.session.idle.idle_for() < 50


def test_the_idle_timeout_preference_is_kept_and_applied(
        qtbot: Any, window: MainWindow, tab: PasswordsTab, session: VaultSession) -> None:
    create_vault(qtbot, tab)
    dialog = window.show_preferences()
    assert isinstance(dialog, PreferencesDialog)
    spin = dialog.findChild(type(dialog.vault_idle), "vaultIdleMinutes")
    assert spin is not None
    assert spin.value() == 5
    spin.setValue(12)
    dialog.accept()
    assert idle_minutes(window.settings.qsettings) == 12
    qtbot.waitUntil(lambda: session.service().session.idle.timeout == 12 * 60)


def test_closing_the_workspace_locks_the_vault(qtbot: Any, tmp_path: Any) -> None:
    other = Workspace.open(tmp_path / "other.preflight", create=True)
    own = VaultSession(lambda: other.vault, tick_ms=20)
    own.load()
    qtbot.waitUntil(lambda: own.state == "none")
    with qtbot.waitSignal(own.state_changed, timeout=5_000):
        own.call(lambda vault: vault.session.init(MASTER), lambda _r: None)
    assert own.state == "unlocked"
    other.close()
    assert own.state == "locked"
    assert own.locked_reason == "closed"
    own.close()


class MemoryKeyring:
    """Stands in for a trusted OS keyring (allow-listed by its class name below)."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, user: str, value: str) -> None:
        self.store[(service, user)] = value

    def get_password(self, service: str, user: str) -> str | None:
        return self.store.get((service, user))

    def delete_password(self, service: str, user: str) -> None:
        del self.store[(service, user)]


def test_remember_on_this_device_then_unlock_without_the_password(
        qtbot: Any, window: MainWindow, tab: PasswordsTab, session: VaultSession,
        sample_workspace: Workspace) -> None:
    from app.vault.keychain import Keychain, backend_name

    backend = MemoryKeyring()
    sample_workspace.vault.session.keychain = Keychain(
        backend, extra_trusted={backend_name(backend)})
    create_vault(qtbot, tab)
    session.keychain_message = None  # what load() finds with a trusted keyring
    session.lock()
    control = control_of(window)
    assert control.activate() is None  # nothing remembered yet: the dialog comes next
    qtbot.waitUntil(lambda: control.dialog is not None)
    dialog = control.dialog
    assert isinstance(dialog, UnlockDialog)
    assert dialog.remember.isEnabled()
    dialog.remember.setChecked(True)
    unlock(qtbot, dialog, MASTER)
    qtbot.waitUntil(lambda: session.state == "unlocked")
    assert len(backend.store) == 1
    assert MASTER not in next(iter(backend.store.values()))  # the key, not the password

    qtbot.mouseClick(control, Qt.MouseButton.LeftButton)  # lock
    assert session.state == "locked"
    qtbot.mouseClick(control, Qt.MouseButton.LeftButton)  # the remembered key opens it
    qtbot.waitUntil(lambda: session.state == "unlocked")
    assert control.dialog is None


def test_switching_workspaces_locks_the_old_vault_and_swaps_the_control(  # noqa: PLR0917
        qtbot: Any, window: MainWindow, tab: PasswordsTab, session: VaultSession,
        sample_workspace: Workspace, tmp_path: Any) -> None:
    create_vault(qtbot, tab)
    old_control = control_of(window)
    window.switch_workspace(tmp_path / "second.preflight", create=True)
    qtbot.waitUntil(lambda: window.workspace is not sample_workspace)
    wait_idle(qtbot)
    assert sample_workspace.vault.session.locked_reason == "closed"  # closed, so its vault locked
    assert session.activity is None  # it no longer watches the user
    new = window.vault_session  # type: ignore[attr-defined]
    assert new is not session
    qtbot.waitUntil(lambda: new.state == "none")
    control = control_of(window)
    assert control is not old_control
    assert control.text() == "Vault: not set up"
    assert window.workspace is not None
    window.workspace.close()


def test_a_vault_that_cannot_be_used_says_why(qtbot: Any) -> None:
    from app.vault.errors import VaultError

    def broken() -> Any:
        raise VaultError("this workspace has no id; open it once with this version")

    own = VaultSession(broken)
    control = VaultStatusControl(own)
    qtbot.addWidget(control)
    own.load()
    qtbot.waitUntil(lambda: own.state == "unavailable")
    assert control.text() == "Vault: unavailable"
    assert "no id" in control.toolTip()
    assert not control.isEnabled()


def test_change_master_password_from_the_status_bar_menu(
        qtbot: Any, window: MainWindow, tab: PasswordsTab, session: VaultSession,
        sample_workspace: Workspace) -> None:
    from ui.vault.change_password import ChangePasswordDialog

    create_vault(qtbot, tab)
    item = sample_workspace.vault.items.add(site_name(sample_workspace), "server", "DC01",
                                      password="canary-change-pw-1")
    control = control_of(window)
    menu = control.menu()
    change = next(a for a in menu.actions() if a.objectName() == "changeMasterPassword")
    assert change.isEnabled()
    change.trigger()
    dialog = control.dialog
    assert isinstance(dialog, ChangePasswordDialog)
    qtbot.keyClicks(dialog.password, "a whole new master password 7")
    qtbot.keyClicks(dialog.again, "a whole new master password 8")
    click_accept(qtbot, dialog)
    assert "differ" in dialog.message.text()
    dialog.again.clear()
    qtbot.keyClicks(dialog.again, "a whole new master password 7")
    click_accept(qtbot, dialog)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    wait_idle(qtbot)
    vault = sample_workspace.vault
    vault.session.lock()
    assert not control.menu().actions()[1].isEnabled()  # locked: nothing to change
    vault.session.unlock("a whole new master password 7")
    assert vault.items.reveal(item.id) == "canary-change-pw-1"


def site_name(ws: Workspace) -> str:
    return ws.sites.all()[0].id


def test_forget_this_device_from_the_status_bar_menu(
        qtbot: Any, window: MainWindow, tab: PasswordsTab, session: VaultSession,
        sample_workspace: Workspace) -> None:
    from app.vault.keychain import Keychain, backend_name

    backend = MemoryKeyring()
    sample_workspace.vault.session.keychain = Keychain(
        backend, extra_trusted={backend_name(backend)})
    control = control_of(window)
    forget = next(a for a in control.menu().actions() if a.objectName() == "forgetDevice")
    assert not forget.isEnabled()  # no vault yet: nothing to forget
    create_vault(qtbot, tab)
    sample_workspace.vault.session.remember_on_device()
    assert len(backend.store) == 1

    forget = next(a for a in control.menu().actions() if a.objectName() == "forgetDevice")
    assert forget.isEnabled()
    forget.trigger()
    qtbot.waitUntil(lambda: control.last_message != "")
    assert backend.store == {}
    assert "no longer remembers" in control.last_message
    assert "no longer remembers" in window.statusBar().currentMessage()

    control.last_message = ""
    forget.trigger()  # again: nothing left to forget, and it says so
    qtbot.waitUntil(lambda: control.last_message != "")
    assert "nothing to forget" in control.last_message
    session.lock()
    qtbot.mouseClick(control, Qt.MouseButton.LeftButton)  # the key is gone: the dialog asks
    qtbot.waitUntil(lambda: control.dialog is not None)
    assert isinstance(control.dialog, UnlockDialog)


def test_the_keychain_is_looked_for_when_unlocking_not_at_start(
        qtbot: Any, window: MainWindow, tab: PasswordsTab, session: VaultSession) -> None:
    assert window.status.vault.text() == "Vault: not set up"  # the state is known at start
    assert not session.keychain_checked  # the keyring is not loaded for it
    create_vault(qtbot, tab)
    session.lock()
    control = control_of(window)
    assert control.activate() is None  # the keychain is looked for first
    qtbot.waitUntil(lambda: control.dialog is not None)
    assert session.keychain_checked
    dialog = control.dialog
    assert isinstance(dialog, UnlockDialog)
    # offered as this machine's keyring allows (tests/conftest.py), and said why not
    message = session.keychain_message
    assert dialog.remember.isEnabled() is (message is None)
    if message is not None:
        assert dialog.remember.toolTip() == as_sentence(message)
    dialog.reject()
