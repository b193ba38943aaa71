"""A page built on its own (outside a window) gets its `WorkspaceContext` the way the window
makes it (`ui.workspace_context.open_context`): a host widget stands in for the window, as
the parent of the dialogs and the navigator, and the navigator knows no pages, so links do
nothing. The benchmarks use it too."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.services.workspace import Workspace
from ui.dialogs import DialogService
from ui.navigator import Navigator
from ui.workspace_context import WorkspaceContext, open_context


def _no_page(_name: str) -> None:
    return None


def make_context(workspace: Workspace, qtbot_or_host: Any,
                 undo_stack: QUndoStack | None = None) -> WorkspaceContext:
    """The context of `workspace` for pages built outside a window. `qtbot_or_host`: a
    pytest-qt `qtbot` (a host widget is made and closed with the test) or the host widget
    itself (the caller keeps it alive). `undo_stack`: the one the pages share (a new one when
    None); every page given this context shares its write queue."""
    if isinstance(qtbot_or_host, QWidget):
        host = qtbot_or_host
    else:
        host = QWidget()
        # pytest-qt holds added widgets weakly; the close hook holds the host until the test
        # ends (the pages keep only what they take from the context, not the host)
        qtbot_or_host.addWidget(host, before_close_func=lambda _widget, kept=host: None)
    navigator = Navigator(host, show_page=_no_page, page=_no_page)
    return open_context(workspace, undo_stack if undo_stack is not None else QUndoStack(host),
                        navigator, DialogService(host))


__all__ = ["make_context"]
