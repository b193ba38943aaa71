"""The Conflicts page: records changed on both sides (or refused by the server), each shown
field by field — base (the last synced version), mine, theirs — with the differences
highlighted, and resolved with mine, theirs, or a choice per field (`SyncEngine.resolve`).
The result goes to the server with the next sync."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.sync import Conflict
from ui.background import run_blocking
from ui.ops import present_failure
from ui.sync.controller import SyncController
from ui.sync.models import (
    MINE,
    THEIRS,
    ConflictListModel,
    ConflictRow,
    FieldModel,
    Side,
    field_rows,
)
from ui.widgets.page_header import PageHeader
from ui.widgets.policy_common import NoticeBar
from ui.widgets.row_table import row_table

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext


class ConflictsPage(QWidget):
    refreshed = Signal()
    resolved = Signal(int)  # the conflict's seq

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsPage")
        self.controller: SyncController = context.sync_controller
        self._rules = context.workspace.rules  # a rule's id is shown by its name
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        page_header = PageHeader(
            "Sync conflicts", "Records changed here and on the server since the last sync. "
            "Compare the versions field by field and keep yours, the server's, or a choice "
            "per field; the next sync sends the result.", self)
        layout.addWidget(page_header)
        self.notice = NoticeBar(self)
        self.notice.float_over(page_header)  # a message moves nothing under the pointer
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.model = ConflictListModel(self)
        self.list = row_table(self.model, splitter, "conflictsTable", "Open sync conflicts")
        self.list.horizontalHeader().setSectionResizeMode(ConflictListModel.COL_FIELDS,
                                                          QHeaderView.ResizeMode.Stretch)
        for column, width in ((ConflictListModel.COL_ENTITY, 130),
                              (ConflictListModel.COL_NAME, 240),
                              (ConflictListModel.COL_KIND, 180)):
            self.list.horizontalHeader().resizeSection(column, width)
        self.list.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_conflict(current.row()))
        splitter.addWidget(self.list)
        detail = QWidget(splitter)
        inner = QVBoxLayout(detail)
        inner.setContentsMargins(0, 6, 0, 0)
        self.title = QLabel(detail)
        self.title.setObjectName("conflictTitle")
        inner.addWidget(self.title)
        self.fields = FieldModel(self)
        self.field_table = row_table(self.fields, detail, "conflictFields",
                                     "The conflict's fields: base, mine, theirs")
        header = self.field_table.horizontalHeader()
        for column in (FieldModel.COL_BASE, FieldModel.COL_MINE, FieldModel.COL_THEIRS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(FieldModel.COL_FIELD, 200)
        header.resizeSection(FieldModel.COL_KEEP, 80)
        self.field_table.doubleClicked.connect(self._double_clicked)
        inner.addWidget(self.field_table, 1)
        inner.addLayout(self._buttons())
        splitter.addWidget(detail)
        splitter.setSizes([220, 420])
        layout.addWidget(splitter, 1)
        self.current: ConflictRow | None = None
        self._enable(False)
        self.controller.data_changed.connect(self.refresh)

    def _buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.field_mine = self._button("Use Mine for Field", "useMineField", buttons)
        self.field_theirs = self._button("Use Theirs for Field", "useTheirsField", buttons)
        buttons.addStretch(1)
        self.keep_mine = self._button("Keep Mine", "keepMine", buttons)
        self.keep_theirs = self._button("Keep Theirs", "keepTheirs", buttons)
        self.keep_fields = self._button("Keep Chosen Fields", "keepChosenFields", buttons)
        self.field_mine.clicked.connect(lambda _c=False: self._choose_selected(MINE))
        self.field_theirs.clicked.connect(lambda _c=False: self._choose_selected(THEIRS))
        self.keep_mine.clicked.connect(lambda _c=False: self.resolve_current(MINE))
        self.keep_theirs.clicked.connect(lambda _c=False: self.resolve_current(THEIRS))
        self.keep_fields.clicked.connect(
            lambda _c=False: self.resolve_current(dict(self.fields.choices)))
        self.keep_mine.setToolTip("Keep this workspace's value of every disputed field; "
                                  "edits nobody disputed are kept from both sides")
        self.keep_theirs.setToolTip("Take the server's value of every disputed field; "
                                    "edits nobody disputed are kept from both sides")
        self.keep_fields.setToolTip("Keep the side chosen for each conflicting field; other "
                                    "fields merge")
        return buttons

    def _button(self, text: str, name: str, layout: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        layout.addWidget(button)
        return button

    def _enable(self, on: bool) -> None:
        for button in (self.field_mine, self.field_theirs, self.keep_mine, self.keep_theirs,
                       self.keep_fields):
            button.setEnabled(on)
        if on and self.current is not None:
            per_field = self.current.conflict.kind == "edit"
            for button in (self.field_mine, self.field_theirs, self.keep_fields):
                button.setEnabled(per_field)

    # loading
    def refresh(self) -> None:
        rules = self._rules

        def read() -> tuple[list[Conflict], dict[str, str]]:
            return self.controller.conflicts(), dict(rules.choices())

        run_blocking(self, read, self._show_read, self._failed)

    def _show_read(self, read: tuple[list[Conflict], dict[str, str]]) -> None:
        conflicts, self.fields.rule_names = read
        self._show(conflicts)

    def _show(self, conflicts: list[Conflict]) -> None:
        keep = self.current.seq if self.current is not None else None
        self.model.set_rows([ConflictRow.of(c) for c in conflicts])
        row = self.model.find_row(str(keep)) if keep is not None else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.list.selectRow(row)
        self._show_conflict(row)
        self.refreshed.emit()

    def _show_conflict(self, row: int) -> None:
        found = self.model.row_or_none(row)
        self.current = found
        if found is None:
            self.fields.set_rows([])
            self.title.setText("No open conflicts." if not self.model.rowCount() else "")
            self._enable(False)
            return
        self.title.setText(f"<b>{found.entity} {found.name}</b> — {found.kind}")
        self.fields.set_rows(field_rows(found.conflict))
        self._enable(True)

    # choosing
    def _double_clicked(self, index: QModelIndex) -> None:
        side = {FieldModel.COL_MINE: MINE, FieldModel.COL_THEIRS: THEIRS}.get(index.column())
        if side is not None:
            self.fields.choose(index.row(), side)

    def _choose_selected(self, side: str) -> None:
        for index in self.field_table.selectionModel().selectedRows():
            self.fields.choose(index.row(), side)

    def choose_field(self, name: str, side: str) -> None:
        self.fields.choose(self.fields.find_row(name), side)

    def resolve_current(self, choice: Side | dict[str, str]) -> None:
        current = self.current
        if current is None:
            return
        self._enable(False)

        def done(_none: object) -> None:
            self.notice.show_message(f"{current.entity} {current.name}: resolved; the next "
                                     "sync sends it.", "info")
            self.resolved.emit(current.seq)
            self.current = None
            self.controller.refresh()
            self.controller.data_changed.emit()

        run_blocking(self, lambda: self.controller.resolve(current.seq, choice), done,
                     self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._enable(self.current is not None)
        self.refreshed.emit()
        present_failure(exc, self.notice)


__all__ = ["ConflictsPage"]
