"""A PSA Integration policy's API key pair in the vault, and the policy advice service call."""

from __future__ import annotations

import pytest

from app.services.psa_keys import InvalidKeys, PsaKeyService
from app.services.vault import Vault
from app.vault.errors import VaultLocked, VaultNotInitialized
from tests.vault.conftest import PASSWORD, Env

PUBLIC, PRIVATE = "AbCdEf0123456789", "CANARY-psa-private-9f8e7c6b5a41"


@pytest.fixture
def policy_id(env: Env) -> str:
    return env.ws.policies.create("psa-integration", "PSA").id


def test_store_writes_two_app_secrets(vault: Vault, policy_id: str) -> None:
    keys = PsaKeyService(vault)
    assert not keys.stored(policy_id)
    keys.store(policy_id, PUBLIC, PRIVATE)
    assert keys.stored(policy_id)
    assert vault.app_secrets.get(f"psa:{policy_id}:public_key") == PUBLIC
    assert vault.app_secrets.get(f"psa:{policy_id}:private_key") == PRIVATE
    assert keys.public_key(policy_id) == PUBLIC
    assert keys.private_key(policy_id) == PRIVATE
    keys.store(policy_id, PUBLIC, "new-private")  # replaces, no second item
    assert keys.private_key(policy_id) == "new-private"
    assert len([v for v in vault.app_secrets.list() if v.title.startswith("psa:")]) == 2


def test_the_keys_never_reach_the_policy_or_the_database_in_plaintext(
        env: Env, vault: Vault, policy_id: str) -> None:
    PsaKeyService(vault).store(policy_id, PUBLIC, PRIVATE)
    assert PRIVATE not in repr(env.ws.policies.get(policy_id).settings)
    env.ws.db.close()
    assert PRIVATE.encode() not in env.ws.path.read_bytes()


def test_invalid_pairs_store_nothing(vault: Vault, policy_id: str) -> None:
    keys = PsaKeyService(vault)
    with pytest.raises(InvalidKeys) as caught:
        keys.store(policy_id, PUBLIC, "")
    assert list(caught.value.problems) == ["private_key"]
    with pytest.raises(InvalidKeys) as caught:
        keys.store(policy_id, f"{PUBLIC} ", PRIVATE)
    assert list(caught.value.problems) == ["public_key"]
    assert PRIVATE not in str(caught.value)
    assert vault.app_secrets.list() == []


def test_stored_is_known_while_locked_but_reading_and_storing_need_the_key(
        vault: Vault, policy_id: str) -> None:
    keys = PsaKeyService(vault)
    keys.store(policy_id, PUBLIC, PRIVATE)
    vault.session.lock()
    assert keys.stored(policy_id)
    with pytest.raises(VaultLocked):
        keys.private_key(policy_id)
    with pytest.raises(VaultLocked):
        keys.store(policy_id, PUBLIC, "other")
    vault.session.unlock(PASSWORD)
    assert keys.private_key(policy_id) == PRIVATE


def test_no_vault_yet(env: Env, policy_id: str) -> None:
    keys = PsaKeyService(env.service())
    assert not keys.stored(policy_id)
    with pytest.raises(VaultNotInitialized):
        keys.store(policy_id, PUBLIC, PRIVATE)


def test_delete_removes_both(vault: Vault, policy_id: str) -> None:
    keys = PsaKeyService(vault)
    keys.store(policy_id, PUBLIC, PRIVATE)
    assert keys.delete(policy_id) == 2
    assert not keys.stored(policy_id)
    assert keys.delete(policy_id) == 0


def test_only_psa_integration_has_a_key_pair() -> None:
    assert PsaKeyService.applies_to("psa-integration")
    assert not PsaKeyService.applies_to("rmm-site-configuration")


def test_policy_service_advice(env: Env) -> None:
    policies = env.ws.policies
    advice = policies.advice("psa-integration", {"psa_to_rmm_sync": True,
                                                 "contact_sync": False})
    assert [(a.key, a.code, a.suggested) for a in advice] == [
        ("psa_to_rmm_sync", "psa.psa_to_rmm_sync_with_noc", "false"),
        ("contact_sync", "psa.contact_sync_off", "true")]
    assert policies.advice("psa-integration", {}) == []
    assert policies.advice("communicator", {"enabled": True}) == []
    assert policies.advice("rmm-site-configuration", {"rmm_enabled": False}) == []


def test_several_app_secrets_are_stored_together_or_not_at_all(vault: Vault) -> None:
    from app.domain.errors import RuleViolation
    from app.vault.items import MAX_SECRET_CHARS

    with pytest.raises(RuleViolation, match="longer than"):
        vault.app_secrets.set_many({"psa:p:public_key": "PUBLIC",
                               "psa:p:private_key": "x" * (MAX_SECRET_CHARS + 1)})
    assert vault.app_secrets.list() == []  # the first one was not kept either
    vault.app_secrets.set_many({"psa:p:public_key": "PUBLIC", "psa:p:private_key": "PRIVATE"})
    assert vault.app_secrets.get("psa:p:private_key") == "PRIVATE"
