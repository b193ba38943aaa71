"""Readiness of the notification rules a site references (partner-level rules, by id): a
reference to a rule that does not exist fails naming it; a rule that lacks the path the site
needs fails (NOC Escalation for a NOC site's policy rule, MSP Escalation for the Help Desk's)."""

from __future__ import annotations

from datetime import UTC, datetime

from app.domain.helpdesk import (
    EscalationPath,
    PathKind,
    Status,
    readiness,
    referenced_rules,
    render_golive_report,
)

from .builders import ALWAYS, basic, contact, ready_site, rmm_settings, rule
from .builders import with_setup as with_

MSP = EscalationPath(PathKind.MSP_ESCALATION, (contact(),), ALWAYS)
NOC = EscalationPath(PathKind.NOC_ESCALATION, (contact("NOC lead"),), ALWAYS)


def test_the_ready_site_names_its_rule() -> None:
    item = readiness(ready_site()).item("notification-rules")
    assert item.status is Status.PASS
    assert "'Help Desk rule'" in item.why


def test_a_policy_reference_to_a_rule_that_does_not_exist_fails_naming_it() -> None:
    site = ready_site(rmm_settings=rmm_settings(notification_rule="Totally Bogus Rule"))
    checklist = readiness(site)
    item = checklist.item("notification-rules")
    assert item.status is Status.FAIL
    assert [f.code for f in item.findings] == ["rules.policy_rule_unknown"]
    assert "'Totally Bogus Rule'" in item.why
    assert "preflight rule list" in item.why
    assert not checklist.ready
    html = render_golive_report(checklist, site.setup, generated_at=_now())
    assert "Ready for go-live" not in html
    assert "Totally Bogus Rule" in html


def test_a_noc_site_whose_policy_rule_lacks_the_noc_path_fails() -> None:
    policy_rule = rule(id="rule-noc", name="NOC rule", paths=(MSP,))
    site = with_(rules=(rule(), policy_rule))
    site = ready_site(setup=site.setup, rmm_settings=rmm_settings(notification_rule="rule-noc"))
    item = readiness(site).item("notification-rules")
    assert item.status is Status.FAIL
    assert [f.code for f in item.findings] == ["rules.noc_path_missing"]
    assert "'NOC rule'" in item.why
    # Without NOC the same rule is enough.
    no_noc = ready_site(setup=site.setup, rmm_settings=rmm_settings(
        notification_rule="rule-noc", noc_enabled=False))
    assert readiness(no_noc).item("notification-rules").status is Status.PASS


def test_the_help_desk_rule_needs_an_msp_path_the_noc_rule_does_not() -> None:
    noc_only = rule(id="rule-noc", name="NOC only", paths=(NOC,))
    help_desk = rule(id="rule-hd", name="Help Desk", paths=(NOC,))
    site = with_(rules=(noc_only, help_desk), basic=basic(notification_rule_id="rule-hd"))
    site = ready_site(setup=site.setup, rmm_settings=rmm_settings(notification_rule="rule-noc"))
    item = readiness(site).item("notification-rules")
    assert item.status is Status.FAIL
    assert [(f.code, f.field) for f in item.findings] == [
        ("rules.msp_path_missing", "rule:Help Desk.paths")]
    assert referenced_rules(site) == (noc_only, help_desk)


def test_a_rule_used_by_both_is_checked_once_for_both_needs() -> None:
    site = with_(rules=(rule(paths=(NOC,)),))
    item = readiness(site).item("notification-rules")
    assert [f.code for f in item.findings] == ["rules.msp_path_missing"]
    assert len(referenced_rules(site)) == 1


def test_no_rmm_policy_and_no_rule_selected() -> None:
    site = ready_site(rmm_settings=None, setup=with_(basic=basic(notification_rule_id=""))
                      .setup)
    item = readiness(site).item("notification-rules")
    assert item.status is Status.FAIL
    assert [f.code for f in item.findings] == ["rules.none"]


def test_a_basic_info_reference_to_a_missing_rule_fails_basic_info() -> None:
    site = with_(basic=basic(notification_rule_id="gone"))
    assert [f.code for f in readiness(site).item("basic-info").findings] == [
        "basic.notification_rule_unknown"]


def _now() -> datetime:
    return datetime(2026, 11, 23, tzinfo=UTC)
