"""Security-related requests: approvers in call order and SMS authentication (seed 004)."""

from __future__ import annotations

from app.domain.helpdesk import (
    ProfileSummary,
    RequestKind,
    SecurityRequest,
    default_requests,
    validate_security_requests,
)

from .builders import PROFILES, codes, security

BY_ID = {p.id: p for p in PROFILES}
NO_MOBILE = ProfileSummary("p3", "Cy Doe", has_mobile=False)


def check(*requests: SecurityRequest, profiles: dict[str, ProfileSummary] = BY_ID) -> list[str]:
    return codes(validate_security_requests(requests, profiles))


def test_valid_requests_have_no_findings() -> None:
    assert validate_security_requests(security(), BY_ID) == []
    assert validate_security_requests(default_requests(), BY_ID) == []


def test_default_requests_are_the_seeds_three_types() -> None:
    assert [r.label for r in default_requests()] == [
        "New user accounts", "Password resets", "Software installations"]


def test_approver_required_but_none() -> None:
    req = SecurityRequest(RequestKind.PASSWORD_RESETS, approver_required=True)
    found = validate_security_requests([req], BY_ID)
    assert codes(found) == ["security.approver_missing"]
    assert found[0].field == "requests[0].approver_ids"


def test_approvers_without_approval_required_warn() -> None:
    found = validate_security_requests(
        [SecurityRequest(RequestKind.PASSWORD_RESETS, approver_ids=("p1",))], BY_ID)
    assert codes(found) == ["security.approvers_unused"]
    assert found[0].severity == "warning"


def test_unknown_and_duplicate_approvers() -> None:
    req = SecurityRequest(RequestKind.NEW_USER_ACCOUNTS, approver_required=True,
                          approver_ids=("p1", "zz", "p1"))
    found = validate_security_requests([req], BY_ID)
    assert codes(found) == ["security.approver_unknown", "security.approver_duplicate"]
    assert [f.field for f in found] == ["requests[0].approver_ids[1]",
                                        "requests[0].approver_ids[2]"]


def test_sms_approver_needs_a_mobile_on_every_approver() -> None:
    profiles = {**BY_ID, "p3": NO_MOBILE}
    req = SecurityRequest(RequestKind.SOFTWARE_INSTALLATIONS, approver_required=True,
                          approver_ids=("p1", "p3"), sms_auth_approver=True)
    found = validate_security_requests([req], profiles)
    assert codes(found) == ["security.approver_no_mobile"]
    assert "Cy Doe" in found[0].message
    assert found[0].field.endswith("approver_ids[1]")
    # The same approver without SMS authentication is fine.
    assert check(SecurityRequest(RequestKind.SOFTWARE_INSTALLATIONS, approver_required=True,
                                 approver_ids=("p3",)), profiles=profiles) == []


def test_sms_approver_without_an_approver() -> None:
    assert check(SecurityRequest(RequestKind.PASSWORD_RESETS, sms_auth_approver=True)) == [
        "security.sms_without_approver"]


def test_sms_caller_needs_mobiles_on_the_profiles() -> None:
    req = SecurityRequest(RequestKind.PASSWORD_RESETS, sms_auth_caller=True)
    assert check(req) == []
    found = validate_security_requests([req], {**BY_ID, "p3": NO_MOBILE})
    assert codes(found) == ["security.callers_without_mobile"]
    assert found[0].severity == "warning"
    assert "1 of 3" in found[0].message
    assert check(req, profiles={"p3": NO_MOBILE}) == ["security.caller_no_mobiles"]
    assert check(req, profiles={}) == ["security.caller_no_mobiles"]


def test_custom_types_need_a_unique_name() -> None:
    assert check(SecurityRequest(RequestKind.CUSTOM)) == ["security.custom_name_required"]
    custom = SecurityRequest(RequestKind.CUSTOM, name="VPN access")
    assert check(custom) == []
    assert custom.label == "VPN access"
    twice = check(custom, SecurityRequest(RequestKind.CUSTOM, name="vpn ACCESS"))
    assert twice == ["security.duplicate_type"]
    assert check(SecurityRequest(RequestKind.PASSWORD_RESETS),
                 SecurityRequest(RequestKind.PASSWORD_RESETS)) == ["security.duplicate_type"]
