"""Help Desk → Client Profiles of one site: the profiles table, add / edit / delete one by one
(undoable on the window's shared stack), Import… (the wizard; a finished import is one command
on that stack too, wherever the wizard was opened from) and Export… (XLSX or CSV).

The table is filtered in Python (one substring test per profile on text lower-cased once per
load) and fed with `set_rows` (docs/architecture.md §5). Service calls run off the GUI thread;
writes and their undo/redo go through the workspace's one write queue (`ui.ops`), in order.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gcpause import keep_out_of_collections, paused_gc
from app.profiles import Profile, ProfileKey
from app.services.views import SiteView
from ui.ops import PageOps, present_failure
from ui.profiles.commands import (
    AddProfileCommand,
    DeleteProfileCommand,
    EditProfileCommand,
    person,
)
from ui.profiles.import_wizard import ImportWizard
from ui.profiles.profile_dialogs import ProfileDialogs
from ui.profiles.profile_events import profile_events, push_import
from ui.profiles.profile_form import ProfileDialog
from ui.profiles.profile_model import ProfileTableModel, haystacks
from ui.profiles.text_filter import TextFilter
from ui.widgets.buttons import push_button
from ui.widgets.page_header import muted_label
from ui.widgets.policy_common import NoticeBar, as_sentence

if TYPE_CHECKING:
    from app.services.profiles import ImportResult, ProfileRecord, ProfileService
    from ui.workspace_context import WorkspaceContext


MAX_WIDTH = 240  # a column fitted to its contents is at most this wide
STATUS_MS = 8000  # how long a message stays in the window's status bar
# From this many profiles a load is frozen out of garbage collection (gcpause): small sites do
# not stall, and freezing after every refresh would keep more of the process out of the
# cycle collector than needed.
FREEZE_FROM = 10_000


def safe_file_name(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in " -_." else "_" for ch in text).strip() or "site"


class ClientProfilesTab(QWidget):
    loaded = Signal()  # the profiles of the site were (re)loaded and shown

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientProfilesTab")
        self.service: ProfileService = context.workspace.profiles
        self.undo_stack = undo_stack = context.undo_stack
        self.dialogs: ProfileDialogs | Any = ProfileDialogs(self)
        self.ops = PageOps.of(self, context)  # the notice bar comes in _build
        self._list_read = self.ops.latest()  # a newer reload supersedes an older one
        events = profile_events(undo_stack)  # an import from the File menu or a drop
        events.changed.connect(self.reload_if_showing)
        events.said.connect(self.show_notice)
        self.site: SiteView | None = None
        self.records: list[ProfileRecord] = []
        self._haystacks: list[str] = []
        self._fitted = False  # columns fitted to the shown site's profiles
        self.text_filter = TextFilter()
        self._select_after: str | None = None
        self.profile_dialog: ProfileDialog | None = None
        self.wizard: ImportWizard | None = None
        self._build()
        self._update_actions()

    # layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        top = QHBoxLayout()
        bar = QHBoxLayout()
        self.filter = QLineEdit(self)
        self.filter.setObjectName("profileFilter")
        self.filter.setPlaceholderText("Filter profiles (name, email, phone, computer)")
        self.filter.setAccessibleName("Filter profiles")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.apply_filter)
        top.addWidget(self.filter, 1)
        self.count = QLabel(self)
        self.count.setObjectName("profileCount")
        top.addWidget(self.count)
        icon = QStyle.StandardPixmap
        self.add_button = self._button("Add…", "addProfile", icon.SP_FileIcon, self.add_profile)
        self.edit_button = self._button("Edit…", "editProfile", None, self.edit_selected)
        self.delete_button = self._button("Delete", "deleteProfile", icon.SP_TrashIcon,
                                          self.delete_selected)
        self.import_button = self._button("Import…", "importProfiles", icon.SP_ArrowDown,
                                          self.open_import)
        self.export_button = self._button("Export…", "exportProfiles", icon.SP_DialogSaveButton,
                                          self.export)
        for button in (self.add_button, self.edit_button, self.delete_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.export_button)
        layout.addLayout(top)
        layout.addLayout(bar)
        self.notice = NoticeBar(self)
        self.ops.notice = self.notice
        self.empty = muted_label("No client profiles yet. Add them one by one, Import… a "
                                 "spreadsheet in the client-profile template, or drop an "
                                 ".xlsx, .ods or .csv file on the window.", self)
        self.empty.setObjectName("noProfiles")
        self.empty.setWordWrap(True)
        self.empty.hide()
        layout.addWidget(self.empty)
        layout.addWidget(self._build_table(), 1)
        self.notice.float_over(self.table, edge="bottom")  # no row moves under the pointer

    def _build_table(self) -> QTableView:
        self.model = ProfileTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("profileTable")
        self.table.setAccessibleName("Client profiles of the site")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ProfileTableModel.COL_LAST, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sorted)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves; the arrow keys move in it
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultSectionSize(120)
        header.setResizeContentsPrecision(40)  # fit columns to a screenful of rows, not all
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().currentChanged.connect(lambda *_a: self._update_actions())
        self.model.modelReset.connect(self._update_actions)
        self._shortcut(QKeySequence.StandardKey.Delete, self.delete_selected, "Delete profile")
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._shortcut(QKeySequence(key), self.edit_selected, "Edit profile")
        self._shortcut(QKeySequence(Qt.Key.Key_Insert), self.add_profile, "Add profile")
        return self.table

    def _shortcut(self, key: QKeySequence | QKeySequence.StandardKey, slot: Any,
                  text: str) -> None:
        action = QAction(text, self.table)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda _c=False: slot())
        self.table.addAction(action)

    def _button(self, text: str, name: str, icon: QStyle.StandardPixmap | None,
                slot: Any) -> QPushButton:
        return push_button(self, text, name, icon, slot)

    # the site
    def set_site(self, site: SiteView | None) -> None:
        changed = site is None or self.site is None or site.id != self.site.id
        self.site = site
        if changed:
            self._fitted = False  # fit the columns to this site's profiles once
            self.filter.clear()
            self.notice.clear()
            self.records, self._haystacks = [], []
            self.text_filter.set([], [])
            self.model.set_rows([])
        self.refresh()

    def refresh(self) -> None:
        """Reload the site's profiles off the GUI thread; `loaded` fires when shown."""
        site = self.site
        if site is None:
            self._list_read.cancel()
            self.records, self._haystacks = [], []
            self.text_filter.set([], [])
            self.apply_filter()
            self.loaded.emit()
            return
        if self._select_after is None:
            self._select_after = self.current_id()

        order = self.model.order

        def load() -> tuple[list[ProfileRecord], list[str]]:
            with paused_gc():  # 100k records make no cycles; full collections stall the GUI
                records = self.service.list(site.id)
                positions = order(records)
                records = [records[i] for i in positions]
                loaded = records, haystacks(records)
                if len(records) >= FREEZE_FROM:  # or the next pass scans them all at once
                    keep_out_of_collections()
                return loaded

        def shown(result: tuple[list[ProfileRecord], list[str]]) -> None:
            self.records, self._haystacks = result
            self.text_filter.set(*result)
            self.apply_filter()
            if not self._fitted and self.records:
                self._fit_columns()  # once per site: a refresh after an edit keeps the widths
                self._fitted = True
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            present_failure(exc, self.notice, "Could not load the client profiles")
            self.loaded.emit()

        self._list_read.run(load, shown, failed)

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()  # over the first 100 rows
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.resizeSection(column, min(max(header.sectionSize(column), 60), MAX_WIDTH))

    def reload_if_showing(self, site_id: str) -> None:
        if self.site is not None and self.site.id == site_id:
            self.refresh()

    def apply_filter(self, *_args: Any) -> None:
        keep = self._select_after or self.current_id()
        self._select_after = None
        needle = self.filter.text().strip().casefold()
        rows = self.text_filter.matching(needle)
        self.model.set_rows(rows, in_order=True)
        total = len(self.records)
        self.empty.setVisible(total == 0 and self.site is not None)
        self.count.setText(f"{len(rows):,} of {total:,}" if needle else
                           f"{total:,} profile{'' if total == 1 else 's'}")
        if keep:
            self.select(keep)

    def _sorted(self, *_args: Any) -> None:
        """The view sorted the shown rows; keep all records in that order too."""
        positions = self.model.order(self.records)
        self.records = [self.records[i] for i in positions]
        self._haystacks = [self._haystacks[i] for i in positions]
        self.text_filter.set(self.records, self._haystacks)

    def focus_search(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    # selection
    def current_record(self) -> ProfileRecord | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isSelected(index):
            return None
        return self.model.record(index.row())

    def current_id(self) -> str | None:
        record = self.current_record()
        return record.id if record is not None else None

    def select(self, profile_id: str) -> bool:
        row = self.model.find_row(profile_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def _update_actions(self, *_args: Any) -> None:
        has_site = self.site is not None
        selected = self.current_record() is not None
        for button in (self.add_button, self.import_button, self.export_button):
            button.setEnabled(has_site)
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    # messages
    def _export_failed(self, exc: BaseException, what: str) -> None:
        """A file that cannot be written (full disk, no permission) is the user's to fix."""
        if isinstance(exc, OSError):
            self.notice.show_message(f"{what}: {exc.strerror or exc} ({exc.filename or ''}).",
                                     "error")
        else:
            present_failure(exc, self.notice, what)

    def _hooks(self) -> dict[str, Any]:
        return {"queue": self.ops, "on_done": self._after_undo,
                "on_error": lambda message: self.notice.show_message(as_sentence(message),
                                                                     "error"),
                "tell": lambda text: self.say(text, "info")}

    def _after_undo(self, select: str | None) -> None:
        self._select_after = select
        self.refresh()

    def say(self, text: str, kind: str = "success") -> None:
        """A message on the tab and in the window's status bar (the tab may be out of sight
        when Edit → Undo runs)."""
        self.show_notice(text, kind)
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, STATUS_MS)

    def show_notice(self, text: str, kind: str = "success") -> None:
        self.notice.show_message(text if kind == "info" else as_sentence(text), kind)

    def push_import(self, result: ImportResult, source: str) -> None:
        """Put a finished import on the undo stack (when it changed anything)."""
        push_import(self.service, result, source, self.undo_stack, self.say)

    def _keys_except(self, profile_id: str | None) -> frozenset[ProfileKey]:
        return frozenset(r.profile.key for r in self.records if r.id != profile_id)

    # add / edit / delete
    def add_profile(self) -> None:
        if self.site is None:
            return
        self._open_form("Add Client Profile", None, None)

    def edit_selected(self) -> None:
        record = self.current_record()
        if record is not None:
            self._open_form(f"Edit {person(record.profile)}", record.id, record.profile)

    def _open_form(self, title: str, profile_id: str | None, profile: Profile | None) -> None:
        dialog = ProfileDialog(title, profile, self._keys_except(profile_id), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._save(profile_id, profile, dialog.profile()))
        dialog.destroyed.connect(lambda _o=None: setattr(self, "profile_dialog", None))
        self.profile_dialog = dialog
        dialog.open()

    def _save(self, profile_id: str | None, before: Profile | None, after: Profile) -> None:
        site = self.site
        if site is None:
            return
        if profile_id is None:
            def added(record: ProfileRecord) -> None:
                self.undo_stack.push(AddProfileCommand(self.service, record.id, after,
                                                       **self._hooks()))
                self.notice.show_message(f"Added {person(after)}.", "success")
                self._after_undo(record.id)

            self.ops.write(lambda: self.service.add(site.id, after), added,
                           what="Could not add the profile")
            return
        if before is None or before == after:
            return

        def updated(record: ProfileRecord) -> None:
            self.undo_stack.push(EditProfileCommand(self.service, record.id, before, after,
                                                    **self._hooks()))
            self.notice.show_message(f"Saved {person(after)}.", "success")
            self._after_undo(record.id)

        self.ops.write(lambda: self.service.update(profile_id, after), updated,
                       what="Could not save the profile")

    def delete_selected(self) -> None:
        record = self.current_record()
        if record is None:
            return
        row = self.table.currentIndex().row()
        following = (self.model.row_at(row + 1).id if row + 1 < self.model.rowCount()
                     else self.model.row_at(row - 1).id if row > 0 else None)

        def deleted(_record: ProfileRecord) -> None:
            self.undo_stack.push(DeleteProfileCommand(self.service, record.id, record.profile,
                                                      **self._hooks()))
            self.notice.show_message(f"Deleted {person(record.profile)}. Undo brings the "
                                     "profile back (Ctrl+Z).", "success")
            self._after_undo(following)

        self.ops.write(lambda: self.service.delete(record.id), deleted,
                       what="Could not delete the profile")

    # import / export
    def open_import(self, path: Path | None = None) -> ImportWizard | None:
        if self.site is None:
            return None
        wizard = open_import_wizard(self.service, self.site, self.dialogs, path, self.window())
        wizard.imported.connect(self.reload_if_showing)
        wizard.import_done.connect(lambda result, w=wizard: self.push_import(
            result, source_name(w)))
        self.wizard = wizard
        return wizard

    def export(self) -> None:
        site = self.site
        if site is None:
            return
        suggested = Path.home() / f"{safe_file_name(site.name)} - client profiles.xlsx"
        path = self.dialogs.export_path("Export Client Profiles", suggested)
        if path is None:
            return
        self.notice.show_message(f"Exporting to {path.name}…", "info")

        def exported(count: int) -> None:
            self.notice.show_message(f"Exported {count:,} profile{'s' if count != 1 else ''} "
                                     f"of {site.name} to {path}.", "success")

        self.ops.read(lambda: self.service.export(site.id, path), exported,
                      on_failure=lambda exc: self._export_failed(exc,
                                                                 f"Could not export to {path}"))


def source_name(wizard: ImportWizard) -> str:
    """The file an import came from, as an undo command names it."""
    return wizard.path.name if wizard.path is not None else "a spreadsheet"


def open_import_wizard(service: ProfileService, site: SiteView, dialogs: Any,
                       path: Path | None, parent: QWidget | None) -> ImportWizard:
    """Open the import wizard (window-modal, not blocking) for `site`, reading `path` if given."""
    wizard = ImportWizard(service, site, dialogs=dialogs, path=path, parent=parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard


__all__ = ["ClientProfilesTab", "open_import_wizard", "source_name"]
