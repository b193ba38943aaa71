"""The go-live report of a site: its readiness checklist and a summary of its Help Desk setup,
as one self-contained HTML page to print (or save as PDF from the browser) for the kickoff call.

Pure string building: every value passes through `html.escape`; no scripts, no external
resources. Secrets are never in the inputs (network info holds vault ids only), and the report
says only whether a login is linked, never which vault item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape

from app.domain.helpdesk.basic_info import DESKTOP_AGENT_FEE_NOTICE
from app.domain.helpdesk.coverage import coverage_gaps, describe_slots
from app.domain.helpdesk.journey import Journey, StepStatus
from app.domain.helpdesk.links import parse_link, place_label
from app.domain.helpdesk.network import SECTION_LABELS, NetworkInfo
from app.domain.helpdesk.notifications import NotificationRule, PathKind
from app.domain.helpdesk.profiles import ProfileSummary
from app.domain.helpdesk.readiness import Checklist, Status
from app.domain.helpdesk.setup import SiteSetup

_CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font: 10.5pt/1.4 "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: #111;
       max-width: 190mm; margin: 0 auto; }
h1 { font-size: 17pt; margin: 0 0 2pt; } h2 { font-size: 13pt; margin: 16pt 0 4pt;
  border-bottom: 1px solid #999; } h3 { font-size: 11pt; margin: 10pt 0 3pt; }
.meta { color: #444; margin: 0 0 8pt; }
.banner { padding: 6pt 9pt; border: 2px solid; font-weight: 600; margin: 8pt 0; }
.banner.ready { border-color: #1a7f37; } .banner.blocked { border-color: #b42318; }
table { border-collapse: collapse; width: 100%; margin: 3pt 0 6pt; }
th, td { border: 1px solid #bbb; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eee; } tr { page-break-inside: avoid; }
.status { font-weight: 700; white-space: nowrap; }
.pass { color: #1a7f37; } .warning { color: #9a6700; } .fail { color: #b42318; }
.na { color: #555; font-style: italic; } .text { white-space: pre-wrap; }
@media print { h2 { page-break-after: avoid; } .banner { -webkit-print-color-adjust: exact; } }
"""
_STATUS_TEXT = {Status.PASS: "PASS", Status.WARNING: "WARNING", Status.FAIL: "FAIL"}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table of already-escaped cells."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def render_golive_report(checklist: Checklist, setup: SiteSetup, *,
                         profiles: Sequence[ProfileSummary] = (),
                         rules: Sequence[NotificationRule] | None = None,
                         generated_at: datetime, partner_name: str = "",
                         journey: Journey | None = None) -> str:
    """The whole HTML document (UTF-8 text). `rules`: the notification rules the site uses
    (default: every rule in `setup.rules`); with `journey`, the go-live journey after the
    checklist."""
    title = f"Go-live report: {checklist.company_name} / {checklist.site_name}"
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(partner_name) + " · " if partner_name else ""}'
        f"Generated {_e(generated_at.strftime('%Y-%m-%d %H:%M %Z').strip())}</p>",
        _banner(checklist), _checklist(checklist), _journey(journey) if journey else "",
        _product(setup), _basic(setup), _security(setup, profiles),
        _rules(setup.rules if rules is None else rules),
        _network(setup.network), _references(setup), "</body></html>",
    ]
    return "\n".join(parts)


def _banner(checklist: Checklist) -> str:
    if checklist.ready:
        warn = len(checklist.warnings)
        extra = f" ({warn} warning{'s' if warn != 1 else ''} to review)" if warn else ""
        return f'<div class="banner ready">Ready for go-live{extra}.</div>'
    count = len(checklist.blockers)
    return (f'<div class="banner blocked">Not ready for go-live: {count} '
            f"item{'s' if count != 1 else ''} to fix.</div>")


def _checklist(checklist: Checklist) -> str:
    rows = []
    for item in checklist.items:
        _site, place = parse_link(item.link)
        status = item.status.value
        rows.append([f'<span class="status {status}">{_STATUS_TEXT[item.status]}</span>',
                     _e(item.title), _e(item.why), _e(place_label(place))])
    return "<h2>Checklist</h2>" + _table(["Status", "Check", "Why / what to do", "Where"], rows)


_STEP_CLASS = {StepStatus.DONE: "pass", StepStatus.OPEN: "warning", StepStatus.NA: "na"}


def _journey(journey: Journey) -> str:
    rows = []
    for step in journey.steps:
        mark = ("NEXT" if step.id == journey.next
                else {"done": "DONE", "open": "OPEN", "n/a": "N/A"}[step.status.value])
        rows.append([f'<span class="status {_STEP_CLASS[step.status]}">{mark}</span>',
                     _e(step.title), _e(step.date.isoformat() if step.date else "—"),
                     _e(step.by or "—"), _e(step.note or "—")])
    parts = ["<h2>Go-live journey</h2>",
             _table(["Status", "Step", "Date", "By", "Note"], rows)]
    if journey.reviews:
        parts.append(_table(["Escalation review", "Due", "Held"], [
            [_e(str(r.number)), _e(r.due.isoformat()),
             _e(r.held.isoformat() if r.held else "—")] for r in journey.reviews]))
    parts += [f'<p class="fail">Overdue: {_e(o.message)}.</p>' for o in journey.overdue]
    return "".join(parts)


