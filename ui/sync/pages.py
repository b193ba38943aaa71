"""The sync pages of the main window (registered in `ui.pages.registry`), over the
workspace's one sync controller (the window's `WorkspaceContext` carries it)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.sync.conflicts_page import ConflictsPage
from ui.sync.controller import SyncController
from ui.sync.pending_page import PendingChangesPage


def pending_changes_page(controller: SyncController) -> QWidget:
    return PendingChangesPage(controller)


def conflicts_page(controller: SyncController) -> QWidget:
    return ConflictsPage(controller)


__all__ = ["conflicts_page", "pending_changes_page"]
