"""The close/quit guard: every page, tab and dialog that holds unsaved edits answers "dirty?".

A widget holds edits when it has the three methods of `HoldsEdits`. Nothing registers: the guard
walks the window's widgets and the open top-level dialogs, so a new page or dialog that grows
those methods is covered without touching the window. Quitting, closing the window or switching
workspace with edits asks Save / Discard / Cancel, listing what is unsaved.

A holder may save in the background (on the workspace's write queue): `settle` then only knows
the saves were started, and `after_saves` goes on once they have all delivered, or stays with
the refusing holder shown when one of them was refused (its edits are still unsaved).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QStackedWidget, QTabWidget, QWidget

from ui import background

Answer = Literal["save", "discard", "cancel"]


@runtime_checkable
class HoldsEdits(Protocol):
    def unsaved_edits(self) -> list[str]:
        """What is unsaved, one short line each ("Policy 'Office Wi-Fi'"); [] when clean."""

    def save_edits(self) -> bool:
        """Save (or start saving) every unsaved edit; False when refused (the holder says why
        where the user looks)."""

    def discard_edits(self) -> None:
        """Forget the unsaved edits: the holder shows what is stored again."""


@runtime_checkable
class FollowsStack(Protocol):
    def page_shown_by_stack(self) -> None:
        """A holder was brought forward by turning the stack: the window's sidebar follows."""


def holders(window: QWidget) -> list[HoldsEdits]:
    """The window's edit holders, then those of any other open top-level window (dialogs)."""
    found: list[HoldsEdits] = []
    seen: set[int] = set()
    candidates: list[QWidget] = [window, *window.findChildren(QWidget)]
    for top in QApplication.topLevelWidgets():
        if top is not window and top.isVisible() and shiboken6.isValid(top):
            candidates.extend([top, *top.findChildren(QWidget)])
    for widget in candidates:
        if id(widget) not in seen and isinstance(widget, HoldsEdits):
            seen.add(id(widget))
            found.append(widget)
    return found


@dataclass(frozen=True)
class Pending:
    holder: HoldsEdits
    lines: list[str]


def pending_edits(window: QWidget) -> list[Pending]:
    return [Pending(h, lines) for h in holders(window) if (lines := h.unsaved_edits())]


def describe(pending: list[Pending]) -> str:
    lines = [line for p in pending for line in p.lines]
    shown = lines[:12]
    more = len(lines) - len(shown)
    return "\n".join(f"• {line}" for line in shown) + (f"\n… and {more} more" if more else "")


def unsaved_box(parent: QWidget, action: str, pending: list[Pending]) -> QMessageBox:
    """The question: Save (default) / Discard / Cancel, with what is unsaved listed."""
    box = QMessageBox(parent)
    box.setObjectName("unsavedChanges")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    count = sum(len(p.lines) for p in pending)
    box.setText(f"Save your changes before {action}?" if count == 1
                else f"Save your {count} unsaved changes before {action}?")
    box.setInformativeText(describe(pending))
    save = box.addButton("Save", QMessageBox.ButtonRole.AcceptRole)
    save.setObjectName("save")
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    discard.setObjectName("discard")
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    return box


def ask_unsaved(parent: QWidget, action: str, pending: list[Pending]) -> Answer:
    """Save / Discard / Cancel, listing the unsaved edits. `action`: "quitting", …"""
    box = unsaved_box(parent, action, pending)
    box.exec()
    clicked = box.clickedButton()
    name = clicked.objectName() if clicked is not None else ""
    return "save" if name == "save" else "discard" if name == "discard" else "cancel"


Ask = Callable[[str, list[Pending]], Answer]


def settle(window: QWidget, action: str, ask: Ask) -> bool:
    """Ask about unsaved edits before `action`; True when the caller may go on.

    `ask(action, pending)` is the question (the window's dialog service); a Save that one
    holder refuses stops here, with that holder brought forward to show why."""
    pending = pending_edits(window)
    if not pending:
        return True
    answer = ask(action, pending)
    if answer == "cancel":
        return False
    if answer == "discard":
        for item in pending:
            item.holder.discard_edits()
        return True
    for item in pending:
        if not item.holder.save_edits():
            _bring_forward(item.holder)
            return False
    return True


def after_saves(window: QWidget, proceed: Callable[[], object],
                refused: Callable[[], None] | None = None) -> None:
    """Once the background work the guard's Save started has delivered (at once when none is
    pending): `proceed()` when no edit is left unsaved; otherwise a save was refused, so its
    holder is brought forward (its message says why), `refused()` is called and nothing goes on.

    The GUI thread is not blocked meanwhile: this returns at once."""
    def settled() -> None:
        if not shiboken6.isValid(window):
            return
        left = pending_edits(window)
        if not left:
            proceed()
            return
        _bring_forward(left[0].holder)
        if refused is not None:
            refused()

    if background.pending():
        background.monitor().idle.connect(settled, Qt.ConnectionType.SingleShotConnection)
    else:
        settled()


def _bring_forward(holder: HoldsEdits) -> None:
    """Show the holder that refused to save, so its message is where the user looks: every
    stack and tab widget above it turns to the branch that holds it."""
    if not isinstance(holder, QWidget):
        return
    child: QWidget = holder
    parent = child.parentWidget()
    while parent is not None:
        tabs = parent.parentWidget()
        if isinstance(parent, QStackedWidget) and isinstance(tabs, QTabWidget):
            tabs.setCurrentWidget(child)
        elif isinstance(parent, QStackedWidget):
            parent.setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()
    window = holder.window()
    window.activateWindow()
    if isinstance(window, FollowsStack):
        window.page_shown_by_stack()


__all__ = ["Answer", "Ask", "HoldsEdits", "Pending", "after_saves", "ask_unsaved", "describe",
           "holders", "pending_edits", "settle", "unsaved_box"]
