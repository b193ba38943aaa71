"""The seed's PSA advice while a policy is edited (no site known) and the API key pair's rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.helpdesk.psa import (
    MAX_API_KEY_CHARS,
    PRIVATE_KEY,
    PUBLIC_KEY,
    psa_key_problems,
    psa_key_secret_name,
    psa_policy_advice,
)

from .builders import codes, psa_settings


def fields(found: object) -> list[str]:
    return [f.field for f in found]  # type: ignore[attr-defined]


def test_the_recommended_settings_have_no_advice() -> None:
    assert psa_policy_advice(psa_settings()) == []
    assert psa_policy_advice({}) == []  # missing keys take the defaults


def test_psa_to_rmm_sync_on_is_advice_for_both_kinds_of_site() -> None:
    found = psa_policy_advice(psa_settings(psa_to_rmm_sync=True))
    assert codes(found) == ["psa.psa_to_rmm_sync_with_noc"]
    assert found[0].field == "psa_to_rmm_sync"
    assert found[0].severity == "warning"
    assert found[0].fix == "false"
    assert "off for sites with NOC services" in found[0].message
    assert "without NOC" in found[0].message
    assert psa_policy_advice(psa_settings(psa_to_rmm_sync=False)) == []


@pytest.mark.parametrize(("key", "value", "code"), [
    ("sync_communicator_tickets", True, "psa.communicator_sync_on"),
    ("contact_sync", False, "psa.contact_sync_off"),
    ("ticket_sync", False, "psa.ticket_sync_off"),
])
def test_each_warning_present_and_absent(key: str, value: bool, code: str) -> None:
    found = psa_policy_advice(psa_settings(**{key: value}))
    assert codes(found) == [code]
    assert fields(found) == [key]
    assert found[0].severity == "warning"
    assert psa_policy_advice(psa_settings(**{key: not value})) == []


def test_all_four_at_once() -> None:
    found = psa_policy_advice(psa_settings(psa_to_rmm_sync=True, sync_communicator_tickets=True,
                                           contact_sync=False, ticket_sync=False))
    assert fields(found) == ["psa_to_rmm_sync", "sync_communicator_tickets", "contact_sync",
                             "ticket_sync"]
    assert all(f.severity == "warning" for f in found)


def test_secret_names() -> None:
    assert psa_key_secret_name("p1", PUBLIC_KEY) == "psa:p1:public_key"
    assert psa_key_secret_name("p1", PRIVATE_KEY) == "psa:p1:private_key"
    with pytest.raises(ValueError, match="which must be"):
        psa_key_secret_name("p1", "password")


def test_a_good_pair_has_no_problems() -> None:
    assert psa_key_problems("AbCdEf0123456789", "ZyXw9876543210Qp") == {}


def test_both_keys_are_required_together() -> None:
    assert set(psa_key_problems("", "")) == {PUBLIC_KEY, PRIVATE_KEY}
    only_public = psa_key_problems("AbCdEf0123456789", "")
    assert list(only_public) == [PRIVATE_KEY]
    assert only_public[PRIVATE_KEY].startswith("Enter the private key too")
    only_private = psa_key_problems("", "ZyXw9876543210Qp")
    assert list(only_private) == [PUBLIC_KEY]
    assert only_private[PUBLIC_KEY].startswith("Enter the public key too")


def test_spaces_line_breaks_and_length() -> None:
    assert "Remove the spaces" in psa_key_problems(" AbCd", "ZyXw")[PUBLIC_KEY]
    assert "Remove the spaces" in psa_key_problems("AbCd", "ZyXw\t")[PRIVATE_KEY]
    assert "line break" in psa_key_problems("Ab\nCd", "ZyXw")[PUBLIC_KEY]
    assert "space" in psa_key_problems("AbCd", "Zy Xw")[PRIVATE_KEY]
    long = "x" * (MAX_API_KEY_CHARS + 1)
    assert f"at most {MAX_API_KEY_CHARS}" in psa_key_problems("AbCd", long)[PRIVATE_KEY]
    assert psa_key_problems("AbCd", "x" * MAX_API_KEY_CHARS) == {}


KEYISH = st.text(alphabet="0123456789ABCDEF \t\n", max_size=40)


@given(KEYISH, KEYISH)
def test_problems_never_quote_a_key(public: str, private: str) -> None:
    for message in psa_key_problems(public, private).values():
        for key in (public, private):
            if len(key.strip()) >= 4:
                assert key.strip() not in message
