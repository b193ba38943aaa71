"""The "API Keys (stored in the vault)" box of the policy editor, for PSA Integration policies
(seed 002: the PSA API public/private key pair; docs/architecture.md §6: secrets live in the vault).

The keys are not policy settings: they never go into the policy's settings, its outbox rows or
its exports. The box stores them as two application secrets of the workspace's vault through
`PsaKeyService`, at once (sealing is fast; the slow unlock runs in the vault's own dialog).

What it shows follows the policy and the vault:
- a new, unsaved policy: "Save the policy first …" (the secrets are named by the policy's id);
- no vault in the workspace: where to create one (a site's Passwords tab);
- vault locked: whether keys are stored, and an "Unlock…" button (the vault's unlock dialog);
- vault unlocked: the stored public key; the private key only when the user clicks Show.
Fields and decrypted text are cleared whenever the vault locks or another policy is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PreflightError
from app.domain.helpdesk.psa import MAX_API_KEY_CHARS, PRIVATE_KEY, PUBLIC_KEY
from app.services.psa_keys import InvalidKeys, PsaKeyService
from ui import theme
from ui.ops import present_to, refusal_text
from ui.widgets.cells import error_line, stacked_cell
from ui.widgets.policy_common import as_sentence

if TYPE_CHECKING:
    from ui.vault.session import VaultSession

TITLE = "API Keys (stored in the vault)"
SAVE_FIRST = "Save the policy first, then store its API keys."
NO_VAULT = ("This workspace has no password vault yet: create one on a site's Passwords tab "
            "(Companies & Sites), then store the API keys here.")
LOCKED = "The vault is locked: unlock it to store or change the API keys."
STORED = "Keys stored in the vault"
NOT_STORED = "No keys stored yet"
UNAVAILABLE = "The vault is not available here."
CHECKING = "Checking the vault…"
PRIVATE_PLACEHOLDER = "Stored in the vault (Show reveals it)"


class PsaKeysBox(QGroupBox):
    """Public and private key inputs, Store in vault, and a status line."""

    def __init__(self, session: VaultSession | None, parent: QWidget | None = None) -> None:
        super().__init__(TITLE, parent)
        self.setObjectName("psaKeysBox")
        self.session = session
        self.policy_id: str | None = None
        self.unlock_dialog: QDialog | None = None
        self._stored = False
        self._revealed: str | None = None  # the private key as read for Show, to forget on Hide
        self._shown_public = ""  # the stored public key as filled in, to tell edits from it
        self._load_asked = False
        self._build()
        self.hide()
        if session is not None:
            # a bound method, not a lambda: Qt drops the connection when the box is deleted
            session.state_changed.connect(self._on_vault_state)

    # layout
    def _build(self) -> None:
        column = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.public_edit = self._key_edit("psaPublicKey", "Public key")
        self.private_edit = self._key_edit("psaPrivateKey", "Private key")
        self.private_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_button = QPushButton("Show", self)
        self.show_button.setObjectName("psaShowPrivateKey")
        self.show_button.setCheckable(True)
        self.show_button.setAccessibleName("Show private key")
        self.show_button.setToolTip("Show or hide the private key")
        self.show_button.toggled.connect(self._on_show_toggled)
        self.public_error = error_line(self, "psaPublicKeyError")
        self.private_error = error_line(self, "psaPrivateKeyError")
        private_row = QHBoxLayout()
        private_row.setContentsMargins(0, 0, 0, 0)
        private_row.addWidget(self.private_edit, 1)
        private_row.addWidget(self.show_button)
        form.addRow(self._label("Public key:", self.public_edit),
                    stacked_cell(self, self.public_edit, self.public_error))
        private_cell = QWidget(self)
        private_layout = QVBoxLayout(private_cell)
        private_layout.setContentsMargins(0, 0, 0, 0)
        private_layout.setSpacing(3)
        private_layout.addLayout(private_row)
        private_layout.addWidget(self.private_error)
        form.addRow(self._label("Private key:", self.private_edit), private_cell)
        column.addLayout(form)
        actions = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("psaKeysStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.unlock_button = QPushButton("Unlock…", self)
        self.unlock_button.setObjectName("psaUnlockVault")
        self.unlock_button.clicked.connect(lambda _c=False: self.open_unlock())
        self.store_button = QPushButton("Store in vault", self)
        self.store_button.setObjectName("psaStoreKeys")
        self.store_button.clicked.connect(lambda _c=False: self.store())
        actions.addWidget(self.status, 1)
        actions.addWidget(self.unlock_button)
        actions.addWidget(self.store_button)
        column.addLayout(actions)

    def _key_edit(self, name: str, label: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(label)
        edit.setMaxLength(MAX_API_KEY_CHARS + 1)  # one more, so "too long" can be said
        edit.textEdited.connect(lambda _t: self._clear_errors())
        return edit

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _on_vault_state(self, _state: object) -> None:
        self.refresh()

    # what is shown
    def show_for(self, type_id: str | None, policy_id: str | None) -> None:
        """Show the box for a policy of `type_id` (hidden unless it has a key pair);
        `policy_id` None for a new, unsaved policy."""
        applies = type_id is not None and PsaKeyService.applies_to(type_id)
        if policy_id != self.policy_id or not applies:
            self._forget()
        self.policy_id = policy_id
        self.setVisible(applies)
        if applies:
            self.refresh()

    def keys(self) -> PsaKeyService | None:
        if self.session is None or self.session.state in ("loading", "unavailable"):
            return None
        return PsaKeyService(self.session.service())

    def refresh(self) -> None:
        """Follow the vault's state (and whether this policy's keys are stored)."""
        if self.isHidden():
            return
        state = self.session.state if self.session is not None else None
        if state != "unlocked":
            self._forget()
        if state == "loading" and self.session is not None and not self._load_asked:
            self._load_asked = True  # the main window's wiring loads it; alone, ask once
            self.session.load()
        usable = False
        self._stored = False
        if self.session is None or state == "unavailable":
            text = UNAVAILABLE if self.session is None else as_sentence(
                f"The vault cannot be used: {self.session.problem}")
        elif self.policy_id is None:
            text = SAVE_FIRST
        elif state == "loading":
            text = CHECKING
        elif state == "none":
            text = NO_VAULT
        else:
            keys = self.keys()
            assert keys is not None
            try:
                self._stored = keys.stored(self.policy_id)
                if state == "unlocked" and self._stored and not self.public_edit.text():
                    self._shown_public = keys.public_key(self.policy_id) or ""
                    self.public_edit.setText(self._shown_public)
            except PreflightError as exc:
                self._say(as_sentence(str(exc)), "$error")
                self._enable(False, state == "locked")
                return
            stored = STORED if self._stored else NOT_STORED
            if state == "locked":
                text = f"{stored}. {LOCKED}"
            else:
                text, usable = stored, True
        self._say(text, "$muted")
        self._enable(usable, state == "locked" and self.policy_id is not None)

    def _enable(self, usable: bool, offer_unlock: bool) -> None:
        for widget in (self.public_edit, self.private_edit, self.show_button,
                       self.store_button):
            widget.setEnabled(usable)
        self.unlock_button.setVisible(offer_unlock)
        self.private_edit.setPlaceholderText(PRIVATE_PLACEHOLDER if usable and self._stored
                                             else "")

    def _say(self, text: str, color: str) -> None:
        self.status.setText(text)
        theme.set_style(self.status, f"color: {color}")

    def _forget(self) -> None:
        """Clear every key from the widgets (another policy, or the vault locked)."""
        self._revealed = None
        self._shown_public = ""
        if self.show_button.isChecked():
            self.show_button.setChecked(False)
        self.public_edit.clear()
        self.private_edit.clear()
        self._clear_errors()

    def _clear_errors(self) -> None:
        for label in (self.public_error, self.private_error):
            label.clear()
            label.hide()

    def has_unstored_keys(self) -> bool:
        """Whether the user typed keys that are not in the vault yet (leaving would lose
        them): a private key other than the one revealed, or a changed public key."""
        if self.isHidden() or not self.public_edit.isEnabled():
            return False
        private = self.private_edit.text()
        return ((bool(private) and private != (self._revealed or ""))
                or self.public_edit.text() != self._shown_public)

    def error_text(self, which: str) -> str:
        label = self.public_error if which == PUBLIC_KEY else self.private_error
        return label.text() if not label.isHidden() else ""

    # actions
    def _on_show_toggled(self, on: bool) -> None:
        self.show_button.setText("Hide" if on else "Show")
        self.private_edit.setEchoMode(QLineEdit.EchoMode.Normal if on
                                      else QLineEdit.EchoMode.Password)
        if on and not self.private_edit.text() and self._stored and self.policy_id:
            keys = self.keys()
            try:
                self._revealed = keys.private_key(self.policy_id) if keys else None
            except PreflightError as exc:
                self._say(as_sentence(str(exc)), "$error")
                return
            self.private_edit.setText(self._revealed or "")
        elif not on and self._revealed is not None:
            if self.private_edit.text() == self._revealed:
                self.private_edit.clear()  # a revealed key does not stay in the widget
            self._revealed = None

    def store(self) -> bool:
        """Store the typed pair in the vault; True when stored."""
        keys = self.keys()
        if keys is None or self.policy_id is None:
            return False
        public, private = self.public_edit.text(), self.private_edit.text()
        self._clear_errors()
        try:
            keys.store(self.policy_id, public, private)
        except InvalidKeys as exc:
            for which, label in ((PUBLIC_KEY, self.public_error),
                                 (PRIVATE_KEY, self.private_error)):
                label.setText(exc.problems.get(which, ""))
                label.setVisible(which in exc.problems)
            self._say("Nothing was stored: fix the keys above.", "$error")
            return False
        except Exception as exc:  # a bug: the error dialog, never a key in a message
            present_to(exc, lambda text: self._say(text, "$error"), text=refusal_text)
            return False
        self._revealed = None
        self._shown_public = public
        self.show_button.setChecked(False)
        self.private_edit.clear()
        self.refresh()
        return True

    def open_unlock(self) -> QDialog | None:
        """The vault's own unlock dialog (or the remembered key); the box follows the
        session's state change."""
        if self.session is None or self.session.state != "locked":
            return None
        from ui.vault.unlock_dialog import request_unlock

        def shown(dialog: Any) -> None:
            self.unlock_dialog = dialog

        return request_unlock(self.session, self.window(), shown)


__all__ = ["PsaKeysBox"]
