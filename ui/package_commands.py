"""Undo of a package delete, on the window's shared QUndoStack (issue 14).

The page deletes the package (and its assignments) before pushing the command, so the first
`redo` does nothing. Undo is a new change through the service on the workspace's write queue,
never a rewrite of history: the package comes back with its id, policies, default flag and the
sites it was assigned to. A refused undo (say its name was taken meanwhile) says why and drops
the command (`QueuedCommand`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoStack

from app.services.packages import PackageService
from app.services.removal_views import PackageDeleted
from ui.hierarchy_commands import ErrorSink, QueuedCommand, Tell
from ui.ops import Writes

PackageChanged = Callable[[str | None], None]  # the package to show afterwards, if any


class DeletePackageCommand(QueuedCommand):
    def __init__(self, service: PackageService, deleted: PackageDeleted, *, queue: Writes,
                 stack: QUndoStack, on_change: PackageChanged, on_error: ErrorSink,
                 tell: Tell | None = None) -> None:
        super().__init__(f"Delete package '{deleted.package.name}'", queue, on_change,
                         on_error, drop_from=stack, tell=tell)
        self.service = service
        self.deleted = deleted

    def do_redo(self) -> str | None:
        self.deleted = self.service.delete(self.deleted.package.id, force=True)
        return None

    def do_undo(self) -> str | None:
        return self.service.restore(self.deleted).id
