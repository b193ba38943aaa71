"""Undo commands of the Client Profiles tab, on the window's shared QUndoStack.

Each change is made through the ProfileService before its command is pushed (so the first
`redo` does nothing); undo and redo are new changes through the service (docs/architecture.md §3),
queued on the tab's `SerialQueue`. Deleting keeps a tombstone, so undoing a delete restores the same
profile (same id); undoing an add deletes it again.

An import is one command ("Import N profiles from FILE"): undo tombstones what it created and
puts back what it updated, redo applies the same rows again, each one bulk transaction through
`ProfileService.undo_import` / `redo_import` off the GUI thread. The service refuses when the
profiles changed since; the command then says why and moves the stack back to where the
workspace is, so the stack never claims an undo that did not happen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoStack

from app.profiles import Profile
from ui.hierarchy_commands import Done, ErrorSink, QueuedCommand, Tell
from ui.ops import Writes, present_to

if TYPE_CHECKING:
    from app.services.profiles import ImportResult, ProfileService

Say = Callable[[str, str], None]  # a status message and its kind ("info", "success")


def person(profile: Profile) -> str:
    name = f"{profile.first_name} {profile.last_name}".strip()
    return name or profile.email or "profile"


class AddProfileCommand(QueuedCommand):
    def __init__(self, service: ProfileService, profile_id: str, profile: Profile, *,
                 queue: Writes, on_done: Done, on_error: ErrorSink,
                 tell: Tell | None = None) -> None:
        super().__init__(f"Add profile '{person(profile)}'", queue, on_done, on_error, tell=tell)
        self.service = service
        self.profile_id = profile_id

    def do_undo(self) -> str | None:
        self.service.delete(self.profile_id)
        return None

    def do_redo(self) -> str | None:
        self.service.restore(self.profile_id)
        return self.profile_id


class EditProfileCommand(QueuedCommand):
    def __init__(self, service: ProfileService, profile_id: str, before: Profile,
                 after: Profile, *, queue: Writes, on_done: Done,
                 on_error: ErrorSink, tell: Tell | None = None) -> None:
        super().__init__(f"Edit profile '{person(after)}'", queue, on_done, on_error, tell=tell)
        self.service = service
        self.profile_id = profile_id
        self.before = before
        self.after = after

    def do_undo(self) -> str | None:
        self.service.update(self.profile_id, self.before)
        return self.profile_id

    def do_redo(self) -> str | None:
        self.service.update(self.profile_id, self.after)
        return self.profile_id


class DeleteProfileCommand(QueuedCommand):
    def __init__(self, service: ProfileService, profile_id: str, profile: Profile, *,
                 queue: Writes, on_done: Done, on_error: ErrorSink,
                 tell: Tell | None = None) -> None:
        super().__init__(f"Delete profile '{person(profile)}'", queue, on_done, on_error,
                         tell=tell)
        self.service = service
        self.profile_id = profile_id

    def do_undo(self) -> str | None:
        self.service.restore(self.profile_id)
        return self.profile_id

    def do_redo(self) -> str | None:
        self.service.delete(self.profile_id)
        return None


def import_text(result: ImportResult, source: str) -> str:
    count = result.created + result.updated
    return f"Import {count:,} profile{'' if count == 1 else 's'} from {source}"


class ImportProfilesCommand(QueuedCommand):
    """An import that already happened; undo and redo go through the service, in order on the
    tab's queue. `result` is the latest answer of the service: `result.undone` says what the
    workspace holds (the import, or its undo)."""

    def __init__(self, service: ProfileService, result: ImportResult, source: str,
                 stack: QUndoStack, *, queue: Writes, on_done: Done, on_error: ErrorSink,
                 say: Say) -> None:
        super().__init__(import_text(result, source), queue, on_done, on_error)
        self.service = service
        self.result = result
        self.source = source
        self.stack = stack
        self.say = say
        self._skip = False  # the stack is being moved back after a refusal: do nothing

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._step(True)

    def undo(self) -> None:
        self._step(False)

    def _step(self, apply: bool) -> None:
        if self._skip:
            self._skip = False
            return
        what = "Redoing" if apply else "Undoing"
        self.say(f"{what} “{self.text()}”…", "info")
        service = self.service

        def work() -> ImportResult | None:
            result = self.result  # read here: the steps before this one have delivered
            if result.undone != apply:  # an earlier refusal left the stack one step off
                return None
            return service.redo_import(result) if apply else service.undo_import(result)

        def done(result: ImportResult | None) -> None:
            if result is not None:
                self.result = result
                self.say(self._done_text(result), "success")
            self.on_done(None)

        def refused(reason: str) -> None:
            self.on_error(f"Could not {'redo' if apply else 'undo'} “{self.text()}”: {reason}")
            self._move_back(apply)

        def failed(exc: BaseException) -> None:
            present_to(exc, refused)
            self.on_done(None)

        self.queue.submit(work, done, failed)

    def _done_text(self, result: ImportResult) -> str:
        created = f"{result.created:,} new profile{'' if result.created == 1 else 's'}"
        updated = f"{result.updated:,} updated profile{'' if result.updated == 1 else 's'}"
        if result.undone:
            return (f"Undid the import from {self.source}: removed {created} and put back "
                    f"{updated} as they were. Redo imports them again (Ctrl+Shift+Z).")
        return (f"Redid the import from {self.source}: {created} back, {updated} imported "
                "again.")

    def _move_back(self, apply: bool) -> None:
        """The step was refused: put the stack's index back on this command's side that
        matches the workspace, without running anything. When other steps have moved the
        stack meanwhile, `result.undone` keeps the truth and the next step in that direction
        is a no-op."""
        index = self.stack.index()
        if not apply and index < self.stack.count() and self.stack.command(index) is self:
            self._skip = True
            self.stack.redo()
        elif apply and index > 0 and self.stack.command(index - 1) is self:
            self._skip = True
            self.stack.undo()
        self._skip = False
