"""Change the master password of an unlocked vault. Only the vault key is re-wrapped (one
Argon2id run, off the GUI thread); no item is re-encrypted, a key remembered on this device
stays valid."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from ui.vault.session import UNLOCKED, VaultSession
from ui.vault.unlock_dialog import CreateVaultDialog

CHANGE_RULES = ("Choose the new master password: at least 10 characters, hard to guess. "
                "It replaces the current one at once on this workspace and cannot be "
                "recovered.")


class ChangePasswordDialog(CreateVaultDialog):
    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("changeMasterPasswordDialog")
        self.setWindowTitle("Change Master Password")
        self.rules.setText(CHANGE_RULES)
        self.ok.setText("Change Password")

    def submit(self) -> None:
        if self.session.state != UNLOCKED:
            self.show_message("The vault is locked: unlock it, then change the password.")
            return
        password = self.new_password()
        if password is not None:
            self.run("Changing the master password…",
                     lambda vault: vault.session.change_password(None, password))


def open_change_password(session: VaultSession, parent: QWidget | None) -> QDialog:
    dialog = ChangePasswordDialog(session, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


__all__ = ["ChangePasswordDialog", "open_change_password"]
