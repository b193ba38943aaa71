"""The main window: a sidebar over the pages, menus, status bar. It wires, pages work.

Pages are built from the workspace's `WorkspaceContext` (`open_context`: its services, the one
shared QUndoStack and write queue, the navigator, the dialogs; docs/architecture.md §5); the
window knows the workspace only to build them, to show its name and to switch to another one.
The window can be shown before its workspace is open ("Opening workspace…"):
`install_workspace` then readies the pages, so the first frame does not wait for the database
layer. Each page is built the first time it is shown (`page(name)`), so a start builds only the
page it opens on.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QStackedWidget, QWidget

from ui import background, screen_fit
from ui.background import run_blocking
from ui.dialogs import DialogService
from ui.file_drop import install_file_drop
from ui.menus import build_menus
from ui.navigator import Navigator
from ui.ops import present_in_dialog, quiet_failure
from ui.pages.page import HasTabs, Page, Reloads, Searchable, SelectsSite
from ui.pages.registry import DEFAULT_PAGE, PAGE_NAMES, PAGES, VIEWS, PageFactory, page_factories
from ui.preferences import PreferencesDialog
from ui.ui_settings import UiSettings
from ui.unsaved import after_saves, settle
from ui.welcome import install_help
from ui.widgets.sidebar import Sidebar
from ui.widgets.status_bar import WorkspaceStatusBar

if TYPE_CHECKING:
    from app.services.workspace import Workspace
    from ui.site.site_tabs import SiteTabs
    from ui.sync.wiring import SyncUi
    from ui.vault.session import VaultSession
    from ui.vault.wiring import VaultMenu


DEFAULT_SIZE = QSize(1280, 800)


def initial_size(window: QWidget) -> QSize:
    """1280x800, or the screen's available area when that is smaller."""
    screen = window.screen()
    if screen is None or QGuiApplication.platformName() in screen_fit.VIRTUAL:
        return DEFAULT_SIZE
    return DEFAULT_SIZE.boundedTo(screen.availableGeometry().size())


