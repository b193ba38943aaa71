"""Help Desk → Product Options: NOC Services (required), coverage level, start date,
anticipated seat count, the Help Desk contact and the certification (seed 004)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.helpdesk import (
    CoverageLevel,
    Finding,
    HelpDeskContact,
    ProductOptions,
    validate_product_options,
)
from ui.helpdesk.findings_view import error_label
from ui.helpdesk.section_tab import SectionTab
from ui.helpdesk.widgets import field_cell, phone_row

NO_DATE = QDate(2000, 1, 1)  # the date edit's "Not set"
MAX_SEATS = 100_000


class ProductOptionsTab(SectionTab):
    SECTION = "product-options"
    TITLE = "Product Options"
    INTRO = ("What the site buys: Help Desk needs NOC Services. The Help Desk Activations Team "
             "uses the start date and seat count for staffing.")

    def build_form(self, body: QWidget) -> None:
        outer = QVBoxLayout(body)
        box = QGroupBox("Help Desk product", body)
        form = QFormLayout(box)
        self.noc = QCheckBox("NOC Services (required for Help Desk)", box)
        self.noc.setToolTip("NOC Services are a paid add-on; only the server agents deployed "
                            "at the site are billed.")
        self.noc.setObjectName("nocServices")
        self.coverage = QComboBox(box)
        self.coverage.setObjectName("coverageLevel")
        self.coverage.addItem("Not chosen", None)
        for level in CoverageLevel:
            self.coverage.addItem(level.label, level.value)
        self.start = QDateEdit(box)
        self.start.setObjectName("startDate")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.start.setMinimumDate(NO_DATE)
        self.start.setSpecialValueText("Not set")
        self.seats = QSpinBox(box)
        self.seats.setObjectName("seatCount")
        self.seats.setRange(0, MAX_SEATS * 10)
        self.seats.setSpecialValueText("Not set")
        self.certified = QCheckBox("Help Desk certification completed", box)
        self.certified.setToolTip("Someone at your company holds the ConnectWise University "
                                  "Help Desk certification (seed 004 asks for it).")
        self.certified.setObjectName("certification")
        self._errors: dict[str, QLabel] = {}
        for key, label, widget in (("noc_services", "NOC:", self.noc),
                                   ("coverage_level", "Coverage level:", self.coverage),
                                   ("start_date", "Start date:", self.start),
                                   ("seat_count", "Anticipated seats:", self.seats),
                                   ("certification_completed", "Certification:",
                                    self.certified)):
            self._errors[key] = error_label(box, key)
            form.addRow(label, field_cell(box, widget, self._errors[key]))
        outer.addWidget(box)
        contact = QGroupBox("Help Desk contact (at your company)", body)
        contact_form = QFormLayout(contact)
        self.contact_name = QLineEdit(contact)
        self.contact_name.setObjectName("contactName")
        self.contact_email = QLineEdit(contact)
        self.contact_email.setObjectName("contactEmail")
        self._errors["contact.name"] = error_label(contact, "contact.name")
        self._errors["contact.email"] = error_label(contact, "contact.email")
        contact_form.addRow("Name:", field_cell(contact, self.contact_name,
                                                self._errors["contact.name"]))
        contact_form.addRow("Email:", field_cell(contact, self.contact_email,
                                                 self._errors["contact.email"]))
        self.contact_phone = phone_row(contact, "contactPhone")
        self._errors["contact.phone"] = self.contact_phone.error
        self._errors["contact.phone_country"] = self.contact_phone.error
        contact_form.addRow("Phone:", self.contact_phone)
        outer.addWidget(contact)
        outer.addStretch(1)
        for signal in (self.noc.toggled, self.coverage.currentIndexChanged,
                       self.start.dateChanged, self.seats.valueChanged,
                       self.certified.toggled, self.contact_name.textChanged,
                       self.contact_email.textChanged, self.contact_phone.changed):
            signal.connect(self.edited)

    def labels(self) -> dict[str, QLabel]:
        return self._errors

    def fill(self, value: ProductOptions | None) -> None:
        options = value or ProductOptions()
        self.noc.setChecked(options.noc_services)
        level = options.coverage_level.value if options.coverage_level else None
        self.coverage.setCurrentIndex(max(0, self.coverage.findData(level)))
        start = options.start_date
        self.start.setDate(QDate(start.year, start.month, start.day) if start else NO_DATE)
        self.seats.setValue(options.seat_count or 0)
        self.certified.setChecked(options.certification_completed)
        self.contact_name.setText(options.contact.name)
        self.contact_email.setText(options.contact.email)
        self.contact_phone.set_value(options.contact.phone_country, options.contact.phone)

    def value(self) -> ProductOptions:
        level = self.coverage.currentData()
        qdate = self.start.date()
        country, phone = self.contact_phone.value()
        return ProductOptions(
            noc_services=self.noc.isChecked(),
            coverage_level=CoverageLevel(level) if level else None,
            start_date=None if qdate == NO_DATE else date(qdate.year(), qdate.month(),
                                                          qdate.day()),
            seat_count=self.seats.value() or None,
            contact=HelpDeskContact(self.contact_name.text(), self.contact_email.text(),
                                    country, phone),
            certification_completed=self.certified.isChecked())

    def check(self, value: Any) -> list[Finding]:
        assert self.context is not None
        return validate_product_options(value, today=self.context.input.today)
