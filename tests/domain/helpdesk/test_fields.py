"""Shared field checks: findings, text, phones, email domains, addresses."""

from __future__ import annotations

import pytest

from app.domain.helpdesk import Finding
from app.domain.helpdesk.addresses import (
    is_address,
    is_host_name,
    is_public_domain,
    is_web_url,
)
from app.domain.helpdesk.phones import check_phone
from app.domain.helpdesk.text import check_text

from .builders import codes


def test_finding_refuses_an_unlisted_code() -> None:
    with pytest.raises(ValueError, match="not in CODES"):
        Finding("basic-info", "x", "error", "basic.no_such_code", "m")


def test_finding_to_dict_and_within() -> None:
    f = Finding("notification-rules", "name", "error", "rules.name_required", "Enter it.")
    assert f.within("rules[2]").field == "rules[2].name"
    assert f.to_dict() == {"section": "notification-rules", "field": "name",
                           "severity": "error", "code": "rules.name_required",
                           "message": "Enter it.", "fix": None}


def test_text_required_whitespace_control_and_length() -> None:
    assert codes(check_text("s", "f", "name", "", max_length=5,
                            required_code="rules.name_required")) == ["rules.name_required"]
    assert check_text("s", "f", "name", "  ", max_length=5) == []
    found = check_text("s", "f", "name", " ab ", max_length=5)
    assert codes(found) == ["text.whitespace"]
    assert found[0].fix == "ab"
    found = check_text("s", "f", "name", "a\tb", max_length=5)
    assert codes(found) == ["text.control_characters"]
    assert found[0].fix == "a b"
    assert check_text("s", "f", "note", "a\nb", max_length=5, multiline=True) == []
    found = check_text("s", "f", "name", "abcdef", max_length=5)
    assert codes(found) == ["text.too_long"]
    assert "at most 5" in found[0].message


@pytest.mark.parametrize(("country", "digits", "code", "fix"), [
    ("", "", "phone.required", None),
    ("US", "", "phone.country_without_number", ""),
    ("", "4155552671", "phone.country_missing", None),
    ("UK", "2079460958", "phone.country_invalid", "GB"),
    ("XX", "2079460958", "phone.country_invalid", None),
    ("US", "415-555-2671", "phone.not_digits", "4155552671"),
    ("US", "\uff11\uff12\uff13", "phone.not_digits", None),  # full-width digits
    ("US", "+1 (415) 555-2671", "phone.not_digits", "4155552671"),
    ("GB", "020 7946 0958", "phone.not_digits", "2079460958"),
    ("US", "415-555", "phone.not_digits", None),
    ("US", "1234", "phone.invalid", None),
])
def test_phone_findings(country: str, digits: str, code: str, fix: str | None) -> None:
    found = check_phone("basic-info", "main_phone", "main phone", country, digits, required=True)
    assert codes(found) == [code]
    assert found[0].fix == fix
    assert found[0].field.startswith("main_phone")


def test_phone_valid_and_optional() -> None:
    assert check_phone("s", "p", "p", "GB", "2079460958", required=True) == []
    assert check_phone("s", "p", "p", "us", "4155552671", required=True) == []
    assert check_phone("s", "p", "p", "", "", required=False) == []


@pytest.mark.parametrize("domain", ["gmail.com", "Outlook.com", "hotmail.co.uk", "yahoo.fr",
                                    "icloud.com", "hotmail.de", "live.com.au", "proton.me"])
def test_public_domains(domain: str) -> None:
    assert is_public_domain(domain)


@pytest.mark.parametrize("domain", ["acme.com", "mail.gmail-partners.com",
                                    "outlook.acme.com", "yahoo.acme.co.uk", "live-music.com"])
def test_private_domains(domain: str) -> None:
    assert not is_public_domain(domain)


def test_addresses() -> None:
    assert is_host_name("DC01")
    assert is_host_name("dc01.corp.example")
    assert not is_host_name("10.0.0.300")
    assert not is_host_name("-bad.example")
    assert is_web_url("https://admin.microsoft.com/x")
    assert not is_web_url("admin.microsoft.com")
    assert not is_web_url("https://exa mple.com")
    assert not is_web_url("https://h:99999")
    assert is_address("10.0.0.9")
    assert is_address("vpn.acme.example:4443")
    assert is_address("[fe80::1]:3389")
    assert is_address("https://backup.example/login")
    assert not is_address("not an address")
    assert not is_address("host:0")
