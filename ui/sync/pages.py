"""The sync pages of the main window (registered in `ui.pages.registry`), over the
workspace's one sync controller."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from ui.sync.conflicts_page import ConflictsPage
from ui.sync.controller import controller_for
from ui.sync.pending_page import PendingChangesPage


def pending_changes_page(workspace: Any) -> QWidget:
    return PendingChangesPage(controller_for(workspace))


def conflicts_page(workspace: Any) -> QWidget:
    return ConflictsPage(controller_for(workspace))


__all__ = ["conflicts_page", "pending_changes_page"]
