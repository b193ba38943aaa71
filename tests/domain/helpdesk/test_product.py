"""Product options (seed 004 "Help Desk Product Options", seed 002 phase 5)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.helpdesk import CoverageLevel, HelpDeskContact, validate_product_options
from app.domain.helpdesk.product import MAX_SEATS

from .builders import TODAY, codes, product


def test_complete_options_have_no_findings() -> None:
    assert validate_product_options(product(), today=TODAY) == []


def test_noc_is_required_for_help_desk() -> None:
    found = validate_product_options(product(noc_services=False))
    assert codes(found) == ["product.noc_required"]
    assert "required for Help Desk" in found[0].message


@pytest.mark.parametrize(("change", "code"), [
    ({"coverage_level": None}, "product.coverage_required"),
    ({"start_date": None}, "product.start_date_required"),
    ({"seat_count": None}, "product.seats_required"),
    ({"seat_count": 0}, "product.seats_out_of_range"),
    ({"seat_count": MAX_SEATS + 1}, "product.seats_out_of_range"),
    ({"contact": HelpDeskContact("", "d@msp.example")}, "product.contact_required"),
    ({"contact": HelpDeskContact("Dana")}, "product.contact_email_required"),
    ({"contact": HelpDeskContact("Dana", "dana@")}, "product.contact_email_invalid"),
    ({"contact": HelpDeskContact("Dana", "d@msp.example", "US", "12")}, "phone.invalid"),
])
def test_each_rule(change: dict[str, object], code: str) -> None:
    assert codes(validate_product_options(product(**change))) == [code]


def test_start_date_in_the_past_is_a_warning_with_today_as_fix() -> None:
    found = validate_product_options(product(start_date=date(2026, 1, 5)), today=TODAY)
    assert codes(found) == ["product.start_date_past"]
    assert found[0].severity == "warning"
    assert found[0].fix == "2026-11-23"
    # Without today the date is not judged (the form may be filled for a past kickoff).
    assert validate_product_options(product(start_date=date(2026, 1, 5))) == []


def test_coverage_labels() -> None:
    assert CoverageLevel.ALWAYS.label == "24×7"
    assert CoverageLevel("business-hours").label == "Business hours"


def test_certification_is_a_warning_until_ticked() -> None:
    found = validate_product_options(product(certification_completed=False))
    assert codes(found) == ["product.certification_missing"]
    assert found[0].severity == "warning"
    assert "ConnectWise University Help Desk certification" in found[0].message
