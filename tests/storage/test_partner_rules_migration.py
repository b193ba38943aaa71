"""Migration 0007: a workspace at 0006 whose sites keep their own notification rules (a Help Desk
section each) and whose RMM Site Configurations name rules in free text opens with partner-level
rules: identical rules merged, differing ones of one name told apart by their site, Basic Info
pointing at the new ids, policy names resolved where they name exactly one rule and kept (and
failed by readiness) where they do not. Every change is in the outbox for the next sync."""

from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

from alembic import command

from app.domain.helpdesk import Status
from app.services.workspace import Workspace
from storage import migrate as migrate_mod
from storage.database import Database

ALWAYS = [{"weekday": d, "start_minute": 0, "end_minute": 1440} for d in range(7)]


def _path(kind: str, contact: str) -> dict[str, Any]:
    return {"kind": kind, "slots": ALWAYS, "contacts": [
        {"name": contact, "method": "call", "phone_country": "US", "phone": "4155552671",
         "email": ""}]}


MSP_DESK = [_path("msp-escalation", "Service desk")]
NIGHT_A = [_path("msp-escalation", "Night desk"), _path("noc-escalation", "On call")]
NIGHT_B = [_path("msp-escalation", "Other night desk")]
LAB = [_path("msp-escalation", "Lab desk"), _path("noc-escalation", "Lab on call")]


def _rule(rule_id: str, name: str, paths: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": rule_id, "name": name, "paths": paths}


def _section(conn: sqlite3.Connection, site_id: str, section: str, document: Any) -> str:
    section_id = str(uuid.uuid4())
    conn.execute("INSERT INTO helpdesk_sections (id, version, updated_at, site_id, section, "
                 "document_json) VALUES (?, 3, '2026-11-01T00:00:00Z', ?, ?, ?)",
                 (section_id, site_id, section, json.dumps(document)))
    return section_id


def _basic(rule_id: str) -> dict[str, Any]:
    return {"main_phone_country": "US", "main_phone": "4155552671",
            "email_domain": "acme.example", "notification_rule_id": rule_id,
            "greeting_name": "Acme"}


def _set_rule_text(conn: sqlite3.Connection, policy_id: str, text: str) -> None:
    (settings_json,) = conn.execute("SELECT settings_json FROM policies WHERE id = ?",
                                    (policy_id,)).fetchone()
    settings = json.loads(settings_json)
    settings["notification_rule"] = text
    conn.execute("UPDATE policies SET settings_json = ? WHERE id = ?",
                 (json.dumps(settings), policy_id))


def _at_0006_with_per_site_rules(path: Path) -> dict[str, str]:
    ws = Workspace.open(path, create=True)
    ws.companies.create("Acme")
    main = ws.sites.create("Acme", "Main").id
    branch = ws.sites.create("Acme", "North Branch").id
    lab = ws.sites.create("Acme", "Research Lab").id
    ws.rules.create("placeholder", rule_id="placeholder")  # policies need a rule to be saved
    ids = {"main": main, "branch": branch, "lab": lab}
    for key, name, noc in (("std", "RMM Std", False), ("night", "RMM Night", True),
                           ("bogus", "RMM Bogus", True)):
        ids[key] = ws.policies.create("rmm-site-configuration", name, {
            "rmm_enabled": True, "noc_enabled": noc, "notification_rule": "placeholder"}).id
    ws.packages.save("Night pkg", [ids["night"]])
    ws.packages.save("Bogus pkg", [ids["bogus"]])
    ws.sites.assign("Night pkg", [branch])
    ws.sites.assign("Bogus pkg", [lab])
    with ws.db.engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "0006")
    ws.close()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DELETE FROM outbox")
        ids["main_rules"] = _section(conn, main, "notification-rules", [
            _rule("r1", "Standard", MSP_DESK), _rule("r2", "Night", NIGHT_A)])
        ids["branch_rules"] = _section(conn, branch, "notification-rules", [
            _rule("r3", "STANDARD", MSP_DESK), _rule("r4", "Night", NIGHT_B)])
        ids["lab_rules"] = _section(conn, lab, "notification-rules", [
            _rule("r1", "Lab rule", LAB)])  # an id another site uses for another rule
        ids["main_basic"] = _section(conn, main, "basic-info", _basic("r2"))
        ids["branch_basic"] = _section(conn, branch, "basic-info", _basic("r3"))
        ids["lab_basic"] = _section(conn, lab, "basic-info", _basic("r1"))
        _set_rule_text(conn, ids["std"], "standard")
        _set_rule_text(conn, ids["night"], "Night")
        _set_rule_text(conn, ids["bogus"], "Totally Bogus Rule")
        conn.commit()
    return ids


