"""Unlock the vault (master password, "Remember on this device") or create it (first use).

Window-modal sheets opened with `open()`: the Argon2id work runs off the GUI thread while the
dialog says "Unlocking…". A wrong password shows the service's message in the dialog, which
stays open with nothing changed; the password fields are cleared after every attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.vault.session import UnlockResult
from ui import theme
from ui.ops import present_to, refusal_text
from ui.vault.session import VaultSession
from ui.widgets.cells import MessageLine
from ui.widgets.policy_common import as_sentence

MIN_MASTER = 10  # the service's rule (app.services.vault.MIN_MASTER_PASSWORD); it checks again
CREATE_RULES = ("Choose a master password of at least 10 characters that is hard to guess — "
                "a few unrelated words work well. It encrypts every password of this "
                "workspace and cannot be recovered: without it the vault stays locked.")


def _password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(280)
    return field


class _VaultDialog(QDialog):
    def __init__(self, session: VaultSession, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.message = MessageLine(self, 2)
        self.message.setObjectName("vaultDialogMessage")
        theme.set_style(self.message, "color: $error;")
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self.reject)
        self.busy = False

    def _finish_layout(self, accept_text: str) -> None:
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.message)
        self.ok = self.buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("vaultDialogAccept")
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.layout_.addWidget(self.buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # typing goes into the first password field at once (Enter then submits it)
        first = next((e for e in self.findChildren(QLineEdit) if e.isEnabled()), None)
        if first is not None:
            self.activateWindow()
            first.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _working(self, on: bool, text: str = "") -> None:
        self.busy = on
        for widget in self.findChildren(QLineEdit):
            widget.setEnabled(not on)
        self.ok.setEnabled(not on)
        if on:
            theme.set_style(self.message, "")
            self.show_message(text)
        else:
            theme.set_style(self.message, "color: $error;")

    def _failed(self, exc: BaseException) -> None:
        self._working(False)
        present_to(exc, self.show_message, text=refusal_text,
                   on_bug=lambda: self.show_message(""))

    def submit(self) -> None:
        raise NotImplementedError

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def done(self, result: int) -> None:
        for widget in self.findChildren(QLineEdit):
            widget.clear()
        super().done(result)


class UnlockDialog(_VaultDialog):
    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(session, "Unlock Vault", parent)
        self.setObjectName("unlockVaultDialog")
        intro = QLabel("Enter the master password of this workspace's password vault.", self)
        intro.setWordWrap(True)
        self.layout_.addWidget(intro)
        self.password = _password_field(self, "masterPassword")
        self.form.addRow("Master password:", self.password)
        self.remember = QCheckBox("Remember on this device", self)
        self.remember.setObjectName("rememberOnDevice")
        self._show_keychain()
        if not session.keychain_checked:  # asked now, off the GUI thread
            session.keychain_known.connect(self._show_keychain)
            session.check_keychain()
        self.form.addRow("", self.remember)
        self.result_note: str | None = None  # e.g. why the key was not remembered
        self._finish_layout("Unlock")

    def _show_keychain(self) -> None:
        """"Remember on this device" is offered only where a secure keyring exists."""
        session = self.session
        if not session.keychain_checked:
            self.remember.setEnabled(False)
            self.remember.setToolTip("Looking for this computer's keychain…")
        elif session.keychain_message:
            self.remember.setEnabled(False)
            self.remember.setToolTip(as_sentence(session.keychain_message))
        else:
            self.remember.setEnabled(True)
            self.remember.setToolTip("Keep the vault key in this computer's keychain, so the "
                                     "vault opens without the master password here.")

    def submit(self) -> None:
        password = self.password.text()
        if not password:
            self.show_message("Type the master password.")
            return
        remember = self.remember.isEnabled() and self.remember.isChecked()
        self.password.clear()
        self._working(True, "Unlocking…")

        def unlocked(result: UnlockResult) -> None:
            self._working(False)
            self.result_note = result.keyring_message
            self.accept()

        self.session.call(lambda vault: vault.session.unlock(password, remember=remember), unlocked,
                          self._failed, owner=self)


class CreateVaultDialog(_VaultDialog):
    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(session, "Create Vault", parent)
        self.setObjectName("createVaultDialog")
        self.rules = QLabel(CREATE_RULES, self)
        self.rules.setObjectName("createVaultRules")
        self.rules.setWordWrap(True)
        self.layout_.addWidget(self.rules)
        self.password = _password_field(self, "newMasterPassword")
        self.again = _password_field(self, "confirmMasterPassword")
        self.form.addRow("Master password:", self.password)
        self.form.addRow("Confirm:", self.again)
        self.strength = QLabel(self)
        self.strength.setObjectName("masterStrength")
        self.form.addRow("Strength:", self.strength)
        self.password.textChanged.connect(self._update_strength)
        self._finish_layout("Create Vault")
        self._update_strength()

    def _update_strength(self, *_args: object) -> None:
        from app.vault.passwords import estimate_strength  # what the service checks with

        text = self.password.text()
        strength = estimate_strength(text)
        self.strength.setText(f"{strength.label} ({strength.bits:.0f} bits)" if text else "—")

    def new_password(self) -> str | None:
        """The typed password when it is long enough and confirmed (fields cleared), else
        None with the reason shown."""
        password = self.password.text()
        if len(password) < MIN_MASTER:
            self.show_message(f"The master password needs at least {MIN_MASTER} characters.")
            return None
        if password != self.again.text():
            self.show_message("The two passwords differ.")
            return None
        self.password.clear()
        self.again.clear()
        return password

    def run(self, busy_text: str, action: Callable[[Any], object]) -> None:
        """Run `action(vault)` off the GUI thread; close the dialog when it succeeds."""
        self._working(True, busy_text)

        def done(_none: object) -> None:
            self._working(False)
            self.accept()

        self.session.call(action, done, self._failed, owner=self)

    def submit(self) -> None:
        password = self.new_password()
        if password is not None:
            self.run("Creating the vault…", lambda vault: vault.session.init(password))


def open_vault_dialog(session: VaultSession, parent: QWidget | None) -> QDialog:
    """The dialog the current state calls for (create or unlock), opened window-modal."""
    dialog: QDialog = (CreateVaultDialog(session, parent) if session.state == "none"
                       else UnlockDialog(session, parent))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def request_unlock(session: VaultSession, parent: QWidget | None,
                   shown: Callable[[QDialog], None] | None = None) -> QDialog | None:
    """Unlock: with the key remembered on this device when there is one, else through the
    dialog (returned at once when no secure keychain exists, else given to `shown`). The
    first time, whether a keychain exists is asked first (off the GUI thread)."""
    if session.state != "none" and not session.keychain_checked:
        session.keychain_known.connect(lambda: request_unlock(session, parent, shown),
                                       Qt.ConnectionType.SingleShotConnection)
        session.check_keychain()
        return None
    if session.state == "none" or session.keychain_message is not None:
        dialog = open_vault_dialog(session, parent)
        if shown is not None:
            shown(dialog)
        return dialog

    def tried(opened: bool) -> None:
        if not opened and session.state == "locked":
            dialog = open_vault_dialog(session, parent)
            if shown is not None:
                shown(dialog)

    session.unlock_remembered(tried)
    return None


__all__ = ["CreateVaultDialog", "UnlockDialog", "open_vault_dialog", "request_unlock"]
