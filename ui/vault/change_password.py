"""Change the master password of an unlocked vault. Only the vault key is re-wrapped (one
Argon2id run, off the GUI thread); no item is re-encrypted, a key remembered on this device
stays valid."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from ui.vault.session import UNLOCKED, VaultSession
from ui.vault.unlock_dialog import MIN_MASTER, CreateVaultDialog

CHANGE_RULES = ("Choose the new master password: at least 10 characters, hard to guess. "
                "It replaces the current one at once on this workspace and cannot be "
                "recovered.")


class ChangePasswordDialog(CreateVaultDialog):
    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("changeMasterPasswordDialog")
        self.setWindowTitle("Change Master Password")
        self.findChild(QLabel, "createVaultRules").setText(CHANGE_RULES)  # type: ignore[union-attr]
        self.ok.setText("Change Password")

    def submit(self) -> None:
        password = self.password.text()
        if len(password) < MIN_MASTER:
            self.show_message(f"The master password needs at least {MIN_MASTER} characters.")
            return
        if password != self.again.text():
            self.show_message("The two passwords differ.")
            return
        if self.session.state != UNLOCKED:
            self.show_message("The vault is locked: unlock it, then change the password.")
            return
        self.password.clear()
        self.again.clear()
        self._working(True, "Changing the master password…")

        def changed(_none: object) -> None:
            self._working(False)
            self.accept()

        self.session.call(lambda vault: vault.change_password(None, password), changed,
                          self._failed, owner=self)


def open_change_password(session: VaultSession, parent: QWidget | None) -> QDialog:
    dialog = ChangePasswordDialog(session, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


__all__ = ["ChangePasswordDialog", "open_change_password"]