def _product(setup: SiteSetup) -> str:
    p = setup.product
    if p is None:
        return '<h2>Product options</h2><p class="na">Not filled in.</p>'
    contact = p.contact
    phone = f"{contact.phone_country} {contact.phone}".strip() if contact.phone else ""
    rows = [["NOC Services", _yes(p.noc_services)],
            ["Coverage level", p.coverage_level.label if p.coverage_level else "—"],
            ["Start date", p.start_date.isoformat() if p.start_date else "—"],
            ["Anticipated seats", str(p.seat_count) if p.seat_count is not None else "—"],
            ["Help Desk contact", " · ".join(x for x in (contact.name, contact.email, phone)
                                             if x) or "—"],
            ["Help Desk certification completed", _yes(p.certification_completed)]]
    return "<h2>Product options</h2>" + _table(["Option", "Value"],
                                                [[_e(a), _e(b)] for a, b in rows])


def _basic(setup: SiteSetup) -> str:
    b = setup.basic
    if b is None:
        return '<h2>Basic information</h2><p class="na">Not filled in.</p>'
    rule = next((r.name for r in setup.rules if r.id == b.notification_rule_id), "—")
    domain = "No Client Email Domain" if b.no_client_email_domain else (b.email_domain or "—")
    agent = (f"Yes. {DESKTOP_AGENT_FEE_NOTICE}" if b.desktop_agent_opt_in
             else "No: the Help Desk escalates instead of installing the agent.")
    rows = [["Client main phone", f"{b.main_phone_country} {b.main_phone}".strip() or "—"],
            ["Client email domain", domain], ["Notification rule", rule],
            ["Greeting / SMS name", b.greeting_name or "—"],
            ["RMM desktop agent install", agent]]
    cells = [[_e(a), _e(v)] for a, v in rows]
    cells.append([_e("Site message"), f'<div class="text">{_e(b.site_message or "—")}</div>'])
    return "<h2>Basic information</h2>" + _table(["Item", "Value"], cells)


def _security(setup: SiteSetup, profiles: Sequence[ProfileSummary]) -> str:
    if not setup.security:
        return '<h2>Security-related requests</h2><p class="na">None set up.</p>'
    names = {p.id: p.name for p in profiles}
    rows = []
    for r in setup.security:
        approvers = ", ".join(f"{n}. {names.get(i, 'unknown profile')}"
                              for n, i in enumerate(r.approver_ids, 1)) or "—"
        rows.append([_e(r.label or "—"), _yes(r.approver_required), _e(approvers),
                     _yes(r.sms_auth_caller), _yes(r.sms_auth_approver)])
    return "<h2>Security-related requests</h2>" + _table(
        ["Request type", "Approver required", "Approvers (call order)", "SMS: caller",
         "SMS: approver"], rows)


def _rules(rules: Sequence[NotificationRule]) -> str:
    if not rules:
        return '<h2>Notification rules</h2><p class="na">None.</p>'
    parts = ["<h2>Notification rules</h2>"]
    for rule in rules:
        parts.append(f"<h3>{_e(rule.name)}</h3>")
        rows = []
        for path in rule.paths:
            contacts = "<br>".join(
                _e(f"{n}. {c.name} ({c.method.value}"
                   + (f", {c.phone_country} {c.phone}" if c.phone else "")
                   + (f", {c.email}" if c.email else "") + ")")
                for n, c in enumerate(path.contacts, 1)) or "—"
            slots = ", ".join(describe_slots(path.slots)) or "—"
            gaps = ("" if path.kind is PathKind.CALL_BEFORE_ESCALATING or not path.slots
                    else ", ".join(str(g) for g in coverage_gaps(path.slots)))
            rows.append([_e(path.kind.label), contacts, _e(slots), _e(gaps or "—")])
        parts.append(_table(["Path", "Contacts (in order)", "Time slots", "Coverage gaps"],
                            rows))
    return "".join(parts)


def _network(network: NetworkInfo) -> str:
    parts = ["<h2>Network information</h2>"]
    for name, section in network.sections():
        parts.append(f"<h3>{_e(SECTION_LABELS[name])}</h3>")
        if section.not_applicable:
            parts.append('<p class="na">Not applicable.</p>')
        elif not section.items:
            parts.append('<p class="na fail">Missing.</p>')
        else:
            rows = [[_e(_describe(item))] for item in section.items]
            parts.append(_table(["Entry"], rows))
    return "".join(parts)


def _describe(item: object) -> str:
    """One line per entry: its fields, with vault links shown as linked or not."""
    pieces = []
    for key, value in vars(item).items():
        if key == "credential_id":
            pieces.append("login in the vault" if value else "login not linked")
        elif hasattr(value, "label"):
            pieces.append(str(value.label))
        elif value:
            pieces.append(str(value))
    return " · ".join(pieces)


def _references(setup: SiteSetup) -> str:
    if not setup.references:
        return '<h2>References</h2><p class="na">None.</p>'
    parts = ["<h2>References</h2>"]
    for ref in setup.references:
        attachment = (f'<p class="meta">Attached file: {_e(ref.attachment_name)}</p>'
                      if ref.attachment_name else "")
        parts.append(f'<h3>{_e(ref.title)}</h3>{attachment}<div class="text">{_e(ref.body)}</div>')
    return "".join(parts)
