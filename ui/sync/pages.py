"""The sync pages of the main window (registered in `ui.pages.registry`), over the
workspace's one sync controller (the window's `WorkspaceContext` carries it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ui.sync.conflicts_page import ConflictsPage
from ui.sync.pending_page import PendingChangesPage

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext


def pending_changes_page(context: WorkspaceContext) -> QWidget:
    return PendingChangesPage(context)


def conflicts_page(context: WorkspaceContext) -> QWidget:
    return ConflictsPage(context)


__all__ = ["conflicts_page", "pending_changes_page"]
