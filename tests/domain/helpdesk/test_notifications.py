"""Notification rules: escalation paths, contacts, time slots, and the lint."""

from __future__ import annotations

from dataclasses import replace

from app.domain.helpdesk import (
    ContactMethod,
    EscalationPath,
    NotificationRule,
    PathKind,
    TimeSlot,
    Weekday,
    lint_notification_rules,
    parse_slots,
)
from app.domain.helpdesk.notifications import lint_notification_rule

from .builders import ALWAYS, codes, contact, rule


def msp(*contacts: object, slots: tuple[TimeSlot, ...] = ALWAYS) -> EscalationPath:
    return EscalationPath(PathKind.MSP_ESCALATION, contacts or (contact(),), slots)  # type: ignore[arg-type]


def lint(r: NotificationRule, noc: bool = False) -> list[str]:
    return codes(lint_notification_rule(r, noc_enabled=noc))


def test_a_complete_rule_has_no_findings() -> None:
    assert lint_notification_rules([rule()], noc_enabled=True) == []


def test_no_rules_at_all() -> None:
    assert codes(lint_notification_rules([], noc_enabled=False)) == ["rules.none"]


def test_rule_names_required_and_unique() -> None:
    found = lint_notification_rules([rule(), rule(id="rule-2", name="help desk RULE")],
                                    noc_enabled=True)
    assert codes(found) == ["rules.duplicate_name"]
    assert found[0].field == "rules[1].name"
    assert lint(rule(name="", paths=(msp(),))) == ["rules.name_required"]


def test_msp_escalation_path_required() -> None:
    r = rule(paths=(EscalationPath(PathKind.CALL_BEFORE_ESCALATING, (contact(),), ALWAYS),))
    assert lint(r) == ["rules.msp_path_missing"]


def test_noc_path_required_when_a_noc_site_uses_the_rule() -> None:
    # Seed 002: the NOC policy links "the NOC Notification Rule you prepared": a must (a fail).
    r = rule(paths=(msp(),))
    assert lint(r) == []
    found = lint_notification_rule(r, noc_enabled=True)
    assert codes(found) == ["rules.noc_path_missing"]
    assert found[0].severity == "error"
    assert "'Help Desk rule'" in found[0].message


def test_msp_path_required_only_of_a_help_desk_rule() -> None:
    noc_only = rule(paths=(EscalationPath(PathKind.NOC_ESCALATION, (contact(),), ALWAYS),))
    assert codes(lint_notification_rule(noc_only, noc_enabled=True, help_desk=False)) == []
    assert codes(lint_notification_rule(noc_only, noc_enabled=True)) == [
        "rules.msp_path_missing"]


def test_a_rule_without_any_path() -> None:
    found = lint_notification_rule(rule(paths=()), noc_enabled=True, help_desk=False)
    assert codes(found) == ["rules.no_paths"]
    assert found[0].severity == "error"


def test_duplicate_path_kind() -> None:
    assert lint(rule(paths=(msp(), msp()))) == ["rules.path_duplicate"]


def test_path_with_no_contacts() -> None:
    r = rule(paths=(EscalationPath(PathKind.MSP_ESCALATION, (), ALWAYS),))
    found = lint_notification_rule(r, noc_enabled=False)
    assert codes(found) == ["rules.path_no_contacts"]
    assert found[0].field == "paths[0].contacts"


def test_path_with_no_slots_and_bad_slots() -> None:
    assert lint(rule(paths=(msp(slots=()),))) == ["rules.path_no_slots"]
    bad = (TimeSlot(Weekday.MONDAY, 0, 1441),)
    assert lint(rule(paths=(msp(slots=ALWAYS + bad),))) == ["rules.slot_invalid"]


def test_coverage_gaps_reported_for_escalation_paths_only() -> None:
    hours = parse_slots("Mon-Fri 08:00-17:00")
    found = lint_notification_rule(rule(paths=(msp(slots=hours),)), noc_enabled=False)
    assert codes(found) == ["rules.coverage_gap"] * 5
    assert found[-1].severity == "warning"
    assert "Fri 17:00–Mon 08:00" in found[-1].message
    cbe = EscalationPath(PathKind.CALL_BEFORE_ESCALATING, (contact(),), hours)
    assert lint(rule(paths=(msp(), cbe))) == []


def test_contact_without_phone_error_unless_reached_by_email() -> None:
    by_call = contact("Sam", phone="", phone_country="")
    found = lint_notification_rule(rule(paths=(msp(by_call),)), noc_enabled=False)
    assert codes(found) == ["rules.contact_no_phone"]
    assert found[0].severity == "error"
    assert found[0].field == "paths[0].contacts[0].phone"
    by_mail = contact("Sam", method=ContactMethod.EMAIL, phone="", phone_country="")
    found = lint_notification_rule(rule(paths=(msp(by_mail),)), noc_enabled=False)
    assert codes(found) == ["rules.contact_no_phone"]
    assert found[0].severity == "warning"
    by_sms = contact("Sam", method=ContactMethod.SMS, phone="", phone_country="")
    assert "SMS" in lint_notification_rule(rule(paths=(msp(by_sms),)),
                                           noc_enabled=False)[0].message


def test_contact_name_email_and_phone_checks() -> None:
    assert lint(rule(paths=(msp(contact("")),))) == ["rules.contact_name_required"]
    assert lint(rule(paths=(msp(contact(email="x@")),))) == ["rules.contact_email_invalid"]
    mail_only = contact(method=ContactMethod.EMAIL, email="")
    assert lint(rule(paths=(msp(mail_only),))) == ["rules.contact_email_required"]
    assert lint(rule(paths=(msp(contact(phone="555")),))) == ["phone.invalid"]


def test_duplicate_contact_in_a_path() -> None:
    found = lint_notification_rule(rule(paths=(msp(contact(), contact()),)), noc_enabled=False)
    assert codes(found) == ["rules.contact_duplicate"]
    assert found[0].severity == "warning"


def test_path_lookup_and_labels() -> None:
    r = rule()
    assert r.path(PathKind.NOC_ESCALATION) is not None
    assert replace(r, paths=()).path(PathKind.MSP_ESCALATION) is None
    assert [k.label for k in PathKind] == ["MSP Escalation", "Call Before Escalating",
                                           "NOC Escalation"]
