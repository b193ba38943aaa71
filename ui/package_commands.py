"""Undo of a package delete, on the window's shared QUndoStack (issue 14).

The page deletes the package (and its assignments) before pushing the command, so the first
`redo` does nothing. Undo is a new change through the service, never a rewrite of history:
the package comes back with its id, policies, default flag and the sites it was assigned to.
A refused undo (say its name was taken meanwhile) says why and drops the command.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from app.domain.errors import PreflightError
from app.services.packages import PackageService
from app.services.removal_views import PackageDeleted

PackageChanged = Callable[[str | None], None]  # the package to show afterwards, if any
ErrorSink = Callable[[str], None]


class DeletePackageCommand(QUndoCommand):
    def __init__(self, service: PackageService, deleted: PackageDeleted, *,
                 on_change: PackageChanged, on_error: ErrorSink) -> None:
        super().__init__(f"Delete package '{deleted.package.name}'")
        self.service = service
        self.deleted = deleted
        self.on_change = on_change
        self.on_error = on_error
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self._delete, "redo")

    def undo(self) -> None:
        self._run(self._restore, "undo")

    def _delete(self) -> str | None:
        self.deleted = self.service.delete(self.deleted.package.id, force=True)
        return None

    def _restore(self) -> str | None:
        return self.service.restore(self.deleted).id

    def _run(self, step: Callable[[], str | None], what: str) -> None:
        try:
            shown = step()
        except PreflightError as exc:
            self.on_error(f"Could not {what} “{self.text()}”: {exc}")
            self.setObsolete(True)
            self.on_change(None)
            return
        self.on_change(shown)
