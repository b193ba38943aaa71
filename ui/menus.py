"""The main window's menus and their standard shortcuts.

Undo and Redo come from the one shared QUndoStack (Ctrl+Z; Ctrl+Shift+Z and Ctrl+Y).
Find (Ctrl+F) focuses the current page's search box; Preferences uses the platform's key
(Ctrl+, where the platform has none).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu

from ui.pages.registry import PageSpec


def shortcuts(*keys: QKeySequence.StandardKey | str) -> list[QKeySequence]:
    """The platform's bindings for each key, in order, without duplicates or empties."""
    result: list[QKeySequence] = []
    for key in keys:
        bindings = (QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey)
                    else [QKeySequence(key)])
        for binding in bindings:
            if not binding.isEmpty() and binding not in result:
                result.append(binding)
    return result


@dataclass
class Menus:
    new_workspace: QAction
    open_workspace: QAction
    recent: QMenu
    quit: QAction
    undo: QAction
    redo: QAction
    find: QAction
    refresh: QAction
    preferences: QAction
    pages: dict[str, QAction]
    about: QAction


def build_menus(window: QMainWindow, undo_stack: QUndoStack, pages: Sequence[PageSpec],
                go_to: Callable[[str], None]) -> Menus:
    bar = window.menuBar()

    file_menu = bar.addMenu("&File")
    new = file_menu.addAction("&New Workspace…")
    new.setShortcuts(shortcuts(QKeySequence.StandardKey.New))
    new.setStatusTip("Create an empty workspace file")
    open_ = file_menu.addAction("&Open Workspace…")
    open_.setShortcuts(shortcuts(QKeySequence.StandardKey.Open))
    open_.setStatusTip("Open another workspace file")
    recent = file_menu.addMenu("Open &Recent")
    recent.setObjectName("recentMenu")
    file_menu.addSeparator()
    quit_ = file_menu.addAction("&Quit")
    quit_.setShortcuts(shortcuts(QKeySequence.StandardKey.Quit, "Ctrl+Q"))
    quit_.setMenuRole(QAction.MenuRole.QuitRole)

    edit = bar.addMenu("&Edit")
    undo = undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcuts(shortcuts(QKeySequence.StandardKey.Undo))
    redo = undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts(shortcuts(QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z", "Ctrl+Y"))
    edit.addAction(undo)
    edit.addAction(redo)
    edit.addSeparator()
    find = edit.addAction("&Find")
    find.setShortcuts(shortcuts(QKeySequence.StandardKey.Find))
    find.setStatusTip("Search on the current page")
    edit.addSeparator()
    preferences = edit.addAction("Pr&eferences…")
    preferences.setShortcuts(shortcuts(QKeySequence.StandardKey.Preferences) or
                             shortcuts("Ctrl+,"))
    preferences.setMenuRole(QAction.MenuRole.PreferencesRole)

    view = bar.addMenu("&View")
    page_actions: dict[str, QAction] = {}
    for number, spec in enumerate(pages, start=1):
        action = view.addAction(spec.title)
        action.setShortcut(QKeySequence(f"Ctrl+{number}"))
        action.triggered.connect(lambda _checked=False, name=spec.name: go_to(name))
        page_actions[spec.name] = action
    view.addSeparator()
    refresh = view.addAction("&Reload")
    refresh.setShortcuts(shortcuts(QKeySequence.StandardKey.Refresh, "F5"))

    help_menu = bar.addMenu("&Help")
    about = help_menu.addAction("&About Preflight")
    about.setMenuRole(QAction.MenuRole.AboutRole)

    for action in (undo, redo):
        window.addAction(action)
    return Menus(new, open_, recent, quit_, undo, redo, find, refresh, preferences,
                 page_actions, about)
