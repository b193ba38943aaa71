"""Saving a Help Desk form, undoably: undo saves the value the form had before
(docs/architecture.md §3: undo is a new change, not a rewrite of history)."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand


class SectionHost(Protocol):
    def write(self, site_id: str, value: Any, done: str) -> None:
        """Store `value` as the form's section of `site_id` and say `done` when stored."""


class SaveSectionCommand(QUndoCommand):
    def __init__(self, host: SectionHost, site_id: str, site_name: str, title: str, *,
                 before: Any, after: Any) -> None:
        super().__init__(f"Save {title} of {site_name}")
        self.host = host
        self.site_id = site_id
        self.title = title
        self.site_name = site_name
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.host.write(self.site_id, self.after, f"Saved {self.title} of {self.site_name}.")

    def undo(self) -> None:
        self.host.write(self.site_id, self.before,
                        f"Undone: {self.title} of {self.site_name} is back as it was.")
