"""Add or edit one client profile: personal details, phone numbers, equipment.

Every keystroke validates the profile with `validate_values` (the same rules as the import)
and shows why a value is refused right under its field; OK stays disabled while an error is
left. Warnings (say a mobile provider that will not sync) are shown but do not block.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.profiles import FIELDS, HEADERS, Issue, Profile, ProfileKey, validate_values
from ui import theme
from ui.widgets.cells import MessageLine
from ui.widgets.edit_dialog import EditDialog

FIELD_OF_COLUMN = dict(zip(HEADERS, FIELDS, strict=True))

# (section title, [(field id, label, placeholder)])
SECTIONS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("Personal", (
        ("first_name", "First name*", ""),
        ("last_name", "Last name*", ""),
        ("email", "Email", "name@client.com"),
        ("title", "Title", "e.g. Office Manager"),
    )),
    ("Phone numbers", (
        ("mobile_country_code", "Mobile country", "US, GB, …"),
        ("mobile_phone", "Mobile phone", "digits only, e.g. 4155553657"),
        ("mobile_provider", "Mobile provider", "leave blank (does not sync)"),
        ("mobile_sms_gateway", "SMS gateway", "leave blank (does not sync)"),
        ("office_country_code", "Office country", "US"),
        ("office_phone", "Office phone", "digits only"),
        ("office_extension", "Extension", "digits only"),
        ("home_country_code", "Home country", "US"),
        ("home_phone", "Home phone", "digits only"),
    )),
    ("Equipment", (
        ("computer_name", "Computer name", "e.g. FRONTDESK-01"),
    )),
)


class ProfileForm(QWidget):
    """The fields of one profile with their inline messages; `changed` after each edit."""

    changed = Signal()

    def __init__(self, existing_keys: Collection[ProfileKey] = frozenset(),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.existing_keys = frozenset(existing_keys)
        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}
        self.issues: list[Issue] = []
        self.touched: set[str] = set()  # fields the user edited (a new form starts quiet)
        self.show_all = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel(self)
        self.summary.setObjectName("profileFormSummary")
        self.summary.setWordWrap(True)
        theme.set_style(self.summary, "color: $error")
        for title, fields in SECTIONS:
            box = QGroupBox(title, self)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for field, label, placeholder in fields:
                form.addRow(label, self._field(field, label, placeholder, box))
                if field == "title":
                    self.vip = QCheckBox("VIP (the Help Desk gives this caller priority)", box)
                    self.vip.setObjectName("field_vip")
                    self.vip.toggled.connect(lambda _on: self._changed("vip"))
                    form.addRow("", self.vip)
            if title == "Equipment":
                self.notes = QPlainTextEdit(box)
                self.notes.setObjectName("field_notes")
                self.notes.setAccessibleName("Notes")
                self.notes.setFixedHeight(70)
                self.notes.textChanged.connect(lambda: self._changed("notes"))
                form.addRow("Notes", self.notes)
                self.messages["notes"] = self._message(box)
                form.addRow("", self.messages["notes"])
            layout.addWidget(box)
        layout.addWidget(self.summary)

    def _field(self, field: str, label: str, placeholder: str, parent: QWidget) -> QWidget:
        holder = QWidget(parent)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        edit = QLineEdit(holder)
        edit.setObjectName(f"field_{field}")
        edit.setAccessibleName(label.rstrip("*"))
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(lambda _t, f=field: self._changed(f))
        if field.endswith("country_code"):
            edit.setMaximumWidth(80)
        message = self._message(holder)
        column.addWidget(edit)
        column.addWidget(message)
        self.edits[field] = edit
        self.messages[field] = message
        return holder

    def _message(self, parent: QWidget) -> MessageLine:
        label = MessageLine(parent, 2)  # a profile's messages run to two lines at 560 px
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        return label

    # values
    def set_profile(self, profile: Profile) -> None:
        values = profile.values()
        for field, edit in self.edits.items():
            edit.blockSignals(True)
            edit.setText(values.get(field, ""))
            edit.blockSignals(False)
        self.vip.blockSignals(True)
        self.vip.setChecked(profile.vip)
        self.vip.blockSignals(False)
        self.notes.blockSignals(True)
        self.notes.setPlainText(profile.notes)
        self.notes.blockSignals(False)
        self.show_all = True
        self.validate()

    def values(self) -> dict[str, str]:
        values = {field: edit.text() for field, edit in self.edits.items()}
        values["vip"] = "Yes" if self.vip.isChecked() else "No"
        values["notes"] = self.notes.toPlainText()
        return values

    def profile(self) -> Profile:
        return Profile.from_values(self.values())

    # validation
    def _changed(self, field: str) -> None:
        self.touched.add(field)
        self.validate()
        self.changed.emit()

    def validate(self) -> list[Issue]:
        self.issues = validate_values(self.values(), existing_keys=self.existing_keys)
        by_field: dict[str, list[Issue]] = {}
        pending: list[str] = []  # errors of fields the user has not reached yet
        for issue in self.issues:
            field = FIELD_OF_COLUMN.get(issue.column, "first_name")
            if self.show_all or field in self.touched:
                by_field.setdefault(field, []).append(issue)
            elif issue.severity == "error":
                pending.append(issue.message)
        for field, label in self.messages.items():
            found = by_field.get(field, [])
            edit = self.edits.get(field)
            if not found:
                label.hide()
                label.clear()
                if edit is not None:
                    theme.set_style(edit, "")
                    edit.setToolTip("")
                continue
            error = any(i.severity == "error" for i in found)
            color = "$error" if error else "$warning"
            text = " ".join(i.message for i in found)
            label.setText(text)
            theme.set_style(label, f"color: {color}")
            label.show()
            if edit is not None:
                theme.set_style(edit, f"QLineEdit {{ border: 1px solid {color}; }}")
                edit.setToolTip(text)
        self.summary.setText("Still needed: " + " ".join(pending) if pending else "")
        self.summary.setVisible(bool(pending))
        return self.issues

    def has_errors(self) -> bool:
        return any(i.severity == "error" for i in self.issues)

    def messages_shown(self) -> dict[str, str]:
        """Field id → the message shown under it (tests, accessibility)."""
        return {f: m.text() for f, m in self.messages.items() if m.text()}


class ProfileDialog(EditDialog):
    """The add/edit form in a dialog; OK is enabled only when the profile has no error.
    Closing it with edits asks first; the quit guard lists it."""

    def __init__(self, title: str, profile: Profile | None,
                 existing_keys: Collection[ProfileKey] = frozenset(),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileDialog")
        self.setWindowTitle(title)
        self.resize(560, 720)
        outer = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        self.form = ProfileForm(existing_keys, scroll)
        scroll.setWidget(self.form)
        outer.addWidget(scroll, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)
        if profile is not None:
            self.form.set_profile(profile)
        else:
            self.form.validate()
        self.form.changed.connect(self._update)
        self._update()
        self.form.edits["first_name"].setFocus()

    @property
    def save_button(self) -> QWidget:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def _update(self) -> None:
        self.save_button.setEnabled(not self.form.has_errors())

    def accept(self) -> None:
        if self.form.has_errors():
            return
        super().accept()

    def save_edits(self) -> bool:
        """The quit guard's Save: refused (the messages say why) while an error is left."""
        if self.form.has_errors():
            self.raise_()
            return False
        return super().save_edits()

    def profile(self) -> Profile:
        return self.form.profile()
