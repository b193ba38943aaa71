"""The Policies page: the policy list (search, type filter) beside the policy editor.

Selecting a policy opens it in the editor; Add Policy starts a new one (Category → Type → Name,
as in seed 000). Create, edit, duplicate and delete go on the workspace's write queue and
onto the shared undo stack (undo is a new change through the service).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PreflightError
from app.services.policies import PolicyService
from app.services.views import PolicyView
from ui.models.policy_models import PolicyTableModel, category_icon, category_label
from ui.ops import PageOps, present_failure, quiet_failure
from ui.undo_commands import (
    CreatePolicyCommand,
    DeletePolicyCommand,
    PolicyHandle,
    UpdatePolicyCommand,
)
from ui.widgets.page_header import PageHeader
from ui.widgets.policy_common import (
    NoticeBar,
    as_sentence,
    muted_color,
)
from ui.widgets.policy_editor import PolicyEditor

if TYPE_CHECKING:
    from app.services.rules import RuleService
    from ui.workspace_context import WorkspaceContext

ALL_TYPES = ""


WIDE_LIST_WIDTH = 520  # narrower: the list shows name and type only (`_fit_columns`)


class PoliciesPage(QWidget):
    refreshed = Signal()  # the list was (re)loaded from the service

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policiesPage")
        self.policies: PolicyService = context.workspace.policies
        self.rules: RuleService = context.workspace.rules  # the Notification Rule pick list
        self.vault_session = context.vault_session  # the editor's PSA API key box stores into it
        self.undo_stack = context.undo_stack
        self.dialogs = context.dialogs
        self._types = self.policies.types()
        self._rows: list[PolicyView] = []
        self._handles: dict[str, PolicyHandle] = {}
        self._select_after: str | None = None
        self._open_after: str | None = None  # a policy to open in the editor once loaded
        self._selecting = False
        self.loading = False
        self._saving = False  # a save is on the write queue
        self.ops = PageOps.of(self, context)  # the notice bar comes in _build
        self._list_read = self.ops.latest()  # an older reload never overwrites a newer one
        self._pick_read = self.ops.latest()
        self._build()

    # layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.setSpacing(8)
        header = PageHeader("Policies", "Policies hold the settings that packages deliver to "
                            "sites and devices. Select a policy to edit it.", self)
        outer.addWidget(header)
        outer.addLayout(self._build_toolbar())
        self.notice = NoticeBar(self)
        self.notice.float_over(header)  # a message moves nothing under the pointer
        self.ops.notice = self.notice
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_table())
        self.splitter.addWidget(self._build_side())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([560, 520])
        outer.addWidget(self.splitter, 1)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        self._update_buttons()

    def _build_toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.search = QLineEdit(self)
        self.search.setObjectName("policySearch")
        self.search.setPlaceholderText("Search by name, type or package")
        self.search.setAccessibleName("Search policies")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.search.textChanged.connect(self._apply_filter)
        self.type_filter = QComboBox(self)
        self.type_filter.setObjectName("typeFilter")
        self.type_filter.setAccessibleName("Filter by policy type")
        self.type_filter.addItem("All types", ALL_TYPES)
        for t in self._types:
            self.type_filter.addItem(category_icon(t.category), t.label, t.id)
        self.type_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.type_filter.currentIndexChanged.connect(self._apply_filter)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(f"color: {muted_color(self)}")
        self.duplicate_button = QPushButton("Duplicate", self)
        self.duplicate_button.setObjectName("duplicatePolicy")
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName("deletePolicy")
        self.delete_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TrashIcon))
        self.delete_button.clicked.connect(self.delete_selected)
        bar.addWidget(self.search)
        bar.addWidget(self.type_filter)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        bar.addWidget(self._build_add_button())
        bar.addWidget(self.duplicate_button)
        bar.addWidget(self.delete_button)
        return bar

    def _build_add_button(self) -> QToolButton:
        """Add Policy: a click opens the editor (pick the type there); the arrow picks it here."""
        self.add_button = QToolButton(self)
        self.add_button.setObjectName("addPolicy")
        self.add_button.setText("Add Policy")
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.add_button.setToolTip("Add a policy (the arrow picks its type)")
        self.add_menu = QMenu(self.add_button)
        for category in ("sites", "devices"):
            self.add_menu.addSection(category_label(category))
            for t in self._types:
                if t.category == category:
                    action = self.add_menu.addAction(category_icon(category), t.label)
                    action.setData(t.id)
                    action.triggered.connect(lambda _c=False, tid=t.id: self.add_policy(tid))
        self.add_button.setMenu(self.add_menu)
        self.add_button.clicked.connect(self._on_add_clicked)
        return self.add_button

    def _build_table(self) -> QTableView:
        self.model = PolicyTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("policyTable")
        self.table.setAccessibleName("Policies")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves; the arrow keys move in it
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(PolicyTableModel.COL_TYPE, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(PolicyTableModel.COL_NAME,
                                    QHeaderView.ResizeMode.Interactive)
        for col in (PolicyTableModel.COL_TYPE, PolicyTableModel.COL_CATEGORY):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(60)
        self._name_sized = False
        self._narrow: bool | None = None
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.doubleClicked.connect(self._on_double_clicked)
        return self.table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """Beside the editor at 1024 px the list gets ~310 px: it shows name and type only
        (the category is the type's icon, the packages are in each row's tooltip), the name
        taking what the type leaves, rather than scrolling sideways."""
        narrow = self.table.width() < WIDE_LIST_WIDTH
        if narrow == self._narrow:
            return
        self._narrow = narrow
        for column in (PolicyTableModel.COL_CATEGORY, PolicyTableModel.COL_USED):
            self.table.setColumnHidden(column, narrow)
        self.table.horizontalHeader().setSectionResizeMode(
            PolicyTableModel.COL_NAME,
            QHeaderView.ResizeMode.Stretch if narrow else QHeaderView.ResizeMode.Interactive)
        if not narrow and self.model.rowCount():
            self._size_name_column(self.model.rows())

    def _build_side(self) -> QStackedWidget:
        self.side = QStackedWidget(self)
        self.side.setMinimumWidth(480)
        self.placeholder = QLabel(
            "Select a policy to edit it,\nor click Add Policy to create one.", self.side)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet(f"color: {muted_color(self)}")
        self.editor = PolicyEditor(self.policies, self.side, vault_session=self.vault_session,
                                   rules=self.rules)
        self.editor.setObjectName("policyEditor")
        self.editor.save_requested.connect(self.save_editor)
        self.editor.close_requested.connect(self._close_editor)
        self.editor.state_changed.connect(self._update_buttons)
        self.side.addWidget(self.placeholder)
        self.side.addWidget(self.editor)
        return self.side

    def _on_double_clicked(self, _index: QModelIndex) -> None:
        self.editor.focus_first()

    # loading and filtering
    def refresh(self) -> None:
        """Reload the policies off the GUI thread; `refreshed` fires once they are shown."""
        self.loading = True
        self._list_read.run(self.policies.all, self._on_loaded, self._on_load_error)
        self._pick_read.run(self._pick_lists, self.editor.set_pick_lists, quiet_failure)

    def _pick_lists(self) -> dict[str, list[str]]:
        """The ticketing lookups last pulled from ConnectWise (none before a pull)."""
        from app.asio.service import AsioService

        lookups = AsioService(self.policies.db).lookups()
        return {kind: [name for _, name in items] for kind, items in lookups.items()}

    def _on_load_error(self, exc: BaseException) -> None:
        self.loading = False
        present_failure(exc, self.notice, "Could not load the policies")
        self.refreshed.emit()

    def _on_loaded(self, rows: list[PolicyView]) -> None:
        self.loading = False
        self._rows = rows
        if not self._name_sized and rows:
            self._size_name_column(rows)
        wanted = self._select_after or self._current_id()
        self._select_after = None
        self._apply_filter(select=wanted)
        current = self.editor.policy()
        if current is not None and self.side.currentWidget() is self.editor:
            fresh = next((r for r in rows if r.id == current.id), None)
            if fresh is None:
                self._close_editor()
            elif not self.editor.is_dirty() and fresh != current:
                self.editor.load(fresh)
        if self._open_after is not None:
            policy_id, self._open_after = self._open_after, None
            self._open(policy_id)
        self.refreshed.emit()

    def _size_name_column(self, rows: list[PolicyView]) -> None:
        """Names get the room they need (within reason) before the wide package column."""
        metrics = self.table.fontMetrics()
        widest = max(metrics.horizontalAdvance(r.name) for r in rows) + 24
        self.table.horizontalHeader().resizeSection(PolicyTableModel.COL_NAME,
                                                    max(140, min(widest, 220)))
        self._name_sized = True

    def _current_id(self) -> str | None:
        policy = self.model.policy_at(self.table.currentIndex().row())
        return policy.id if policy else None

    def _apply_filter(self, *_args: Any, select: str | None = None) -> None:
        wanted = select or self._current_id()
        needle = self.search.text().casefold().strip()
        type_id = self.type_filter.currentData() or ALL_TYPES
        rows = [
            r for r in self._rows
            if type_id in (ALL_TYPES, r.type)
            and (not needle or needle in r.name.casefold() or needle in r.type_label.casefold()
                 or any(needle in p.casefold() for p in r.packages))
        ]
        self._selecting = True
        try:
            self.model.set_rows(rows)
            row = self.model.row_of(wanted) if wanted else -1
            if row >= 0:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._selecting = False
        shown, total = len(rows), len(self._rows)
        self.count_label.setText(f"{shown} of {total}" if shown != total else f"{total} policies")
        self._update_buttons()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def selected_policy(self) -> PolicyView | None:
        return self.model.policy_at(self.table.currentIndex().row())

    def select_policy(self, policy_id: str) -> bool:
        row = self.model.row_of(policy_id)
        if row < 0:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        return True

    def open_policy(self, policy_id: str) -> None:
        """Select a policy and open it in the editor, ready to change (a readiness link). The
        search and type filter are cleared so that it shows; while the list loads, it opens
        once loaded."""
        self.search.clear()
        self.type_filter.setCurrentIndex(0)
        if self.loading or self.model.row_of(policy_id) < 0:
            self._open_after = policy_id
            if not self.loading:
                self.refresh()
            return
        self._open(policy_id)

    def _open(self, policy_id: str) -> None:
        if not self.select_policy(policy_id):
            self.notice.show_message("The policy no longer exists; it may have been deleted "
                                     "since the checklist was made. Refresh the checklist.",
                                     "error")
            return
        policy = self.selected_policy()
        editing = self.editor.policy()
        if policy is None or policy.id != policy_id:
            return  # the user kept unsaved changes to another policy
        if editing is None or editing.id != policy_id \
                or self.side.currentWidget() is not self.editor:
            self.editor.load(policy)  # it was already the current row: no change signal
            self.side.setCurrentWidget(self.editor)
            self._update_buttons()
        self.table.scrollTo(self.table.currentIndex())
        self.editor.focus_first()

    # the editor
    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._selecting:
            return
        policy = self.model.policy_at(current.row()) if current.isValid() else None
        editing = self.editor.policy()
        if policy is not None and editing is not None and policy.id == editing.id \
                and self.side.currentWidget() is self.editor:
            return
        if not self._may_leave_editor():
            self._selecting = True
            try:
                self.table.selectionModel().setCurrentIndex(
                    previous, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
            finally:
                self._selecting = False
            return
        if policy is None:
            self._close_editor()
        else:
            self.editor.load(policy)
            self.side.setCurrentWidget(self.editor)
        self._update_buttons()

    def _may_leave_editor(self) -> bool:
        if self.side.currentWidget() is not self.editor:
            return True
        if self.editor.keys_box.has_unstored_keys() and not self.dialogs.confirm(
                "API keys not stored",
                "The API keys you typed are not stored in the vault yet. Discard them?",
                "Discard", destructive=True):
            return False
        if not self.editor.is_dirty():
            return True
        if self.editor.is_new() and not self.editor.name():
            return True
        current = self.editor.policy()
        what = f"your changes to '{current.name}'" if current else "the new policy"
        return self.dialogs.confirm("Unsaved changes", f"Discard {what}?", "Discard",
                                    destructive=True)

    # the quit guard (ui.unsaved)
    def unsaved_edits(self) -> list[str]:
        if self.side.currentWidget() is not self.editor:
            return []
        current = self.editor.policy()
        name = f"'{current.name}'" if current else f"'{self.editor.name()}' (new)"
        lines = []
        if self.editor.is_dirty() and not (self.editor.is_new() and not self.editor.name()):
            lines.append(f"Policy {name}")
        if self.editor.keys_box.has_unstored_keys():
            lines.append(f"API keys typed for policy {name}, not stored in the vault")
        return lines

    def save_edits(self) -> bool:
        editor = self.editor
        named = not (editor.is_new() and not editor.name())
        if editor.is_dirty() and named and not self.save_editor():
            return False
        if editor.keys_box.has_unstored_keys():
            return editor.keys_box.store()
        return True

    def discard_edits(self) -> None:
        current = self.editor.policy()
        if current is None:
            self._close_editor()
        else:
            self.editor.load(current)

    def add_policy(self, type_id: str | None = None) -> None:
        """Open the editor on a new policy (of `type_id`, the type filter's, or the first)."""
        if not self._may_leave_editor():
            return
        chosen = type_id or self.type_filter.currentData() or None
        self._selecting = True
        try:
            self.table.selectionModel().clearSelection()
            self.table.selectionModel().setCurrentIndex(
                QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
        finally:
            self._selecting = False
        self.editor.start_new(chosen)
        self.side.setCurrentWidget(self.editor)
        self.editor.focus_first()
        self._update_buttons()

    def _on_add_clicked(self) -> None:
        self.add_policy()

    def _close_editor(self) -> None:
        self.editor.clear()
        self.side.setCurrentWidget(self.placeholder)
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.selected_policy()
        self.duplicate_button.setEnabled(selected is not None)
        self.delete_button.setEnabled(selected is not None)
        if selected is not None and selected.packages:
            self.delete_button.setToolTip(
                "In package(s) " + ", ".join(f"'{p}'" for p in selected.packages)
                + ": remove it from them before deleting")
        else:
            self.delete_button.setToolTip("Delete the selected policy")

    # changes (saved at once, undoable)
    def _handle(self, policy_id: str) -> PolicyHandle:
        return self._handles.setdefault(policy_id, PolicyHandle(policy_id))

    def _after_command(self, select: str | None) -> None:
        self._handles = {h.id: h for h in self._handles.values()}
        self._select_after = select
        self.refresh()

    def _queue_hooks(self) -> dict[str, Any]:
        return {"queue": self.ops, "stack": self.undo_stack}

    def _command_failed(self, text: str) -> None:
        self.notice.show_message(text, "error")

    def save_editor(self) -> bool:
        """Queue the editor's policy on the write queue, after every write asked before it.

        True: queued (one already in flight is not queued twice). The editor says how it went;
        a refused save leaves its edits unsaved, so the quit guard sees it and stays."""
        if self._saving:
            return True
        editor = self.editor
        name, settings, before = editor.name(), editor.settings(), editor.policy()
        type_id = editor.type_id() if before is None else ""

        def store() -> PolicyView:
            if before is None:
                return self.policies.create(type_id, name, settings)
            return self.policies.update(before.id, settings, name=name)

        self._saving = True
        self.ops.write(store, lambda saved: self._saved(before, saved),
                       on_failure=self._save_refused)
        return True

    def _saved(self, before: PolicyView | None, saved: PolicyView) -> None:
        self._saving = False
        if before is None:
            self.undo_stack.push(CreatePolicyCommand(
                self.policies, self._handle(saved.id), type_id=saved.type, name=saved.name,
                settings=saved.settings, on_change=self._after_command,
                on_error=self._command_failed, **self._queue_hooks()))
            message = f"Created policy '{saved.name}'."
        else:
            self.undo_stack.push(UpdatePolicyCommand(
                self.policies, self._handle(saved.id), before=(before.name, before.settings),
                after=(saved.name, saved.settings), on_change=self._after_command,
                on_error=self._command_failed, **self._queue_hooks()))
            message = f"Saved policy '{saved.name}'."
            if saved.packages:
                message += (" Packages using it: "
                            + ", ".join(f"'{p}'" for p in saved.packages) + ".")
        if self._still_editing(before):
            self.editor.load(saved)
            self.editor.show_message(message)
        else:
            self.notice.show_message(message, "success")
        self._select_after = saved.id
        self.refresh()

    def _still_editing(self, before: PolicyView | None) -> bool:
        """The editor still shows what was saved (the user may have moved on meanwhile)."""
        if self.side.currentWidget() is not self.editor:
            return False
        current = self.editor.policy()
        if before is None:
            return current is None
        return current is not None and current.id == before.id

    def _save_refused(self, exc: BaseException) -> None:
        self._saving = False
        if isinstance(exc, PreflightError):
            self.editor.show_error(as_sentence(str(exc)))
        else:
            present_failure(exc, self.notice)  # a bug: the error dialog and the log

    def duplicate_selected(self) -> None:
        policy = self.selected_policy()
        if policy is None or not self._may_leave_editor():
            return

        def duplicated(copy: PolicyView) -> None:
            self.undo_stack.push(CreatePolicyCommand(
                self.policies, self._handle(copy.id), type_id=copy.type, name=copy.name,
                settings=copy.settings, on_change=self._after_command,
                on_error=self._command_failed, **self._queue_hooks(),
                text=f"Duplicate policy '{policy.name}'"))
            self.notice.show_message(f"Duplicated '{policy.name}' as '{copy.name}'.", "success")
            self.editor.load(copy)
            self.side.setCurrentWidget(self.editor)
            self._select_after = copy.id
            self.refresh()

        self.ops.write(lambda: self.policies.duplicate(policy.id), duplicated)

    def delete_selected(self) -> None:
        policy = self.selected_policy()
        if policy is None:
            return
        if not policy.packages and not self.dialogs.confirm(
                "Delete policy", f"Delete policy '{policy.name}'?", "Delete", destructive=True,
                details="You can undo this with Edit → Undo."):
            return

        def deleted(_result: object) -> None:
            self.undo_stack.push(DeletePolicyCommand(
                self.policies, self._handle(policy.id), type_id=policy.type, name=policy.name,
                settings=policy.settings, on_change=self._after_command,
                on_error=self._command_failed, **self._queue_hooks()))
            self.notice.show_message(f"Deleted policy '{policy.name}'.", "success")
            open_policy = self.editor.policy()
            if open_policy is not None and open_policy.id == policy.id:
                self._close_editor()
            self.refresh()

        self.ops.write(lambda: self.policies.delete(policy.id), deleted)


__all__ = ["PoliciesPage"]
