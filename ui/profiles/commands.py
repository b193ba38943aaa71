"""Undo commands of the Client Profiles tab, on the window's shared QUndoStack.

Each change is made through the ProfileService before its command is pushed (so the first
`redo` does nothing); undo and redo are new changes through the service (DESIGN.md §3), queued
on the tab's `SerialQueue`. Deleting keeps a tombstone, so undoing a delete restores the same
profile (same id); undoing an add deletes it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.profiles import Profile
from ui.background import SerialQueue
from ui.hierarchy_commands import Done, ErrorSink, QueuedCommand

if TYPE_CHECKING:
    from app.services.profiles import ProfileService


def person(profile: Profile) -> str:
    name = f"{profile.first_name} {profile.last_name}".strip()
    return name or profile.email or "profile"


class AddProfileCommand(QueuedCommand):
    def __init__(self, service: ProfileService, profile_id: str, profile: Profile, *,
                 queue: SerialQueue, on_done: Done, on_error: ErrorSink) -> None:
        super().__init__(f"Add profile '{person(profile)}'", queue, on_done, on_error)
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
                 after: Profile, *, queue: SerialQueue, on_done: Done,
                 on_error: ErrorSink) -> None:
        super().__init__(f"Edit profile '{person(after)}'", queue, on_done, on_error)
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
                 queue: SerialQueue, on_done: Done, on_error: ErrorSink) -> None:
        super().__init__(f"Delete profile '{person(profile)}'", queue, on_done, on_error)
        self.service = service
        self.profile_id = profile_id

    def do_undo(self) -> str | None:
        self.service.restore(self.profile_id)
        return self.profile_id

    def do_redo(self) -> str | None:
        self.service.delete(self.profile_id)
        return None
