"""The policy editor: a form generated from the policy type's setting specs.

Each `SettingSpec` kind has its field: BOOL → check box, INT → spin box, CHOICE → combo box,
MULTI_CHOICE → checkable list, TEXT → line edit, WINDOW → "Scheduled" + start/end time edits.
Fields are grouped by `spec.group`; a field with `enabled_by` is enabled only while that toggle
is on (and itself enabled). Every edit is checked live with `PolicyService.check`; each problem
shows under its field and Save stays disabled while there is one. `PolicyService.advice` (the
seeds' recommendations) shows under its field in the warning colour and never blocks Save. A
PSA Integration policy also gets the API key box (`ui.widgets.psa_keys`, stored in the vault).

The editor does not save: it emits `save_requested` and the page calls the service (and puts
the change on the undo stack).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PreflightError
from app.domain.names import MAX_NAME_LENGTH, name_length
from app.domain.policy_types import PolicyType
from app.domain.settings import SettingKind, SettingSpec, SettingValue
from app.domain.windows import describe_minutes, parse_window
from app.services.policies import PolicyService
from app.services.views import PolicyView
from ui import theme
from ui.accessibility import tab_in_tree_order
from ui.background import run_blocking
from ui.models.policy_models import category_label
from ui.widgets.cells import error_line, stacked_cell
from ui.widgets.policy_common import NoticeBar, muted_color, section_title
from ui.widgets.psa_keys import PsaKeysBox
from ui.widgets.time_edit import TimeEdit

PAID_NOTE = ("NOC Services are a paid add-on: if you enable them, they are charged on your "
             "monthly invoice.")
# the paid add-on note: a warning-coloured box, light or dark (ui.theme tokens)
NOTE_STYLE = ("QLabel { background: $warning_bg; border: 1px solid $warning_border;"
              " border-radius: 3px; padding: 4px 6px; color: $warning_text; }")


def describe_problem(spec: SettingSpec | None, reason: str) -> str:
    """A rule's reason as a sentence under its field ("Notification Rule is required …")."""
    if spec is not None and reason.startswith("is "):
        return f"{spec.label} {reason}"
    return reason[:1].upper() + reason[1:] if reason else reason


# --- fields ----------------------------------------------------------------------------------


class SettingField(QWidget):
    """One setting's input. `changed` fires on every user (or programmatic) edit."""

    changed = Signal()

    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"setting:{spec.key}")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)

    def value(self) -> SettingValue:
        raise NotImplementedError

    def set_value(self, value: SettingValue) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        return self


class BoolField(SettingField):
    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.check = QCheckBox(self)
        self.check.setAccessibleName(spec.label)
        self.check.toggled.connect(self._on_toggled)
        self._layout.addWidget(self.check)
        self._layout.addStretch(1)
        self._on_toggled(False)

    def _on_toggled(self, on: bool) -> None:
        self.check.setText("On" if on else "Off")
        self.changed.emit()

    def value(self) -> SettingValue:
        return self.check.isChecked()

    def set_value(self, value: SettingValue) -> None:
        self.check.setChecked(bool(value))
        self.check.setText("On" if value else "Off")

    def focus_target(self) -> QWidget:
        return self.check


class IntField(SettingField):
    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.spin = QSpinBox(self)
        self.spin.setAccessibleName(spec.label)
        self.spin.setRange(spec.minimum if spec.minimum is not None else -(2**31),
                           spec.maximum if spec.maximum is not None else 2**31 - 1)
        self.spin.setMinimumWidth(80)
        self.spin.valueChanged.connect(lambda _v: self.changed.emit())
        self._layout.addWidget(self.spin)
        if spec.minimum is not None and spec.maximum is not None:
            hint = QLabel(f"{spec.minimum}–{spec.maximum}", self)
            hint.setStyleSheet(f"color: {muted_color(self)}")
            self._layout.addWidget(hint)
        self._layout.addStretch(1)

    def value(self) -> SettingValue:
        return self.spin.value()

    def set_value(self, value: SettingValue) -> None:
        self.spin.setValue(int(value) if isinstance(value, int) else self.spin.minimum())

    def focus_target(self) -> QWidget:
        return self.spin


