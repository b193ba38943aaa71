"""notification rules become partner-level objects (table notification_rules)

Revision ID: 0007
Revises: 0006

See docs/notification-rules.md. Until now each site kept its rules in a "notification-rules" Help Desk section, and the RMM Site
Configuration policies named a rule in free text. This migration:
- moves every site's rules into `notification_rules` (sites taken in name order). Rules with the
  same name (by the domain's
  `name_key`) and the same paths are one rule; when rules of one name differ, each of them is
  named "Name (Site name)" (then "Name (Site name) 2", … if that is taken), so no rule is lost
  and none takes another's name. A rule without a usable name is called "Notification rule".
- rewrites Basic Info's `notification_rule_id` where a rule's id changed (merged, or an id two
  sites shared for different rules);
- resolves the policies' free-text `notification_rule`: an id of a rule is kept; a name that
  names exactly one rule becomes its id; anything else is kept as it was, and readiness reports
  it as a fail (rules.policy_rule_unknown), never dropped silently;
- tombstones the old sections.
Every change is recorded in the outbox and the audit trail, so the next sync sends it.
"""

import json
import unicodedata
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.domain.names import MAX_NAME_LENGTH, name_key

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTION = "migration.partner_rules"
FALLBACK_NAME = "Notification rule"


def upgrade() -> None:
    op.create_table(
        "notification_rules",
        sa.Column("name", sa.String(length=200, collation="NOCASE"), nullable=False),
        sa.Column("paths_json", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_rules")),
    )
    with op.batch_alter_table("notification_rules", schema=None) as batch_op:
        batch_op.create_index("uq_notification_rules_name_alive", ["name"], unique=True,
                              sqlite_where=sa.text("deleted_at IS NULL"))
    _move_rules(op.get_bind())


def downgrade() -> None:
    # The rules stay where the upgrade put them on the server; an older version simply does not
    # see them (its sites' Basic Info then names rules it does not know).
    with op.batch_alter_table("notification_rules", schema=None) as batch_op:
        batch_op.drop_index("uq_notification_rules_name_alive")
    op.drop_table("notification_rules")


# --- the data -----------------------------------------------------------------------------------

def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _usable_name(raw: Any) -> str:
    text = unicodedata.normalize("NFC", raw if isinstance(raw, str) else "")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in
                   {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}).strip()
    return text[:MAX_NAME_LENGTH].strip() or FALLBACK_NAME


def _with_suffix(base: str, suffix: str) -> str:
    return f"{base[:MAX_NAME_LENGTH - len(suffix)].rstrip()}{suffix}"


