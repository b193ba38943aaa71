"""A partner-level notification rule round trip through the real server: created, referenced by
a policy, renamed and deleted on one workspace, seen the same on another."""

from __future__ import annotations

from pathlib import Path

from app.domain.helpdesk import ContactMethod, EscalationPath, PathKind, RuleContact, parse_slots
from tests.server.live import LiveServer, sync
from tests.sync.helpers import open_ws, outbox

PATHS = (EscalationPath(PathKind.MSP_ESCALATION, (
    RuleContact("Service desk", ContactMethod.CALL, "US", "4155552671"),
    RuleContact("Ops mailbox", ContactMethod.EMAIL, "US", "4155552672", "ops@msp.example"),
), parse_slots("Mon-Fri 08:00-18:00")),
    EscalationPath(PathKind.NOC_ESCALATION, (
        RuleContact("On call", ContactMethod.SMS, "US", "4155552673"),), parse_slots(
        "Mon-Sun 00:00-24:00")))


def test_a_rule_travels_with_its_references(server: LiveServer, tmp_path: Path) -> None:
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        rule = a.rules.create("NOC Escalation", PATHS)
        a.policies.create("rmm-site-configuration", "RMM with NOC", {
            "rmm_enabled": True, "noc_enabled": True, "notification_rule": "NOC Escalation"})
        report = sync(a, server)
        assert report.conflicts == 0
        assert report.count_check == "ok"
        assert outbox(a) == 0
        pulled = sync(b, server)
        assert pulled.count_check == "ok"
        (seen,) = b.rules.all()
        assert seen.rule == rule.rule  # id, name, paths with contacts in order and slots
        assert seen.policies == ("RMM with NOC",)
        assert b.policies.get("RMM with NOC").settings["notification_rule"] == rule.id

        b.rules.update(rule.id, name="NOC after hours")
        sync(b, server)
        sync(a, server)
        assert a.rules.get(rule.id).name == "NOC after hours"
        assert a.rules.get("NOC after hours").policies == ("RMM with NOC",)

        a.policies.delete("RMM with NOC")
        a.rules.delete(rule.id)
        sync(a, server)
        after = sync(b, server)
        assert after.count_check == "ok"
        assert b.rules.all() == []
    finally:
        a.close()
        b.close()
