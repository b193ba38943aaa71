"""Wires sync into the main window: the Sync menu (Sync Now, Ctrl+Shift+S; Cancel Sync; the
Pending Changes and Conflicts pages), the status bar's sync area, the Preferences section, and
a clean quit (a running sync is cancelled and awaited, the HTTP client closed, before the
window closes). One `SyncUi` per window; `install` points it at the workspace shown."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle, QWidget

from ui.pages.page import Page, Reloads
from ui.sync.controller import AUTH, CONFIG, ERROR, Outcome, SyncController
from ui.sync.pending_page import PendingChangesPage
from ui.sync.status_widget import SyncStatusWidget

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.preferences import PreferencesDialog

SHORTCUT = "Ctrl+Shift+S"
PENDING_PAGE, CONFLICTS_PAGE = "pending-changes", "conflicts"


class SyncUi(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.controller: SyncController | None = None
        style = window.style()
        self.sync_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload),
                                   "&Sync Now", window)
        self.sync_action.setObjectName("syncNow")
        self.sync_action.setShortcut(QKeySequence(SHORTCUT))
        self.sync_action.setIconText("Sync")
        self.sync_action.setStatusTip("Send pending changes to the server and receive its "
                                      "changes")
        self.sync_action.setToolTip(f"Sync with the server ({SHORTCUT})")
        self.sync_action.setEnabled(False)  # until a workspace is open
        self.sync_action.triggered.connect(lambda _c=False: self.sync())
        self.cancel_action = QAction("&Cancel Sync", window)
        self.cancel_action.setObjectName("cancelSyncAction")
        self.cancel_action.setEnabled(False)
        self.cancel_action.triggered.connect(lambda _c=False: self.cancel())
        self.menu = self._menu(window)
        window.addAction(self.sync_action)
        self.widget = SyncStatusWidget(self.sync_action)
        window.status.attach_sync(self.widget)
        self._closing = False
        # an edit (or its undo): the pending count changes
        window.undo_stack.indexChanged.connect(lambda _i: self._refresh())
        window.page_built.connect(self._page_built)  # pages are built when first shown

    def _refresh(self) -> None:
        if self.controller is not None:
            self.controller.refresh()

    def _menu(self, window: QMainWindow) -> QMenu:
        bar = window.menuBar()
        menu = QMenu("S&ync", bar)
        menu.setObjectName("syncMenu")
        menu.addAction(self.sync_action)
        menu.addAction(self.cancel_action)
        menu.addSeparator()
        for name, title in ((PENDING_PAGE, "&Pending Changes"), (CONFLICTS_PAGE, "C&onflicts")):
            action = menu.addAction(title)
            action.triggered.connect(lambda _c=False, n=name: self._go(n))
        menu.addSeparator()
        self.asio_action = menu.addAction("Conn&ectWise…")  # the Asio connector (issue 16)
        self.asio_action.setObjectName("connectWiseAction")
        self.asio_action.setStatusTip("Pull from and push to ConnectWise Asio")
        self.asio_action.setEnabled(False)  # until a workspace is open
        self.asio_action.triggered.connect(lambda _c=False: self.open_asio())
        help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
        if help_menu is not None:
            bar.insertMenu(help_menu, menu)
        else:
            bar.addMenu(menu)
        return menu

    def _go(self, name: str) -> None:
        self.window.show_page(name)

    # the workspace
    def install(self, controller: SyncController) -> SyncController:
        """Point the sync UI at the workspace's one `controller` (the window's context's)."""
        previous = self.controller
        if previous is not None and previous is not controller:
            for signal, slot in self._links(previous):
                signal.disconnect(slot)
            _detach(previous.aclose())
        self.controller = controller
        if controller.parent() is None:
            controller.setParent(self)  # Qt owns it with the window (no parentless QObject)
        controller.asks.parent = self.window
        controller.asks.vault_session = self.window.vault_session
        for signal, slot in self._links(controller):
            signal.connect(slot)
        self.widget.attach(controller)
        for name, page in self.window.pages.items():  # those built already; the rest later
            self._page_built(name, page)
        self._running(controller.running)
        self.asio_action.setEnabled(True)
        controller.refresh()
        return controller

    def _page_built(self, name: str, page: QWidget) -> None:
        if isinstance(page, Reloads):  # a page reloaded after an edit made outside the undo stack
            page.refreshed.connect(self._refresh)
        if name == PENDING_PAGE and isinstance(page, PendingChangesPage):
            page.set_sync_action(self.sync_action)

    def open_asio(self) -> Any:
        """Sync → ConnectWise…: the connector's dialog over the workspace shown."""
        if self.controller is None:
            return None
        from PySide6.QtCore import Qt

        from ui.asio.dialog import AsioDialog

        dialog = AsioDialog(self.controller.workspace, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.asio_dialog = dialog
        return dialog

    def _links(self, controller: SyncController) -> list[tuple[Any, Any]]:
        return [(controller.started, self._started), (controller.finished, self._finished)]

    # actions
    def sync(self) -> bool:
        """Start a sync (Sync Now); False when none could start."""
        if self.controller is None:
            return False
        try:
            return self.controller.start()
        except RuntimeError:  # no asyncio loop is running (a plain QApplication.exec())
            self.window.statusBar().showMessage("Sync needs the app's event loop.", 10000)
            return False

    def cancel(self) -> None:
        if self.controller is not None:
            self.controller.cancel()

    def _started(self) -> None:
        self._running(True)

    def _running(self, on: bool) -> None:
        self.sync_action.setEnabled(not on and self.controller is not None)
        self.cancel_action.setEnabled(on)

    def _finished(self, outcome: Outcome) -> None:
        self._running(False)
        if self._closing:
            return
        if outcome.kind in (AUTH, CONFIG, ERROR) and self.controller is not None:
            fix = (("Open Preferences", self.window.show_preferences)
                   if "Preferences" in outcome.message and outcome.kind in (AUTH, CONFIG)
                   else None)
            self.controller.asks.show_error("Sync", outcome.message, fix)
        current = self.window.current_page()
        pulled = outcome.report is not None and outcome.report.pulled
        if pulled and current is not None and isinstance(current, Page):
            current.refresh()  # the page shows what the server sent

    # quitting
    def allow_close(self) -> bool:
        """False (and the window closes again by itself soon) while a sync runs or the HTTP
        client is open: they are cancelled, awaited and closed first."""
        controller = self.controller
        if controller is None or not (controller.running or controller.has_client):
            return True
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return True  # no loop to wait in (screenshots, teardown): nothing can be awaited
        self._closing = True

        async def close() -> None:
            await controller.aclose()
            self.window.close()

        _detach(close())
        return False


_kept: set[asyncio.Task[Any]] = set()


def _detach(coro: Any) -> None:
    """Run `coro` as a kept task (or close it when no loop runs)."""
    try:
        task = asyncio.get_running_loop().create_task(coro)
    except RuntimeError:
        coro.close()
        return
    _kept.add(task)
    task.add_done_callback(_kept.discard)


def install_sync(window: MainWindow, controller: SyncController) -> SyncUi:
    """The window's sync UI (made on first use), pointed at the workspace's `controller`."""
    ui = window.sync_ui
    if ui is None:
        ui = SyncUi(window)
        window.sync_ui = ui
    ui.install(controller)
    return ui


def extend_preferences(dialog: PreferencesDialog, window: MainWindow) -> None:
    """Add the Sync section to the Preferences dialog (when a workspace is open)."""
    ui = window.sync_ui
    if ui is None or ui.controller is None:
        return
    from ui.sync.prefs_group import SyncPreferencesGroup

    bar = window.statusBar()
    group = SyncPreferencesGroup(ui.controller, dialog,
                                 notify=lambda text: bar.showMessage(text, 15000))
    dialog.add_section(group, group.save)


__all__ = ["SyncUi", "extend_preferences", "install_sync"]
