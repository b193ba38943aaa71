"""The seed's PSA Integration recommendations as warnings (seed 002)."""

from __future__ import annotations

from app.domain.helpdesk import psa_recommendations

from .builders import codes, psa_settings


def test_recommended_settings_for_a_noc_site_pass() -> None:
    assert psa_recommendations(psa_settings(), noc_enabled=True) == []


def test_psa_to_rmm_sync_off_with_noc() -> None:
    found = psa_recommendations(psa_settings(psa_to_rmm_sync=True), noc_enabled=True)
    assert codes(found) == ["psa.psa_to_rmm_sync_with_noc"]
    # seed 002: "If NOC services are enabled, set this to Off" is a must, not advice
    assert found[0].severity == "error"
    assert found[0].fix == "false"
    assert found[0].field == "psa_to_rmm_sync"


def test_psa_to_rmm_sync_on_without_noc() -> None:
    assert codes(psa_recommendations(psa_settings(), noc_enabled=False)) == [
        "psa.psa_to_rmm_sync_without_noc"]
    assert psa_recommendations(psa_settings(psa_to_rmm_sync=True), noc_enabled=False) == []


def test_communicator_contact_and_ticket_sync() -> None:
    found = psa_recommendations(psa_settings(sync_communicator_tickets=True, contact_sync=False,
                                             ticket_sync=False), noc_enabled=True)
    assert codes(found) == ["psa.communicator_sync_on", "psa.contact_sync_off",
                            "psa.ticket_sync_off"]
    assert all(f.severity == "warning" for f in found)


def test_missing_keys_take_the_policy_defaults() -> None:
    assert psa_recommendations({}, noc_enabled=True) == []


def test_settings_breaking_the_policy_rules_are_errors() -> None:
    found = psa_recommendations(psa_settings(psa_url="psa.example.com"), noc_enabled=True)
    assert codes(found) == ["psa.setting_invalid"]
    assert found[0].severity == "error"
    assert found[0].field == "psa_url"