def _outbox(path: Path) -> list[tuple[str, str, str, dict[str, Any]]]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT entity, entity_id, op, payload_json FROM outbox "
                            "ORDER BY seq").fetchall()
    return [(e, i, op, json.loads(p)) for e, i, op, p in rows]


def test_per_site_rules_become_partner_rules(workspace_path: Path) -> None:
    ids = _at_0006_with_per_site_rules(workspace_path)
    Database.open(workspace_path).close()  # migrates 0006 → head after a backup
    assert sorted(workspace_path.parent.glob(f"{workspace_path.name}.backup-0006-*"))

    ws = Workspace.open(workspace_path)
    try:
        rules = {r.name: r for r in ws.rules.all()}
        # "Standard" twice with the same paths is one rule; the two different "Night" rules
        # are told apart by their sites; the lab's rule keeps its name but not the taken id.
        assert set(rules) == {"Standard", "Night (Main)", "Night (North Branch)", "Lab rule"}
        assert rules["Standard"].id == "r1"
        assert rules["Night (Main)"].id == "r2"
        assert rules["Night (North Branch)"].id == "r4"
        lab_id = rules["Lab rule"].id
        assert lab_id not in {"r1", "r2", "r3", "r4"}
        assert [p.kind.value for p in rules["Lab rule"].rule.paths] == [
            "msp-escalation", "noc-escalation"]

        # Basic Info follows the ids: merged r3 → r1, the lab's clashing r1 → its new id.
        assert ws.helpdesk.setup("Main").basic.notification_rule_id == "r2"  # type: ignore[union-attr]
        assert ws.helpdesk.setup("North Branch").basic.notification_rule_id == "r1"  # type: ignore[union-attr]
        assert ws.helpdesk.setup("Research Lab").basic.notification_rule_id == lab_id  # type: ignore[union-attr]
        assert rules["Standard"].sites == ("North Branch",)

        # Policies: a name naming one rule becomes its id; an ambiguous or unknown one stays.
        assert ws.policies.get(ids["std"]).settings["notification_rule"] == "r1"
        assert ws.policies.get(ids["night"]).settings["notification_rule"] == "Night"
        assert ws.policies.get(ids["bogus"]).settings["notification_rule"] == \
            "Totally Bogus Rule"
        assert rules["Standard"].policies == ("RMM Std",)

        # …and readiness fails on what could not be resolved, naming it.
        for site, text in (("North Branch", "'Night'"),
                           ("Research Lab", "'Totally Bogus Rule'")):
            item = ws.helpdesk.readiness(site).item("notification-rules")
            assert item.status is Status.FAIL, site
            assert item.findings[0].code == "rules.policy_rule_unknown"
            assert text in item.why
    finally:
        ws.close()

    outbox = _outbox(workspace_path)
    created = {i: p for e, i, op, p in outbox if e == "notification_rule" and op == "upsert"}
    assert set(created) == {"r1", "r2", "r4", lab_id}
    assert created["r4"]["name"] == "Night (North Branch)"
    deleted = {i for e, i, op, _ in outbox if e == "helpdesk_section" and op == "delete"}
    assert deleted == {ids["main_rules"], ids["branch_rules"], ids["lab_rules"]}
    rewritten = {i: p for e, i, op, p in outbox if e == "helpdesk_section" and op == "upsert"}
    assert set(rewritten) == {ids["branch_basic"], ids["lab_basic"]}
    assert rewritten[ids["lab_basic"]]["document"]["notification_rule_id"] == lab_id
    policies = {i: p for e, i, op, p in outbox if e == "policy"}
    assert set(policies) == {ids["std"]}
    with closing(sqlite3.connect(workspace_path)) as conn:
        (base,) = conn.execute("SELECT base_version FROM outbox WHERE entity_id = ?",
                               (ids["main_rules"],)).fetchone()
        actions = {a for (a,) in conn.execute("SELECT action FROM audit")}
    assert base == 3, "the tombstone is based on the version the server has"
    assert "migration.partner_rules" in actions


def test_a_workspace_without_rules_migrates_to_an_empty_table(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    ws.companies.create("Acme")
    with ws.db.engine.begin() as conn:
        command.downgrade(migrate_mod.alembic_config(conn), "0006")
    ws.close()
    again = Workspace.open(workspace_path)
    try:
        assert again.rules.all() == []
        assert again.pending_changes() == 1  # the company, nothing from the migration
    finally:
        again.close()
