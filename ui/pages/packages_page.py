"""The Packages page: the package list and the Package Builder (seed 000).

Policies go into a package by drag and drop from the Policy List (several at once), or by
double-click; a second policy of a type replaces the one there and the builder says so. Every
builder edit is an undo command on the window's shared stack, acting on an in-memory
`PackageDraft`; Save hands the whole package to `PackageService.save`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PreflightError
from app.domain.names import MAX_NAME_LENGTH, name_length
from app.services.packages import PackageService
from app.services.policies import PolicyService
from app.services.removal_views import PackageDeleted, PackageImpact
from app.services.views import PackageSaved, PackageView, PolicyView
from ui.models.policy_models import PackageTableModel
from ui.ops import PageOps, after_queue, present_failure
from ui.package_commands import DeletePackageCommand
from ui.pages import last_package
from ui.undo_commands import (
    AddPoliciesCommand,
    DraftState,
    PackageDraft,
    RemovePolicyCommand,
    RenamePackageCommand,
    RevertPackageCommand,
    SetDefaultPackageCommand,
    apply_drop,
)
from ui.widgets.package_builder import EMPTY_PACKAGE_MESSAGE, PackageBuilder
from ui.widgets.policy_common import as_sentence, muted_color, section_title

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext

NEW_PACKAGE_ROW = "new-package"  # the list row of the package being built, not saved yet


def state_of(view: PackageView) -> DraftState:
    return DraftState(view.name, view.is_default, tuple(view.policies))


class PackagesPage(QWidget):
    """Package list on the left, the builder (Policy List → building blocks) on the right."""

    refreshed = Signal()  # the lists were (re)loaded from the services

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packagesPage")
        self.packages: PackageService = context.workspace.packages
        self.policies: PolicyService = context.workspace.policies
        self.undo_stack = context.undo_stack
        self.dialogs = context.dialogs
        self._type_order = [t.id for t in self.policies.types()]
        self._categories = {t.id: t.category for t in self.policies.types()}
        self._all_policies: list[PolicyView] = []
        self._by_id: dict[str, PolicyView] = {}
        self._drafts: dict[str, PackageDraft] = {}
        self._saved_views: list[PackageView] = []  # the packages as last loaded
        self._new_draft_view: PackageView | None = None  # its row in the list, if listed
        self._new_draft_listed = False
        self._draft = self._new_draft()
        self._selecting = False
        self._loaded_once = False
        self.loading = False
        self._saving: set[int] = set()  # id() of the drafts on the write queue
        self._told = ""  # what an undo or redo of a delete did, said after the reload
        self._build()
        self.ops = PageOps.of(self, context, self.builder.notice)
        self._list_read = self.ops.latest()  # an older reload never overwrites a newer one
        self._render()

    # layout
    def _build(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_list())
        self.splitter.addWidget(self._build_builder())
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 900])
        layout.addWidget(self.splitter)

    def _build_list(self) -> QWidget:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 10, 6, 10)
        left_layout.setSpacing(6)
        left_layout.addWidget(section_title("Packages", left))
        intro = QLabel("Group policies into packages, then assign a package to sites.", left)
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {muted_color(self)}")
        left_layout.addWidget(intro)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        self.new_button = QPushButton("New Package", left)
        self.new_button.clicked.connect(self.new_package)
        self.delete_button = QPushButton("Delete", left)
        self.delete_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TrashIcon))
        self.delete_button.clicked.connect(self.delete_package)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self._build_package_view(left), 1)
        legend = QLabel("•: unsaved changes in the builder.", left)
        legend.setStyleSheet(f"color: {muted_color(self)}")
        left_layout.addWidget(legend)
        return left

    def _build_package_view(self, left: QWidget) -> QTreeView:
        self.package_model = PackageTableModel(self)
        self.package_view = QTreeView(left)
        self.package_view.setObjectName("packageList")
        self.package_view.setAccessibleName("Package List")
        self.package_view.setRootIsDecorated(False)
        self.package_view.setUniformRowHeights(True)
        self.package_view.setAlternatingRowColors(True)
        self.package_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.package_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.package_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.package_view.setModel(self.package_model)
        header = self.package_view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(PackageTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (PackageTableModel.COL_POLICIES, PackageTableModel.COL_SITES):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.package_view.selectionModel().currentRowChanged.connect(self._on_package_current)
        return self.package_view

    def _build_builder(self) -> PackageBuilder:
        self.builder = PackageBuilder(self)
        self.builder.blocks_model.set_type_categories(self._categories)
        self.builder.name_edited.connect(self._on_name_edited)
        self.builder.default_clicked.connect(self._on_default_clicked)
        self.builder.save_clicked.connect(self.save)
        self.builder.revert_clicked.connect(self._on_revert)
        self.builder.blocks_model.policies_dropped.connect(self._on_dropped)
        self.builder.blocks_view.remove_requested.connect(self.remove_policy)
        self.builder.policy_view.add_requested.connect(self.add_policies)
        self.builder.search.textChanged.connect(self._apply_policy_filter)
        return self.builder

    # loading
    def refresh(self) -> None:
        """Reload packages and policies off the GUI thread; `refreshed` fires when shown."""
        self.loading = True
        self._list_read.run(self._load, self._on_loaded, self._on_load_error)

    def _load(self) -> tuple[list[PackageView], list[PolicyView]]:
        return self.packages.all(), self.policies.all()

    def _on_load_error(self, exc: BaseException) -> None:
        self.loading = False
        present_failure(exc, self.builder.notice, "Could not load the packages")
        self.refreshed.emit()

    def _on_loaded(self, result: tuple[list[PackageView], list[PolicyView]]) -> None:
        packages, policies = result
        self.loading = False
        self._all_policies = policies
        self._by_id = {p.id: p for p in policies}
        self._apply_policy_filter()
        known = {p.id for p in packages}
        for view in packages:
            draft = self._drafts.get(view.id)
            if draft is not None and not draft.is_dirty:
                draft.state = draft.saved = state_of(view)
        for pid in [pid for pid, d in self._drafts.items() if pid not in known and not d.is_dirty]:
            del self._drafts[pid]
        self._saved_views = packages
        self._list_new_draft(force=True)
        if not self._loaded_once and self._draft.package_id is None \
                and not self._draft.has_content() and packages:
            self._loaded_once = True
            self._show_draft(self._draft_for(self.package_model.rows()[0]))
        else:
            self._loaded_once = True
            self._render()
        self.refreshed.emit()

    def _apply_policy_filter(self, *_args: Any) -> None:
        needle = self.builder.search.text().casefold().strip()
        rows = [p for p in self._all_policies
                if not needle or needle in p.name.casefold() or needle in p.type_label.casefold()]
        self.builder.policy_model.set_rows(rows, self._type_order)
        self.builder.policy_model.set_in_package(self._draft.state.policy_ids)

    def focus_search(self) -> None:
        self.builder.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.builder.search.selectAll()

    # drafts
    @staticmethod
    def _new_draft() -> PackageDraft:
        return PackageDraft(None, DraftState("", False, ()))

    def _draft_for(self, view: PackageView) -> PackageDraft:
        draft = self._drafts.get(view.id)
        if draft is None:
            state = state_of(view)
            draft = PackageDraft(view.id, state, state)
            self._drafts[view.id] = draft
        return draft

    def current_draft(self) -> PackageDraft:
        return self._draft

    def _show_draft(self, draft: PackageDraft) -> None:
        self._draft = draft
        self.builder.notice.clear()
        self._render()

    def apply_draft_state(self, draft: PackageDraft, state: DraftState, notice: str = "",
                          kind: str = "info") -> None:
        """DraftHost: undo commands change a draft through here."""
        if draft is not self._draft:
            self._show_draft(draft)
        draft.state = state
        self._render()
        if notice:
            self.builder.notice.show_message(notice, kind)

    def _render(self) -> None:
        draft = self._draft
        state = draft.state
        builder = self.builder
        if draft.package_id is None:
            builder.title.setText("New package" + (f": {state.name}" if state.name else ""))
        else:
            builder.title.setText(f"Package: {state.name or '(no name)'}")
        builder.set_name(state.name)
        builder.default_check.setChecked(state.is_default)
        if builder.blocks_model.policies() != list(state.policies):
            builder.blocks_model.set_policies(state.policies)
        builder.policy_model.set_in_package(state.policy_ids)
        count = len(state.policies)
        builder.count_label.setText(f"{count} polic{'y' if count == 1 else 'ies'}")
        self._list_new_draft()
        self.package_model.set_unsaved(
            [pid for pid, d in self._drafts.items() if d.is_dirty]
            + ([NEW_PACKAGE_ROW] if self._new_draft_listed else []))
        self._select_in_list(draft.package_id)
        self.delete_button.setText("Delete" if draft.package_id else "Discard")
        self.delete_button.setEnabled(draft.package_id is not None or draft.has_content())
        saved = draft.saved
        builder.revert_button.setEnabled(saved is not None and draft.is_dirty)
        self._update_save_state()

    def _update_save_state(self) -> None:
        draft = self._draft
        name = self.builder.name_edit.text()
        if name_length(name) > MAX_NAME_LENGTH:
            self.builder.set_save_state(
                False, f"The name has {name_length(name)} characters; at most {MAX_NAME_LENGTH} "
                       "are allowed.", error=True)
        elif not name.strip():
            self.builder.set_save_state(False, "Give the package a name to save it.")
        elif not draft.is_dirty:
            self.builder.set_save_state(False, "No unsaved changes.")
        else:
            self.builder.set_save_state(True, "Unsaved changes")

    def _select_in_list(self, package_id: str | None) -> None:
        listed = package_id or (NEW_PACKAGE_ROW if self._new_draft_listed else None)
        row = self.package_model.row_of(listed) if listed else -1
        selection = self.package_view.selectionModel()
        current = selection.currentIndex()
        if (row < 0 and not current.isValid()) or (row >= 0 and current.row() == row
                                                   and selection.isRowSelected(row)):
            return
        self._selecting = True
        try:
            if row < 0:
                selection.clear()
            else:
                selection.setCurrentIndex(
                    self.package_model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._selecting = False

    def _on_package_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._selecting:
            return
        view = self.package_model.package_at(current.row()) if current.isValid() else None
        if view is not None and view.id == NEW_PACKAGE_ROW:
            return  # the new, unsaved package: it is the one shown already
        if view is None or view.id == self._draft.package_id:
            return
        if not self._may_leave_new_draft():
            self._select_in_list(self._draft.package_id)
            return
        self._show_draft(self._draft_for(view))

    def _may_leave_new_draft(self) -> bool:
        """A new, unsaved package is lost when the user moves on: ask first."""
        draft = self._draft
        if draft.package_id is not None or not draft.has_content():
            return True
        name = draft.state.name or "the new package"
        return self.dialogs.confirm(
            "Discard new package", f"Discard '{name}'? It has not been saved.", "Discard",
            destructive=True)

    # the new, unsaved package in the list
    def _list_new_draft(self, force: bool = False) -> None:
        """List the new package being built (with its name, and •) among the saved ones, so
        the list shows what the builder holds; gone once it is saved or discarded."""
        draft = self._draft
        shown = draft.package_id is None and draft.has_content()
        view = (PackageView(NEW_PACKAGE_ROW, draft.state.name or "(new package)",
                            draft.state.is_default, draft.state.policies) if shown else None)
        if not force and view == self._new_draft_view:
            return
        self._new_draft_view = view
        self._new_draft_listed = view is not None
        # the saved packages in the list's order, the new one at the end
        rows = self.package_model.sorted_rows(self._saved_views)
        self.package_model.set_rows([*rows, *([view] if view else [])], in_order=True)

    # the quit guard (ui.unsaved)
    def _unsaved_drafts(self) -> list[PackageDraft]:
        drafts = [d for d in self._drafts.values() if d.package_id is not None and d.is_dirty]
        if self._draft.package_id is None and self._draft.has_content():
            drafts.append(self._draft)
        return drafts

    def unsaved_edits(self) -> list[str]:
        return [f"Package '{d.state.name or '(no name)'}'" + (" (new)" if d.package_id is None
                                                               else "")
                for d in self._unsaved_drafts()]

    def save_edits(self) -> bool:
        for draft in self._unsaved_drafts():
            if draft is not self._draft:
                self._show_draft(draft)
            if not self.save():
                return False
        return True

    def discard_edits(self) -> None:
        for draft in self._unsaved_drafts():
            if draft.saved is not None:
                draft.state = draft.saved
        if self._draft.package_id is None:
            self._draft = self._new_draft()
        self._render()

    # edits (each one an undo command)
    def _on_name_edited(self, text: str) -> None:
        if text != self._draft.state.name:
            self.undo_stack.push(RenamePackageCommand(self, self._draft, text))
        self._update_save_state()

    def _on_default_clicked(self, on: bool) -> None:
        if on != self._draft.state.is_default:
            self.undo_stack.push(SetDefaultPackageCommand(self, self._draft, on))

    def _on_dropped(self, ids: list[str], row: int) -> None:
        refs = [self._by_id[i].ref for i in ids if i in self._by_id]
        if not refs:
            self.builder.notice.show_message(
                "Those policies are no longer in the workspace; the Policy List was "
                "refreshed.", "warning")
            self.refresh()
            return
        drop = apply_drop(self._draft.state.policies, refs, row)
        if drop.policies == self._draft.state.policies:
            names = ", ".join(f"'{p.name}'" for p in drop.already)
            self.builder.notice.show_message(f"Already in this package: {names}.", "info")
            return
        self.undo_stack.push(AddPoliciesCommand(self, self._draft, drop))

    def add_policies(self, ids: list[str]) -> None:
        """Add policies as a drop at the end would (keyboard path)."""
        self._on_dropped(ids, -1)

    def remove_policy(self, policy_id: str) -> None:
        if policy_id in self._draft.state.policy_ids:
            self.undo_stack.push(RemovePolicyCommand(self, self._draft, policy_id))

    def _on_revert(self) -> None:
        draft = self._draft
        if draft.saved is not None and draft.is_dirty:
            self.undo_stack.push(RevertPackageCommand(self, draft, draft.saved))

    # saved changes
    def new_package(self) -> None:
        if not self._may_leave_new_draft():
            return
        self._show_draft(self._new_draft())
        self.builder.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> bool:
        draft = self._draft
        state = draft.state
        builder = self.builder
        if builder.name_too_long() or not state.name.strip():
            self._update_save_state()
            return False
        if not state.policies:
            builder.notice.show_message(
                f"{EMPTY_PACKAGE_MESSAGE}. Drag a policy from the Policy List into the "
                "Package Builder, then save.", "error")
            return False
        if id(draft) in self._saving:
            return True  # already on the write queue

        package_id = draft.package_id

        def store() -> PackageSaved:
            return self.packages.save(state.name, state.policy_ids,
                                      is_default=state.is_default, package_id=package_id)

        self._saving.add(id(draft))
        self.ops.write(store, lambda result: self._saved(draft, state, result),
                       on_failure=lambda exc: self._save_refused(draft, exc))
        return True

    def _save_refused(self, draft: PackageDraft, exc: BaseException) -> None:
        self._saving.discard(id(draft))
        if isinstance(exc, PreflightError):
            self.builder.notice.show_message(as_sentence(str(exc)), "error")
        else:
            present_failure(exc, self.builder.notice)  # a bug: the error dialog and the log

    def _saved(self, draft: PackageDraft, state: DraftState, result: PackageSaved) -> None:
        """The package is stored: its draft is clean (unless edited again meanwhile)."""
        self._saving.discard(id(draft))
        builder = self.builder
        saved = state_of(result.package)
        draft.package_id = result.package.id
        last_package.remember(self.undo_stack, result.package.id)  # Assign Package… offers it
        if draft.state == state:  # not edited again while it was being stored
            draft.state = saved
        draft.saved = saved
        self._drafts[result.package.id] = draft
        count = len(saved.policies)
        message = [f"Saved package '{saved.name}' with {count} "
                   f"polic{'y' if count == 1 else 'ies'}."]
        if saved.is_default:
            message.append("It is the default package: every site without a package "
                           "inherits it.")
        if result.previous_default is not None:
            message.append(f"'{result.previous_default.name}' is no longer the default "
                           "package.")
            previous = self._drafts.get(result.previous_default.id)
            if previous is not None and previous.saved is not None:
                previous.saved = DraftState(previous.saved.name, False, previous.saved.policies)
                if not previous.state.is_default or not previous.is_dirty:
                    previous.state = DraftState(previous.state.name, False,
                                                previous.state.policies)
        self._render()
        builder.notice.show_message(" ".join(message), "success")
        self.refresh()

    def delete_package(self) -> None:
        """Say whose settings change (the sites it is assigned to; for the default package,
        the sites that inherit it), delete it when the user agrees; undo brings it back."""
        draft = self._draft
        if draft.package_id is None:
            if self._may_leave_new_draft():
                self._show_draft(self._new_draft())
            return
        package_id = draft.package_id

        def ask(impact: PackageImpact) -> None:
            if self.dialogs.confirm("Delete package", f"Delete package '{impact.name}'?",
                                    "Delete", destructive=True,
                                    details=impact_details(impact)):
                self.ops.write(lambda: self.packages.delete(package_id, force=True),
                               lambda deleted: self._deleted(draft, impact, deleted))

        # on the write queue: the impact is read after every write asked before it
        self.ops.write(lambda: self.packages.impact(package_id), after_queue(self, ask))

    def _deleted(self, draft: PackageDraft, impact: PackageImpact,
                 deleted: PackageDeleted) -> None:
        package_id, name = deleted.package.id, impact.name
        self.undo_stack.push(DeletePackageCommand(
            self.packages, deleted, queue=self.ops, stack=self.undo_stack,
            on_change=self._after_package_undo,
            on_error=lambda message: self.builder.notice.show_message(as_sentence(message),
                                                                      "error"),
            tell=self._tell_after_refresh))
        self._drafts.pop(package_id, None)
        draft.package_id = None
        draft.saved = None
        remaining = [p for p in self.package_model.rows() if p.id != package_id]
        self._show_draft(self._draft_for(remaining[0]) if remaining else self._new_draft())
        changed = len(impact.affected)
        self.builder.notice.show_message(
            f"Deleted package '{name}'"
            + (f"; the settings of {changed} site(s) changed" if changed else "")
            + ". Undo brings it back.", "success")
        self.refresh()

    def _tell_after_refresh(self, text: str) -> None:
        """"Undone: …" of a delete, said once the builder shows where things are now (showing
        a draft clears its notice)."""
        self._told = text

    def _after_package_undo(self, package_id: str | None) -> None:
        """After undo/redo of a delete: reload, show the package brought back, and say what
        was done."""
        def shown() -> None:
            self.refreshed.disconnect(shown)
            view = next((p for p in self.package_model.rows() if p.id == package_id), None)
            if view is not None:
                self._show_draft(self._draft_for(view))
            if self._told:
                self.builder.notice.show_message(self._told, "info")
                self._told = ""

        self.refreshed.connect(shown)
        self.refresh()


def impact_details(impact: PackageImpact) -> str:
    """The confirmation's details: the sites whose settings change, by name."""
    lines = []
    if impact.assigned:
        lines.append(f"It is assigned to {len(impact.assigned)} site(s), which lose its "
                     "settings: " + ", ".join(s.label for s in impact.assigned) + ".")
    if impact.is_default and impact.inheriting:
        lines.append("It is the default package: these sites take settings from it and "
                     "lose them: " + ", ".join(s.label for s in impact.inheriting) + ".")
    elif impact.is_default:
        lines.append("It is the default package: no site takes settings from it today, but "
                     "new sites would.")
    if not lines:
        lines.append("No site uses it.")
    lines.append("Undo (Ctrl+Z) brings it back with its assignments.")
    return "\n".join(lines)


__all__ = ["PackagesPage"]
