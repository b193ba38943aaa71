"""The Help Desk tab's Basic Information (seed 004 "Basic Information")."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from app.domain.helpdesk.addresses import domain_problem, is_public_domain
from app.domain.helpdesk.findings import Finding
from app.domain.helpdesk.phones import check_phone
from app.domain.helpdesk.text import check_text

SECTION = "basic-info"
DESKTOP_AGENT_FEE_USD = 100
DESKTOP_AGENT_FEE_NOTICE = (
    f"Opting in lets the Help Desk install the RMM desktop agent to start troubleshooting; each "
    f"install costs ${DESKTOP_AGENT_FEE_USD} per occurrence. Without the opt-in the technician "
    "escalates the issue to you through the selected notification rule.")
PUBLIC_DOMAIN_REASON = (
    "Public domains cannot be used to identify sites for emails, and such emails cannot be "
    "processed automatically as tickets, which may delay resolution.")
# The seed gives no limits. The greeting name is spoken and sent in SMS texts (160 characters
# with the code and the message), so a long one is a warning; 100 is the field's hard limit.
GREETING_MAX = 100
GREETING_SMS_ADVISED = 40
SITE_MESSAGE_MAX = 2_000


@dataclass(frozen=True)
class BasicInfo:
    main_phone_country: str = ""
    main_phone: str = ""
    email_domain: str = ""
    no_client_email_domain: bool = False  # the seed's "No Client Email Domain" option
    notification_rule_id: str = ""  # the Help Desk notification rule (one of the site's rules)
    greeting_name: str = ""  # company name in the Help Desk's greeting and its SMS texts
    site_message: str = ""
    desktop_agent_opt_in: bool = False


def validate_basic_info(info: BasicInfo, *, rule_ids: Collection[str] | None = None
                        ) -> list[Finding]:
    """Every finding of the basic information. `rule_ids`: the ids of the site's notification
    rules, to check the chosen one exists (None: not checked)."""
    out = check_phone(SECTION, "main_phone", "client main phone number", info.main_phone_country,
                      info.main_phone, required=True)
    out.extend(_domain_findings(info))
    rule = info.notification_rule_id
    if not rule.strip():
        out.append(Finding(SECTION, "notification_rule_id", "error",
                           "basic.notification_rule_required",
                           "Select the Help Desk notification rule: it tells the Help Desk whom "
                           "to contact and when. Create one under Notification Rules first."))
    elif rule_ids is not None and rule not in rule_ids:
        out.append(Finding(SECTION, "notification_rule_id", "error",
                           "basic.notification_rule_unknown",
                           "The selected notification rule no longer exists; select another."))
    out.extend(check_text(SECTION, "greeting_name", "company name for greetings",
                          info.greeting_name, max_length=GREETING_MAX,
                          required_code="basic.greeting_required"))
    name = info.greeting_name.strip()
    if GREETING_SMS_ADVISED < len(name) <= GREETING_MAX:
        out.append(Finding(SECTION, "greeting_name", "warning", "basic.greeting_long",
                           f"The company name is read out in every greeting and sent in SMS "
                           f"texts; keep it to {GREETING_SMS_ADVISED} characters or fewer (it "
                           f"has {len(name)})."))
    out.extend(check_text(SECTION, "site_message", "site message", info.site_message,
                          max_length=SITE_MESSAGE_MAX, multiline=True))
    return out


def _domain_findings(info: BasicInfo) -> list[Finding]:
    raw = info.email_domain
    domain = raw.strip()
    if info.no_client_email_domain:
        if domain:
            return [Finding(SECTION, "email_domain", "error", "basic.email_domain_conflict",
                            "Either enter the client email domain or select No Client Email "
                            "Domain, not both.", "")]
        return []
    if not domain:
        return [Finding(SECTION, "email_domain", "error", "basic.email_domain_required",
                        "Enter the client email domain (e.g. example.com), or select No Client "
                        "Email Domain if the client uses a public one such as gmail.com.")]
    fix = _domain_fix(domain)
    if fix is not None and fix != domain:
        return [Finding(SECTION, "email_domain", "error", "basic.email_domain_not_a_domain",
                        f"Enter only the domain, e.g. {fix}, not an address or a link.", fix)]
    if raw != domain:
        return [Finding(SECTION, "email_domain", "error", "text.whitespace",
                        "Remove the spaces before or after the client email domain.", domain)]
    problem = domain_problem(domain)
    if problem:
        return [Finding(SECTION, "email_domain", "error", "basic.email_domain_invalid",
                        f"'{domain}' is not a valid email domain: {problem}")]
    if is_public_domain(domain):
        return [Finding(SECTION, "email_domain", "error", "basic.email_domain_public",
                        f"{domain} is a public email domain. {PUBLIC_DOMAIN_REASON} Select No "
                        "Client Email Domain instead.")]
    return []


def _domain_fix(text: str) -> str | None:
    """The domain inside "user@example.com", "@example.com" or "https://www.example.com/"."""
    value = text.strip()
    lowered = value.lower()
    for scheme in ("https://", "http://", "mailto:"):
        if lowered.startswith(scheme):
            value = value[len(scheme):]
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    value = value.split("/", 1)[0]
    if value.lower().startswith("www."):
        value = value[4:]
    return value or None
