"""The sync pages of the main window (registered in `ui.pages.registry`), over the
workspace's one sync controller (the window's `WorkspaceContext` carries it)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.sync.conflicts_page import ConflictsPage
from ui.sync.controller import SyncController
from ui.sync.pending_page import PendingChangesPage


def build_sync_pages(controller: SyncController) -> dict[str, QWidget]:
    return {"pending-changes": PendingChangesPage(controller),
            "conflicts": ConflictsPage(controller)}


__all__ = ["build_sync_pages"]
