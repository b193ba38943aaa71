"""The main window: a sidebar over the pages, menus, status bar. It wires, pages work.

Pages get the services they use and the one shared QUndoStack (DESIGN.md §5); the window knows
the workspace only to build them, to show its name and to switch to another one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QStackedWidget, QWidget

from app.domain.errors import PreflightError
from app.services.workspace import Workspace
from ui.background import report_error, run_blocking
from ui.dialogs import DialogService
from ui.menus import build_menus
from ui.pages.registry import DEFAULT_PAGE, PAGE_NAMES, PAGES, build_pages
from ui.preferences import PreferencesDialog
from ui.ui_settings import UiSettings
from ui.widgets.sidebar import Sidebar
from ui.widgets.status_bar import WorkspaceStatusBar

ABOUT = ("<h3>Preflight</h3><p>Prepare ConnectWise RMM (Asio) client sites for go-live: "
         "policies, packages, site assignment and effective settings.</p>"
         "<p>Works offline on a local workspace file.</p>")


class MainWindow(QMainWindow):
    page_changed = Signal(str)
    workspace_changed = Signal()

    def __init__(self, workspace: Workspace, settings: UiSettings | None = None,
                 restore: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings or UiSettings()
        self.dialogs = DialogService(self)
        self.undo_stack = QUndoStack(self)
        self.workspace = workspace
        self.pages: dict[str, QWidget] = {}
        self.resize(1280, 800)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.sidebar = Sidebar(PAGES, central)
        self.stack = QStackedWidget(central)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status = WorkspaceStatusBar(self)
        self.setStatusBar(self.status)

        self.menus = build_menus(self, self.undo_stack, PAGES, self.show_page)
        self.menus.new_workspace.triggered.connect(self.new_workspace)
        self.menus.open_workspace.triggered.connect(self.open_workspace)
        self.menus.recent.aboutToShow.connect(self._fill_recent)
        self.menus.quit.triggered.connect(self.close)
        self.menus.find.triggered.connect(self.find)
        self.menus.refresh.triggered.connect(lambda _c=False: self.current_page().refresh())
        self.menus.preferences.triggered.connect(self.show_preferences)
        self.menus.about.triggered.connect(
            lambda _c=False: self.dialogs.about("About Preflight", ABOUT))
        self.sidebar.page_chosen.connect(self.show_page)
        self.undo_stack.indexChanged.connect(self._update_pending)

        self.restore = restore  # False: a screenshot run, which leaves the UI state alone
        self._install_workspace(workspace)
        if restore:
            geometry = self.settings.geometry()
            if geometry is not None:
                self.restoreGeometry(geometry)

    # pages
    def _install_workspace(self, workspace: Workspace) -> None:
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.workspace = workspace
        self.undo_stack.clear()
        self.pages = build_pages(workspace, self.undo_stack)
        for page in self.pages.values():
            self.stack.addWidget(page)
            refreshed = getattr(page, "refreshed", None)
            if refreshed is not None:
                refreshed.connect(self._update_pending)
        self.setWindowTitle(f"{workspace.name} — Preflight")
        self.setWindowFilePath(str(workspace.path))
        self.status.set_workspace(workspace.name, workspace.path)
        if self.restore:
            self.settings.add_recent(workspace.path)
        self.workspace_changed.emit()

    def current_name(self) -> str:
        for name, page in self.pages.items():
            if page is self.stack.currentWidget():
                return name
        return ""

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def show_page(self, name: str) -> None:
        """Bring a page (companies, policies, packages, assignments, effective) forward and
        reload it, so it shows what other pages changed."""
        if name not in self.pages:
            name = DEFAULT_PAGE
        page = self.pages[name]
        self.stack.setCurrentWidget(page)
        self.sidebar.blockSignals(True)
        self.sidebar.select(name)
        self.sidebar.blockSignals(False)
        if self.restore:
            self.settings.set_last_page(name)
        page.refresh()  # type: ignore[attr-defined]
        self.page_changed.emit(name)

    def start_page(self) -> str:
        last = self.settings.last_page()
        if self.settings.restore_last_page and last in PAGE_NAMES:
            return last
        return DEFAULT_PAGE

    def find(self) -> None:
        focus = getattr(self.current_page(), "focus_search", None)
        if focus is not None:
            focus()

    def _update_pending(self, *_args: object) -> None:
        run_blocking(self, self.workspace.pending_changes, self.status.set_pending,
                     lambda _exc: None)

    # workspaces
    def new_workspace(self) -> None:
        path = self.dialogs.save_path("New Workspace", self.workspace.path.parent)
        if path is not None:
            self.switch_workspace(path, create=True)

    def open_workspace(self) -> None:
        path = self.dialogs.open_path("Open Workspace", self.workspace.path.parent)
        if path is not None:
            self.switch_workspace(path)

    def _fill_recent(self) -> None:
        menu = self.menus.recent
        menu.clear()
        for path in self.settings.recent():
            if path != self.workspace.path:
                menu.addAction(str(path), lambda p=path: self.switch_workspace(p))
        menu.setEnabled(True)
        if menu.isEmpty():
            menu.addAction("No other workspaces").setEnabled(False)

    def switch_workspace(self, path: Path, create: bool = False) -> None:
        """Open (or create) another workspace off the GUI thread, then show it."""
        if path.exists() and path.resolve() == self.workspace.path.resolve():
            return

        def opened(workspace: Workspace) -> None:
            old = self.workspace
            name = self.current_name() or DEFAULT_PAGE
            self._install_workspace(workspace)
            self.show_page(name)
            old.close()
            self.statusBar().showMessage(f"Opened {workspace.path}", 5000)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, PreflightError):
                self.dialogs.show_error("Cannot open the workspace", str(exc))
            else:
                report_error(exc)

        run_blocking(self, lambda: Workspace.open(path, create=create), opened, failed)

    # preferences and state
    def show_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def save_state(self) -> None:
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.restore:
            self.save_state()
        super().closeEvent(event)
