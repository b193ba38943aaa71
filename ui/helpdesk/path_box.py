"""One escalation path of a notification rule: its contacts in call order (name, how to reach
them, phone, email) and its time slots, typed as "Mon-Fri 08:00-17:00; Sat 09:00-12:00", with
the coverage the slots leave shown live."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.helpdesk import (
    ContactMethod,
    EscalationPath,
    PathKind,
    RuleContact,
    TimeSlot,
    coverage_gaps,
    describe_slots,
    parse_slots,
)
from ui.helpdesk.findings_view import error_label
from ui.helpdesk.widgets import muted, tool_button

METHODS = {ContactMethod.CALL: "Call", ContactMethod.SMS: "SMS", ContactMethod.EMAIL: "Email"}
PATH_HELP = {
    PathKind.MSP_ESCALATION: "Whom the Help Desk escalates issues outside its scope to.",
    PathKind.CALL_BEFORE_ESCALATING: "Whom to call before escalating (quick questions during "
                                     "your hours; gaps are normal here).",
    PathKind.NOC_ESCALATION: "Whom the NOC escalates to (sites with NOC services).",
}


class ContactRow(QWidget):
    changed = Signal()
    move_requested = Signal(int)
    remove_requested = Signal()

    def __init__(self, contact: RuleContact, parent: QWidget) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(1)
        row = QGridLayout()
        row.setSpacing(4)
        self.name = QLineEdit(contact.name, self)
        self.name.setObjectName("contactName")
        self.name.setPlaceholderText("Name or hunt group")
        self.method = QComboBox(self)
        self.method.setObjectName("contactMethod")
        for method, label in METHODS.items():
            self.method.addItem(label, method.value)
        self.method.setCurrentIndex(self.method.findData(contact.method.value))
        self.country = QLineEdit(contact.phone_country, self)
        self.country.setObjectName("contactCountry")
        self.country.setPlaceholderText("US")
        self.country.setMaximumWidth(50)
        self.phone = QLineEdit(contact.phone, self)
        self.phone.setObjectName("contactPhone")
        self.phone.setPlaceholderText("Phone, digits only")
        self.email = QLineEdit(contact.email, self)
        self.email.setObjectName("contactEmail")
        self.email.setPlaceholderText("Email")
        for widget in (self.name, self.method, self.country, self.phone, self.email):
            widget.setAccessibleName(widget.placeholderText() if isinstance(widget, QLineEdit)
                                     else "How to reach them")
        # Two lines, so a contact fits the narrow site pane: who and how; then where.
        row.addWidget(self.name, 0, 0, 1, 2)
        row.addWidget(self.method, 0, 2)
        row.addWidget(self.country, 1, 0)
        row.addWidget(self.phone, 1, 1)
        row.addWidget(self.email, 1, 2)
        row.setColumnStretch(1, 1)
        row.setColumnStretch(2, 1)
        icon = QStyle.StandardPixmap
        self.up = tool_button(self, icon.SP_ArrowUp, "Try earlier",
                              lambda: self.move_requested.emit(-1), "contactUp")
        self.down = tool_button(self, icon.SP_ArrowDown, "Try later",
                                lambda: self.move_requested.emit(1), "contactDown")
        self.remove = tool_button(self, icon.SP_DialogDiscardButton, "Remove contact",
                                  self.remove_requested.emit, "contactRemove")
        buttons = QHBoxLayout()
        for button in (self.up, self.down, self.remove):
            buttons.addWidget(button)
        row.addLayout(buttons, 0, 3)
        outer.addLayout(row)
        self.error = error_label(self, "contact")
        outer.addWidget(self.error)
        for edit in (self.name, self.country, self.phone, self.email):
            edit.textChanged.connect(lambda _t: self.changed.emit())
        self.method.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def value(self) -> RuleContact:
        return RuleContact(self.name.text(), ContactMethod(self.method.currentData()),
                           self.country.text(), self.phone.text(), self.email.text())


class PathBox(QGroupBox):
    """Checked: the rule has this path."""

    changed = Signal()

    def __init__(self, kind: PathKind, parent: QWidget) -> None:
        super().__init__(kind.label, parent)
        self.kind = kind
        self.setObjectName(f"path:{kind.value}")
        self.setCheckable(True)
        self.setChecked(False)
        self.rows: list[ContactRow] = []
        layout = QVBoxLayout(self)
        layout.addWidget(muted(PATH_HELP[kind], self))
        self.error = error_label(self, "path")
        layout.addWidget(self.error)
        self.contact_layout = QVBoxLayout()
        layout.addLayout(self.contact_layout)
        self.add_contact = QPushButton("Add contact", self)
        self.add_contact.setObjectName("addContact")
        self.add_contact.clicked.connect(lambda _c=False: self._add(RuleContact(""), True))
        bar = QHBoxLayout()
        bar.addWidget(self.add_contact)
        bar.addStretch(1)
        layout.addLayout(bar)
        form = QFormLayout()
        self.slots = QLineEdit(self)
        self.slots.setObjectName("slots")
        self.slots.setPlaceholderText("Mon-Fri 08:00-17:00; Sat 09:00-12:00")
        self.slots.setAccessibleName(f"Time slots of {kind.label}")
        self.slots.setToolTip("Days and local times, separated by semicolons; 24:00 ends a "
                              "day, and a window like 22:00-06:00 runs past midnight.")
        self.coverage = QLabel(self)
        self.coverage.setObjectName("coverage")
        self.coverage.setWordWrap(True)
        self.slots_error = error_label(self, "slots")
        slots_cell = QWidget(self)
        cell = QVBoxLayout(slots_cell)
        cell.setContentsMargins(0, 0, 0, 0)
        for widget in (self.slots, self.coverage, self.slots_error):
            cell.addWidget(widget)
        form.addRow("Time slots:", slots_cell)
        layout.addLayout(form)
        self.toggled.connect(lambda _on: self.changed.emit())
        self.slots.textChanged.connect(lambda _t: self._slots_edited())

    # contacts
    def _add(self, contact: RuleContact, edited: bool = False) -> ContactRow:
        row = ContactRow(contact, self)
        row.changed.connect(self.changed.emit)
        row.move_requested.connect(lambda step, r=row: self._move(r, step))
        row.remove_requested.connect(lambda r=row: self._remove(r))
        self.rows.append(row)
        self.contact_layout.addWidget(row)
        row.show()
        if edited:
            row.name.setFocus()
            self.changed.emit()
        return row

    def _move(self, row: ContactRow, step: int) -> None:
        index = self.rows.index(row)
        target = index + step
        if not 0 <= target < len(self.rows):
            return
        self.rows.insert(target, self.rows.pop(index))
        self.contact_layout.removeWidget(row)
        self.contact_layout.insertWidget(target, row)
        self.changed.emit()

    def _remove(self, row: ContactRow) -> None:
        self.rows.remove(row)
        row.hide()
        row.deleteLater()
        self.changed.emit()

    # slots
    def parsed_slots(self) -> tuple[tuple[TimeSlot, ...], str]:
        """The slots typed so far and what could not be read ("" when all could)."""
        slots: list[TimeSlot] = []
        for piece in self.slots.text().replace("\n", ";").split(";"):
            if not piece.strip():
                continue
            try:
                slots.extend(parse_slots(piece.strip()))
            except ValueError as exc:
                return tuple(slots), f"{piece.strip()}: {exc}"
        return tuple(slots), ""

    def _slots_edited(self) -> None:
        self.show_coverage()
        self.changed.emit()

    def show_coverage(self) -> None:
        slots, problem = self.parsed_slots()
        if problem or not slots:
            self.coverage.setText("")
            self.coverage.hide()
            return
        gaps = coverage_gaps(slots)
        if not gaps:
            text = "Covers the whole week."
        elif self.kind is PathKind.CALL_BEFORE_ESCALATING:
            text = f"Applies: {'; '.join(describe_slots(slots))}."
        else:
            text = "Not covered: " + "; ".join(str(g) for g in gaps) + "."
        self.coverage.setText(text)
        self.coverage.show()

    # the value
    def fill(self, path: EscalationPath | None) -> None:
        for row in self.rows:
            row.hide()
            row.deleteLater()
        self.rows = []
        self.setChecked(path is not None)
        for contact in path.contacts if path else ():
            self._add(contact)
        self.slots.setText("; ".join(describe_slots(path.slots)) if path else "")
        self.show_coverage()

    def value(self) -> EscalationPath | None:
        if not self.isChecked():
            return None
        return EscalationPath(self.kind, tuple(r.value() for r in self.rows),
                              self.parsed_slots()[0])

    def labels(self, prefix: str) -> dict[str, QLabel]:
        out: dict[str, QLabel] = {prefix: self.error, f"{prefix}.slots": self.slots_error}
        for index, row in enumerate(self.rows):
            out[f"{prefix}.contacts[{index}]"] = row.error
        return out
