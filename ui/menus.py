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
    import_profiles: QAction | None = None
    export_profiles: QAction | None = None
    welcome: QAction | None = None  # issue 9: Help → Welcome, Help → Open Logs Folder
    open_logs: QAction | None = None


def _help_menu(help_menu: QMenu) -> tuple[QAction, QAction, QAction]:
    """Help → Welcome, Open Logs Folder, About (wired by ui.welcome.HelpUi)."""
    welcome = help_menu.addAction("&Welcome")
    welcome.setStatusTip("What to do first, and where the user guide is")
    open_logs = help_menu.addAction("Open &Logs Folder")
    open_logs.setStatusTip("The log files (and crash reports) to attach to a support request")
    help_menu.addSeparator()
    about = help_menu.addAction("&About Preflight")
    about.setMenuRole(QAction.MenuRole.AboutRole)
    return welcome, open_logs, about


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
    import_profiles = file_menu.addAction("&Import Client Profiles…")
    import_profiles.setShortcut(QKeySequence("Ctrl+I"))
    import_profiles.setStatusTip("Import a site's Help Desk client profiles from XLSX, ODS or CSV"
                                 " (or drop the file on the window)")
    export_profiles = file_menu.addAction("&Export Client Profiles…")
    export_profiles.setShortcut(QKeySequence("Ctrl+E"))
    export_profiles.setStatusTip("Export a site's client profiles to XLSX or CSV")
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
        action = view.addAction(spec.title.replace("&", "&&"))  # "Companies & Sites"
        action.setShortcut(QKeySequence(f"Ctrl+{number}"))
        action.triggered.connect(lambda _checked=False, name=spec.name: go_to(name))
        page_actions[spec.name] = action
    view.addSeparator()
    refresh = view.addAction("&Reload")
    refresh.setShortcuts(shortcuts(QKeySequence.StandardKey.Refresh, "F5"))

    welcome, open_logs, about = _help_menu(bar.addMenu("&Help"))

    for action in (undo, redo):
        window.addAction(action)
    return Menus(new, open_, recent, quit_, undo, redo, find, refresh, preferences,
                 page_actions, about, import_profiles=import_profiles,
                 export_profiles=export_profiles, welcome=welcome, open_logs=open_logs)
