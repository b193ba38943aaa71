"""Files dropped on the main window: a spreadsheet (.csv, .xlsx, .ods) opens the client-profile
import wizard for the selected site (or asks which site); a `.preflight` workspace file opens that
workspace. Anything else gets a status-bar line saying what can be dropped.

    install_file_drop(window)   # in MainWindow.__init__; also wires File → Import/Export Client
                                # Profiles…

The window's own drop handling is an event filter, so no widget class changes; child widgets
with drops of their own (the Package Builder) keep them. The profile code loads on first use,
not at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.profiles.profile_actions import ProfileActions

SHEET_SUFFIXES = frozenset({".csv", ".xlsx", ".ods", ".txt", ".tsv"})
WORKSPACE_SUFFIX = ".preflight"
WHAT_CAN_BE_DROPPED = ("Drop a client-profile spreadsheet (.xlsx, .ods or .csv) to import it "
                       "into a site, or a .preflight workspace file to open it.")


def local_files(urls: Sequence[QUrl]) -> list[Path]:
    return [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]


def kind_of(path: Path) -> str | None:
    """"sheet", "workspace" or None (not something the window takes)."""
    suffix = path.suffix.lower()
    if suffix in SHEET_SUFFIXES:
        return "sheet"
    if suffix == WORKSPACE_SUFFIX:
        return "workspace"
    return None


class FileDrop(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._profiles: ProfileActions | None = None
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    @property
    def profiles(self) -> ProfileActions:
        """Import/export of client profiles; loaded on first use (the window paints first)."""
        if self._profiles is None:
            from ui.profiles.profile_actions import ProfileActions

            self._profiles = ProfileActions(self.window)
        return self._profiles

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.window:
            return False
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent)
            if event.mimeData().hasUrls() and local_files(event.mimeData().urls()):
                event.acceptProposedAction()
                return True
            return False
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = local_files(event.mimeData().urls()) if event.mimeData().hasUrls() else []
            if not paths:
                return False
            event.acceptProposedAction()
            self.open_files(paths)
            return True
        return False

    def open_files(self, paths: Sequence[Path]) -> None:
        """What a drop of `paths` does (the first file the window takes wins)."""
        for path in paths:
            kind = kind_of(path)
            if kind == "workspace":
                self.window.switch_workspace(path)
                return
            if kind == "sheet":
                if len(paths) > 1:
                    self.window.statusBar().showMessage(
                        f"Importing {path.name}; drop the other files one at a time.", 8000)
                self.profiles.import_profiles(path)
                return
        names = ", ".join(p.name for p in paths[:3])
        self.window.statusBar().showMessage(f"Cannot open {names}. {WHAT_CAN_BE_DROPPED}",
                                            10000)


def install_file_drop(window: MainWindow) -> FileDrop:
    """Take file drops on `window` and wire File → Import/Export Client Profiles…."""
    drop = FileDrop(window)
    menus = window.menus
    if menus.import_profiles is not None:
        menus.import_profiles.triggered.connect(lambda _c=False: drop.profiles.import_profiles())
    if menus.export_profiles is not None:
        menus.export_profiles.triggered.connect(lambda _c=False: drop.profiles.export_profiles())
    return drop
