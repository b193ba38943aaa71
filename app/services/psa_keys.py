"""The API key pair of a PSA Integration policy, kept in the workspace's vault (seed 002,
docs/rules.md and §6).

Each policy's pair is two application secrets of the vault, named by
`app.domain.helpdesk.psa.psa_key_secret_name` (`psa:<policy id>:public_key`,
`psa:<policy id>:private_key`). Whether a pair is stored is known without the key (titles are
plain); reading or storing one needs the vault unlocked (`VaultLocked` otherwise).

    keys = PsaKeyService(workspace.vault)
    keys.applies_to(type_id) -> bool          only psa-integration policies have a key pair
    keys.stored(policy_id) -> bool            both keys stored (no key needed)
    keys.public_key(policy_id) / keys.private_key(policy_id) -> str | None
    keys.store(policy_id, public, private)    InvalidKeys (a RuleViolation) with `problems`
    keys.delete(policy_id) -> int             how many of the two secrets were removed

Deleting a policy leaves its secrets in the vault (see `delete`): the vault may be locked
then, and undoing the delete re-creates the policy under a new id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.domain.errors import RuleViolation
from app.domain.helpdesk.psa import (
    PRIVATE_KEY,
    PUBLIC_KEY,
    psa_key_problems,
    psa_key_secret_name,
)
from app.domain.policy_types import PSA_INTEGRATION

if TYPE_CHECKING:
    from app.services.vault import Vault

KEY_TYPES = frozenset({PSA_INTEGRATION.id})


class InvalidKeys(RuleViolation):
    """The typed key pair breaks a rule; `problems` maps PUBLIC_KEY / PRIVATE_KEY to what to
    do. Never carries a key."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class PsaKeyService:
    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    @staticmethod
    def applies_to(type_id: str) -> bool:
        return type_id in KEY_TYPES

    @staticmethod
    def names(policy_id: str) -> tuple[str, str]:
        """The two secrets' names: (public, private)."""
        return (psa_key_secret_name(policy_id, PUBLIC_KEY),
                psa_key_secret_name(policy_id, PRIVATE_KEY))

    def stored(self, policy_id: str) -> bool:
        """Both keys of the policy are in the vault (locked or not)."""
        titles = {item.title for item in self.vault.app_secrets.list()}
        return all(name in titles for name in self.names(policy_id))

    def public_key(self, policy_id: str) -> str | None:
        return self.vault.app_secrets.get(self.names(policy_id)[0])

    def private_key(self, policy_id: str) -> str | None:
        return self.vault.app_secrets.get(self.names(policy_id)[1])

    def store(self, policy_id: str, public_key: str, private_key: str) -> None:
        """Store (or replace) the pair. Nothing is stored when a key breaks a rule
        (`InvalidKeys`) or the vault is locked (`VaultLocked`, `VaultNotInitialized`)."""
        problems = psa_key_problems(public_key, private_key)
        if problems:
            raise InvalidKeys(problems)
        public_name, private_name = self.names(policy_id)
        # one transaction: never a public key stored without its private key
        self.vault.app_secrets.set_many({public_name: public_key, private_name: private_key})

    def delete(self, policy_id: str) -> int:
        """Remove the policy's stored keys (needs the vault unlocked). Not called when a
        policy is deleted: undo brings the policy back under a new id, and the vault may be
        locked at that moment; the leftover secrets stay encrypted in the vault."""
        return sum(self.vault.app_secrets.delete(name) for name in self.names(policy_id))


__all__ = ["KEY_TYPES", "InvalidKeys", "PsaKeyService"]
