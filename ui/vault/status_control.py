"""The vault's lock/unlock control in the status bar: shows the state; a click unlocks (or
creates the vault on first use), or locks it now when it is open."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QStyle, QToolButton, QWidget

from ui.vault.change_password import open_change_password
from ui.vault.session import LOCKED, NONE, UNAVAILABLE, UNLOCKED, VaultSession
from ui.vault.unlock_dialog import request_unlock
from ui.widgets.policy_common import as_sentence

TEXTS = {
    NONE: ("Vault: not set up", "This workspace has no password vault yet. Click to create "
                                "one."),
    LOCKED: ("Vault: locked", "The password vault is locked. Click to unlock it."),
    UNLOCKED: ("Vault: unlocked", "The password vault is open. Click to lock it now."),
}
REASONS = {"idle": "after idle time", "closed": "the workspace was closed"}


class VaultStatusControl(QToolButton):
    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vaultStatus")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.session = session
        self.dialog: QDialog | None = None
        self.last_message = ""
        self.clicked.connect(lambda _checked=False: self.activate())
        # Right-click (or the context-menu key): the less frequent vault actions.
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu_at)
        session.state_changed.connect(self.show_state)
        self.show_state(session.state)

    def show_state(self, state: str) -> None:
        text, tip = TEXTS.get(state, ("Vault: …", "Finding the vault of this workspace…"))
        if state == UNAVAILABLE:
            text, tip = "Vault: unavailable", as_sentence(self.session.problem or "")
        if state == LOCKED and self.session.locked_reason in REASONS:
            tip = (f"The password vault was locked ({REASONS[self.session.locked_reason]}). "
                   "Click to unlock it.")
        self.setText(text)
        self.setToolTip(tip)
        self.setAccessibleName(text)
        self.setEnabled(state in TEXTS)
        icon = (QStyle.StandardPixmap.SP_DialogOpenButton if state == UNLOCKED
                else QStyle.StandardPixmap.SP_DialogNoButton if state == LOCKED
                else QStyle.StandardPixmap.SP_FileDialogNewFolder)
        self.setIcon(self.style().standardIcon(icon))

    def activate(self) -> QDialog | None:
        """Lock when open; otherwise open the unlock (or create) dialog and return it."""
        if self.session.state == UNLOCKED:
            self.session.lock()
            return None
        if self.session.state not in (LOCKED, NONE):
            return None
        return request_unlock(self.session, self.window(), self._shown)

    def menu(self) -> QMenu:
        """Lock/Unlock and Change Master Password…, each enabled when it applies."""
        menu = QMenu(self)
        unlocked = self.session.state == UNLOCKED
        toggle = menu.addAction("Lock Now" if unlocked else "Unlock…")
        toggle.setEnabled(self.session.state in (UNLOCKED, LOCKED))
        toggle.triggered.connect(lambda _c=False: self.activate())
        change = menu.addAction("Change Master Password…")
        change.setObjectName("changeMasterPassword")
        change.setEnabled(unlocked)
        change.setToolTip("Unlock the vault first" if not unlocked else "")
        change.triggered.connect(lambda _c=False: self.change_password())
        forget = menu.addAction("Forget This Device")
        forget.setObjectName("forgetDevice")
        forget.setToolTip("Remove the vault key this computer's keychain remembers; the master "
                          "password is asked again at the next unlock")
        forget.setEnabled(self.session.state in (UNLOCKED, LOCKED))
        forget.triggered.connect(lambda _c=False: self.forget_device())
        return menu

    def forget_device(self) -> None:
        """Drop the remembered key (off the GUI thread: keychains can be slow) and say so."""
        def done(forgotten: object) -> None:
            self.say("This device no longer remembers the vault key; the next unlock asks for "
                     "the master password." if forgotten else
                     "This device did not remember the vault key; nothing to forget.")

        def failed(exc: BaseException) -> None:
            self.say(as_sentence(f"Could not forget the vault key: {exc}"))

        self.session.call(lambda vault: vault.session.forget_device(), done, failed, owner=self)

    def say(self, text: str) -> None:
        """A line in the window's status bar (and the tooltip, for a control on its own)."""
        self.last_message = text
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 8000)

    def _menu_at(self, pos: QPoint) -> None:
        menu = self.menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.mapToGlobal(pos))

    def change_password(self) -> QDialog | None:
        if self.session.state != UNLOCKED:
            return None
        dialog = open_change_password(self.session, self.window())
        self._shown(dialog)
        return dialog

    def _shown(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: self._forget(d))

    def _forget(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None


__all__ = ["VaultStatusControl"]
