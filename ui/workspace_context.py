"""What the pages of one open workspace share, handed to them in one object.

The window makes a `WorkspaceContext` each time a workspace opens and builds the pages from it
(`ui.pages.registry.page_factories`): the workspace's services, the one undo stack, the one write
queue every change and undo runs on (`ui.ops`), the vault session, the sync controller, the
dialogs service and the navigator ("go to this place"). A page takes what it uses from it; it
does not look things up in module-level registries or reach into the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoStack

from ui.background import SerialQueue
from ui.dialogs import DialogService
from ui.navigator import Navigator
from ui.ops import write_queue

if TYPE_CHECKING:
    from app.services.workspace import Workspace
    from ui.sync.controller import SyncController
    from ui.vault.session import VaultSession


@dataclass(frozen=True)
class WorkspaceContext:
    workspace: Workspace
    undo_stack: QUndoStack
    writes: SerialQueue  # ops.write_queue(undo_stack): all writes, undo and redo, in order
    navigator: Navigator
    dialogs: DialogService
    vault_session: VaultSession
    sync_controller: SyncController


def open_context(workspace: Workspace, undo_stack: QUndoStack, navigator: Navigator,
                 dialogs: DialogService) -> WorkspaceContext:
    """The context of `workspace` in a window with this undo stack, navigator and dialogs: the
    stack's one write queue, and the workspace's one vault session and sync controller."""
    from ui.sync.controller import controller_for  # the one of each of this workspace
    from ui.vault.session import session_for

    return WorkspaceContext(workspace, undo_stack, write_queue(undo_stack), navigator, dialogs,
                            session_for(workspace), controller_for(workspace))


__all__ = ["WorkspaceContext", "open_context"]
