"""Undo commands of the pages that save at once, on the shared QUndoStack; `QueuedCommand` is
the base of every such command (profiles, policies, packages too).

Each change is made (through a service) before its command is pushed, so the first `redo` does
nothing. Undo and redo are new changes through the services (docs/architecture.md §3), queued on
the workspace's one write queue (`ui.ops`) so they land in the order the user asked for them. A
refused undo (say the site was deleted meanwhile) is reported through `on_error`; nothing fails
silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand, QUndoStack

from app.services.hierarchy import CompanyService, SiteService
from app.services.removal_views import Removal
from ui.ops import Writes, present_to

Done = Callable[[str | None], None]  # the id to select afterwards, if any
ErrorSink = Callable[[str], None]
Tell = Callable[[str], None]  # where an undo or a redo says it was done


@dataclass
class Handle:
    """The current id of an object that undo deletes and redo creates again (a new id)."""

    id: str


class QueuedCommand(QUndoCommand):
    """A change already made when pushed (the first `redo` does nothing); undo and redo run
    `do_undo` / `do_redo` on the write queue. A refused step says why through `on_error`;
    given `drop_from`, the command also leaves that stack (it cannot be undone any more);
    given `tell`, a step done says so ("Undone: Delete profile 'Ada Lovelace'.")."""

    def __init__(self, text: str, queue: Writes, on_done: Done, on_error: ErrorSink, *,
                 drop_from: QUndoStack | None = None, tell: Tell | None = None) -> None:
        super().__init__(text)
        self.queue = queue
        self.on_done = on_done
        self.on_error = on_error
        self.drop_from = drop_from
        self.tell = tell
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._submit(self.do_redo, "redo")

    def undo(self) -> None:
        self._submit(self.do_undo, "undo")

    def _submit(self, step: Callable[[], str | None], what: str) -> None:
        def refused(reason: str) -> None:
            self.on_error(f"Could not {what} “{self.text()}”: {reason}")
            if self.drop_from is not None:
                self._drop(self.drop_from)
            self.on_done(None)

        def done(selected: str | None) -> None:
            if self.tell is not None:  # the page's "Deleted …, Undo brings it back" is stale
                self.tell(f"{'Undone' if what == 'undo' else 'Redone'}: {self.text()}.")
            self.on_done(selected)

        self.queue.submit(step, done, lambda exc: present_to(exc, refused))

    def _drop(self, stack: QUndoStack) -> None:
        """Take this command off `stack`: obsolete, the stack deletes it the next time it
        steps over it without running it; step now when it is next to the index."""
        self.setObsolete(True)
        index = stack.index()
        if index < stack.count() and stack.command(index) is self:
            stack.redo()
        elif index > 0 and stack.command(index - 1) is self:
            stack.undo()

    def do_redo(self) -> str | None:
        raise NotImplementedError

    def do_undo(self) -> str | None:
        raise NotImplementedError


class CreateCompanyCommand(QueuedCommand):
    def __init__(self, companies: CompanyService, handle: Handle, name: str, *,
                 queue: Writes, on_done: Done, on_error: ErrorSink,
                 tell: Tell | None = None) -> None:
        super().__init__(f"Create company '{name}'", queue, on_done, on_error, tell=tell)
        self.companies = companies
        self.handle = handle
        self.name = name

    def do_undo(self) -> str | None:
        self.companies.delete(self.handle.id)
        return None

    def do_redo(self) -> str | None:
        self.handle.id = self.companies.create(self.name).id
        return self.handle.id


class CreateSiteCommand(QueuedCommand):
    def __init__(self, sites: SiteService, handle: Handle, company_id: str, name: str, *,
                 queue: Writes, on_done: Done, on_error: ErrorSink,
                 tell: Tell | None = None) -> None:
        super().__init__(f"Create site '{name}'", queue, on_done, on_error, tell=tell)
        self.sites = sites
        self.handle = handle
        self.company_id = company_id
        self.name = name

    def do_undo(self) -> str | None:
        self.sites.delete(self.handle.id)
        return self.company_id

    def do_redo(self) -> str | None:
        self.handle.id = self.sites.create(self.company_id, self.name).id
        return self.handle.id


class RenameCommand(QueuedCommand):
    """Rename a company or a site (both services have `rename(ref, name)`)."""

    def __init__(self, service: CompanyService | SiteService, kind: str, item_id: str,
                 before: str, after: str, *, queue: Writes, on_done: Done,
                 on_error: ErrorSink, tell: Tell | None = None) -> None:
        super().__init__(f"Rename {kind} '{before}' to '{after}'", queue, on_done, on_error,
                         tell=tell)
        self.service = service
        self.item_id = item_id
        self.before = before
        self.after = after

    def do_undo(self) -> str | None:
        self.service.rename(self.item_id, self.before)
        return self.item_id

    def do_redo(self) -> str | None:
        self.service.rename(self.item_id, self.after)
        return self.item_id


class AssignPackagesCommand(QueuedCommand):
    """Sites got `package_id` (None: their assignment was removed); undo gives each site the
    package it had before, grouped into one service call per previous package."""

    def __init__(self, sites: SiteService, text: str, package_id: str | None,
                 previous: Mapping[str, str | None], *, queue: Writes, on_done: Done,
                 on_error: ErrorSink, tell: Tell | None = None) -> None:
        super().__init__(text, queue, on_done, on_error, tell=tell)
        self.sites = sites
        self.package_id = package_id
        self.previous = dict(previous)

    def do_redo(self) -> str | None:
        ids = list(self.previous)
        if self.package_id is None:
            self.sites.unassign(ids)
        else:
            self.sites.assign(self.package_id, ids)
        return None

    def do_undo(self) -> str | None:
        groups: dict[str | None, list[str]] = {}
        for site_id, package_id in self.previous.items():
            groups.setdefault(package_id, []).append(site_id)
        for package_id, ids in groups.items():
            if package_id is None:
                self.sites.unassign(ids)
            else:
                self.sites.assign(package_id, ids)
        return None


class DeleteCommand(QueuedCommand):
    """A company or site deleted with everything of it (its devices, client profiles, Help
    Desk sections, vault items); undo brings all of that back, redo deletes it again."""

    def __init__(self, service: CompanyService | SiteService, removal: Removal, *,
                 queue: Writes, on_done: Done, on_error: ErrorSink, tell: Tell | None = None,
                 select_after: str | None = None) -> None:
        super().__init__(f"Delete {removal.kind} '{removal.name}'", queue, on_done, on_error,
                         tell=tell)
        self.service = service
        self.removal = removal
        self.select_after = select_after

    def do_undo(self) -> str | None:
        return self.service.restore(self.removal).id

    def do_redo(self) -> str | None:
        self.removal = self.service.delete(self.removal.id)
        return self.select_after
