"""Basic information (seed 004 "Basic Information")."""

from __future__ import annotations

import pytest

from app.domain.helpdesk import DESKTOP_AGENT_FEE_NOTICE, validate_basic_info
from app.domain.helpdesk.basic_info import DESKTOP_AGENT_FEE_USD, PUBLIC_DOMAIN_REASON

from .builders import basic, codes


def test_complete_info_has_no_findings() -> None:
    assert validate_basic_info(basic(), rule_ids={"rule-1"}) == []


def test_no_client_email_domain_replaces_the_domain() -> None:
    assert validate_basic_info(basic(email_domain="", no_client_email_domain=True)) == []


def test_domain_and_no_domain_conflict() -> None:
    found = validate_basic_info(basic(no_client_email_domain=True))
    assert codes(found) == ["basic.email_domain_conflict"]
    assert found[0].fix == ""


def test_domain_required() -> None:
    found = validate_basic_info(basic(email_domain=""))
    assert codes(found) == ["basic.email_domain_required"]
    assert "No Client Email Domain" in found[0].message


@pytest.mark.parametrize("domain", ["gmail.com", "outlook.com", "hotmail.co.uk", "yahoo.com",
                                    "icloud.com"])
def test_public_domain_refused_with_the_seeds_reason(domain: str) -> None:
    found = validate_basic_info(basic(email_domain=domain))
    assert codes(found) == ["basic.email_domain_public"]
    assert PUBLIC_DOMAIN_REASON in found[0].message
    assert "cannot be processed automatically as tickets" in found[0].message


@pytest.mark.parametrize(("typed", "fix"), [("it@acme.example", "acme.example"),
                                            ("@acme.example", "acme.example"),
                                            ("https://www.acme.example/", "acme.example")])
def test_address_or_link_instead_of_domain(typed: str, fix: str) -> None:
    found = validate_basic_info(basic(email_domain=typed))
    assert codes(found) == ["basic.email_domain_not_a_domain"]
    assert found[0].fix == fix


def test_domain_invalid_and_whitespace() -> None:
    assert codes(validate_basic_info(basic(email_domain="acme"))) == [
        "basic.email_domain_invalid"]
    assert codes(validate_basic_info(basic(email_domain="acme..example"))) == [
        "basic.email_domain_invalid"]
    found = validate_basic_info(basic(email_domain=" acme.example"))
    assert codes(found) == ["text.whitespace"]
    assert found[0].fix == "acme.example"


def test_main_phone_required_and_checked() -> None:
    found = validate_basic_info(basic(main_phone_country="", main_phone=""))
    assert codes(found) == ["phone.required"]
    assert found[0].field == "main_phone"
    found = validate_basic_info(basic(main_phone="(415) 555-2671"))
    assert codes(found) == ["phone.not_digits"]
    assert found[0].fix == "4155552671"


def test_notification_rule_required_and_must_exist() -> None:
    assert codes(validate_basic_info(basic(notification_rule_id=""))) == [
        "basic.notification_rule_required"]
    assert codes(validate_basic_info(basic(notification_rule_id="gone"), rule_ids={"rule-1"})) == [
        "basic.notification_rule_unknown"]
    # Without the site's rule ids the reference is not checked.
    assert validate_basic_info(basic(notification_rule_id="gone")) == []


def test_greeting_name_required_long_and_too_long() -> None:
    assert codes(validate_basic_info(basic(greeting_name=""))) == ["basic.greeting_required"]
    found = validate_basic_info(basic(greeting_name="A" * 41))
    assert codes(found) == ["basic.greeting_long"]
    assert found[0].severity == "warning"
    assert "SMS" in found[0].message
    assert codes(validate_basic_info(basic(greeting_name="A" * 101))) == ["text.too_long"]


def test_site_message_may_have_lines_but_not_be_huge() -> None:
    assert validate_basic_info(basic(site_message="Line 1\nLine 2")) == []
    assert codes(validate_basic_info(basic(site_message="x" * 2001))) == ["text.too_long"]


def test_desktop_agent_fee_is_stated() -> None:
    assert DESKTOP_AGENT_FEE_USD == 100
    assert "$100 per occurrence" in DESKTOP_AGENT_FEE_NOTICE
    assert validate_basic_info(basic(desktop_agent_opt_in=True)) == []