class MainWindow(QMainWindow):
    page_changed = Signal(str)
    page_built = Signal(str, QWidget)  # a page was built, the first time it was asked for
    workspace_changed = Signal()
    vault_session: VaultSession | None = None  # set by ui.vault.wiring, with vault_menu
    vault_menu: VaultMenu | None = None
    sync_ui: SyncUi | None = None  # set by ui.sync.wiring

    def __init__(self, workspace: Workspace | None = None, settings: UiSettings | None = None,
                 restore: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings or UiSettings()
        self.dialogs = DialogService(self)
        self.undo_stack = QUndoStack(self)
        self.workspace: Workspace | None = workspace
        self.pages: dict[str, QWidget] = {}  # the pages built so far, by name
        self._factories: dict[str, PageFactory] = {}  # every page of the open workspace
        self.navigator = Navigator(self, self.show_page, self.find_page)
        self._wanted_page: str | None = None  # asked for while the workspace was opening
        self._closing_saved = False  # the quit guard ran; saves are finishing before closing
        screen_fit.install()  # every dialog fits its text and the screen
        self.resize(initial_size(self))

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.sidebar = Sidebar(PAGES, central)
        self.stack = QStackedWidget(central)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.loading = QLabel("Opening workspace…", self.stack)
        self.loading.setObjectName("openingWorkspace")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setEnabled(False)  # drawn in the disabled (grey) text colour
        self.stack.addWidget(self.loading)
        self.setCentralWidget(central)
        self.status = WorkspaceStatusBar(self)
        self.setStatusBar(self.status)

        self.menus = build_menus(self, self.undo_stack, PAGES, self.show_page)
        self.menus.new_workspace.triggered.connect(self.new_workspace)
        self.menus.open_workspace.triggered.connect(self.open_workspace)
        self.menus.recent.aboutToShow.connect(self._fill_recent)
        self.menus.quit.triggered.connect(self.close)
        self.menus.find.triggered.connect(self.find_in_page)
        self.menus.refresh.triggered.connect(lambda _c=False: self._refresh_current())
        self.menus.preferences.triggered.connect(self.show_preferences)
        # issue 9: Help → Welcome / Open Logs Folder / About, the window icon, light/dark
        self.help = install_help(self)
        # the page the window will open on is current from the start: a list shown (or
        # focused) with no current row makes its first row current, which read as a wish
        # for Companies & Sites and overrode the page restored from the last session
        self.sidebar.select(self.start_page())
        self.sidebar.page_chosen.connect(self.show_page)
        self.undo_stack.indexChanged.connect(self._update_pending)
        self.file_drop = install_file_drop(self)  # drops; File → Import/Export Client Profiles

        self.restore = restore  # False: a screenshot run, which leaves the UI state alone
        self._enable_workspace_actions(False)  # until a workspace is open
        if workspace is not None:
            self.install_workspace(workspace)
        if restore:
            geometry = self.settings.geometry()
            if geometry is not None:
                self.restoreGeometry(geometry)

    # pages
    def install_workspace(self, workspace: Workspace) -> None:
        """Ready the pages over `workspace` (replacing any; each is built when first shown),
        and show its name."""
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages = {}
        self.workspace = workspace
        self._enable_workspace_actions(True)
        self.undo_stack.clear()
        from ui.workspace_context import open_context

        context = open_context(workspace, self.undo_stack, self.navigator, self.dialogs)
        self._factories = page_factories(context)
        self.setWindowTitle(f"{workspace.name} — Preflight")
        self.setWindowFilePath(str(workspace.path))
        self.status.set_workspace(workspace.name, workspace.path)
        from ui.vault.wiring import install_vault  # Qt only; the vault's crypto loads later

        self.vault_session = install_vault(self, context.vault_session)  # the lock control
        from ui.sync.wiring import install_sync  # issue 7: Sync menu, status, its pages

        install_sync(self, context.sync_controller)
        if self.restore:
            self.settings.add_recent(workspace.path)
        self.workspace_changed.emit()

    def page(self, name: str) -> QWidget:
        """The page called `name`, built now if this is its first use. KeyError when there is
        no such page (or no workspace is open yet)."""
        page = self.pages.get(name)
        if page is None:
            page = self._build(name)
        return page

    def find_page(self, name: str) -> QWidget | None:
        """`page(name)`, or None when there is no such page (or no workspace open yet)."""
        return self.page(name) if name in self._factories else None

    def _build(self, name: str) -> QWidget:
        page = self._factories[name]()
        self.pages[name] = page
        self.stack.addWidget(page)
        if isinstance(page, Reloads):
            page.refreshed.connect(self._update_pending)
        if name == "companies" and self.restore:
            self._restore_site_tab(page)
        self.page_built.emit(name, page)
        return page

    def _restore_site_tab(self, page: QWidget) -> None:
        """The site's tab (e.g. Help Desk → Basic Info) shown when the app was last closed."""
        from ui.pages.companies_page import CompaniesPage

        if not isinstance(page, CompaniesPage):
            return
        tabs: SiteTabs = page.site_tabs
        if self.settings.restore_last_page:
            place = self.settings.last_site_tab()
            if place is not None:
                tabs.show_tab(place[1], place[0])
        tabs.tab_shown.connect(self.settings.set_last_site_tab)

    def _enable_workspace_actions(self, enabled: bool) -> None:
        for action in (self.menus.new_workspace, self.menus.open_workspace,
                       self.menus.recent.menuAction()):
            action.setEnabled(enabled)

    def current_name(self) -> str:
        for name, page in self.pages.items():
            if page is self.stack.currentWidget():
                return name
        return ""

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def show_page(self, name: str) -> None:
        """Bring a page (companies, policies, packages, assignments, effective) forward and
        reload it, so it shows what other pages changed."""
        if not self._factories:  # still opening the workspace: show this page once it is open
            self._wanted_page = name
            self.sidebar.blockSignals(True)
            self.sidebar.select(name)
            self.sidebar.blockSignals(False)
            return
        view = VIEWS.get(name)  # a tab inside a page, e.g. client-profiles
        if view is not None:
            name = view[0]
        if name not in self._factories:
            name = DEFAULT_PAGE
        page = self.page(name)
        self.stack.setCurrentWidget(page)
        self.sidebar.blockSignals(True)
        self.sidebar.select(name)
        self.sidebar.blockSignals(False)
        if self.restore:
            self.settings.set_last_page(name)
        if isinstance(page, Page):
            page.refresh()
        if view is not None and isinstance(page, HasTabs):
            page.show_tab(view[2], view[1])
        self.page_changed.emit(name)

    def select_site(self, ref: str) -> bool:
        """Select a site (id or exact name) on the Companies page; False if there is none."""
        page = self.find_page("companies")
        return page.select_site(ref) if isinstance(page, SelectsSite) else False

    def wanted_page(self) -> str:
        """The page to show once the workspace is open: one chosen meanwhile, or the start
        page."""
        return self._wanted_page or self.start_page()

    def _refresh_current(self) -> None:
        page = self.current_page()
        if page is not None and isinstance(page, Page):
            page.refresh()

    def start_page(self) -> str:
        last = self.settings.last_page()
        if self.settings.restore_last_page and last in PAGE_NAMES:
            return last
        return DEFAULT_PAGE

    def find_in_page(self) -> None:  # not `find`: that is QWidget's static lookup by id
        page = self.current_page()
        if page is not None and isinstance(page, Searchable):
            page.focus_search()

    def _update_pending(self, *_args: object) -> None:
        if self.workspace is None:
            return
        run_blocking(self, self.workspace.pending_changes, self.status.set_pending,
                     quiet_failure)

    # workspaces
    def _start_folder(self) -> Path:
        return self.workspace.path.parent if self.workspace is not None else Path.home()

    def new_workspace(self) -> None:
        path = self.dialogs.save_path("New Workspace", self._start_folder())
        if path is not None:
            self.switch_workspace(path, create=True)

    def open_workspace(self) -> None:
        path = self.dialogs.open_path("Open Workspace", self._start_folder())
        if path is not None:
            self.switch_workspace(path)

    def _fill_recent(self) -> None:
        menu = self.menus.recent
        menu.clear()
        for path in self.settings.recent():
            if self.workspace is None or path != self.workspace.path:
                menu.addAction(str(path), partial(self.switch_workspace, path))
        menu.setEnabled(True)
        if menu.isEmpty():
            menu.addAction("No other workspaces").setEnabled(False)

    def switch_workspace(self, path: Path, create: bool = False) -> None:
        """Open (or create) another workspace off the GUI thread, then show it."""
        current = self.workspace
        if current is None or (path.exists() and path.resolve() == current.path.resolve()):
            return
        if settle(self, "opening another workspace", self.dialogs.ask_unsaved):
            after_saves(self, partial(self._open_workspace, path, create))

    def _open_workspace(self, path: Path, create: bool) -> None:
        """Open another workspace once the current one's edits are stored (or discarded)."""
        def open_it() -> Workspace:
            from app.services.workspace import Workspace  # off the GUI thread, on first use

            return Workspace.open(path, create=create)

        def opened(workspace: Workspace) -> None:
            old = self.workspace
            name = self.current_name() or DEFAULT_PAGE
            self.install_workspace(workspace)
            self.show_page(name)
            if old is not None:
                old.close()
            self.statusBar().showMessage(f"Opened {workspace.path}", 5000)

        def failed(exc: BaseException) -> None:
            present_in_dialog(exc, self.dialogs, "Cannot open the workspace", environment=False)

        run_blocking(self, open_it, opened, failed)

    # preferences and state
    def show_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        from ui.sync.wiring import extend_preferences

        extend_preferences(dialog, self)  # the sync server, client id and secret
        dialog.open()
        return dialog

    def save_state(self) -> None:
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.settings.sync()

    def page_shown_by_stack(self) -> None:
        """The quit guard turned the stack to a page: the sidebar follows."""
        self.sidebar.blockSignals(True)
        self.sidebar.select(self.current_name())
        self.sidebar.blockSignals(False)

    def _close_refused(self) -> None:
        self._closing_saved = False  # the next Quit asks again
        self.statusBar().showMessage("Not closed: a change could not be saved (see why on "
                                     "the page shown).", 10_000)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing_saved:
            if not settle(self, "quitting", self.dialogs.ask_unsaved):
                event.ignore()  # Cancel, or a save was refused (its page is shown)
                return
            if background.pending():  # saves under way: close once they are stored
                self._closing_saved = True
                self.statusBar().showMessage("Saving before closing…")
                after_saves(self, self.close, self._close_refused)
                event.ignore()
                return
        if self.sync_ui is not None and not self.sync_ui.allow_close():
            event.ignore()  # a sync is cancelled and awaited first; the window closes after
            return
        if self.restore:
            self.save_state()
        super().closeEvent(event)
