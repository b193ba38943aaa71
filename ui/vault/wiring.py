"""Wires the vault into the main window: the status-bar control over the workspace's vault
session, the idle timeout preference, activity watching. Light to import (Qt only): the vault's
crypto loads off the GUI thread when the session first asks for the service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ui.vault.session import LOCKED, NONE, UNLOCKED, VaultSession
from ui.vault.status_control import VaultStatusControl

if TYPE_CHECKING:
    from ui.main_window import MainWindow

LOCK_SHORTCUT = "Ctrl+L"


class VaultMenu(QObject):
    """Vault → Lock (Ctrl+L), Unlock…, Change Master Password…, for the workspace shown."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.control: VaultStatusControl | None = None
        bar = window.menuBar()
        self.menu = QMenu("&Vault", bar)
        self.menu.setObjectName("vaultMenu")
        self.lock = QAction("&Lock", window)
        self.lock.setObjectName("lockVault")
        self.lock.setShortcut(QKeySequence(LOCK_SHORTCUT))
        self.lock.setStatusTip("Lock the password vault now")
        self.lock.triggered.connect(lambda _c=False: self._lock())
        self.unlock = QAction("&Unlock…", window)
        self.unlock.setObjectName("unlockVault")
        self.unlock.triggered.connect(lambda _c=False: self._unlock())
        self.change = QAction("&Change Master Password…", window)
        self.change.setObjectName("changeMasterPasswordAction")
        self.change.triggered.connect(lambda _c=False: self._change())
        for action in (self.lock, self.unlock, self.change):
            self.menu.addAction(action)
            window.addAction(action)  # the shortcut works wherever the focus is
        help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
        if help_menu is not None:
            bar.insertMenu(help_menu, self.menu)
        else:
            bar.addMenu(self.menu)
        self.show_state("")

    def attach(self, control: VaultStatusControl) -> None:
        if self.control is not None:
            self.control.session.state_changed.disconnect(self.show_state)
        self.control = control
        control.session.state_changed.connect(self.show_state)
        self.show_state(control.session.state)

    def show_state(self, state: str) -> None:
        self.lock.setEnabled(state == UNLOCKED)
        self.unlock.setEnabled(state in (LOCKED, NONE))
        self.unlock.setText("&Create Vault…" if state == NONE else "&Unlock…")
        self.change.setEnabled(state == UNLOCKED)

    def _lock(self) -> None:
        if self.control is not None and self.control.session.state == UNLOCKED:
            self.control.session.lock()
            self.control.say("The password vault is locked.")

    def _unlock(self) -> None:
        if self.control is not None and self.control.session.state in (LOCKED, NONE):
            self.control.activate()

    def _change(self) -> None:
        if self.control is not None:
            self.control.change_password()


def install_vault(window: MainWindow, session: VaultSession) -> VaultSession:
    """Put the workspace's vault `session` behind the status bar's vault control (replacing
    the previous workspace's), and return it."""
    previous = window.vault_session
    if previous is not None and previous is not session:
        previous.close()
    session.settings = window.settings.qsettings
    control = VaultStatusControl(session, window.status)
    window.status.attach_vault(control)
    menu = window.vault_menu
    if menu is None:
        menu = VaultMenu(window)
        window.vault_menu = menu
    menu.attach(control)
    session.watch_activity()
    session.load()
    return session


__all__ = ["LOCK_SHORTCUT", "VaultMenu", "install_vault"]
