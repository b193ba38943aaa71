"""Companies & Sites: the client hierarchy as a tree, with the devices of the selected site.

Companies and sites are created (New Company, New Site), renamed in place (F2, double-click or
Rename) and removed after a confirmation that counts everything that goes with them (sites,
devices, client profiles, Help Desk sections, vault items). Creating, renaming and deleting are
undoable on the shared stack; every service call runs off the GUI
thread and the tree reloads afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.services.hierarchy import CompanyService, DeviceService, SiteService
from app.services.removal_views import Removal
from app.services.views import CompanyView, DeviceView, SiteView
from ui.hierarchy_commands import (
    CreateCompanyCommand,
    CreateSiteCommand,
    DeleteCommand,
    Handle,
    RenameCommand,
)
from ui.models.device_model import DeviceTableModel
from ui.models.hierarchy_model import COMPANY, SITE, HierarchyModel
from ui.ops import PageOps, after_queue, present_failure
from ui.site.site_tabs import SiteTabs
from ui.widgets.buttons import push_button
from ui.widgets.page_header import PageHeader, muted_label
from ui.widgets.policy_common import NoticeBar, as_sentence, section_title

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext

EXPAND_ALL_LIMIT = 1000  # more sites than this: companies open as the user goes
TREE_MIN_WIDTH = 240  # site names stay readable at 1024 px
SHOW_PACKAGE_WIDTH = 400  # narrower: the tree hides its Package column


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class CompaniesPage(QWidget):
    refreshed = Signal()  # the tree was (re)loaded
    devices_loaded = Signal()  # the device list of the selected site was (re)loaded

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None, *,
                 site_tabs: SiteTabs | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("companiesPage")
        self.site_tabs = site_tabs or SiteTabs()  # the selected site's tabs; Devices first
        self.companies: CompanyService = context.workspace.companies
        self.sites: SiteService = context.workspace.sites
        self.devices: DeviceService = context.workspace.devices
        self.undo_stack = context.undo_stack
        self.dialogs = context.dialogs
        self._companies: list[CompanyView] = []
        self._sites: list[SiteView] = []
        self._select_after: str | None = None
        self._shown_once = False
        self.loading = False
        self.ops = PageOps.of(self, context)  # the notice bar comes in _build
        self._tree_read = self.ops.latest()  # a newer reload supersedes an older one
        self._devices_read = self.ops.latest("Could not load the devices")
        self._build()
        self._update_actions()

    # layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.setSpacing(8)
        header = PageHeader(
            "Companies & Sites",
            "Your clients and their sites. Devices appear here once their agents report in.",
            self)
        outer.addWidget(header)

        outer.addLayout(self._build_toolbar())
        self.notice = NoticeBar(self)
        self.notice.float_over(header)  # a message moves nothing under the pointer
        self.ops.notice = self.notice
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_tree(splitter))
        splitter.addWidget(self._build_detail(splitter))
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([360, 700])  # the site tabs need the room (seven Help Desk tabs)
        outer.addWidget(splitter, 1)
        self._show_detail(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree and event.type() == QEvent.Type.Resize:
            # the site's package is in the detail line too; names matter more when narrow
            self.tree.setColumnHidden(HierarchyModel.COL_PACKAGE,
                                      self.tree.width() < SHOW_PACKAGE_WIDTH)
        return super().eventFilter(watched, event)

    def _build_toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.search = QLineEdit(self)
        self.search.setObjectName("companySearch")
        self.search.setPlaceholderText("Search companies and sites")
        self.search.setAccessibleName("Search companies and sites")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.search.textChanged.connect(self._apply_filter)
        bar.addWidget(self.search)
        self.new_company_button = self._button("New Company…", "newCompany",
                                               QStyle.StandardPixmap.SP_FileDialogNewFolder,
                                               self.new_company)
        self.new_site_button = self._button("New Site…", "newSite",
                                            QStyle.StandardPixmap.SP_FileIcon, self.new_site)
        self.rename_button = self._button("Rename", "rename", None, self.rename_selected)
        self.delete_button = self._button("Delete…", "delete",
                                          QStyle.StandardPixmap.SP_TrashIcon,
                                          self.delete_selected)
        bar.addStretch(1)
        for button in (self.new_company_button, self.new_site_button, self.rename_button,
                       self.delete_button):
            bar.addWidget(button)
        return bar

    def _build_tree(self, splitter: QSplitter) -> QTreeView:
        self.model = HierarchyModel(self)
        self.model.rename_requested.connect(self._on_renamed_inline)
        self.tree = QTreeView(splitter)
        self.tree.setObjectName("hierarchyTree")
        self.tree.setAccessibleName("Companies and sites")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # F2 (or Rename) renames; a click on the selected site only selects it
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        header = self.tree.header()
        header.setResizeContentsPrecision(100)  # fit columns to the first rows, not all
        header.setStretchLastSection(False)
        header.setSectionResizeMode(HierarchyModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(HierarchyModel.COL_PACKAGE,
                                    QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HierarchyModel.COL_DEVICES,
                                    QHeaderView.ResizeMode.ResizeToContents)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.tree.setMinimumWidth(TREE_MIN_WIDTH)
        self.tree.installEventFilter(self)  # narrow: the Package column gives way to names
        delete = QAction("Delete", self.tree)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_selected)
        self.tree.addAction(delete)
        return self.tree

    def _build_detail(self, splitter: QSplitter) -> QWidget:
        detail = QWidget(splitter)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(8, 0, 0, 0)
        detail_layout.setSpacing(4)
        self.detail_title = section_title("", detail)
        self.detail_info = muted_label("", detail)
        self.detail_info.setWordWrap(True)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail_info)
        self.detail_stack = QStackedWidget(detail)
        self.empty_label = muted_label("Select a site to see its devices.", detail)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.device_model = DeviceTableModel(self)
        self.device_view = QTableView(detail)
        self.device_view.setObjectName("deviceTable")
        self.device_view.setAccessibleName("Devices of the selected site")
        self.device_view.setModel(self.device_model)
        self.device_view.setSortingEnabled(True)
        self.device_view.sortByColumn(DeviceTableModel.COL_NAME, Qt.SortOrder.AscendingOrder)
        self.device_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.device_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.device_view.setTabKeyNavigation(False)  # Tab leaves; the arrow keys move in it
        self.device_view.setAlternatingRowColors(True)
        self.device_view.verticalHeader().hide()
        self.device_view.setShowGrid(False)
        dheader = self.device_view.horizontalHeader()
        dheader.setHighlightSections(False)
        dheader.setSectionResizeMode(DeviceTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (DeviceTableModel.COL_KIND, DeviceTableModel.COL_OS,
                    DeviceTableModel.COL_OVERRIDES):
            dheader.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.site_tabs.setParent(detail)
        self.site_tabs.insertTab(0, self.device_view, "Devices")
        self.site_tabs.setCurrentIndex(0)
        # Tab: the tree, the site's tab bar, then the tab's content (the devices)
        QWidget.setTabOrder(self.site_tabs.tabBar(), self.device_view)
        self.detail_stack.addWidget(self.empty_label)
        self.detail_stack.addWidget(self.site_tabs)
        detail_layout.addWidget(self.detail_stack, 1)
        return detail

    def _button(self, text: str, name: str, icon: QStyle.StandardPixmap | None,
                slot: Any) -> QPushButton:
        return push_button(self, text, name, icon, slot)

    # loading
    def refresh(self) -> None:
        """Reload companies and sites off the GUI thread; `refreshed` fires when shown."""
        self.loading = True
        if self._select_after is None:
            self._select_after = self.current_id()
        self._tree_read.run(self._load, self._on_loaded, self._on_load_error)

    def _load(self) -> tuple[list[CompanyView], list[SiteView]]:
        return self.companies.all(), self.sites.all()

    def _on_load_error(self, exc: BaseException) -> None:
        self.loading = False
        present_failure(exc, self.notice, "Could not load the companies")
        self.refreshed.emit()

    def _on_loaded(self, result: tuple[list[CompanyView], list[SiteView]]) -> None:
        self.loading = False
        self._companies, self._sites = result
        self._apply_filter()
        self.refreshed.emit()

    def _apply_filter(self, *_args: Any) -> None:
        keep = self._select_after or self.current_id()
        self._select_after = None
        needle = self.search.text().strip().casefold()
        if needle:
            hits = {c.id for c in self._companies if needle in c.name.casefold()}
            sites = [s for s in self._sites
                     if s.company_id in hits or needle in s.name.casefold()]
            owners = hits | {s.company_id for s in sites}
            companies = [c for c in self._companies if c.id in owners]
        else:
            companies, sites = self._companies, self._sites
        self.model.set_rows(companies, sites)
        if len(sites) <= EXPAND_ALL_LIMIT:
            self.tree.expandAll()
        if not self.select(keep) and not self._shown_once and self.model.sites():
            self.select(self.model.sites()[0].id)  # first visit: show a site's devices
        self._shown_once = True
        if not self.tree.currentIndex().isValid():
            self._show_detail(None)

    def show_tab(self, title: str, group: str | None = None) -> None:
        """Bring a tab of the selected site forward (e.g. "Client Profiles" of "Help Desk")."""
        self.site_tabs.show_tab(title, group)

    def focus_search(self) -> None:
        if self.site_tabs.focus_search():  # Ctrl+F inside a site tab: that tab's filter
            return
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # selection
    def current_item(self) -> CompanyView | SiteView | None:
        return self.model.item(self.tree.currentIndex())

    def current_id(self) -> str | None:
        item = self.current_item()
        return item.id if item is not None else None

    def select_site(self, ref: str) -> bool:
        """Select the site with this id or exact name (as loaded); False if there is none."""
        found = [s for s in self._sites if ref in (s.id, s.name)]
        return len(found) == 1 and self.select(found[0].id)

    def select(self, item_id: str | None) -> bool:
        if not item_id:
            return False
        index = self.model.company_index(item_id)
        if not index.isValid():
            index = self.model.site_index(item_id)
        if not index.isValid():
            return False
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(index)
        return True

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.model.item(current))
        self._update_actions()

    def _show_detail(self, item: CompanyView | SiteView | None) -> None:
        self._devices_read.cancel()
        if isinstance(item, SiteView):
            self.detail_title.setText(item.name)
            package = (f"Package: {item.package}" if item.package
                       else "Inherits the default package")
            self.detail_info.setText(f"{item.company} · {package} · "
                                     f"{plural(item.device_count, 'device')}")
            self.detail_stack.setCurrentWidget(self.site_tabs)
            self.site_tabs.set_site(item)
            self._load_devices(item.id)
            return
        self.site_tabs.set_site(None)
        self.device_model.set_rows([])
        self.detail_stack.setCurrentWidget(self.empty_label)
        if isinstance(item, CompanyView):
            sites = self.model.sites(item.id)
            devices = sum(s.device_count for s in sites)
            self.detail_title.setText(item.name)
            self.detail_info.setText(f"Company · {plural(len(sites), 'site')} · "
                                     f"{plural(devices, 'device')}")
            self.empty_label.setText("Select one of its sites to see the devices.")
        else:
            self.detail_title.setText("No selection")
            self.detail_info.setText("")
            self.empty_label.setText("Select a site to see its devices." if self._companies
                                     else "No companies yet: start with New Company.")

    def _load_devices(self, site_id: str) -> None:
        def shown(rows: list[DeviceView]) -> None:
            self.device_model.set_rows(rows)
            self.devices_loaded.emit()

        self._devices_read.run(lambda: self.devices.all(site_id), shown)

    def _update_actions(self) -> None:
        item = self.current_item()
        self.new_site_button.setEnabled(item is not None)
        self.rename_button.setEnabled(item is not None)
        self.delete_button.setEnabled(item is not None)

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction("New Company…", self.new_company)
        if self.current_item() is not None:
            menu.addAction("New Site…", self.new_site)
            menu.addSeparator()
            menu.addAction("Rename", self.rename_selected)
            menu.addAction("Delete…", self.delete_selected)
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    # messages
    def _undo_error(self, message: str) -> None:
        self.notice.show_message(as_sentence(message), "error")

    def _command_hooks(self) -> dict[str, Any]:
        return {"queue": self.ops, "on_done": self._after_undo,
                "on_error": self._undo_error,
                "tell": lambda text: self.notice.show_message(text, "info")}

    def _after_undo(self, select: str | None) -> None:
        self._select_after = select
        self.refresh()

    # actions
    def new_company(self) -> None:
        name = self.dialogs.ask_text("New Company", "Company name:")
        if name is None or not name.strip():
            return
        name = name.strip()

        def created(company: CompanyView) -> None:
            self.undo_stack.push(CreateCompanyCommand(
                self.companies, Handle(company.id), company.name, **self._command_hooks()))
            self.notice.show_message(f"Company '{company.name}' created. Add its sites with "
                                     "New Site.", "success")
            self._select_after = company.id
            self.refresh()

        self.ops.write(lambda: self.companies.create(name), created,
                       what="Could not create the company")

    def _company_of_current(self) -> CompanyView | None:
        item = self.current_item()
        if isinstance(item, CompanyView):
            return item
        if isinstance(item, SiteView):
            return next((c for c in self._companies if c.id == item.company_id), None)
        return None

    def new_site(self) -> None:
        company = self._company_of_current()
        if company is None:
            self.notice.show_message("Select the company the new site belongs to.", "info")
            return
        name = self.dialogs.ask_text("New Site", f"Name of the new site of {company.name}:")
        if name is None or not name.strip():
            return
        name = name.strip()

        def created(site: SiteView) -> None:
            self.undo_stack.push(CreateSiteCommand(
                self.sites, Handle(site.id), company.id, site.name, **self._command_hooks()))
            self.notice.show_message(f"Site '{site.name}' created for {company.name}.",
                                     "success")
            self._select_after = site.id
            self.refresh()

        self.ops.write(lambda: self.sites.create(company.id, name), created,
                       what="Could not create the site")

    def rename_selected(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            self.tree.edit(index.siblingAtColumn(HierarchyModel.COL_NAME))

    def rename(self, kind: str, item_id: str, name: str) -> None:
        """Rename a company or site (what the inline editor calls)."""
        items: list[CompanyView | SiteView] = [*self._companies, *self._sites]
        before = next((i.name for i in items if i.id == item_id), "")
        service: CompanyService | SiteService = self.companies if kind == COMPANY else self.sites

        def renamed(view: CompanyView | SiteView) -> None:
            self.undo_stack.push(RenameCommand(service, kind, item_id, before, view.name,
                                               **self._command_hooks()))
            self.notice.show_message(f"Renamed '{before}' to '{view.name}'.", "success")
            self._select_after = item_id
            self.refresh()

        def failed(exc: BaseException) -> None:
            present_failure(exc, self.notice, f"Could not rename '{before}'")
            self._select_after = item_id
            self.refresh()  # puts the old name back in the tree

        self.ops.write(lambda: service.rename(item_id, name), renamed, on_failure=failed)

    def _on_renamed_inline(self, kind: str, item_id: str, name: str) -> None:
        self.rename(kind, item_id, name)

    def delete_selected(self) -> None:
        """Count what goes with the company or site, say it, and delete it all when the user
        agrees; undo (Ctrl+Z) brings everything back."""
        item = self.current_item()
        if item is None:
            return
        service: CompanyService | SiteService
        if isinstance(item, CompanyView):
            kind, service, select_after = COMPANY, self.companies, None
        else:
            kind, service, select_after = SITE, self.sites, item.company_id
        item_id, name = item.id, item.name

        def ask(preview: Removal) -> None:
            question = f"Delete {preview.title}?"
            details = (f"With it go {preview.summary()}. Undo (Ctrl+Z) brings all of it "
                       "back.")
            if self.dialogs.confirm(f"Delete {kind.capitalize()}", question,
                                    f"Delete {kind.capitalize()}", destructive=True,
                                    details=details):
                self.ops.write(lambda: service.delete(item_id), deleted,
                               what=f"Could not delete '{name}'")

        def deleted(removal: Removal) -> None:
            self.undo_stack.push(DeleteCommand(service, removal, select_after=select_after,
                                               **self._command_hooks()))
            self.notice.show_message(
                f"Deleted {removal.title} with {removal.summary()}. Undo brings it back.",
                "success")
            self._select_after = select_after
            self.refresh()

        self.ops.write(lambda: service.preview_delete(item_id), after_queue(self, ask),
                       what=f"Could not delete '{name}'")
