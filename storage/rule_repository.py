"""Reads and writes of the partner's notification rules (table `notification_rules`) and of who
references them: RMM Site Configuration policies (`notification_rule` setting) and sites' Basic
Info (`notification_rule_id`).

A rule's paths travel as their JSON document (`app.domain.helpdesk.codec`); this layer neither
parses nor checks them. Every change records its outbox and audit rows in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from app.domain.names import name_key
from storage.changes import Change, Payload, record
from storage.database import now_iso
from storage.tables import HelpDeskSectionRow, NotificationRuleRow, PolicyRow, SiteRow

ENTITY = "notification_rule"
RULES: Table = NotificationRuleRow.__table__  # type: ignore[assignment]
SECTIONS: Table = HelpDeskSectionRow.__table__  # type: ignore[assignment]
POLICIES: Table = PolicyRow.__table__  # type: ignore[assignment]
SITES: Table = SiteRow.__table__  # type: ignore[assignment]
RMM_TYPE = "rmm-site-configuration"
POLICY_KEY = "notification_rule"
BASIC_INFO = "basic-info"
BASIC_KEY = "notification_rule_id"


@dataclass(frozen=True)
class StoredRule:
    id: str
    name: str
    paths: list[Any]  # the JSON document of the escalation paths
    version: int


@dataclass(frozen=True)
class RuleUser:
    """A policy or a site that references a rule."""

    kind: str  # "policy" | "site"
    id: str
    name: str


def rule_payload(rule_id: str, name: str, paths: Any) -> Payload:
    return {"id": rule_id, "name": name, "paths": paths}


def _stored(row: Any) -> StoredRule:
    return StoredRule(str(row.id), str(row.name), json.loads(row.paths_json), int(row.version))


def _dump(paths: Any) -> str:
    return json.dumps(paths, sort_keys=True, ensure_ascii=False)


class RuleRepository:
    """One transaction's view of the notification rules (`with db.write() as s: …(s)`)."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def all(self) -> list[StoredRule]:
        t = RULES
        rows = self.s.execute(select(t).where(t.c.deleted_at.is_(None)).order_by(t.c.name))
        return [_stored(r) for r in rows]

    def get(self, rule_id: str) -> StoredRule | None:
        t = RULES
        row = self.s.execute(select(t).where(t.c.id == rule_id, t.c.deleted_at.is_(None))).first()
        return None if row is None else _stored(row)

    def named(self, name: str) -> list[StoredRule]:
        """Live rules with this name by `name_key` (case, width, invisible characters folded)."""
        t = RULES
        rows = self.s.execute(select(t).where(
            t.c.deleted_at.is_(None), func.pf_name_key(t.c.name) == name_key(name)))
        return [_stored(r) for r in rows]

    def save(self, rule_id: str, name: str, paths: Any, action: str) -> bool:
        """Insert or update a rule; False (and nothing recorded) when it is unchanged."""
        t = RULES
        text = _dump(paths)
        row = self.s.execute(select(t).where(t.c.id == rule_id)).first()
        if row is not None and row.deleted_at is None and row.name == name \
                and row.paths_json == text:
            return False
        at = now_iso()
        if row is None:
            version, before = 0, None
            self.s.execute(insert(t).values(id=rule_id, version=0, updated_at=at, name=name,
                                            paths_json=text))
        else:
            version = int(row.version)
            before = (None if row.deleted_at else
                      rule_payload(rule_id, str(row.name), json.loads(row.paths_json)))
            self.s.execute(update(t).where(t.c.id == rule_id).values(
                name=name, paths_json=text, updated_at=at, deleted_at=None))
        record(self.s, [Change(ENTITY, rule_id, action,
                               before, rule_payload(rule_id, name, paths), version)])
        return True

    def tombstone(self, rule: StoredRule, action: str) -> None:
        at = now_iso()
        self.s.execute(update(RULES).where(RULES.c.id == rule.id)
                       .values(deleted_at=at, updated_at=at))
        record(self.s, [Change(ENTITY, rule.id, action,
                               rule_payload(rule.id, rule.name, rule.paths), None, rule.version)])

    # --- who references a rule ----------------------------------------------------------------

    def policy_references(self) -> dict[str, list[tuple[str, str]]]:
        """Rule reference (the stored value) → [(policy id, policy name)] of the live RMM Site
        Configuration policies that name one."""
        p = POLICIES
        out: dict[str, list[tuple[str, str]]] = {}
        rows = self.s.execute(select(p.c.id, p.c.name, p.c.settings_json).where(
            p.c.deleted_at.is_(None), p.c.type_id == RMM_TYPE).order_by(p.c.name))
        for policy_id, name, settings_json in rows:
            value = json.loads(settings_json).get(POLICY_KEY)
            if isinstance(value, str) and value:
                out.setdefault(value, []).append((str(policy_id), str(name)))
        return out

    def rmm_policies_noc(self) -> dict[str, bool]:
        """Live RMM Site Configuration policy id → whether it enables NOC services."""
        p = POLICIES
        rows = self.s.execute(select(p.c.id, p.c.settings_json).where(
            p.c.deleted_at.is_(None), p.c.type_id == RMM_TYPE))
        return {str(i): bool(json.loads(text).get("noc_enabled")) for i, text in rows}

    def site_references(self) -> dict[str, list[tuple[str, str]]]:
        """Rule id → [(site id, site name)] of the live sites whose Basic Info selects it."""
        h, st = SECTIONS, SITES
        out: dict[str, list[tuple[str, str]]] = {}
        rows = self.s.execute(
            select(st.c.id, st.c.name, h.c.document_json)
            .join(st, st.c.id == h.c.site_id)
            .where(h.c.deleted_at.is_(None), st.c.deleted_at.is_(None),
                   h.c.section == BASIC_INFO).order_by(st.c.name))
        for site_id, name, document_json in rows:
            document = json.loads(document_json)
            value = document.get(BASIC_KEY) if isinstance(document, dict) else None
            if isinstance(value, str) and value:
                out.setdefault(value, []).append((str(site_id), str(name)))
        return out

    def users(self, rule_id: str) -> list[RuleUser]:
        policies = [RuleUser("policy", i, n) for i, n in self.policy_references().get(rule_id, [])]
        sites = [RuleUser("site", i, n) for i, n in self.site_references().get(rule_id, [])]
        return policies + sites
