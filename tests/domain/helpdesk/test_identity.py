"""Seed 004: "Client main phone number and Client email domain are both used to identify
sites": a number or domain that already identifies another site is an error."""

from __future__ import annotations

from app.domain.helpdesk import identity_conflicts, identity_of
from app.domain.helpdesk.identity import normal_phone

from .builders import basic, codes


def test_numbers_compare_in_normal_form() -> None:
    assert normal_phone("us", "4155552671") == "+14155552671"
    assert normal_phone("US", "4155552671") == normal_phone("us ", " 4155552671")
    assert normal_phone("GB", "2079460123") != normal_phone("US", "2079460123")
    assert normal_phone("US", "") == ""
    assert normal_phone("US", "12") == "US:12"  # not a valid number: compared as typed


def test_a_phone_used_by_another_site_of_any_company() -> None:
    other = identity_of("s2", "Warehouse", "Fabrikam", basic(email_domain="fabrikam.example"))
    found = identity_conflicts("s1", basic(), [other])
    assert codes(found) == ["basic.main_phone_identifies_other_site"]
    assert found[0].field == "main_phone"
    assert found[0].severity == "error"
    assert "US 4155552671 already identifies site 'Warehouse' (Fabrikam)" in found[0].message
    assert "enter this site's own number" in found[0].message


def test_a_domain_used_by_another_site_case_and_trailing_dot_aside() -> None:
    other = identity_of("s2", "Lab", "Acme", basic(main_phone="2125550100",
                                                   email_domain="Acme.Example."))
    found = identity_conflicts("s1", basic(), [other])
    assert codes(found) == ["basic.email_domain_identifies_other_site"]
    assert found[0].field == "email_domain"
    assert "acme.example already identifies site 'Lab' (Acme)" in found[0].message


def test_both_and_many_sites_named() -> None:
    others = [identity_of(f"s{n}", f"Site {n}", "Acme", basic()) for n in range(2, 7)]
    found = identity_conflicts("s1", basic(), others)
    assert codes(found) == ["basic.main_phone_identifies_other_site",
                            "basic.email_domain_identifies_other_site"]
    assert "'Site 2' (Acme), 'Site 3' (Acme), 'Site 4' (Acme) and 2 more" in found[0].message


def test_no_conflict_with_itself_empty_values_or_no_client_email_domain() -> None:
    assert identity_conflicts("s1", basic(), [identity_of("s1", "Me", "Acme", basic())]) == []
    blank = basic(main_phone="", main_phone_country="", email_domain="")
    assert identity_conflicts("s1", blank, [identity_of("s2", "B", "", blank)]) == []
    # two sites on public mail (No Client Email Domain) share no domain; the phone still counts
    public = basic(main_phone="2125550100", email_domain="", no_client_email_domain=True)
    found = identity_conflicts("s1", public, [identity_of("s2", "Branch", "", public)])
    assert codes(found) == ["basic.main_phone_identifies_other_site"]
    assert "already identifies site 'Branch':" in found[0].message
