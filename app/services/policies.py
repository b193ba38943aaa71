"""Policies: create, edit, duplicate, delete; every type's settings checked by its rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from app.domain.errors import PolicyRuleError, RuleViolation, SettingError
from app.domain.model import Policy, new_id
from app.domain.names import clean_name
from app.domain.policy_types import (
    POLICY_TYPES,
    PSA_INTEGRATION,
    REMOTE_ACCESS,
    RMM_SITE_CONFIGURATION,
    PolicyType,
    build_settings,
    policy_type,
    validate_settings,
)
from app.domain.policy_types import parse_assignments as parse_texts
from app.domain.settings import SettingValue
from app.services.lookup import find_one
from app.services.views import PolicyView
from storage.database import Database
from storage.repository import Repository, policy_payload
from storage.rule_repository import RuleRepository


@dataclass(frozen=True)
class PolicyTypeView:
    id: str
    label: str
    category: str
    description: str
    settings: tuple[str, ...]


@dataclass(frozen=True)
class SettingAdvice:
    """A recommendation about one setting's value (a warning: it never blocks a save)."""

    key: str
    code: str
    message: str
    suggested: str | None = None  # the recommended value as text ("false"), if there is one


def resolve_policy(repo: Repository, ref: str) -> Policy:
    return find_one("policy", ref, repo.policy, repo.policies_named)


def policy_view(policy: Policy, package_names: Sequence[str] = ()) -> PolicyView:
    ptype = policy_type(policy.type_id)
    return PolicyView(policy.id, policy.name, policy.type_id, ptype.label,
                      ptype.category.value, dict(policy.settings), tuple(package_names))


def _unique_name(repo: Repository, name: str, own_id: str | None = None) -> str:
    clean = clean_name("policy", name)
    if any(i != own_id for i, _ in repo.same_name("policy", clean)):
        raise RuleViolation(f"a policy named '{clean}' already exists")
    return clean


def _parse(ptype: PolicyType, policy_name: str, texts: Sequence[str]) -> dict[str, SettingValue]:
    """`KEY=VALUE` texts as typed values; an error names the policy as well as the key."""
    try:
        return parse_texts(ptype, list(texts))
    except SettingError as exc:
        raise PolicyRuleError(policy_name.strip() or "new policy", [exc]) from None


def _rule_reference(repo: RuleRepository, name: str, settings: dict[str, SettingValue],
                    previous: Mapping[str, SettingValue] | None) -> dict[str, SettingValue]:
    # loaded on first use: the Help Desk package is not needed to open a workspace
    from app.services.rules import resolve_policy_settings

    return resolve_policy_settings(repo, name, settings, previous)


