"""Partner-level notification rules (`workspace.rules`): list, create, edit, rename, delete, and
the references to them from RMM Site Configuration policies and sites' Basic Info.

References are rule ids, so a rename follows everywhere. A reference to a rule that does not
exist is refused when it is saved (a name is accepted and stored as the rule's id); a rule in use
cannot be deleted, and the refusal names its policies and sites.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from app.domain.errors import Ambiguous, NotFound, RuleViolation
from app.domain.helpdesk import EscalationPath, Finding, NotificationRule
from app.domain.helpdesk.codec import from_json, to_json
from app.domain.helpdesk.notifications import lint_notification_rule
from app.domain.model import new_id
from app.domain.names import clean_name
from app.domain.settings import SettingValue
from storage.database import Database
from storage.rule_repository import RuleRepository, RuleUser, StoredRule

KIND = "notification rule"
POLICY_KEY = "notification_rule"
RULE_LIST_HINT = "`preflight rule list` shows the rules"
FILE_FIELDS = ("id", "name", "paths")


@dataclass(frozen=True)
class RuleView:
    """A rule, who uses it, and its findings in the light of those users (a NOC policy needs
    its NOC Escalation path, a site's Basic Info its MSP Escalation path)."""

    rule: NotificationRule
    users: tuple[RuleUser, ...] = ()
    findings: tuple[Finding, ...] = ()
    needs_noc: bool = False  # a policy with NOC services uses it

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def policies(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.users if u.kind == "policy")

    @property
    def sites(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.users if u.kind == "site")

    def document(self) -> dict[str, Any]:
        """The rule as JSON: `preflight rule show --json`, the shape `--file` takes."""
        return {"id": self.rule.id, "name": self.rule.name, "paths": to_json(self.rule.paths)}


def parse_paths(data: Any, where: str = "paths") -> tuple[EscalationPath, ...]:
    """Escalation paths from their JSON, strictly: an unknown field or a wrong type is a
    RuleViolation naming the field."""
    try:
        paths: tuple[EscalationPath, ...] = from_json(tuple[EscalationPath, ...], data, where,
                                                      strict=True)
    except (ValueError, TypeError) as exc:
        raise RuleViolation(str(exc)) from None
    return paths


def parse_rule_document(data: Any) -> tuple[str | None, tuple[EscalationPath, ...] | None]:
    """(name, paths) of a rule document (`rule show --json`'s shape); either may be absent
    (None). Its `id` is informational and ignored: the command names the rule."""
    if not isinstance(data, dict):
        raise RuleViolation(f"expected a JSON object with {', '.join(FILE_FIELDS)}, got "
                            f"{type(data).__name__}")
    unknown = sorted(str(k) for k in data if k not in FILE_FIELDS)
    if unknown:
        raise RuleViolation(f"{unknown[0]}: unknown field; known: {', '.join(FILE_FIELDS)}")
    for key in ("id", "name"):
        if key in data and not isinstance(data[key], str):
            raise RuleViolation(f"{key}: expected a string, got {data[key]!r}")
    name = data.get("name")
    paths = parse_paths(data["paths"]) if "paths" in data else None
    return name, paths


def _rule(stored: StoredRule) -> NotificationRule:
    try:
        paths = parse_paths(stored.paths)
    except RuleViolation:
        # Written by a newer client with fields this version does not know: read it leniently.
        paths = from_json(tuple[EscalationPath, ...], stored.paths, "paths")
    return NotificationRule(stored.id, stored.name, paths)


def stored_rules(repo: RuleRepository) -> tuple[NotificationRule, ...]:
    return tuple(_rule(r) for r in repo.all())


def find_rule(repo: RuleRepository, ref: str) -> StoredRule:
    found = repo.get(ref)
    if found is not None:
        return found
    matches = repo.named(ref.strip()) if ref.strip() else []
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"no {KIND} with id or name '{ref}'; {RULE_LIST_HINT}")
    raise Ambiguous(f"{len(matches)} {KIND}s are named '{ref}'; use the id ({RULE_LIST_HINT})")


def resolve_reference(repo: RuleRepository, value: str, *, owner: str, field: str) -> str:
    """The id of the rule `value` names (an id or a name). Refused when there is none."""
    try:
        return find_rule(repo, value).id
    except NotFound:
        raise NotFound(f"{owner}: {field}: no {KIND} named or with id '{value.strip()}'; "
                       f"{RULE_LIST_HINT} (create one with `preflight rule create --name "
                       "NAME`)") from None
    except Ambiguous as exc:
        raise Ambiguous(f"{owner}: {field}: {exc}") from None


def resolve_policy_settings(repo: RuleRepository, policy_name: str,
                            settings: Mapping[str, SettingValue],
                            previous: Mapping[str, SettingValue] | None = None
                            ) -> dict[str, SettingValue]:
    """`settings` of an RMM Site Configuration with its `notification_rule` stored as a rule id.
    A value that did not change is left as it is (a reference the migration could not resolve
    stays visible as a readiness fail rather than blocking unrelated edits)."""
    out = dict(settings)
    value = out.get(POLICY_KEY)
    if not isinstance(value, str) or not value.strip():
        return out
    if previous is not None and previous.get(POLICY_KEY) == value:
        return out
    out[POLICY_KEY] = resolve_reference(repo, value, owner=f"policy '{policy_name}'",
                                        field=POLICY_KEY)
    return out


def _needs(repo: RuleRepository, users: Sequence[RuleUser]) -> tuple[bool, bool]:
    """(NOC Escalation needed, MSP Escalation needed) by these users."""
    noc_policies = {pid for pid, noc in repo.rmm_policies_noc().items() if noc}
    noc = any(u.kind == "policy" and u.id in noc_policies for u in users)
    return noc, any(u.kind == "site" for u in users)


