"""Notification rules (seed 004 "Help Desk Notification Rule", seed 002 phase 5 "RMM Setup >
Notification Rules"): partner-level objects with escalation paths, their contacts in call order
with how to reach each, and their time slots. The RMM Site Configuration policy and each site's
Basic Info reference a rule by id (docs/notification-rules.md).

The lint reports what leaves the Help Desk or the NOC without someone to reach: a path the rule's
users need that it lacks (MSP Escalation for a Help Desk rule; NOC Escalation for the rule of a
NOC site, seed 002 "Prepare a NOC Notification Rule"), paths with no contacts or no time slots,
contacts without a phone, and gaps in the week that an escalation path does not cover. Call
Before Escalating is for quick questions during your hours, so its gaps are normal and not
reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.helpdesk.addresses import email_problem
from app.domain.helpdesk.coverage import TimeSlot, coverage_gaps
from app.domain.helpdesk.findings import Finding
from app.domain.helpdesk.phones import check_phone
from app.domain.helpdesk.text import check_text
from app.domain.names import name_key

SECTION = "notification-rules"


class PathKind(StrEnum):
    MSP_ESCALATION = "msp-escalation"
    CALL_BEFORE_ESCALATING = "call-before-escalating"
    NOC_ESCALATION = "noc-escalation"

    @property
    def label(self) -> str:
        return {"msp-escalation": "MSP Escalation",
                "call-before-escalating": "Call Before Escalating",
                "noc-escalation": "NOC Escalation"}[self.value]


class ContactMethod(StrEnum):
    CALL = "call"
    SMS = "sms"
    EMAIL = "email"


@dataclass(frozen=True)
class RuleContact:
    name: str
    method: ContactMethod = ContactMethod.CALL
    phone_country: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class EscalationPath:
    kind: PathKind
    contacts: tuple[RuleContact, ...] = ()  # in the order the Help Desk tries them
    slots: tuple[TimeSlot, ...] = ()  # when this path applies (local time of the site)


@dataclass(frozen=True)
class NotificationRule:
    id: str
    name: str
    paths: tuple[EscalationPath, ...] = ()

    def path(self, kind: PathKind) -> EscalationPath | None:
        return next((p for p in self.paths if p.kind is kind), None)


def lint_notification_rules(rules: Sequence[NotificationRule], *, noc_enabled: bool
                            ) -> list[Finding]:
    """Every finding of a list of rules; fields are "rules[i]. …"."""
    if not rules:
        return [Finding(SECTION, "rules", "error", "rules.none",
                        "Create a Help Desk notification rule: it tells the Help Desk whom to "
                        "contact, how and when.")]
    out: list[Finding] = []
    names: set[str] = set()
    for index, rule in enumerate(rules):
        key = name_key(rule.name)
        if key and key in names:
            out.append(Finding(SECTION, f"rules[{index}].name", "error", "rules.duplicate_name",
                               f"Two notification rules are named '{rule.name.strip()}'; rename "
                               "one so the right one can be selected."))
        names.add(key)
        out.extend(f.within(f"rules[{index}]")
                   for f in lint_notification_rule(rule, noc_enabled=noc_enabled))
    return out


def lint_notification_rule(rule: NotificationRule, *, noc_enabled: bool,
                           help_desk: bool = True) -> list[Finding]:
    """The findings of one rule. `noc_enabled`: a NOC site uses it (its NOC Escalation path is
    required); `help_desk`: the Help Desk uses it (its MSP Escalation path is required)."""
    out = check_text(SECTION, "name", "rule name", rule.name, max_length=200,
                     required_code="rules.name_required")
    seen: set[PathKind] = set()
    for index, path in enumerate(rule.paths):
        if path.kind in seen:
            out.append(Finding(SECTION, f"paths[{index}].kind", "error", "rules.path_duplicate",
                               f"The rule has two {path.kind.label} paths; merge them into one."))
        seen.add(path.kind)
        out.extend(f.within(f"paths[{index}]") for f in _path_findings(path))
    if not rule.paths:
        out.append(Finding(SECTION, "paths", "error", "rules.no_paths",
                           f"Rule '{rule.name.strip()}' has no escalation path; add MSP "
                           "Escalation (and NOC Escalation for NOC sites)."))
    elif help_desk and PathKind.MSP_ESCALATION not in seen:
        out.append(Finding(SECTION, "paths", "error", "rules.msp_path_missing",
                           f"Add an MSP Escalation path to rule '{rule.name.strip()}': the Help "
                           "Desk escalates issues outside its scope to you through it."))
    if noc_enabled and rule.paths and PathKind.NOC_ESCALATION not in seen:
        # Seed 002: the NOC policy links "the NOC Notification Rule you prepared"; without a
        # NOC Escalation path the NOC has nobody to escalate to.
        out.append(Finding(SECTION, "paths", "error", "rules.noc_path_missing",
                           f"The site has NOC services but rule '{rule.name.strip()}' has no NOC "
                           "Escalation path; add one so the NOC knows whom to escalate to."))
    return out


def _path_findings(path: EscalationPath) -> list[Finding]:
    out: list[Finding] = []
    label = path.kind.label
    if not path.contacts:
        out.append(Finding(SECTION, "contacts", "error", "rules.path_no_contacts",
                           f"The {label} path has no contacts; add at least one (a hunt-group "
                           "number that rings several people works best)."))
    seen: set[tuple[str, str, str]] = set()
    for index, contact in enumerate(path.contacts):
        key = (contact.name.strip().casefold(), contact.phone, contact.email.strip().casefold())
        if key in seen:
            out.append(Finding(SECTION, f"contacts[{index}]", "warning",
                               "rules.contact_duplicate",
                               f"{contact.name.strip()} is in the {label} path twice; the Help "
                               "Desk would try them twice. Remove one."))
        seen.add(key)
        out.extend(f.within(f"contacts[{index}]") for f in _contact_findings(contact, label))
    bad_slots = [i for i, slot in enumerate(path.slots) if not slot.is_valid]
    for index in bad_slots:
        out.append(Finding(SECTION, f"slots[{index}]", "error", "rules.slot_invalid",
                           "A time slot must start at 00:00–23:59 and end at 00:00–24:00."))
    if not path.slots:
        out.append(Finding(SECTION, "slots", "error", "rules.path_no_slots",
                           f"The {label} path has no time slots, so it never applies; add them "
                           "(e.g. Mon-Sun 00:00-24:00 for always)."))
    elif path.kind is not PathKind.CALL_BEFORE_ESCALATING and not bad_slots:
        for gap in coverage_gaps(path.slots):
            out.append(Finding(SECTION, "slots", "warning", "rules.coverage_gap",
                               f"Nobody is on the {label} path {gap}; escalations then wait for "
                               "the next slot. Add a slot or an after-hours contact."))
    return out


def _contact_findings(contact: RuleContact, label: str) -> list[Finding]:
    out = check_text(SECTION, "name", "contact's name", contact.name, max_length=200,
                     required_code="rules.contact_name_required")
    who = contact.name.strip() or "A contact"
    if not contact.phone.strip():
        if contact.method is ContactMethod.EMAIL:
            out.append(Finding(SECTION, "phone", "warning", "rules.contact_no_phone",
                               f"{who} on the {label} path has no phone number; the Help Desk "
                               "escalates urgent issues by phone. Add one."))
        else:
            out.append(Finding(SECTION, "phone", "error", "rules.contact_no_phone",
                               f"{who} on the {label} path is reached by "
                               f"{'call' if contact.method is ContactMethod.CALL else 'SMS'} "
                               "but has no phone number; add one."))
    out.extend(check_phone(SECTION, "phone", f"phone number of {who}", contact.phone_country,
                           contact.phone, required=False))
    email = contact.email.strip()
    if not email:
        if contact.method is ContactMethod.EMAIL:
            out.append(Finding(SECTION, "email", "error", "rules.contact_email_required",
                               f"{who} is reached by email but has no email address; add one."))
    else:
        problem = email_problem(email)
        if problem:
            out.append(Finding(SECTION, "email", "error", "rules.contact_email_invalid",
                               f"The email address of {who} is not valid: {problem}"))
    return out
