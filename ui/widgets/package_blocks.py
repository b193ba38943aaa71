"""The Package Builder's two views: the Policy List (drag source) and the building blocks
(drop target, with a delete icon to the left of each policy name, as seed 000 describes)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QWidget,
)

from ui.models.policy_models import DETAIL_ROLE, ID_ROLE, PackagePoliciesModel, PolicySourceModel

Index = QModelIndex | QPersistentModelIndex
BUTTON_SIZE = 26
MARGIN = 8


class PolicyListView(QTreeView):
    """The Policy List: policies grouped by type; select several and drag them out."""

    add_requested = Signal(list)  # policy ids (double-click or Enter: the keyboard's drag)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policyList")
        self.setAccessibleName("Policy List")
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.doubleClicked.connect(self._on_double_clicked)

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        model.modelReset.connect(self.expandAll)
        self.expandAll()

    def selected_policy_ids(self) -> list[str]:
        return [str(i.data(ID_ROLE)) for i in self.selected_policy_indexes()]

    def selected_policy_indexes(self) -> list[QModelIndex]:
        rows = [i for i in self.selectionModel().selectedRows() if i.data(ID_ROLE)]
        return sorted(rows, key=lambda i: (i.parent().row(), i.row()))

    def _on_double_clicked(self, index: QModelIndex) -> None:
        policy_id = index.data(ID_ROLE)
        if policy_id:
            self.add_requested.emit([str(policy_id)])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_policy_ids():
            self.add_requested.emit(self.selected_policy_ids())
            return
        super().keyPressEvent(event)


class BlockDelegate(QStyledItemDelegate):
    """A building block: [delete icon] [category icon] name / type · category."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        height = option.fontMetrics.height()
        return QSize(200, max(BUTTON_SIZE + 12, 2 * height + 16))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        painter.save()
        # the row's panel (hover/selection), then a card outline
        opt_text = opt.text
        opt.text = ""
        opt.icon = type(opt.icon)()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = opt.rect.adjusted(2, 2, -2, -2)
        border = opt.palette.color(QPalette.ColorRole.Mid)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(border, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, 4, 4)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_color = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlpha(160)
        x = rect.left() + MARGIN + BUTTON_SIZE + MARGIN
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if icon is not None:
            icon.paint(painter, QRect(x, rect.center().y() - 8, 16, 16))
            x += 16 + MARGIN
        text_rect = QRect(x, rect.top() + 6, rect.right() - x - MARGIN, rect.height() - 12)
        bold = QFont(opt.font)
        bold.setBold(True)
        half = text_rect.height() // 2
        painter.setFont(bold)
        painter.setPen(text_color)
        name = painter.fontMetrics().elidedText(opt_text, Qt.TextElideMode.ElideRight,
                                                text_rect.width())
        painter.drawText(QRect(text_rect.left(), text_rect.top(), text_rect.width(), half),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name)
        painter.setFont(opt.font)
        painter.setPen(muted)
        detail = str(index.data(DETAIL_ROLE) or "")
        painter.drawText(QRect(text_rect.left(), text_rect.top() + half, text_rect.width(),
                               text_rect.height() - half),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), detail)
        painter.restore()

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: Index) -> None:
        rect = option.rect
        editor.setGeometry(rect.left() + 2 + MARGIN, rect.center().y() - BUTTON_SIZE // 2 + 1,
                           BUTTON_SIZE, BUTTON_SIZE)


class BuildingBlocksView(QListView):
    """The package's policies. Accepts drops of policy ids; each row has a delete icon."""

    remove_requested = Signal(str)  # policy id

    PLACEHOLDER = ("Drag policies here from the Policy List.\n"
                   "A package holds one policy of each type and at least one policy.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("buildingBlocks")
        self.setAccessibleName("Package Builder")
        self.setAccessibleDescription("The policies of this package. Drop policies here.")
        self.setItemDelegate(BlockDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setDropIndicatorShown(True)
        self.setSpacing(2)
        self.setUniformItemSizes(True)
        self._drag_over = False

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        model.modelReset.connect(self.sync_buttons)
        model.rowsInserted.connect(self.sync_buttons)
        model.rowsRemoved.connect(self.sync_buttons)
        model.dataChanged.connect(self.sync_buttons)
        self.sync_buttons()

    def blocks_model(self) -> PackagePoliciesModel:
        model = self.model()
        assert isinstance(model, PackagePoliciesModel)
        return model

    # the delete icons
    def remove_button(self, row: int) -> QToolButton | None:
        widget = self.indexWidget(self.model().index(row, 0))
        return widget if isinstance(widget, QToolButton) else None

    def sync_buttons(self, *_args: Any) -> None:
        model = self.model()
        previous: QWidget = self  # Tab: the list, then its delete icons in row order, then on
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            name = str(index.data(Qt.ItemDataRole.DisplayRole))
            button = self.indexWidget(index)
            if not isinstance(button, QToolButton):
                button = QToolButton(self.viewport())
                button.setAutoRaise(True)
                button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TrashIcon))
                button.setIconSize(QSize(16, 16))
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
                button.clicked.connect(self._on_remove_clicked)
                self.setIndexWidget(index, button)
            button.setProperty("policy_id", index.data(ID_ROLE))
            button.setObjectName(f"remove:{index.data(ID_ROLE)}")
            button.setAccessibleName(f"Remove {name}")
            button.setToolTip(f"Remove '{name}' from the package")
            QWidget.setTabOrder(previous, button)
            previous = button

    def _on_remove_clicked(self) -> None:
        button = self.sender()
        policy_id = button.property("policy_id") if button is not None else None
        if policy_id:
            self.remove_requested.emit(str(policy_id))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            index = self.currentIndex()
            if index.isValid() and index.data(ID_ROLE):
                self.remove_requested.emit(str(index.data(ID_ROLE)))
                return
        super().keyPressEvent(event)

    # drag feedback
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        super().dragEnterEvent(event)
        self._set_drag_over(event.isAccepted())

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        super().dragMoveEvent(event)
        self._set_drag_over(event.isAccepted())

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        super().dragLeaveEvent(event)
        self._set_drag_over(False)

    def dropEvent(self, event: QDropEvent) -> None:
        super().dropEvent(event)
        self._set_drag_over(False)

    def _set_drag_over(self, on: bool) -> None:
        if on != self._drag_over:
            self._drag_over = on
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        palette = self.palette()
        if self.model() is not None and self.model().rowCount() == 0:
            color = palette.color(QPalette.ColorRole.PlaceholderText)
            painter.setPen(color)
            area = self.viewport().rect().adjusted(16, 16, -16, -16)
            painter.setPen(QPen(color, 1, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(area, 6, 6)
            painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter
                                       | Qt.TextFlag.TextWordWrap), self.PLACEHOLDER)
        if self._drag_over:
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.drawRect(self.viewport().rect().adjusted(1, 1, -2, -2))
        painter.end()


__all__ = ["BlockDelegate", "BuildingBlocksView", "PolicyListView", "PolicySourceModel"]
