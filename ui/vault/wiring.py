"""Wires the vault into the main window: the status-bar control over the workspace's vault
session, the idle timeout preference, activity watching. Light to import (Qt only): the vault's
crypto loads off the GUI thread when the session first asks for the service."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMainWindow

from ui.vault.session import VaultSession, session_for
from ui.vault.status_control import VaultStatusControl


def install_vault(window: QMainWindow, workspace: Any) -> VaultSession:
    """Put `workspace`'s vault session behind the status bar's vault control (replacing the
    previous workspace's), and return the session."""
    previous: VaultSession | None = getattr(window, "vault_session", None)
    session = session_for(workspace)
    if previous is not None and previous is not session:
        previous.close()
    settings = getattr(window, "settings", None)
    session.settings = getattr(settings, "qsettings", None)
    status = window.statusBar()
    control = VaultStatusControl(session, status)
    attach = getattr(status, "attach_vault", None)
    if attach is not None:
        attach(control)
    else:
        status.addPermanentWidget(control)
    session.watch_activity()
    session.load()
    return session


__all__ = ["install_vault"]
