"""Client profiles written from outside a Client Profiles tab (an import from the File menu or
a file drop, its undo and redo): the tabs hear of it through a signal instead of being looked
up in the window.

Like the write queue (`ui.ops.write_queue`), the signal belongs to the undo stack: one per
window, so one per open workspace, and every tab given that stack hears it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ui.ops import PageOps
from ui.profiles.commands import ImportProfilesCommand, Say

if TYPE_CHECKING:  # the profile service loads on first use (cold start)
    from app.services.profiles import ImportResult, ProfileService

EVENTS_NAME = "profileEvents"


class ProfileEvents(QObject):
    changed = Signal(str)  # the id of the site whose profiles were written
    said = Signal(str, str)  # a message about it for the tabs' notice bars, and its kind


def profile_events(undo_stack: QUndoStack) -> ProfileEvents:
    """The profile events that go with `undo_stack` (made on first use)."""
    events = undo_stack.findChild(ProfileEvents, EVENTS_NAME)
    if events is None:
        events = ProfileEvents(undo_stack)
        events.setObjectName(EVENTS_NAME)
    return events


def push_import(service: ProfileService, result: ImportResult, source: str,
                undo_stack: QUndoStack, say: Say) -> None:
    """Put a finished import on the undo stack (when it changed anything): its undo and redo
    run on the workspace's write queue, in order with every other write, and tell the tabs."""
    changes = result.changes
    if changes is None or not (changes.created or changes.updated):
        return
    site_id = changes.site_id
    events = profile_events(undo_stack)
    command = ImportProfilesCommand(
        service, result, source, undo_stack, queue=PageOps(events, undo_stack, notice=None),
        on_done=lambda _select: events.changed.emit(site_id),
        on_error=lambda message: say(message, "error"), say=say)
    undo_stack.push(command)
    say(f"{command.text()} done. Edit → Undo (Ctrl+Z) takes it back.", "success")


__all__ = ["ProfileEvents", "profile_events", "push_import"]