class ChoiceField(SettingField):
    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(spec.label)
        for choice in spec.choices:
            self.combo.addItem(spec.label_for(choice), choice)
        # as wide as its longest choice where there is room, narrower (the text elided) where
        # there is not: the editor fits beside the list at 1024 px without scrolling sideways
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMaximumWidth(self.combo.sizeHint().width())
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(min(14, max(len(c) for c in
                                                        map(spec.label_for, spec.choices))))
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._layout.addWidget(self.combo, 1)
        self._layout.addStretch(0)

    def value(self) -> SettingValue:
        data = self.combo.currentData()
        return str(data) if data is not None else None

    def set_value(self, value: SettingValue) -> None:
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(index if index >= 0 else 0)

    def focus_target(self) -> QWidget:
        return self.combo


class MultiChoiceField(SettingField):
    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.list = QListWidget(self)
        self.list.setAccessibleName(spec.label)
        for choice in spec.choices:
            item = QListWidgetItem(spec.label_for(choice).replace("-", " ").capitalize(),
                                   self.list)
            item.setData(Qt.ItemDataRole.UserRole, choice)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        rows = max(1, len(spec.choices))
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth()
                                 + 4)
        self.list.setMaximumWidth(320)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        self._layout.addWidget(self.list)
        self._layout.addStretch(1)

    def item(self, choice: str) -> QListWidgetItem | None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == choice:
                return item
        return None

    def value(self) -> SettingValue:
        return [
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_value(self, value: SettingValue) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        with QSignalBlocker(self.list):
            for i in range(self.list.count()):
                item = self.list.item(i)
                item.setCheckState(Qt.CheckState.Checked
                                   if item.data(Qt.ItemDataRole.UserRole) in chosen
                                   else Qt.CheckState.Unchecked)
        self.changed.emit()

    def focus_target(self) -> QWidget:
        return self.list


class TextField(SettingField):
    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(spec.label)
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(200)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self._layout.addWidget(self.edit, 1)

    def value(self) -> SettingValue:
        return self.edit.text()

    def set_value(self, value: SettingValue) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_target(self) -> QWidget:
        return self.edit


class WindowField(SettingField):
    """A scheduled window in local time: `None` when not scheduled, else `HH:MM-HH:MM`."""

    def __init__(self, spec: SettingSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.scheduled = QCheckBox("Scheduled", self)
        self.scheduled.setAccessibleName(f"{spec.label}: scheduled")
        self.start = TimeEdit(self)  # takes typed digits, not only the arrow keys
        self.end = TimeEdit(self)
        for edit, what in ((self.start, "start"), (self.end, "end")):
            edit.setAccessibleName(f"{spec.label} {what} (local time)")
            edit.timeChanged.connect(self._on_edit)
        self.to_label = QLabel("to", self)
        self.duration = QLabel(self)
        self.duration.setStyleSheet(f"color: {muted_color(self)}")
        self.scheduled.toggled.connect(self._on_edit)
        times = QHBoxLayout()
        times.setSpacing(6)
        times.addWidget(self.scheduled)
        times.addSpacing(6)
        times.addWidget(self.start)
        times.addWidget(self.to_label)
        times.addWidget(self.end)
        times.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addLayout(times)
        column.addWidget(self.duration)
        self._layout.addLayout(column, 1)
        self._set_times(None)
        self._sync()

    def _default_window(self) -> tuple[QTime, QTime]:
        start = QTime(22, 0)
        return start, start.addSecs(60 * max(60, self.spec.minimum_window_minutes or 60))

    def _set_times(self, value: str | None) -> None:
        start, end = self._default_window()
        if value:
            try:
                window = parse_window(value)
            except ValueError:
                window = None
            if window is not None:
                start = QTime(window.start_minute // 60, window.start_minute % 60)
                end = QTime(window.end_minute // 60, window.end_minute % 60)
        with QSignalBlocker(self.start), QSignalBlocker(self.end):
            self.start.setTime(start)
            self.end.setTime(end)

    def _on_edit(self, *_args: Any) -> None:
        self._sync()
        self.changed.emit()

    def _sync(self) -> None:
        on = self.scheduled.isChecked()
        for widget in (self.start, self.end, self.to_label, self.duration):
            widget.setEnabled(on)
        window = self.value()
        if not isinstance(window, str):
            self.duration.setText("Not scheduled")
            return
        parsed = parse_window(window)
        text = f"Window of {describe_minutes(parsed.duration_minutes)}"
        if parsed.crosses_midnight:
            text += ", ends the next day"
        self.duration.setText(text)

    def value(self) -> SettingValue:
        if not self.scheduled.isChecked():
            return None
        return f"{self.start.time().toString('HH:mm')}-{self.end.time().toString('HH:mm')}"

    def set_value(self, value: SettingValue) -> None:
        text = value if isinstance(value, str) and value else None
        self._set_times(text)
        with QSignalBlocker(self.scheduled):
            self.scheduled.setChecked(text is not None)
        self._sync()
        self.changed.emit()

    def set_window(self, start: QTime, end: QTime) -> None:
        """Schedule the window `start`–`end` (what a user does with the three widgets)."""
        self.scheduled.setChecked(True)
        self.start.setTime(start)
        self.end.setTime(end)

    def focus_target(self) -> QWidget:
        return self.scheduled


# PSA Integration settings that name a ticketing lookup of the platform (and `priority_map.*`)
PICK_LISTS = {"service_board": "service_boards", "ticket_type": "types",
              "ticket_source": "sources"}

FIELD_TYPES: dict[SettingKind, type[SettingField]] = {
    SettingKind.BOOL: BoolField,
    SettingKind.INT: IntField,
    SettingKind.CHOICE: ChoiceField,
    SettingKind.MULTI_CHOICE: MultiChoiceField,
    SettingKind.TEXT: TextField,
    SettingKind.WINDOW: WindowField,
}


@dataclass
class _Row:
    """A field with its label, help, paid-add-on note and inline error."""

    field: SettingField
    label: QLabel
    help: QLabel | None
    note: QLabel | None
    error: QLabel
    advice: QLabel


# --- the editor ------------------------------------------------------------------------------


class PolicyEditor(QWidget):
    """Edit one policy (or a new one) of any type. The page saves it."""

    save_requested = Signal()
    close_requested = Signal()
    state_changed = Signal()  # dirty or problems changed

    def __init__(self, policies: PolicyService, parent: QWidget | None = None, *,
                 vault_session: Any = None, rules: Any = None) -> None:
        super().__init__(parent)
        self.policies = policies
        self.rules = rules  # app.services.rules.RuleService: the Notification Rule pick list
        self.vault_session = vault_session  # ui.vault.session.VaultSession: the API key box
        self._types = {t.id: t for t in policies.types()}
        self._policy: PolicyView | None = None
        self._ptype: PolicyType | None = None
        self._rows: dict[str, _Row] = {}
        self._baseline: tuple[str, dict[str, SettingValue]] = ("", {})
        self._problems: dict[str, str] = {}
        self._pick_lists: dict[str, list[str]] = {}  # set_pick_lists: the platform's lookups
        self._loading = False
        self._build()

    # layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)

        header_row = QVBoxLayout()
        header_row.setContentsMargins(12, 10, 12, 0)
        heading = QWidget(self)  # title and subtitle: what the notice shows over
        header = QVBoxLayout(heading)
        header.setContentsMargins(0, 0, 0, 0)
        header.setSpacing(2)
        self.title = section_title("New policy", heading)
        self.title.setObjectName("editorTitle")
        self.subtitle = QLabel(heading)
        self.subtitle.setWordWrap(True)
        self.subtitle.setStyleSheet(f"color: {muted_color(self)}")
        header.addWidget(self.title)
        header.addWidget(self.subtitle)
        header_row.addWidget(heading)
        outer.addLayout(header_row)

        self.notice = NoticeBar(self)
        self.notice.float_over(heading)  # a save's message moves no field under the pointer

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self._content = QWidget()
        self._content_layout = QVBoxLayout(self._content)
        self._content_layout.setContentsMargins(12, 4, 12, 12)
        self._content_layout.setSpacing(12)
        self._content_layout.addWidget(self._build_general(self._content))
        self._settings_host = QWidget(self._content)
        self._settings_layout = QVBoxLayout(self._settings_host)
        self._settings_layout.setContentsMargins(0, 0, 0, 0)
        self._settings_layout.setSpacing(12)
        self._content_layout.addWidget(self._settings_host)
        self.keys_box = PsaKeysBox(self.vault_session, self._content)
        self._content_layout.addWidget(self.keys_box)
        self._content_layout.addStretch(1)
        self.scroll_area.setWidget(self._content)
        outer.addWidget(self.scroll_area, 1)
        outer.addWidget(self._build_footer())
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self._on_save)

    def _build_general(self, parent: QWidget) -> QGroupBox:
        """Category, Type and Name, as the seed's "new policy page" has them."""
        general = QGroupBox("General", parent)
        form = QFormLayout(general)
        self._tune_form(form)
        self.category_combo = QComboBox(general)
        self.category_combo.setAccessibleName("Category")
        for category in ("devices", "sites"):
            self.category_combo.addItem(category_label(category), category)
        self.category_combo.currentIndexChanged.connect(self._on_category_changed)
        self.category_value = QLabel(general)
        self.type_combo = QComboBox(general)
        self.type_combo.setAccessibleName("Type")
        self.type_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.type_combo.currentIndexChanged.connect(self._on_type_changed)
        self.type_value = QLabel(general)
        self.name_edit = QLineEdit(general)
        self.name_edit.setAccessibleName("Name")
        self.name_edit.setPlaceholderText("A name of your choice (required)")
        self.name_edit.setMaxLength(MAX_NAME_LENGTH * 2)
        self.name_edit.textChanged.connect(self._on_edited)
        self.name_error = error_line(general, lines=1)
        self.name_error.setObjectName("error:name")
        category_cell = stacked_cell(general, self.category_combo, self.category_value)
        type_cell = stacked_cell(general, self.type_combo, self.type_value)
        name_cell = stacked_cell(general, self.name_edit, self.name_error)
        form.addRow(self._buddy("&Category:", self.category_combo, general), category_cell)
        form.addRow(self._buddy("&Type:", self.type_combo, general), type_cell)
        form.addRow(self._buddy("&Name:", self.name_edit, general), name_cell)
        return general

    def _build_footer(self) -> QFrame:
        footer = QFrame(self)
        footer.setFrameShape(QFrame.Shape.NoFrame)
        buttons = QHBoxLayout(footer)
        buttons.setContentsMargins(12, 6, 12, 10)
        self.status = QLabel(footer)
        self.status.setObjectName("editorStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.show_problem = QPushButton("Show", footer)
        self.show_problem.setObjectName("showProblem")
        self.show_problem.setFlat(True)
        self.show_problem.setStyleSheet(
            "QPushButton { color: palette(link); text-decoration: underline; border: none;"
            " padding: 0 4px; }")
        self.show_problem.setCursor(Qt.CursorShape.PointingHandCursor)
        self.show_problem.setToolTip("Scroll to the first problem")
        self.show_problem.clicked.connect(self.reveal_first_problem)
        self.show_problem.hide()
        self.cancel_button = QPushButton("Cancel", footer)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.save_button = QPushButton("Save", footer)
        self.save_button.setDefault(True)
        self.save_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_DialogSaveButton))
        self.save_button.clicked.connect(self._on_save)
        buttons.addWidget(self.status)
        buttons.addWidget(self.show_problem)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        return footer

    @staticmethod
    def _tune_form(form: QFormLayout) -> None:
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)

    @staticmethod
    def _buddy(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setBuddy(buddy)
        label.setMinimumWidth(150)  # groups align; the editor fits beside the list at 1024
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return label


    # the settings form
    def _clear_settings(self) -> None:
        while self._settings_layout.count():
            item = self._settings_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self._rows = {}

    def _build_settings(self, ptype: PolicyType) -> None:
        self._clear_settings()
        groups: dict[str, list[SettingSpec]] = {}
        for spec in ptype.settings:
            groups.setdefault(spec.group, []).append(spec)
        for group, specs in groups.items():
            box = QGroupBox(group or f"{ptype.label} Settings", self._settings_host)
            box.setObjectName(f"group:{group or 'settings'}")
            form = QFormLayout(box)
            self._tune_form(form)
            for spec in specs:
                self._add_row(form, box, spec)
            self._settings_layout.addWidget(box)
        for row in self._rows.values():
            row.field.changed.connect(self._on_edited)
        self._attach_pick_lists()
        tab_in_tree_order(self)  # the new fields come before the footer, not after the window

    def set_pick_lists(self, lists: dict[str, list[str]]) -> None:
        """The platform's ticketing lookups (Sync → ConnectWise… → Pull), by kind: the PSA
        Integration fields that name one complete from them (typing stays free: a value the
        platform does not list yet is kept, not refused)."""
        self._pick_lists = lists
        self._attach_pick_lists()

    def _attach_pick_lists(self) -> None:
        lists = self._pick_lists
        for key, row in self._rows.items():
            kind = PICK_LISTS.get(key) or ("priorities" if key.startswith("priority_map.")
                                           else None)
            field = row.field
            if kind is None or not isinstance(field, TextField):
                continue
            names = lists.get(kind, [])
            completer = QCompleter(names, field.edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            field.edit.setCompleter(completer)
            field.edit.setToolTip(
                f"{len(names)} values from ConnectWise: type to pick one" if names else
                "Pull from ConnectWise (Sync → ConnectWise…) to pick from the platform's list")

    def _add_row(self, form: QFormLayout, box: QWidget, spec: SettingSpec) -> None:
        field = self._rule_field(spec, box) or FIELD_TYPES[spec.kind](spec, box)
        label = self._buddy(f"{spec.label}:", field.focus_target(), box)
        label.setWordWrap(True)
        parts: list[QWidget] = [field]
        help_label = None
        note = None
        if spec.extra.get("paid"):
            note = QLabel(box)
            note.setObjectName(f"paidNote:{spec.key}")
            note.setWordWrap(True)
            note.setTextFormat(Qt.TextFormat.RichText)
            note.setText(f"<b>Paid add-on.</b> {PAID_NOTE.split(': ', 1)[1].capitalize()}")
            note.setAccessibleName(PAID_NOTE)
            note.setToolTip(PAID_NOTE)
            theme.set_style(note, NOTE_STYLE)
            parts.append(note)
        elif spec.help:
            help_label = QLabel(spec.help, box)
            help_label.setWordWrap(True)
            help_label.setStyleSheet(f"color: {muted_color(box)}")
            parts.append(help_label)
        # a switch's message is one short line; a window's or a text's rule can take two
        error = error_line(box, lines=1 if isinstance(field, BoolField) else 2)
        error.setObjectName(f"error:{spec.key}")
        advice = QLabel(box)  # a recommendation: warning colour, never blocks Save
        advice.setObjectName(f"advice:{spec.key}")
        advice.setWordWrap(True)
        theme.set_style(advice, "color: $warning_text")
        advice.hide()
        parts += [error, advice]
        cell = stacked_cell(box, *parts)
        form.addRow(label, cell)
        self._rows[spec.key] = _Row(field, label, help_label, note, error, advice)

    # the notification rule: a pick list of the partner's rules
    def _rule_field(self, spec: SettingSpec, box: QWidget) -> SettingField | None:
        if spec.key != "notification_rule" or self.rules is None:
            return None
        from ui.widgets.rule_field import RuleField  # it builds on SettingField, defined here

        field = RuleField(spec, box)
        field.new_rule_requested.connect(lambda: self._new_rule(field))
        self._load_rule_choices(field)
        return field

    def _load_rule_choices(self, field: Any, then: Callable[[], None] | None = None) -> None:
        def loaded(choices: list[tuple[str, str]]) -> None:
            field.set_choices(choices)
            if then is not None:
                then()
            self._refresh_state()

        run_blocking(field, self.rules.choices, loaded)

    def _new_rule(self, field: Any) -> None:
        name, ok = QInputDialog.getText(self, "New notification rule",
                                        "Name of the new notification rule:")
        if not ok or not name.strip():
            return

        def created(view: Any) -> None:
            self._load_rule_choices(field, lambda: field.choose(view.id))
            self.show_message(f"Created notification rule '{view.name}': set up its "
                              "escalation paths on the Notification Rules page.")

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, PreflightError):
                raise exc
            self.show_error(str(exc))

        run_blocking(field, lambda: self.rules.create(name), created, failed)

    # modes
    def start_new(self, type_id: str | None = None) -> None:
        """A new policy; the user picks category and type (preselected from `type_id`)."""
        self._policy = None
        type_id = type_id if type_id in self._types else next(iter(self._types))
        self._loading = True
        try:
            self._show_choosers(True)
            with QSignalBlocker(self.category_combo):
                self.category_combo.setCurrentIndex(
                    self.category_combo.findData(self._types[type_id].category))
            self._fill_type_combo(type_id)
            self.name_edit.clear()
            self._use_type(type_id, {})
        finally:
            self._loading = False
        self._baseline = (self.name(), self.settings())
        self.notice.clear()
        self._refresh_state()

    def load(self, policy: PolicyView) -> None:
        """Edit `policy` (its type is fixed)."""
        self._policy = policy
        self._loading = True
        try:
            self._show_choosers(False)
            self.category_value.setText(category_label(policy.category))
            self.type_value.setText(policy.type_label)
            self.name_edit.setText(policy.name)
            self._use_type(policy.type, policy.settings)
        finally:
            self._loading = False
        self._baseline = (self.name(), self.settings())
        self.notice.clear()
        self._refresh_state()

    def _show_choosers(self, new: bool) -> None:
        self.category_combo.setVisible(new)
        self.type_combo.setVisible(new)
        self.category_value.setVisible(not new)
        self.type_value.setVisible(not new)
        self.cancel_button.setText("Cancel" if new else "Revert")
        self.cancel_button.setToolTip("Discard this new policy" if new
                                      else "Discard your changes to this policy")

    def _fill_type_combo(self, selected: str | None = None) -> None:
        category = self.category_combo.currentData()
        with QSignalBlocker(self.type_combo):
            self.type_combo.clear()
            for t in self._types.values():
                if t.category == category:
                    self.type_combo.addItem(t.label, t.id)
            index = self.type_combo.findData(selected)
            self.type_combo.setCurrentIndex(max(index, 0))

    def _on_category_changed(self, _index: int) -> None:
        self._fill_type_combo()
        self._on_type_changed(self.type_combo.currentIndex())

    def _on_type_changed(self, _index: int) -> None:
        type_id = self.type_combo.currentData()
        if type_id is None or self._policy is not None:
            return
        self._loading = True
        try:
            self._use_type(str(type_id), {})
        finally:
            self._loading = False
        self._refresh_state()

    def _use_type(self, type_id: str, settings: dict[str, SettingValue]) -> None:
        ptype = self.policies.type_spec(type_id)
        if ptype is not self._ptype or not self._rows:
            self._ptype = ptype
            self._build_settings(ptype)
        values = ptype.defaults()
        values.update({k: v for k, v in settings.items() if k in values})
        for key, row in self._rows.items():
            row.field.set_value(values[key])
        self.subtitle.setText(ptype.description)
        self._update_enabled()
        self.keys_box.show_for(type_id, self._policy.id if self._policy else None)

    # reading
    def policy(self) -> PolicyView | None:
        return self._policy

    def is_new(self) -> bool:
        return self._policy is None

    def type_id(self) -> str:
        assert self._ptype is not None
        return self._ptype.id

    def name(self) -> str:
        return self.name_edit.text().strip()

    def settings(self) -> dict[str, SettingValue]:
        return {key: row.field.value() for key, row in self._rows.items()}

    def field(self, key: str) -> SettingField:
        return self._rows[key].field

    def field_label(self, key: str) -> QLabel:
        return self._rows[key].label

    def paid_note(self, key: str) -> QLabel | None:
        return self._rows[key].note

    def problems(self) -> dict[str, str]:
        """Current problems by setting key (`name` for the name)."""
        return dict(self._problems)

    def advice_text(self, key: str) -> str:
        label = self._rows[key].advice
        return label.text() if not label.isHidden() else ""

    def error_text(self, key: str) -> str:
        label = self.name_error if key == "name" else self._rows[key].error
        return label.text() if not label.isHidden() else ""

    def is_dirty(self) -> bool:
        if self._ptype is None:
            return False
        return self.is_new() or (self.name(), self.settings()) != self._baseline

    # live state
    def _on_edited(self, *_args: Any) -> None:
        if self._loading:
            return
        self._update_enabled()
        self._refresh_state()

    def _is_active(self, key: str, seen: frozenset[str] = frozenset()) -> bool:
        """Whether `key` applies: its enabling toggle (and that one's, …) is on."""
        row = self._rows.get(key)
        if row is None or key in seen:
            return True
        enabler = row.field.spec.enabled_by
        if enabler is None or enabler not in self._rows:
            return True
        return bool(self._rows[enabler].field.value()) and self._is_active(enabler, seen | {key})

    def _update_enabled(self) -> None:
        for key, row in self._rows.items():
            active = self._is_active(key)
            for widget in (row.field, row.label, row.help):
                if widget is not None:
                    widget.setEnabled(active)
            enabler = row.field.spec.enabled_by
            if enabler in self._rows and not active:
                row.field.setToolTip(
                    f"Applies when '{self._rows[enabler].field.spec.label}' is on.")
            else:
                row.field.setToolTip("")

    def _validate(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        raw = self.name_edit.text()
        name = raw.strip()
        if not name:
            problems["name"] = "Give the policy a name."
        elif name_length(name) > MAX_NAME_LENGTH:
            problems["name"] = (f"A name can have at most {MAX_NAME_LENGTH} characters; "
                                f"this one has {name_length(name)}.")
        if self._ptype is not None:
            for error in self.policies.check(self._ptype.id, name, self.settings()):
                spec = next((s for s in self._ptype.settings if s.key == error.key), None)
                problems.setdefault(error.key, describe_problem(spec, error.reason))
        from ui.widgets.rule_field import RuleField  # it builds on SettingField, defined here

        rule = self._rows.get("notification_rule")
        if rule is not None and isinstance(rule.field, RuleField) and not rule.field.known():
            problems.setdefault("notification_rule", (
                f"Notification rule '{rule.field.value()}' does not exist; choose "
                "another or create it with New rule…"))
        return problems

    def _refresh_state(self) -> None:
        self._problems = self._validate()
        self.name_error.setText(self._problems.get("name", ""))
        self.name_error.setVisible("name" in self._problems)
        for key, row in self._rows.items():
            message = self._problems.get(key, "")
            row.error.setText(message)
            row.error.setVisible(bool(message))
            row.field.setProperty("invalid", bool(message))
        self._show_advice()
        orphan = [m for k, m in self._problems.items() if k != "name" and k not in self._rows]
        count = len(self._problems)
        dirty = self.is_dirty()
        if count:
            noun = "problem" if count == 1 else "problems"
            detail = f": {orphan[0]}" if orphan else ""
            self.status.setText(f"{count} {noun} to fix before saving{detail}")
            theme.set_style(self.status, "color: $error")
        else:
            self.status.setText("Unsaved changes" if dirty and not self.is_new()
                                else "New policy, not saved yet" if self.is_new() else "")
            theme.set_style(self.status, "color: $muted")
        self.show_problem.setVisible(count > 0)
        self.save_button.setEnabled(count == 0 and dirty)
        self.cancel_button.setEnabled(dirty or self.is_new())
        if self._policy is not None:
            star = " •" if dirty else ""
            self.title.setText(f"{self.name() or self._policy.name}{star}")
        elif self._ptype is not None:
            self.title.setText(f"New {self._ptype.label} policy")
        self.state_changed.emit()

    def _show_advice(self) -> None:
        advice = ({a.key: a.message for a in self.policies.advice(self._ptype.id,
                                                                  self.settings())}
                  if self._ptype is not None else {})
        for key, row in self._rows.items():
            text = advice.get(key, "")
            row.advice.setText(f"⚠ {text}" if text else "")
            shown = bool(text) and key not in self._problems
            row.advice.setVisible(shown)
            if row.help is not None:  # the warning says it all; "Recommended off." twice reads ill
                row.help.setVisible(not shown)

    def reveal_first_problem(self) -> None:
        """Scroll to the first field with a problem and put the cursor in it."""
        if "name" in self._problems:
            self.scroll_area.ensureWidgetVisible(self.name_edit)
            self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        for row in self._rows.values():
            if not row.error.isHidden():
                self.scroll_area.ensureWidgetVisible(row.error, 50, 50)
                row.field.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
                return

    # actions
    def _on_save(self) -> None:
        if self.save_button.isEnabled():
            self.save_requested.emit()

    def _on_cancel(self) -> None:
        if self._policy is None:
            self.close_requested.emit()
        else:
            self.load(self._policy)

    def show_error(self, text: str) -> None:
        self.notice.show_message(text, "error")

    def show_message(self, text: str, kind: str = "success") -> None:
        self.notice.show_message(text, kind)

    def focus_first(self) -> None:
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.name_edit.selectAll()

    def clear(self) -> None:
        """Nothing being edited."""
        self._policy = None
        self._ptype = None
        self._clear_settings()
        self.keys_box.show_for(None, None)


__all__ = ["PAID_NOTE", "PolicyEditor", "SettingField", "WindowField", "describe_problem"]