class PolicyService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def types() -> list[PolicyTypeView]:
        return [
            PolicyTypeView(t.id, t.label, t.category.value, t.description,
                           tuple(s.key for s in t.settings))
            for t in POLICY_TYPES.values()
        ]

    @staticmethod
    def type_spec(type_id: str) -> PolicyType:
        return policy_type(type_id)

    @staticmethod
    def check(type_id: str, name: str, settings: Mapping[str, SettingValue]) -> list[SettingError]:
        """Every problem with a settings dict, for live validation in forms."""
        return validate_settings(policy_type(type_id), name or "new policy", settings)

    @staticmethod
    def advice(type_id: str, settings: Mapping[str, SettingValue]) -> list[SettingAdvice]:
        """The seeds' recommendations for these settings, for forms to show as warnings while
        editing (empty for types without any)."""
        policy_type(type_id)
        # loaded on first use: the Help Desk package is not needed to open a workspace
        if type_id == PSA_INTEGRATION.id:
            from app.domain.helpdesk.psa import psa_policy_advice

            findings = psa_policy_advice(settings)
        elif type_id == REMOTE_ACCESS.id:
            from app.domain.helpdesk.remote_access import remote_access_advice

            findings = remote_access_advice(settings)
        else:
            return []
        return [SettingAdvice(f.field, f.code, f.message, f.fix) for f in findings]

    def all(self, type_id: str | None = None, search: str = "") -> list[PolicyView]:
        if type_id is not None:
            policy_type(type_id)
        needle = search.casefold().strip()
        with self.db.read() as s:
            repo = Repository(s)
            used: dict[str, list[str]] = {}
            for package in repo.packages():
                for pid in package.policy_ids:
                    used.setdefault(pid, []).append(package.name)
            return [
                policy_view(p, used.get(p.id, ()))
                for p in repo.policies()
                if (type_id is None or p.type_id == type_id)
                and (not needle or needle in p.name.casefold()
                     or needle in policy_type(p.type_id).label.casefold())
            ]

    def get(self, ref: str) -> PolicyView:
        with self.db.read() as s:
            repo = Repository(s)
            policy = resolve_policy(repo, ref)
            return policy_view(policy, [p.name for p in repo.packages_using(policy.id)])

    def create(self, type_id: str, name: str, settings: Mapping[str, SettingValue] | None = None,
               *, texts: Sequence[str] = ()) -> PolicyView:
        """Create a policy; `texts` are `KEY=VALUE` strings as typed on the command line."""
        ptype = policy_type(type_id)
        changes = _parse(ptype, name, texts)
        changes.update(settings or {})
        with self.db.write() as s:
            repo = Repository(s)
            clean = _unique_name(repo, name)
            settings = build_settings(ptype, clean, {}, changes)
            if ptype.id == RMM_SITE_CONFIGURATION.id:
                settings = _rule_reference(RuleRepository(s), clean, settings, None)
            policy = Policy(new_id(), type_id, clean, settings)
            repo.save_policy(policy, "policy.create")
            return policy_view(policy)

    def update(self, ref: str, settings: Mapping[str, SettingValue] | None = None, *,
               texts: Sequence[str] = (), name: str | None = None) -> PolicyView:
        with self.db.write() as s:
            repo = Repository(s)
            policy = resolve_policy(repo, ref)
            ptype = policy_type(policy.type_id)
            changes = _parse(ptype, policy.name, texts)
            changes.update(settings or {})
            new_name = policy.name if name is None else _unique_name(repo, name, policy.id)
            settings = build_settings(ptype, new_name, policy.settings, changes)
            if ptype.id == RMM_SITE_CONFIGURATION.id:
                settings = _rule_reference(RuleRepository(s), new_name, settings,
                                           policy.settings)
            updated = replace(policy, name=new_name, settings=settings)
            if updated != policy:  # an edit to the values it already has records nothing
                repo.save_policy(updated, "policy.update")
            return policy_view(updated, [p.name for p in repo.packages_using(policy.id)])

    def duplicate(self, ref: str, name: str | None = None) -> PolicyView:
        with self.db.write() as s:
            repo = Repository(s)
            source = resolve_policy(repo, ref)
            candidate = name or f"{source.name} (copy)"
            if name is None:
                counter = 2
                while repo.same_name("policy", candidate):
                    candidate = f"{source.name} (copy {counter})"
                    counter += 1
            copy = Policy(new_id(), source.type_id, _unique_name(repo, candidate),
                          dict(source.settings))
            repo.save_policy(copy, "policy.duplicate")
            return policy_view(copy)

    def delete(self, ref: str) -> PolicyView:
        with self.db.write() as s:
            repo = Repository(s)
            policy = resolve_policy(repo, ref)
            users = repo.packages_using(policy.id)
            if users:
                names = ", ".join(f"'{p.name}'" for p in users)
                raise RuleViolation(
                    f"policy '{policy.name}' is in package(s) {names}; remove it from them first"
                )
            repo.tombstone("policy", policy.id, policy_payload(policy), policy.version,
                           "policy.delete")
            return policy_view(policy)
