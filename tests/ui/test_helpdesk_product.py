"""Help Desk → Product Options, typed in: inline findings, save, reload, undo."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from app.domain.helpdesk import CoverageLevel
from tests.ui.helpdesk_support import open_tab, save, type_into
from ui.helpdesk.product_tab import ProductOptionsTab


def test_fill_in_the_product_options(qtbot, sample_workspace, undo_stack) -> None:
    tab = open_tab(qtbot, ProductOptionsTab, sample_workspace, undo_stack)
    errors = tab.labels()
    assert "NOC Services is required for Help Desk" in errors["noc_services"].text()
    assert tab.status.text().startswith("Not filled in yet.")
    tab.noc.click()
    assert not errors["noc_services"].isVisible()
    tab.coverage.setCurrentIndex(tab.coverage.findData(CoverageLevel.ALWAYS.value))
    tab.start.setDate(QDate(2000, 1, 2))
    assert "has passed" in errors["start_date"].text()  # a warning: still saveable
    tab.start.setDate(QDate(2099, 3, 1))
    tab.seats.setFocus()
    tab.seats.selectAll()
    qtbot.keyClicks(tab.seats, "45")
    assert tab.seats.value() == 45
    type_into(qtbot, tab.contact_name, "Maya Patel")
    type_into(qtbot, tab.contact_email, "maya@@msp")
    assert "email is not valid" in errors["contact.email"].text()
    assert not tab.save_button.isEnabled()
    type_into(qtbot, tab.contact_email, "maya@msp.example")
    type_into(qtbot, tab.contact_phone.country, "UK")
    type_into(qtbot, tab.contact_phone.number, "2071838750")
    assert "did you mean GB" in tab.contact_phone.error.text()
    type_into(qtbot, tab.contact_phone.country, "GB")
    assert not tab.contact_phone.error.isVisible()
    tab.certified.click()
    assert not tab.general.isVisible()
    save(qtbot, tab)
    stored = sample_workspace.helpdesk.setup("Main Office").product
    assert stored is not None
    assert stored.start_date == date(2099, 3, 1)
    assert stored.seat_count == 45
    assert stored.contact.phone_country == "GB"
    assert tab.status.text() == "Saved."

    again = open_tab(qtbot, ProductOptionsTab, sample_workspace, undo_stack)
    assert again.seats.value() == 45
    assert again.coverage.currentData() == "24x7"
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        undo_stack.undo()
    assert sample_workspace.helpdesk.setup("Main Office").product is None
    assert not tab.noc.isChecked()
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        undo_stack.redo()
    assert sample_workspace.helpdesk.setup("Main Office").product == stored
    assert tab.noc.isChecked()


def test_a_long_stored_value_shows_its_start(qtbot, sample_workspace, undo_stack) -> None:
    tab = open_tab(qtbot, ProductOptionsTab, sample_workspace, undo_stack, site="Northside Clinic")
    assert tab.contact_email.text()  # the sample's Help Desk contact
    tab.contact_email.resize(60, tab.contact_email.height())  # narrower than the address
    assert tab.contact_email.cursorPosition() == 0  # so the name part, not "…@msp.example"
