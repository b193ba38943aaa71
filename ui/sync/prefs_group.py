"""Preferences → Sync: the server URL and client id (kept in the workspace, where
`preflight sync` reads them) and the client secret (the vault, or the OS keychain; never
QSettings). Filled and saved off the GUI thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from app.services.client_secrets import KEYCHAIN, SESSION, VAULT
from app.services.sync import SyncSettings, normalise_url, url_problem
from app.vault.errors import VaultLocked
from ui import screen_fit
from ui.background import run_blocking
from ui.ops import present_failure
from ui.sync.controller import SyncController
from ui.widgets.edit_dialog import loading_into
from ui.widgets.policy_common import ERROR_COLOR

WHERE = {VAULT: "The client secret is stored in this workspace's vault.",
         KEYCHAIN: "The client secret is stored in this computer's keychain.",
         SESSION: "No vault and no secure keychain here: the client secret is kept in "
                        "memory for this session only. Create a vault to keep it."}

HOME = {VAULT: "Type it above: it goes to this workspace's vault.",
        KEYCHAIN: "Type it above: it goes to this computer's keychain.",
        SESSION: "This workspace has no vault (and there is no secure keychain here): a "
                       "secret typed above is kept for this session only."}


class SyncPreferencesGroup(QGroupBox):
    def __init__(self, controller: SyncController, parent: QWidget | None = None,
                 notify: Callable[[str], None] | None = None) -> None:
        super().__init__("Sync", parent)
        self.setObjectName("syncPreferences")
        self.controller = controller
        self.notify = notify or (lambda _text: None)
        form = QFormLayout(self)
        self.server = QLineEdit(self)
        self.server.setObjectName("syncServerUrl")
        self.server.setPlaceholderText("https://sync.example.com")
        self.client_id = QLineEdit(self)
        self.client_id.setObjectName("syncClientId")
        self.secret = QLineEdit(self)
        self.secret.setObjectName("syncClientSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.server.setMinimumWidth(self.server.fontMetrics().horizontalAdvance(
            "https://sync.example.com/preflight") + 24)
        self.note = QLabel(self)
        self.note.setObjectName("syncSecretNote")
        self.note.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setObjectName("syncUrlProblem")
        self.problem.setStyleSheet(f"color: {ERROR_COLOR};")
        self.problem.hide()
        form.addRow("Server URL:", self.server)
        form.addRow("Client id:", self.client_id)
        form.addRow("Client secret:", self.secret)
        form.addRow("", self.note)
        form.addRow("", self.problem)
        self.server.textChanged.connect(self._check_url)
        self.loaded = False
        run_blocking(self, self._read, self._fill, lambda _exc: None)

    def _read(self) -> tuple[SyncSettings, str | None, str]:
        workspace = self.controller.workspace
        return (workspace.sync.settings(), workspace.sync.secrets.stored(),
                workspace.sync.secrets.home())

    def _fill(self, found: tuple[SyncSettings, str | None, str]) -> None:
        with loading_into(self):  # what the load puts in the fields is not an edit
            self._show_stored(found)
        if self.isVisible():  # the note came after the dialog was sized: make room for it
            screen_fit.fit_window(self.window())
        self.loaded = True

    def _show_stored(self, found: tuple[SyncSettings, str | None, str]) -> None:
        config, where, home = found
        if not self.server.text():
            self.server.setText(config.server)
        if not self.client_id.text():
            self.client_id.setText(config.client_id)
        self.note.setText(WHERE[where] if where else
                          f"No client secret stored yet. {HOME[home]}")
        # "unchanged" only means something when a secret is stored
        self.secret.setPlaceholderText("stored; type to replace it" if where
                                       else "not stored yet")

    def _check_url(self, text: str) -> None:
        problem = url_problem(text)
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))

    def save(self) -> None:
        """Keep what was typed (called when Preferences is accepted)."""
        if url_problem(self.server.text()):
            self.notify("Sync settings not saved: " + str(url_problem(self.server.text())))
            return
        config = SyncSettings(normalise_url(self.server.text()),
                                    self.client_id.text().strip())
        secret = self.secret.text()
        self.secret.clear()
        workspace = self.controller.workspace
        controller = self.controller
        run_blocking(controller, lambda: workspace.sync.save_settings(config),
                     lambda _none: controller.refresh())
        if secret:
            save_secret(controller, config.client_id, secret, self.notify)


def save_secret(controller: SyncController, client_id: str, secret: str,
                notify: Callable[[str], None]) -> None:
    """Store the secret (off the GUI thread); a locked vault is unlocked first through the
    vault's own dialog; without vault or keychain it is kept for this session only."""
    workspace = controller.workspace

    def stored(where: str) -> None:
        if where == SESSION:
            controller.remember_secret(client_id, secret)
        else:
            controller.forget_session_secret()
        notify(WHERE[where])
        controller.refresh()

    def failed(exc: BaseException) -> None:
        if isinstance(exc, VaultLocked):
            _unlock_then(controller, lambda: save_secret(controller, client_id, secret, notify),
                         lambda: stored(SESSION))
        else:
            present_failure(exc, None)  # the preferences have no notice: the error dialog

    run_blocking(controller, lambda: workspace.sync.secrets.store(client_id, secret), stored,
                 failed)


def _unlock_then(controller: SyncController, opened: Callable[[], None],
                 refused: Callable[[], None]) -> None:
    async def ask() -> None:
        (opened if await controller.asks.unlock_vault() else refused)()

    task = asyncio.get_running_loop().create_task(ask())
    _kept.add(task)
    task.add_done_callback(_kept.discard)


_kept: set[asyncio.Task[Any]] = set()

__all__ = ["SyncPreferencesGroup", "save_secret"]