class _Recorder:
    """Outbox + audit rows, like storage.changes.record (which needs a Session)."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.at = _now()

    def change(self, entity: str, entity_id: str, before: Any, after: Any, base: int) -> None:
        after_json = None if after is None else json.dumps(after, sort_keys=True,
                                                           ensure_ascii=False)
        before_json = None if before is None else json.dumps(before, sort_keys=True,
                                                             ensure_ascii=False)
        self.conn.execute(sa.text(
            "INSERT INTO outbox (entity, entity_id, op, payload_json, base_version, "
            "idempotency_key, created_at) VALUES (:e, :i, :op, :p, :b, :k, :at)"),
            {"e": entity, "i": entity_id, "op": "delete" if after is None else "upsert",
             "p": after_json if after_json is not None else json.dumps({"id": entity_id}),
             "b": base, "k": str(uuid.uuid4()), "at": self.at})
        self.conn.execute(sa.text(
            "INSERT INTO audit (at, actor, action, entity, entity_id, before_json, after_json) "
            "VALUES (:at, :actor, :action, :e, :i, :before, :after)"),
            {"at": self.at, "actor": "migration 0007", "action": ACTION, "e": entity,
             "i": entity_id, "before": before_json, "after": after_json})


def _move_rules(conn: sa.Connection) -> None:
    rec = _Recorder(conn)
    sites = {str(i): str(n) for i, n in conn.execute(sa.text("SELECT id, name FROM sites"))}
    # Sites in name order, rules in their order: the first of identical rules gives the merged
    # rule its spelling and id, and an id two sites used stays with the first.
    sections = conn.execute(sa.text(
        "SELECT h.id, h.site_id, h.document_json, h.version FROM helpdesk_sections h "
        "LEFT JOIN sites s ON s.id = h.site_id "
        "WHERE h.section = 'notification-rules' AND h.deleted_at IS NULL "
        "ORDER BY s.name, h.site_id, h.id")).all()
    # Every old rule: (site id, old id, name, paths)
    found: list[tuple[str, str, str, Any]] = []
    for _section_id, site_id, document_json, _version in sections:
        document = json.loads(document_json)
        for item in document if isinstance(document, list) else []:
            if not isinstance(item, dict):
                continue
            paths = item.get("paths") if isinstance(item.get("paths"), list) else []
            found.append((str(site_id), str(item.get("id") or ""), _usable_name(item.get("name")),
                          paths))
    # One partner rule per (name, paths); names of rules that differ get their site's name.
    groups: dict[tuple[str, str], list[tuple[str, str, str, Any]]] = {}
    for entry in found:
        key = (name_key(entry[2]), json.dumps(entry[3], sort_keys=True))
        groups.setdefault(key, []).append(entry)
    variants: dict[str, int] = {}
    for name_k, _paths in groups:
        variants[name_k] = variants.get(name_k, 0) + 1
    taken: set[str] = set()
    used_ids: set[str] = set()
    moved: dict[tuple[str, str], str] = {}  # (site id, old rule id) → partner rule id
    by_original_name: dict[str, list[str]] = {}  # name_key of the old name → partner rule ids
    for (name_k, _paths), entries in groups.items():
        site_id, old_id, name, paths = entries[0]
        if variants[name_k] > 1:
            name = _with_suffix(name, f" ({sites.get(site_id, 'site')})")
        final, counter = name, 2
        while name_key(final) in taken:
            final = _with_suffix(name, f" {counter}")
            counter += 1
        taken.add(name_key(final))
        rule_id = old_id if old_id and old_id not in used_ids else str(uuid.uuid4())
        used_ids.add(rule_id)
        conn.execute(sa.text(
            "INSERT INTO notification_rules (id, version, updated_at, name, paths_json) "
            "VALUES (:id, 0, :at, :name, :paths)"),
            {"id": rule_id, "at": rec.at, "name": final,
             "paths": json.dumps(paths, sort_keys=True, ensure_ascii=False)})
        rec.change("notification_rule", rule_id, None,
                   {"id": rule_id, "name": final, "paths": paths}, 0)
        for entry in entries:
            moved[(entry[0], entry[1])] = rule_id
        by_original_name.setdefault(name_k, []).append(rule_id)
    _rewrite_basic_info(conn, rec, moved)
    _resolve_policies(conn, rec, used_ids, by_original_name)
    for section_id, site_id, document_json, version in sections:
        conn.execute(sa.text("UPDATE helpdesk_sections SET deleted_at = :at, updated_at = :at "
                             "WHERE id = :id"), {"at": rec.at, "id": section_id})
        rec.change("helpdesk_section", str(section_id),
                   {"id": section_id, "site_id": site_id, "section": "notification-rules",
                    "document": json.loads(document_json)}, None, int(version))


def _rewrite_basic_info(conn: sa.Connection, rec: _Recorder,
                        moved: dict[tuple[str, str], str]) -> None:
    rows = conn.execute(sa.text(
        "SELECT id, site_id, document_json, version FROM helpdesk_sections "
        "WHERE section = 'basic-info' AND deleted_at IS NULL")).all()
    for section_id, site_id, document_json, version in rows:
        document = json.loads(document_json)
        if not isinstance(document, dict):
            continue
        old = document.get("notification_rule_id")
        new = moved.get((str(site_id), str(old))) if old else None
        if new is None or new == old:
            continue  # unchanged, or a rule that did not exist (readiness reports it)
        before = {"id": section_id, "site_id": site_id, "section": "basic-info",
                  "document": dict(document)}
        document["notification_rule_id"] = new
        conn.execute(sa.text("UPDATE helpdesk_sections SET document_json = :doc, "
                             "updated_at = :at WHERE id = :id"),
                     {"doc": json.dumps(document, sort_keys=True, ensure_ascii=False),
                      "at": rec.at, "id": section_id})
        rec.change("helpdesk_section", str(section_id), before,
                   {**before, "document": document}, int(version))


def _resolve_policies(conn: sa.Connection, rec: _Recorder, rule_ids: set[str],
                      by_name: dict[str, list[str]]) -> None:
    rows = conn.execute(sa.text(
        "SELECT id, type_id, name, settings_json, version FROM policies "
        "WHERE type_id = 'rmm-site-configuration' AND deleted_at IS NULL")).all()
    for policy_id, type_id, name, settings_json, version in rows:
        settings = json.loads(settings_json)
        value = settings.get("notification_rule")
        if not isinstance(value, str) or not value.strip() or value in rule_ids:
            continue
        matches = by_name.get(name_key(value), [])
        if len(matches) != 1:
            continue  # unknown or ambiguous: kept as written; readiness fails on it
        before = {"id": policy_id, "type": type_id, "name": name, "settings": dict(settings)}
        settings["notification_rule"] = matches[0]
        conn.execute(sa.text("UPDATE policies SET settings_json = :s, updated_at = :at "
                             "WHERE id = :id"),
                     {"s": json.dumps(settings, sort_keys=True), "at": rec.at, "id": policy_id})
        rec.change("policy", str(policy_id), before, {**before, "settings": settings},
                   int(version))
