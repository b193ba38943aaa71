"""The site's Passwords tab (seed 004): Servers, Desktops, Lights Out Management,
Applications, Custom Passwords & Properties — a table per kind, the selected item's details
with its secrets masked (Reveal, Copy), add / edit / delete, search, generator, import/export.

Lists need no key (titles, usernames and URLs are plain in the vault), so a locked vault still
lists the site's items; a banner says it is locked and offers Unlock, and every action that
needs a secret is disabled. Service calls run off the GUI thread; writes go in order through the
workspace's one write queue (`ui.ops`). Vault edits are not put on the undo stack: an undo entry
would keep plaintext secrets in memory after the vault locks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.views import SiteView
from app.vault.items import KINDS, ItemView
from ui.ops import PageOps, present_failure
from ui.vault import exchange_actions, item_actions
from ui.vault.detail import ItemDetail
from ui.vault.generator import PasswordGeneratorDialog, open_generator
from ui.vault.item_form import ItemDialog, ItemInput
from ui.vault.item_model import VaultItemModel, haystack
from ui.vault.kind_tabs import KindTabs, tab_text
from ui.vault.session import LOCKED, NONE, UNAVAILABLE, UNLOCKED, VaultSession
from ui.vault.unlock_dialog import request_unlock
from ui.vault.vault_dialogs import VaultDialogs
from ui.widgets.buttons import push_button
from ui.widgets.policy_common import NoticeBar, as_sentence
from ui.widgets.row_table import row_table

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext


BANNERS = {
    NONE: ("This workspace has no password vault yet. Create one to keep the site's "
           "passwords, encrypted with a master password.", "Create Vault…"),
    LOCKED: ("The vault is locked: titles and usernames are listed, passwords and notes "
             "need the master password.", "Unlock…"),
}


class PasswordsTab(QWidget):
    loaded = Signal()  # the site's items were (re)loaded and shown

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordsTab")
        self.session: VaultSession = context.vault_session
        session = self.session
        self.dialogs: VaultDialogs | Any = VaultDialogs(self)
        # vault edits are not undoable, but they share the workspace's write queue
        self.ops = PageOps.of(self, context)
        self._list_read = self.ops.latest()  # a newer reload supersedes an older one
        self.site: SiteView | None = None
        self.items: list[ItemView] = []
        self._haystacks: list[str] = []
        self.models: dict[str, VaultItemModel] = {}
        self.tables: dict[str, QTableView] = {}
        self.item_dialog: ItemDialog | None = None
        self.generator: PasswordGeneratorDialog | None = None
        self.csv_dialog: QDialog | None = None
        self.vault_dialog: QDialog | None = None
        self._build()
        session.state_changed.connect(self._state_changed)
        if session.state == "loading":
            session.load()
        self._state_changed(session.state)

    # layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        top = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("passwordSearch")
        self.search.setPlaceholderText("Search this site's passwords (title, username, "
                                       "URL / host, application)")
        self.search.setAccessibleName("Search passwords")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.apply_filter())
        self.count = QLabel(self)
        self.count.setObjectName("passwordCount")
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        layout.addLayout(top)
        layout.addLayout(self._build_bar())
        self.notice = NoticeBar(self)
        self.ops.notice = self.notice
        layout.addWidget(self._build_banner())
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        self.kinds = KindTabs(splitter)
        for index, (kind, label) in enumerate(KINDS.items()):
            self.kinds.addTab(self._build_table(kind), tab_text(label, 0))
            self.kinds.setTabToolTip(index, label)
        self.kinds.currentChanged.connect(lambda _i: self._selection_changed())
        self.detail = ItemDetail(self.reveal, self.copy_secret, splitter)
        splitter.addWidget(self.kinds)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([300, 220])
        layout.addWidget(splitter, 1)
        self.notice.float_over(self.kinds, edge="bottom")  # no row moves under the pointer

    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        icon = QStyle.StandardPixmap
        self.add_button = self._button("Add…", "addVaultItem", icon.SP_FileIcon, self.add_item)
        self.edit_button = self._button("Edit…", "editVaultItem", None, self.edit_selected)
        self.delete_button = self._button("Delete", "deleteVaultItem", icon.SP_TrashIcon,
                                          self.delete_selected)
        self.generator_button = self._button("Generator…", "passwordGeneratorButton", None,
                                             self.open_generator)
        self.import_button = self._button("Import", "importPasswords", icon.SP_ArrowDown, None)
        self.export_button = self._button("Export", "exportPasswords",
                                          icon.SP_DialogSaveButton, None)
        self.import_encrypted_action = self._menu_action(
            self.import_button, "Encrypted Preflight Export…",
            lambda: exchange_actions.import_encrypted(self))
        self.import_csv_action = self._menu_action(
            self.import_button, "IT Glue / Hudu CSV…", lambda: exchange_actions.import_csv(self))
        self.export_encrypted_action = self._menu_action(
            self.export_button, "Encrypted (Password-Protected)…",
            lambda: exchange_actions.export_encrypted(self))
        self.export_plaintext_action = self._menu_action(
            self.export_button, "Clear-Text CSV (Unencrypted)…",
            lambda: exchange_actions.export_plaintext(self))
        for button in (self.add_button, self.edit_button, self.delete_button,
                       self.generator_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.export_button)
        return bar

    def _build_banner(self) -> QFrame:
        self.banner = QFrame(self)
        self.banner.setObjectName("vaultLockedBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(10, 6, 6, 6)
        lock = QLabel(self.banner)
        lock.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(16, 16))
        self.banner_text = QLabel(self.banner)
        self.banner_text.setObjectName("vaultLockedText")
        self.banner_text.setWordWrap(True)
        self.unlock_button = QPushButton(self.banner)
        self.unlock_button.setObjectName("unlockVaultButton")
        self.unlock_button.clicked.connect(lambda _c=False: self.open_unlock())
        row.addWidget(lock, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.unlock_button)
        return self.banner

    def _build_table(self, kind: str) -> QTableView:
        model = VaultItemModel(self)
        table = row_table(model, self, f"vaultTable_{kind}", f"{KINDS[kind]} of the site",
                          VaultItemModel.COL_TITLE)
        header = table.horizontalHeader()
        header.setSectionResizeMode(VaultItemModel.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setDefaultSectionSize(120)
        header.resizeSection(VaultItemModel.COL_SECRETS, 110)
        table.setColumnHidden(VaultItemModel.COL_UPDATED, True)  # narrow panel: on request
        table.setColumnHidden(VaultItemModel.COL_APPLICATION, kind != "application")
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        table.selectionModel().currentChanged.connect(lambda *_a: self._selection_changed())
        model.modelReset.connect(self._selection_changed)
        table.doubleClicked.connect(lambda _i: self.edit_selected())
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._table_action(table, "Copy Username", None, self.copy_username)
        self._table_action(table, "Copy Password", QKeySequence("Ctrl+Shift+C"),
                           self.copy_password)
        self._table_action(table, "Edit…", QKeySequence(Qt.Key.Key_Return), self.edit_selected)
        self._table_action(table, "Delete", QKeySequence(QKeySequence.StandardKey.Delete),
                           self.delete_selected)
        self.models[kind] = model
        self.tables[kind] = table
        return table

    @staticmethod
    def _table_action(table: QTableView, text: str, key: QKeySequence | None,
                      slot: Any) -> QAction:
        action = QAction(text, table)
        if key is not None:
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda _c=False: slot())
        table.addAction(action)
        return action

    def _button(self, text: str, name: str, icon: QStyle.StandardPixmap | None,
                slot: Any) -> QPushButton:
        return push_button(self, text, name, icon, slot)

    def _menu_action(self, button: QPushButton, text: str, slot: Any) -> QAction:
        menu = button.findChild(QMenu)  # PySide's stubs say menu() is never None
        if not isinstance(menu, QMenu):
            menu = QMenu(button)
            button.setMenu(menu)
        action = menu.addAction(text)
        action.triggered.connect(lambda _c=False: slot())
        return action

    # state
    def _state_changed(self, state: str) -> None:
        banner = BANNERS.get(state)
        if state == UNAVAILABLE:
            banner = (as_sentence(f"The vault cannot be used: {self.session.problem}"), "")
        self.banner.setVisible(banner is not None and self.site is not None)
        if banner is not None:
            self.banner_text.setText(banner[0])
            self.unlock_button.setText(banner[1])
            self.unlock_button.setVisible(bool(banner[1]))
        self.detail.set_unlocked(state == UNLOCKED)
        if state == NONE:
            self.items, self._haystacks = [], []
        self.apply_filter()  # the placeholder follows the state
        self._update_actions()

    def _update_actions(self, *_args: Any) -> None:
        usable = self.site is not None and self.session.state == UNLOCKED
        selected = self.current_item() is not None
        self.add_button.setEnabled(usable)
        self.edit_button.setEnabled(usable and selected)
        self.delete_button.setEnabled(usable and selected)
        self.generator_button.setEnabled(self.session.state != "loading")
        for action in (self.import_encrypted_action, self.import_csv_action,
                       self.export_encrypted_action, self.export_plaintext_action):
            action.setEnabled(usable)
        self.import_button.setEnabled(usable)
        self.export_button.setEnabled(usable)

    def open_unlock(self) -> QDialog | None:
        if self.session.state not in (LOCKED, NONE):
            return None
        return request_unlock(self.session, self.window(),
                              lambda dialog: setattr(self, "vault_dialog", dialog))

    # the site
    def set_site(self, site: SiteView | None) -> None:
        if site is None or self.site is None or site.id != self.site.id:
            self.search.clear()
            self.notice.clear()
            self.items, self._haystacks = [], []
            self.apply_filter()
        self.site = site
        self._state_changed(self.session.state)
        self.refresh()

    def refresh(self) -> None:
        """Reload the site's items (no secrets) off the GUI thread; `loaded` when shown."""
        site = self.site
        if site is None:
            self._list_read.cancel()
            self.items, self._haystacks = [], []
            self.apply_filter()
            self.loaded.emit()
            return
        keep = self.current_id()

        def shown(items: list[ItemView]) -> None:
            self.items = items
            self._haystacks = [haystack(i) for i in items]
            self.apply_filter(keep)
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            self.report(exc, "Could not load the passwords")
            self.loaded.emit()

        session = self.session
        self._list_read.run(lambda: session.service().items.list(site.id), shown, failed)

    def apply_filter(self, keep: str | None = None) -> None:
        keep = keep or self.current_id()
        needle = self.search.text().strip().casefold()
        shown = [i for i, text in zip(self.items, self._haystacks, strict=True)
                 if not needle or needle in text]
        for index, (kind, label) in enumerate(KINDS.items()):
            rows = [i for i in shown if i.kind == kind]
            self.models[kind].set_rows(rows)
            self.kinds.setTabText(index, tab_text(label, len(rows)))
        total = len(self.items)
        self.count.setText(f"{len(shown):,} of {total:,}" if needle
                           else f"{total:,} item{'' if total == 1 else 's'}")
        self.detail.set_placeholder(
            "" if self.session.state == NONE
            else "Nothing matches the search." if needle and not shown
            else "No passwords for this site yet. Add… them one by one, or Import an IT Glue "
                 "/ Hudu CSV export." if not total and self.site is not None
            else "Select an item to see its details.")
        if keep:
            self.select(keep)
        self._selection_changed()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # selection
    def current_kind(self) -> str:
        return list(KINDS)[max(self.kinds.currentIndex(), 0)]

    def current_item(self) -> ItemView | None:
        table = self.tables[self.current_kind()]
        index = table.currentIndex()
        if not index.isValid() or not table.selectionModel().isSelected(index):
            return None
        return self.models[self.current_kind()].row_or_none(index.row())

    def current_id(self) -> str | None:
        item = self.current_item()
        return item.id if item is not None else None

    def select(self, item_id: str) -> bool:
        for index, kind in enumerate(KINDS):
            row = self.models[kind].find_row(item_id)
            if row >= 0:
                self.kinds.setCurrentIndex(index)
                table = self.tables[kind]
                table.selectionModel().setCurrentIndex(
                    self.models[kind].index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                return True
        return False

    def _selection_changed(self, *_args: Any) -> None:
        item = self.current_item()
        if item is None or self.detail.item is None or item != self.detail.item:
            self.detail.show_item(item)
        self._update_actions()

    # secrets
    def reveal(self, item_id: str, field: str, on_value: Any) -> None:
        self.session.call(lambda vault: vault.items.reveal(item_id, field), on_value,
                          lambda exc: self.report(exc, "Could not reveal the secret"),
                          owner=self)

    def copy_username(self) -> None:
        item = self.current_item()
        if item is not None and item.username:
            QGuiApplication.clipboard().setText(item.username)  # not a secret: no clearing
            self.notice.show_message(f"Copied the username of {item.title}.", "success")

    def copy_password(self) -> None:
        item = self.current_item()
        if item is not None and item.has_password and self.session.state == UNLOCKED:
            self.reveal(item.id, "password", self.copy_secret)

    def copy_secret(self, text: str) -> None:
        self.session.clipboard.copy(text)
        seconds = round(self.session.clipboard.clear_after_ms / 1000)
        self.notice.show_message(f"Copied. The clipboard is cleared in {seconds} seconds.",
                                 "success", expire_ms=self.session.clipboard.clear_after_ms)

    # add / edit / delete
    def add_item(self) -> ItemDialog | None:
        if self.site is None or self.session.state != UNLOCKED:
            return None
        return self.open_form("Add Password", self.current_kind(), None, None)

    def edit_selected(self) -> None:
        item = self.current_item()
        if item is not None and self.session.state == UNLOCKED:
            item_actions.open_edit(self, item)

    def open_form(self, title: str, kind: str, item_id: str | None,
                   start: ItemInput | None) -> ItemDialog:
        dialog = ItemDialog(title, kind, start, self._generate_into, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda value: item_actions.save(self, dialog, item_id, value))
        dialog.finished.connect(lambda _r, d=dialog: self._forget_form(d))
        self.item_dialog = dialog
        dialog.open()
        return dialog

    def _forget_form(self, dialog: ItemDialog) -> None:
        if self.item_dialog is dialog:
            self.item_dialog = None

    def reload_selecting(self, item_id: str | None) -> None:
        """Reload, then select `item_id` once the rows are shown."""
        self.refresh()
        if item_id:
            self.loaded.connect(lambda i=item_id: self.select(i),
                                Qt.ConnectionType.SingleShotConnection)

    def delete_selected(self) -> None:
        item = self.current_item()
        if item is not None and self.session.state == UNLOCKED:
            item_actions.delete(self, item)

    # generator
    def open_generator(self) -> PasswordGeneratorDialog:
        self.generator = open_generator(self._generator_service(), self.copy_secret,
                                        self.window())
        return self.generator

    def _generate_into(self, parent: QWidget, use: Any) -> PasswordGeneratorDialog:
        self.generator = open_generator(self._generator_service(), self.copy_secret, parent,
                                        on_use=use)
        return self.generator

    def _generator_service(self) -> Any:
        return self.session.service().generator

    # messages
    def report(self, exc: BaseException, what: str) -> None:
        """The default presenter, and a file that cannot be read or written is the user's."""
        if isinstance(exc, OSError):
            self.notice.show_message(f"{what}: {exc.strerror or exc}.", "error")
        else:
            present_failure(exc, self.notice, what)


__all__ = ["PasswordsTab"]
