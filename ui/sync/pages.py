"""The sync pages of the main window (registered in `ui.pages.registry`), over the
workspace's one sync controller."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from ui.sync.conflicts_page import ConflictsPage
from ui.sync.controller import controller_for
from ui.sync.pending_page import PendingChangesPage


def build_sync_pages(workspace: Any) -> dict[str, QWidget]:
    controller = controller_for(workspace)
    return {"pending-changes": PendingChangesPage(controller),
            "conflicts": ConflictsPage(controller)}


__all__ = ["build_sync_pages"]
