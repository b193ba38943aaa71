"""Undo commands of the Policies and Packages pages, pushed on the window's shared QUndoStack.

Package Builder edits (add, replace, remove, rename, default toggle, revert) change an unsaved
`PackageDraft` in memory: each command holds the draft's state before and after, and asks the
builder (a `DraftHost`) to show that state — bringing the draft back into view if the user has
moved on to another package since.

Policy edits are saved at once, so their commands (`QueuedCommand`s) call the PolicyService on
the workspace's write queue: undo is a new change, never a rewrite of history
(docs/architecture.md §3). A policy re-created by undoing a delete gets a new id; `PolicyHandle`
keeps every command about that policy pointing at the current one. When an undo is refused (say
the policy went into a package meanwhile) the command reports why and drops itself from the
stack.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from PySide6.QtGui import QUndoCommand, QUndoStack

from app.domain.settings import SettingValue
from app.services.policies import PolicyService
from app.services.views import PolicyRef
from ui.hierarchy_commands import ErrorSink, QueuedCommand
from ui.ops import Writes

# --- the Package Builder ---------------------------------------------------------------------


@dataclass(frozen=True)
class DraftState:
    name: str
    is_default: bool
    policies: tuple[PolicyRef, ...]

    @property
    def policy_ids(self) -> list[str]:
        return [p.id for p in self.policies]


@dataclass(eq=False)
class PackageDraft:
    """One package as the builder edits it; `package_id` is None until first saved."""

    package_id: str | None
    state: DraftState
    saved: DraftState | None = None

    @property
    def is_dirty(self) -> bool:
        return self.saved is None or self.state != self.saved

    def has_content(self) -> bool:
        """Whether the user put anything into it (a new, empty draft has nothing to lose)."""
        return bool(self.state.name.strip() or self.state.policies or self.state.is_default)


class DraftHost(Protocol):
    def apply_draft_state(self, draft: PackageDraft, state: DraftState, notice: str = "",
                          kind: str = "info") -> None:
        """Show `draft` (switching to it if needed) with `state`, and say `notice`."""


@dataclass(frozen=True)
class Drop:
    """What dropping policies into a package does, with the one-policy-per-type rule."""

    policies: tuple[PolicyRef, ...]
    added: tuple[PolicyRef, ...]
    replaced: tuple[tuple[PolicyRef, PolicyRef], ...]  # (old, new), same type
    already: tuple[PolicyRef, ...]  # dropped policies the package held already


def apply_drop(current: Sequence[PolicyRef], incoming: Sequence[PolicyRef],
               row: int = -1) -> Drop:
    """Add `incoming` in order: a policy of a type already present takes that one's place;
    new types go in at `row` (or at the end)."""
    policies = list(current)
    added: list[PolicyRef] = []
    replaced: list[tuple[PolicyRef, PolicyRef]] = []
    already: list[PolicyRef] = []
    insert_at = row if 0 <= row <= len(policies) else len(policies)
    for ref in incoming:
        same = next((i for i, p in enumerate(policies) if p.type == ref.type), None)
        if same is None:
            policies.insert(insert_at, ref)
            insert_at += 1
            added.append(ref)
        elif policies[same].id == ref.id:
            already.append(ref)
        else:
            old = policies[same]
            policies[same] = ref
            replaced.append((old, ref))
            if old in added:  # dropped together with `ref`: the later one wins
                added[added.index(old)] = ref
    return Drop(tuple(policies), tuple(added), tuple(replaced), tuple(already))


def replaced_message(old: PolicyRef, new: PolicyRef) -> str:
    return f"Replaced '{old.name}' with '{new.name}' (same type: {new.type_label})"


class PackageDraftCommand(QUndoCommand):
    """Move a draft from one state to another; undo moves it back."""

    def __init__(self, host: DraftHost, draft: PackageDraft, *, before: DraftState,
                 after: DraftState, text: str, redo_notice: str = "", undo_notice: str = "",
                 redo_kind: str = "info") -> None:
        super().__init__(text)
        self.host = host
        self.draft = draft
        self.before = before
        self.after = after
        self.redo_notice = redo_notice
        self.undo_notice = undo_notice or f"Undone: {text}."
        self.redo_kind = redo_kind

    def redo(self) -> None:
        self.host.apply_draft_state(self.draft, self.after, self.redo_notice, self.redo_kind)

    def undo(self) -> None:
        self.host.apply_draft_state(self.draft, self.before, self.undo_notice, "info")


class AddPoliciesCommand(PackageDraftCommand):
    """Policies dropped (or double-clicked) into the builder, replacing same-type ones."""

    def __init__(self, host: DraftHost, draft: PackageDraft, drop: Drop) -> None:
        before = draft.state
        after = replace(before, policies=drop.policies)
        messages = [replaced_message(old, new) for old, new in drop.replaced]
        if drop.added:
            names = ", ".join(f"'{p.name}'" for p in drop.added)
            messages.insert(0, f"Added {names}")
        if drop.already and not drop.added and not drop.replaced:
            messages.append("Already in this package: "
                            + ", ".join(f"'{p.name}'" for p in drop.already))
        if len(drop.replaced) == 1 and not drop.added:
            old, new = drop.replaced[0]
            text = f"Replace '{old.name}' with '{new.name}'"
            undo = f"Undone: '{old.name}' is back in place of '{new.name}'."
        elif len(drop.added) == 1 and not drop.replaced:
            text = f"Add '{drop.added[0].name}'"
            undo = f"Undone: removed '{drop.added[0].name}' again."
        else:
            count = len(drop.added) + len(drop.replaced)
            text = f"Add {count} policies"
            restored = [f"'{old.name}'" for old, _ in drop.replaced if old in before.policies]
            undo = "Undone: " + (f"{', '.join(restored)} restored." if restored
                                 else f"removed {count} policies again.")
        super().__init__(host, draft, before=before, after=after, text=text,
                         redo_notice="; ".join(messages) + ".", undo_notice=undo,
                         redo_kind="warning" if drop.replaced else "info")
        self.drop = drop


class RemovePolicyCommand(PackageDraftCommand):
    def __init__(self, host: DraftHost, draft: PackageDraft, policy_id: str) -> None:
        before = draft.state
        removed = next(p for p in before.policies if p.id == policy_id)
        after = replace(before, policies=tuple(p for p in before.policies if p.id != policy_id))
        super().__init__(host, draft, before=before, after=after,
                         text=f"Remove '{removed.name}'",
                         redo_notice=f"Removed '{removed.name}' from the package.",
                         undo_notice=f"Undone: '{removed.name}' is back in the package.")
        self.removed = removed


class RenamePackageCommand(PackageDraftCommand):
    """Typing in the name field; consecutive keystrokes merge into one command."""

    ID = 4101

    def __init__(self, host: DraftHost, draft: PackageDraft, name: str) -> None:
        before = draft.state
        super().__init__(host, draft, before=before, after=replace(before, name=name),
                         text="Rename package")

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, RenamePackageCommand) or other.draft is not self.draft:
            return False
        self.after = other.after
        self.setObsolete(self.after == self.before)  # typed and erased: nothing to undo
        return True


class SetDefaultPackageCommand(PackageDraftCommand):
    def __init__(self, host: DraftHost, draft: PackageDraft, is_default: bool) -> None:
        before = draft.state
        text = "Make default package" if is_default else "Stop being the default package"
        super().__init__(host, draft, before=before,
                         after=replace(before, is_default=is_default), text=text)


class RevertPackageCommand(PackageDraftCommand):
    def __init__(self, host: DraftHost, draft: PackageDraft, saved: DraftState) -> None:
        super().__init__(host, draft, before=draft.state, after=saved,
                         text="Revert package changes",
                         redo_notice="Reverted to the saved package.")


# --- policies (saved at once) ----------------------------------------------------------------


@dataclass
class PolicyHandle:
    """The current id of a policy that undo may delete and re-create."""

    id: str


PolicyChanged = Callable[[str | None], None]  # the id to select afterwards


class _PolicyCommand(QueuedCommand):
    """A policy change; a refused undo or redo says why and leaves the stack."""

    def __init__(self, text: str, service: PolicyService, handle: PolicyHandle, *,
                 queue: Writes, stack: QUndoStack, on_change: PolicyChanged,
                 on_error: ErrorSink) -> None:
        super().__init__(text, queue, on_change, on_error, drop_from=stack)
        self.service = service
        self.handle = handle


class CreatePolicyCommand(_PolicyCommand):
    """A new (or duplicated) policy; undo deletes it, redo creates it again."""

    def __init__(self, service: PolicyService, handle: PolicyHandle, *, type_id: str,
                 name: str, settings: Mapping[str, SettingValue], queue: Writes,
                 stack: QUndoStack, on_change: PolicyChanged, on_error: ErrorSink,
                 text: str = "") -> None:
        super().__init__(text or f"Create policy '{name}'", service, handle, queue=queue,
                         stack=stack, on_change=on_change, on_error=on_error)
        self.type_id = type_id
        self.name = name
        self.settings = dict(settings)

    def do_undo(self) -> str | None:
        self.service.delete(self.handle.id)
        return None

    def do_redo(self) -> str | None:
        self.handle.id = self.service.create(self.type_id, self.name, self.settings).id
        return self.handle.id


class UpdatePolicyCommand(_PolicyCommand):
    def __init__(self, service: PolicyService, handle: PolicyHandle, *,
                 before: tuple[str, Mapping[str, SettingValue]],
                 after: tuple[str, Mapping[str, SettingValue]], queue: Writes,
                 stack: QUndoStack, on_change: PolicyChanged, on_error: ErrorSink) -> None:
        super().__init__(f"Edit policy '{after[0]}'", service, handle, queue=queue,
                         stack=stack, on_change=on_change, on_error=on_error)
        self.before = (before[0], dict(before[1]))
        self.after = (after[0], dict(after[1]))

    def _apply(self, state: tuple[str, dict[str, SettingValue]]) -> str:
        self.service.update(self.handle.id, state[1], name=state[0])
        return self.handle.id

    def do_redo(self) -> str | None:
        return self._apply(self.after)

    def do_undo(self) -> str | None:
        return self._apply(self.before)


class DeletePolicyCommand(_PolicyCommand):
    """Undo re-creates the policy (same type, name and settings; a new id)."""

    def __init__(self, service: PolicyService, handle: PolicyHandle, *, type_id: str,
                 name: str, settings: Mapping[str, SettingValue], queue: Writes,
                 stack: QUndoStack, on_change: PolicyChanged, on_error: ErrorSink) -> None:
        super().__init__(f"Delete policy '{name}'", service, handle, queue=queue,
                         stack=stack, on_change=on_change, on_error=on_error)
        self.type_id = type_id
        self.name = name
        self.settings = dict(settings)

    def do_redo(self) -> str | None:
        self.service.delete(self.handle.id)
        return None

    def do_undo(self) -> str | None:
        self.handle.id = self.service.create(self.type_id, self.name, self.settings).id
        return self.handle.id
