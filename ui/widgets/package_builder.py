"""The Package Builder's layout (seed 000, "Add Policies to a Package"): name with a live
counter, the Default Package toggle, the Policy List and the building blocks side by side.

This widget only lays things out and reports what the user did; `PackagesPage` decides what
happens (undo commands, saving).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.names import MAX_NAME_LENGTH, name_length
from ui import theme
from ui.models.policy_models import PackagePoliciesModel, PolicySourceModel
from ui.widgets.package_blocks import BuildingBlocksView, PolicyListView
from ui.widgets.policy_common import NoticeBar, muted_color, section_title

DEFAULT_PACKAGE_HELP = (
    "Assigns this package at the partner level of the RMM hierarchy: it is inherited by all "
    "lower levels (every company, site and device) unless a site has its own package. Off by "
    "default; only one package can be the default at a time."
)
EMPTY_PACKAGE_MESSAGE = "A package must contain at least one policy"


class PackageBuilder(QWidget):
    name_edited = Signal(str)
    default_clicked = Signal(bool)
    save_clicked = Signal()
    revert_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.policy_model = PolicySourceModel(self)
        self.blocks_model = PackagePoliciesModel(self)
        self._build()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.setSpacing(8)

        self.title = section_title("New package", self)
        self.title.setObjectName("builderTitle")
        outer.addWidget(self.title)
        self.notice = NoticeBar(self)
        self.notice.float_over(self.title)  # a drop's message moves no drop target
        outer.addLayout(self._build_form())
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_source())
        self.splitter.addWidget(self._build_target())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        outer.addWidget(self.splitter, 1)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        outer.addWidget(line)
        outer.addLayout(self._build_footer())
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self._save_shortcut)
        self._update_counter(self.name_edit.text())

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setHorizontalSpacing(12)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("packageName")
        self.name_edit.setAccessibleName("Package name")
        self.name_edit.setPlaceholderText("A name for the package (required, up to 200 characters)")
        self.name_edit.setMaxLength(MAX_NAME_LENGTH * 5)
        self.name_edit.setClearButtonEnabled(True)
        self.name_edit.textEdited.connect(self.name_edited)
        self.name_edit.textChanged.connect(self._update_counter)
        self.counter = QLabel(self)
        self.counter.setObjectName("nameCounter")
        self.counter.setMinimumWidth(self.counter.fontMetrics().horizontalAdvance("0000/200") + 4)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        name_row = QHBoxLayout()
        name_row.setSpacing(8)
        name_row.addWidget(self.name_edit, 1)
        name_row.addWidget(self.counter)
        name_label = QLabel("&Name:", self)
        name_label.setBuddy(self.name_edit)
        form.addRow(name_label, name_row)
        form.addRow(QLabel("Assignment:", self), self._build_default_cell())
        return form

    def _build_default_cell(self) -> QWidget:
        self.default_check = QCheckBox("Default Package", self)
        self.default_check.setObjectName("defaultPackage")
        self.default_check.setAccessibleDescription(DEFAULT_PACKAGE_HELP)
        self.default_check.clicked.connect(self.default_clicked)
        default_help = QLabel(DEFAULT_PACKAGE_HELP, self)
        default_help.setWordWrap(True)
        default_help.setStyleSheet(f"color: {muted_color(self)}")
        default_cell = QWidget(self)
        default_layout = QVBoxLayout(default_cell)
        default_layout.setContentsMargins(0, 0, 0, 0)
        default_layout.setSpacing(2)
        default_layout.addWidget(self.default_check, 0, Qt.AlignmentFlag.AlignLeft)
        default_layout.addWidget(default_help)
        default_cell.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        return default_cell

    def _build_source(self) -> QWidget:
        source = QWidget(self)
        source_layout = QVBoxLayout(source)
        source_layout.setContentsMargins(0, 6, 4, 0)
        source_layout.setSpacing(6)
        source_layout.addWidget(section_title("Policy List", source))
        self.search = QLineEdit(source)
        self.search.setObjectName("policySearch")
        self.search.setPlaceholderText("Search policies by name or type")
        self.search.setAccessibleName("Search the Policy List")
        self.search.setClearButtonEnabled(True)
        source_layout.addWidget(self.search)
        self.policy_view = PolicyListView(source)
        self.policy_view.setModel(self.policy_model)
        source_layout.addWidget(self.policy_view, 1)
        hint = QLabel("Select one or more policies (Ctrl/Shift-click) and drag them into the "
                      "Package Builder. Double-click or Enter adds a policy.", source)
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {muted_color(self)}")
        source_layout.addWidget(hint)
        return source

    def _build_target(self) -> QWidget:
        target = QWidget(self)
        target_layout = QVBoxLayout(target)
        target_layout.setContentsMargins(4, 6, 0, 0)
        target_layout.setSpacing(6)
        heading = QHBoxLayout()
        heading.addWidget(section_title("Package Builder", target))
        heading.addStretch(1)
        self.count_label = QLabel(target)
        self.count_label.setStyleSheet(f"color: {muted_color(self)}")
        heading.addWidget(self.count_label)
        target_layout.addLayout(heading)
        self.blocks_view = BuildingBlocksView(target)
        self.blocks_view.setModel(self.blocks_model)
        target_layout.addWidget(self.blocks_view, 1)
        rule = QLabel("One policy of each type: dropping a second policy of a type replaces "
                      "the one there. The delete icon removes a policy.", target)
        rule.setWordWrap(True)
        rule.setStyleSheet(f"color: {muted_color(self)}")
        target_layout.addWidget(rule)
        return target

    def _build_footer(self) -> QHBoxLayout:
        footer = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("builderStatus")
        self.revert_button = QPushButton("Revert", self)
        self.revert_button.setToolTip("Go back to the saved package (undoable)")
        self.revert_button.clicked.connect(self.revert_clicked)
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("savePackage")
        self.save_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_DialogSaveButton))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_clicked)
        footer.addWidget(self.status, 1)
        footer.addWidget(self.revert_button)
        footer.addWidget(self.save_button)
        return footer

    def _save_shortcut(self) -> None:
        if self.save_button.isEnabled():
            self.save_clicked.emit()

    # state shown
    def name_length(self) -> int:
        return name_length(self.name_edit.text())

    def name_too_long(self) -> bool:
        return self.name_length() > MAX_NAME_LENGTH

    def _update_counter(self, _text: str = "") -> None:
        count = self.name_length()
        self.counter.setText(f"{count}/{MAX_NAME_LENGTH}")
        if count > MAX_NAME_LENGTH:
            theme.set_style(self.counter, "color: $error; font-weight: bold")
            self.counter.setToolTip(f"Names can have at most {MAX_NAME_LENGTH} characters; "
                                    f"remove {count - MAX_NAME_LENGTH}.")
            self.name_edit.setToolTip(self.counter.toolTip())
        else:
            theme.set_style(self.counter, "color: $muted")
            self.counter.setToolTip(f"Up to {MAX_NAME_LENGTH} characters")
            self.name_edit.setToolTip("")
        self.counter.setAccessibleName(f"{count} of {MAX_NAME_LENGTH} characters")

    def set_name(self, name: str) -> None:
        """Show `name` without reporting it as a user edit (cursor kept where possible)."""
        if self.name_edit.text() != name:
            cursor = self.name_edit.cursorPosition()
            self.name_edit.setText(name)
            self.name_edit.setCursorPosition(min(cursor, len(name)))

    def set_save_state(self, enabled: bool, status: str, error: bool = False) -> None:
        self.save_button.setEnabled(enabled)
        self.status.setText(status)
        theme.set_style(self.status, "color: $error" if error else "color: $muted")


__all__ = ["DEFAULT_PACKAGE_HELP", "EMPTY_PACKAGE_MESSAGE", "PackageBuilder"]
