"""`workspace.rules` and the references to rules: names by the name rules, references stored
as ids (a name accepted), unknown references refused at save, a rule in use not deleted, a
rename following everywhere, and each rule linted for what its users need."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.errors import NotFound, RuleViolation
from app.domain.helpdesk import BasicInfo, EscalationPath, PathKind
from app.services.rules import parse_rule_document
from app.services.workspace import Workspace
from tests.domain.helpdesk.builders import ALWAYS, contact

MSP = EscalationPath(PathKind.MSP_ESCALATION, (contact(),), ALWAYS)
NOC = EscalationPath(PathKind.NOC_ESCALATION, (contact("NOC lead"),), ALWAYS)


def test_create_rename_and_names_follow_the_name_rules(workspace: Workspace) -> None:
    ws = workspace
    rule = ws.rules.create("  Cafe\u0301 escalation ", (MSP,))
    assert rule.name == "Café escalation"  # NFC, trimmed
    assert ws.rules.get("CAFÉ ESCALATION").id == rule.id  # by name, case folded
    with pytest.raises(RuleViolation, match="already exists"):
        ws.rules.create("ｃａｆé escalation")  # full width: the same name
    with pytest.raises(RuleViolation, match="invisible"):
        ws.rules.create("Night\u200bshift")
    with pytest.raises(RuleViolation, match="200"):
        ws.rules.create("n" * 201)
    other = ws.rules.create("Night shift")
    with pytest.raises(RuleViolation, match="already exists"):
        ws.rules.update(other.id, name="café ESCALATION")
    renamed = ws.rules.update(rule.id, name="Business hours")
    assert (renamed.id, renamed.name, renamed.rule.paths) == (rule.id, "Business hours", (MSP,))
    with pytest.raises(NotFound, match="preflight rule list"):
        ws.rules.get("Café escalation")


def test_references_are_ids_and_a_rename_follows(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    noc = ws.rules.get("NOC Escalation")
    ws.rules.update(noc.id, name="NOC after hours")
    assert ws.policies.get("RMM with NOC").settings["notification_rule"] == noc.id
    rows = {(r.type, r.key): r.value for r in ws.effective.for_site("Main Office").rows}
    assert rows[("rmm-site-configuration", "notification_rule")] == "NOC after hours"
    checklist = ws.helpdesk.readiness("Northside Clinic")
    assert "'NOC after hours'" in checklist.item("notification-rules").why
    assert "NOC after hours" in ws.helpdesk.golive_report("Northside Clinic")


def test_unknown_references_are_refused_at_save(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    before = ws.pending_changes()
    with pytest.raises(NotFound, match=r"'Totally Bogus Rule'.*preflight rule list"):
        ws.policies.update("RMM with NOC", {"notification_rule": "Totally Bogus Rule"})
    info = ws.helpdesk.setup("Northside Clinic").basic
    assert info is not None
    with pytest.raises(NotFound, match=r"Basic Info: notification_rule_id: .*'gone'"):
        ws.helpdesk.save("Northside Clinic", "basic-info",
                         replace(info, notification_rule_id="gone"))
    assert ws.pending_changes() == before, "nothing changed"
    # A name is accepted and stored as the id.
    ws.helpdesk.save("Northside Clinic", "basic-info",
                     replace(info, notification_rule_id="standard notifications"))
    stored = ws.helpdesk.setup("Northside Clinic").basic
    assert stored is not None
    assert stored.notification_rule_id == ws.rules.get("Standard Notifications").id
    # A site without a rule yet may be saved (readiness says what is missing).
    ws.helpdesk.save("Lab", "basic-info", BasicInfo())


def test_a_rule_in_use_is_not_deleted(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    with pytest.raises(RuleViolation, match="policy 'RMM with NOC'; select another rule"):
        ws.rules.delete("NOC Escalation")
    with pytest.raises(RuleViolation, match="site 'Northside Clinic' \\(Basic Info\\)"):
        ws.rules.delete("Northside standard")
    ws.policies.update("RMM with NOC", {"notification_rule": "Standard Notifications"})
    gone = ws.rules.delete("NOC Escalation")
    assert gone.name == "NOC Escalation"
    assert "NOC Escalation" not in {r.name for r in ws.rules.rules()}
    back = ws.rules.restore(gone.rule)  # the undo of a delete
    assert back.id == gone.id


def test_each_rule_is_linted_for_what_its_users_need(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    noc = ws.rules.get("NOC Escalation")
    assert noc.needs_noc
    assert noc.findings == ()
    lacking = ws.rules.update(noc.id, paths=(MSP,))
    assert [f.code for f in lacking.findings] == ["rules.noc_path_missing"]
    unused = ws.rules.create("Spare", (NOC,))
    assert unused.findings == ()  # nobody needs an MSP path of it yet
    helpdesk = ws.rules.update("Northside standard", paths=(NOC,))
    assert [f.code for f in helpdesk.findings] == ["rules.msp_path_missing"]
    assert [f.code for f in ws.rules.check(replace(unused.rule, name="spare"))] == []
    assert [f.code for f in ws.rules.check(replace(unused.rule, name="nOC Escalation"))] == [
        "rules.duplicate_name"]


@pytest.mark.parametrize(("data", "words"), [
    ([], "JSON object"),
    ({"id": "x", "nmae": "y"}, "nmae: unknown field"),
    ({"name": 3}, "name: expected a string"),
    ({"paths": {}}, "paths: expected a list"),
    ({"paths": [{"kind": "msp-escalation", "contacts": [{"name": "A", "method": "fax"}]}]},
     "paths[0].contacts[0].method: 'fax' is not one of"),
    ({"paths": [{"contacts": []}]}, "paths[0]"),
])
def test_rule_documents_are_read_strictly(data: object, words: str) -> None:
    with pytest.raises(RuleViolation) as info:
        parse_rule_document(data)
    assert words in str(info.value)


def test_a_rule_document_round_trips(sample_workspace: Workspace) -> None:
    shown = sample_workspace.rules.get("Northside standard")
    name, paths = parse_rule_document(shown.document())
    assert (name, paths) == (shown.name, shown.rule.paths)