class RuleService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- reading ---------------------------------------------------------------------------------

    def rules(self) -> tuple[NotificationRule, ...]:
        """Every live rule, by name (what a site's references are checked against)."""
        with self.db.read() as s:
            return stored_rules(RuleRepository(s))

    def choices(self) -> list[tuple[str, str]]:
        """(id, name) of every rule, by name: the pick lists."""
        return [(r.id, r.name) for r in self.rules()]

    def all(self) -> list[RuleView]:
        with self.db.read() as s:
            repo = RuleRepository(s)
            policies = repo.policy_references()
            sites = repo.site_references()
            noc = repo.rmm_policies_noc()
            out = []
            for stored in repo.all():
                users = tuple([RuleUser("policy", i, n) for i, n in policies.get(stored.id, [])]
                              + [RuleUser("site", i, n) for i, n in sites.get(stored.id, [])])
                needs_noc = any(u.kind == "policy" and noc.get(u.id) for u in users)
                out.append(self._view(_rule(stored), users, needs_noc))
            return out

    def get(self, ref: str) -> RuleView:
        with self.db.read() as s:
            repo = RuleRepository(s)
            stored = find_rule(repo, ref)
            users = tuple(repo.users(stored.id))
            return self._view(_rule(stored), users, _needs(repo, users)[0])

    @staticmethod
    def _view(rule: NotificationRule, users: Sequence[RuleUser], noc: bool) -> RuleView:
        help_desk = any(u.kind == "site" for u in users)
        findings = lint_notification_rule(rule, noc_enabled=noc, help_desk=help_desk)
        return RuleView(rule, tuple(users), tuple(findings), noc)

    def check(self, rule: NotificationRule) -> list[Finding]:
        """The findings of a rule being edited, in the light of its current users."""
        with self.db.read() as s:
            repo = RuleRepository(s)
            users = repo.users(rule.id)
            noc, help_desk = _needs(repo, users)
        return self._name_findings(rule) + lint_notification_rule(
            rule, noc_enabled=noc, help_desk=help_desk)

    def _name_findings(self, rule: NotificationRule) -> list[Finding]:
        with self.db.read() as s:
            others = [r for r in RuleRepository(s).named(rule.name) if r.id != rule.id]
        if rule.name.strip() and others:
            return [Finding("notification-rules", "name", "error", "rules.duplicate_name",
                            f"Another notification rule is named '{rule.name.strip()}'; "
                            "choose another name.")]
        return []

    # --- writing ---------------------------------------------------------------------------------

    def create(self, name: str, paths: Sequence[EscalationPath] = (), *,
               rule_id: str | None = None) -> RuleView:
        clean = clean_name(KIND, name)
        with self.db.write() as s:
            repo = RuleRepository(s)
            self._unique(repo, clean, None)
            rule = NotificationRule(rule_id or new_id(), clean, tuple(paths))
            repo.save(rule.id, rule.name, to_json(rule.paths), "notification_rule.create")
            return self._view(rule, (), False)

    def update(self, ref: str, *, name: str | None = None,
               paths: Sequence[EscalationPath] | None = None) -> RuleView:
        with self.db.write() as s:
            repo = RuleRepository(s)
            stored = find_rule(repo, ref)
            rule = _rule(stored)
            if name is not None:
                clean = clean_name(KIND, name)
                self._unique(repo, clean, stored.id)
                rule = replace(rule, name=clean)
            if paths is not None:
                rule = replace(rule, paths=tuple(paths))
            action = "notification_rule.rename" if rule.name != stored.name and paths is None \
                else "notification_rule.update"
            repo.save(rule.id, rule.name, to_json(rule.paths), action)
            users = tuple(repo.users(rule.id))
            return self._view(rule, users, _needs(repo, users)[0])

    def restore(self, rule: NotificationRule) -> RuleView:
        """Store `rule` exactly (its id, name and paths), bringing it back if it was deleted:
        the undo of an edit or a delete."""
        clean = clean_name(KIND, rule.name)
        with self.db.write() as s:
            repo = RuleRepository(s)
            self._unique(repo, clean, rule.id)
            repo.save(rule.id, clean, to_json(rule.paths), "notification_rule.restore")
            users = tuple(repo.users(rule.id))
            return self._view(replace(rule, name=clean), users, _needs(repo, users)[0])

    def delete(self, ref: str) -> RuleView:
        with self.db.write() as s:
            repo = RuleRepository(s)
            stored = find_rule(repo, ref)
            users = repo.users(stored.id)
            if users:
                raise RuleViolation(f"notification rule '{stored.name}' is in use by "
                                    f"{describe_users(users)}; select another rule there first")
            repo.tombstone(stored, "notification_rule.delete")
            return RuleView(_rule(stored))

    @staticmethod
    def _unique(repo: RuleRepository, name: str, own_id: str | None) -> None:
        if any(r.id != own_id for r in repo.named(name)):
            raise RuleViolation(f"a notification rule named '{name}' already exists")


def describe_users(users: Sequence[RuleUser]) -> str:
    policies = [f"'{u.name}'" for u in users if u.kind == "policy"]
    sites = [f"'{u.name}'" for u in users if u.kind == "site"]
    parts = []
    if policies:
        parts.append(f"polic{'y' if len(policies) == 1 else 'ies'} {', '.join(policies)}")
    if sites:
        parts.append(f"site{'' if len(sites) == 1 else 's'} {', '.join(sites)} (Basic Info)")
    return " and ".join(parts)
