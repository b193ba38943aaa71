"""Help Desk product options (seed 004 "Help Desk Product Options", seed 002 phase 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.helpdesk.addresses import email_problem
from app.domain.helpdesk.findings import Finding
from app.domain.helpdesk.phones import check_phone
from app.domain.helpdesk.text import check_text

SECTION = "product-options"
MAX_SEATS = 100_000
NOC_REQUIRED = ("NOC Services is required for Help Desk support: tick NOC Services on the site's "
                "Product Options (NOC is a paid add-on; only server agents deployed at the site "
                "are billed).")


class CoverageLevel(StrEnum):
    # The seed names the choice but not its values; these match the RMM Site Configuration's
    # NOC coverage hours so one word means one thing across the app.
    BUSINESS_HOURS = "business-hours"
    ALWAYS = "24x7"

    @property
    def label(self) -> str:
        return "Business hours" if self is CoverageLevel.BUSINESS_HOURS else "24×7"


@dataclass(frozen=True)
class HelpDeskContact:
    """The partner's person who activates client sites and is the Help Desk's first contact."""

    name: str = ""
    email: str = ""
    phone_country: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ProductOptions:
    noc_services: bool = False
    coverage_level: CoverageLevel | None = None
    start_date: date | None = None
    # For ConnectWise's staffing, not billing (seed 002 phase 5).
    seat_count: int | None = None
    contact: HelpDeskContact = HelpDeskContact()
    # Seed 004: someone at the partner must hold the ConnectWise University Help Desk
    # certification. A fact about the partner we cannot verify, so only a warning.
    certification_completed: bool = False


def validate_product_options(options: ProductOptions, *, today: date | None = None
                             ) -> list[Finding]:
    """Every finding of the product options. With `today`, a start date in the past warns."""
    out: list[Finding] = []
    if not options.noc_services:
        out.append(Finding(SECTION, "noc_services", "error", "product.noc_required", NOC_REQUIRED))
    if options.coverage_level is None:
        out.append(Finding(SECTION, "coverage_level", "error", "product.coverage_required",
                           "Choose the Help Desk coverage level (business hours or 24×7)."))
    if options.start_date is None:
        out.append(Finding(SECTION, "start_date", "error", "product.start_date_required",
                           "Enter the date the Help Desk should start supporting this site."))
    elif today is not None and options.start_date < today:
        out.append(Finding(SECTION, "start_date", "warning", "product.start_date_past",
                           f"The start date {options.start_date.isoformat()} has passed; "
                           "agree a new one with the Help Desk Activations Team.",
                           today.isoformat()))
    seats = options.seat_count
    if seats is None:
        out.append(Finding(SECTION, "seat_count", "error", "product.seats_required",
                           "Enter the anticipated seat count (used for Help Desk staffing)."))
    elif not 1 <= seats <= MAX_SEATS:
        out.append(Finding(SECTION, "seat_count", "error", "product.seats_out_of_range",
                           f"The anticipated seat count must be 1–{MAX_SEATS:,}; it is {seats}."))
    out.extend(_contact_findings(options.contact))
    if not options.certification_completed:
        out.append(Finding(SECTION, "certification_completed", "warning",
                           "product.certification_missing",
                           "At least one person at your company must complete the ConnectWise "
                           "University Help Desk certification; tick this once someone has."))
    return out


def _contact_findings(contact: HelpDeskContact) -> list[Finding]:
    out = check_text(SECTION, "contact.name", "Help Desk contact's name", contact.name,
                     max_length=200, required_code="product.contact_required")
    if not contact.email.strip():
        out.append(Finding(SECTION, "contact.email", "error", "product.contact_email_required",
                           "Enter the Help Desk contact's email address: activation mail goes "
                           "there."))
    else:
        problem = email_problem(contact.email.strip())
        if problem:
            out.append(Finding(SECTION, "contact.email", "error", "product.contact_email_invalid",
                               f"The Help Desk contact's email is not valid: {problem}"))
    out.extend(check_phone(SECTION, "contact.phone", "Help Desk contact's phone",
                           contact.phone_country, contact.phone, required=False))
    return out
