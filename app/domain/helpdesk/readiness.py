"""The per-site go-live checklist of docs/rules.md, computed from plain inputs.

`readiness(SiteReadinessInput) -> Checklist`: one `CheckItem` per check, in `CHECKS` order, each
pass / warning / fail with a sentence saying why and what to do, the link of the place that
fixes it, and the findings behind it. A site is ready for go-live when no item fails; warnings
are the seed's advice and do not block. What a seed states as a must fails (docs/rules.md lists
each rule with its seed); links lead to where the value is changed, never a read-only view.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from app.domain.effective import EffectivePolicy
from app.domain.helpdesk.basic_info import validate_basic_info
from app.domain.helpdesk.findings import Finding, has_errors
from app.domain.helpdesk.identity import SiteIdentity, identity_conflicts
from app.domain.helpdesk.links import device_place, policy_place, site_link
from app.domain.helpdesk.network import SECTION_LABELS, validate_network_info
from app.domain.helpdesk.notifications import NotificationRule, lint_notification_rule
from app.domain.helpdesk.product import validate_product_options
from app.domain.helpdesk.profiles import ProfileSummary
from app.domain.helpdesk.psa import psa_connection_problems, psa_recommendations
from app.domain.helpdesk.remote_access import remote_access_advice
from app.domain.helpdesk.security import validate_security_requests
from app.domain.helpdesk.setup import SiteSetup
from app.domain.settings import SettingValue


class Status(StrEnum):
    PASS = "pass"
    WARNING = "warning"
    FAIL = "fail"


# Check id → title. Ids are a contract (CLI JSON, the GUI's icons, the overview).
CHECKS: dict[str, str] = {
    "agent-deployed": "Agent deployed",
    "rmm-enabled": "RMM services enabled",
    "noc-enabled": "NOC services enabled",
    "product-options": "Help Desk product options",
    "notification-rules": "Notification rules",
    "basic-info": "Basic information",
    "client-profiles": "Client profiles",
    "security-requests": "Approvers and SMS authentication",
    "credentials": "Server and desktop credentials",
    "network-info": "Network information",
    "psa-integration": "PSA settings consistent with NOC",
    "psa-connection": "PSA connection details",
    "remote-access": "Remote Access (ScreenConnect) settings",
}
_RMM, _PSA, _REMOTE = "rmm-site-configuration", "psa-integration", "remote-access"


@dataclass(frozen=True)
class PolicyRef:
    """The policy that gives a site its settings of one type (where they are changed)."""

    id: str
    name: str


@dataclass(frozen=True)
class SiteReadinessInput:
    """Everything readiness looks at; the service layer fills it from storage."""

    site_id: str
    site_name: str
    company_id: str = ""
    company_name: str = ""
    setup: SiteSetup = field(default_factory=SiteSetup)
    profiles: tuple[ProfileSummary, ...] = ()  # the site's client profiles
    server_count: int = 0  # devices with an agent, by kind
    desktop_count: int = 0
    # The effective settings of the site (`settings_of`); None: no policy of the type reaches it.
    rmm_settings: Mapping[str, SettingValue] | None = None
    psa_settings: Mapping[str, SettingValue] | None = None
    remote_settings: Mapping[str, SettingValue] | None = None
    # The site's devices' Remote Access overrides: (device name, setting key, value).
    remote_overrides: tuple[tuple[str, str, SettingValue], ...] = ()
    # The site's devices' ids by name: a device's own override is changed on its settings.
    device_ids: Mapping[str, str] = field(default_factory=dict)
    # Type id → the policy those settings come from (`policies_of`): readiness links to it.
    policies: Mapping[str, PolicyRef] = field(default_factory=dict)
    # Both API keys of the site's PSA Integration policy are in the vault (False: unknown).
    psa_keys_stored: bool = False
    # What identifies the other sites (main phone, email domain), to find one used twice.
    other_sites: tuple[SiteIdentity, ...] = ()
    # Vault items of the site per kind ("server", "desktop", …: app.vault.items.KINDS).
    credential_counts: Mapping[str, int] = field(default_factory=dict)
    # The site's vault item ids, to check network-info credential links (None: not checked).
    vault_item_ids: frozenset[str] | None = None
    today: date | None = None  # for "start date has passed"; None: not checked


@dataclass(frozen=True)
class CheckItem:
    id: str
    status: Status
    why: str
    link: str
    findings: tuple[Finding, ...] = ()

    @property
    def title(self) -> str:
        return CHECKS[self.id]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "status": self.status.value, "why": self.why,
                "link": self.link, "findings": [f.to_dict() for f in self.findings]}


@dataclass(frozen=True)
class Checklist:
    site_id: str
    site_name: str
    company_id: str
    company_name: str
    items: tuple[CheckItem, ...]

    @property
    def ready(self) -> bool:
        return all(item.status is not Status.FAIL for item in self.items)

    @property
    def blockers(self) -> tuple[CheckItem, ...]:
        return tuple(i for i in self.items if i.status is Status.FAIL)

    @property
    def warnings(self) -> tuple[CheckItem, ...]:
        return tuple(i for i in self.items if i.status is Status.WARNING)

    def item(self, check_id: str) -> CheckItem:
        return next(i for i in self.items if i.id == check_id)

    def to_dict(self) -> dict[str, Any]:
        """`preflight site readiness SITE --json`."""
        return {"site": {"id": self.site_id, "name": self.site_name},
                "company": {"id": self.company_id, "name": self.company_name},
                "ready": self.ready, "items": [i.to_dict() for i in self.items]}


def settings_of(effective: EffectivePolicy, type_id: str) -> dict[str, SettingValue] | None:
    """The effective settings of one policy type, or None when no policy of it applies."""
    found = {i.key: i.value for i in effective.items if i.type_id == type_id}
    return found or None


def policies_of(effective: EffectivePolicy) -> dict[str, PolicyRef]:
    """Type id → the policy that gives the site (or device) its settings of that type."""
    found: dict[str, PolicyRef] = {}
    for item in effective.items:
        policy = item.source.policy
        if policy is not None and item.type_id not in found:
            found[item.type_id] = PolicyRef(policy.id, policy.name)
    return found


def readiness(site: SiteReadinessInput) -> Checklist:
    checks: list[Callable[[SiteReadinessInput], CheckItem]] = [
        _agent, _rmm, _noc, _product, _rules, _basic, _profiles, _security, _credentials,
        _network, _psa, _psa_connection, _remote_access]
    return Checklist(site.site_id, site.site_name, site.company_id, site.company_name,
                     tuple(check(site) for check in checks))


def _item(site: SiteReadinessInput, check_id: str, status: Status, why: str, place: str, *,
          findings: Collection[Finding] = ()) -> CheckItem:
    return CheckItem(check_id, status, why, site_link(site.site_id, place), tuple(findings))


def _from_findings(site: SiteReadinessInput, check_id: str, place: str,
                   findings: list[Finding], ok: str, *, subject: str = "") -> CheckItem:
    """Fail on any error, warn on warnings, else pass; `why` quotes the first finding
    (after `subject`, e.g. "Policy 'PSA': ", when it names the object to change)."""
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return _item(site, check_id, Status.FAIL, subject + errors[0].message + more, place,
                     findings=findings)
    if findings:
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        return _item(site, check_id, Status.WARNING, subject + findings[0].message + more,
                     place, findings=findings)
    return _item(site, check_id, Status.PASS, ok, place)


def _policy_place(site: SiteReadinessInput, type_id: str) -> str:
    """Where the site's settings of a type are changed: the policy giving them, or (no policy
    of the type reaches the site) the assignments, where the site gets a package that has one."""
    ref = site.policies.get(type_id)
    return policy_place(ref.id) if ref is not None else "assignments"


def _subject(site: SiteReadinessInput, type_id: str) -> str:
    ref = site.policies.get(type_id)
    return f"Policy '{ref.name}': " if ref is not None else ""


def _flag(settings: Mapping[str, SettingValue] | None, key: str) -> bool:
    return bool(settings is not None and settings.get(key))


def _agent(site: SiteReadinessInput) -> CheckItem:
    count = site.server_count + site.desktop_count
    if count:
        return _item(site, "agent-deployed", Status.PASS,
                     f"{count} device(s) report an RMM agent.", "devices")
    return _item(site, "agent-deployed", Status.FAIL,
                 "No device at this site has an RMM agent; deploy the agent on at least one "
                 "device (the Help Desk cannot be enabled without one).", "devices")


def _rmm(site: SiteReadinessInput) -> CheckItem:
    place = _policy_place(site, _RMM)
    if site.rmm_settings is None:
        return _item(site, "rmm-enabled", Status.FAIL,
                     "No RMM Site Configuration policy reaches this site; add one with Enable "
                     "RMM Services on to the site's package (or the default package).", place)
    if not _flag(site.rmm_settings, "rmm_enabled"):
        return _item(site, "rmm-enabled", Status.FAIL,
                     f"{_subject(site, _RMM)}Enable RMM Services is off in the site's effective "
                     "RMM Site Configuration; turn it on in that policy.", place)
    return _item(site, "rmm-enabled", Status.PASS,
                 "RMM services are enabled for this site.", place)


def _noc(site: SiteReadinessInput) -> CheckItem:
    place = _policy_place(site, _RMM)
    if not _flag(site.rmm_settings, "noc_enabled"):
        return _item(site, "noc-enabled", Status.FAIL,
                     f"{_subject(site, _RMM)}Enable NOC Services in the site's RMM Site "
                     "Configuration policy: Help Desk support requires NOC Services (a paid "
                     "add-on; only the server agents deployed at the site are billed).", place)
    product = site.setup.product
    if product is None or not product.noc_services:
        return _item(site, "noc-enabled", Status.FAIL,
                     "NOC is on in the policy but not selected in the Help Desk product "
                     "options; select NOC Services there.", "helpdesk/product-options")
    return _item(site, "noc-enabled", Status.PASS,
                 "NOC services are enabled (required for Help Desk).", place)


def _product(site: SiteReadinessInput) -> CheckItem:
    place = "helpdesk/product-options"
    if site.setup.product is None:
        return _item(site, "product-options", Status.FAIL,
                     "Fill in the Help Desk product options: coverage level, start date, "
                     "anticipated seat count and the Help Desk contact.", place)
    # NOC has its own item; the same finding here would count one problem twice.
    findings = [f for f in validate_product_options(site.setup.product, today=site.today)
                if f.code != "product.noc_required"]
    return _from_findings(site, "product-options", place, findings,
                          "The product options are complete.")


def referenced_rules(site: SiteReadinessInput) -> tuple[NotificationRule, ...]:
    """The partner rules this site uses (its RMM Site Configuration's, then its Basic Info's),
    each once; references to rules that do not exist are left out."""
    by_id = {rule.id: rule for rule in site.setup.rules}
    refs = [_policy_rule_ref(site), site.setup.basic.notification_rule_id
            if site.setup.basic else ""]
    out: dict[str, NotificationRule] = {}
    for ref in refs:
        if ref in by_id:
            out.setdefault(ref, by_id[ref])
    return tuple(out.values())


def _policy_rule_ref(site: SiteReadinessInput) -> str:
    value = site.rmm_settings.get("notification_rule") if site.rmm_settings else None
    return value.strip() if isinstance(value, str) else ""


def _rules(site: SiteReadinessInput) -> CheckItem:
    """The rules the site references exist and have the paths the site needs: NOC Escalation in
    the RMM Site Configuration's rule at a NOC site (seed 002), MSP Escalation in the Help Desk's
    rule (seed 004: the technician escalates "using selected notification rules")."""
    place = "helpdesk/notification-rules"
    by_id = {rule.id: rule for rule in site.setup.rules}
    noc = _flag(site.rmm_settings, "noc_enabled")
    findings: list[Finding] = []
    needs: dict[str, tuple[bool, bool]] = {}  # rule id → (NOC path needed, MSP path needed)
    policy_ref = _policy_rule_ref(site)
    if site.rmm_settings is not None and not policy_ref:
        findings.append(Finding("notification-rules", "notification_rule", "error",
                                "rules.policy_rule_missing",
                                "The site's RMM Site Configuration has no notification rule; "
                                "select one in that policy (required when RMM is on)."))
    elif policy_ref and policy_ref not in by_id:
        findings.append(Finding("notification-rules", "notification_rule", "error",
                                "rules.policy_rule_unknown",
                                f"The site's RMM Site Configuration names notification rule "
                                f"'{policy_ref}', which does not exist; select an existing rule "
                                "in that policy or create it under Notification Rules "
                                "(`preflight rule list` shows the rules)."))
    elif policy_ref:
        needs[policy_ref] = (noc, False)
    basic_ref = site.setup.basic.notification_rule_id if site.setup.basic else ""
    if basic_ref in by_id:  # an unknown one is the Basic Info item's finding
        noc_needed, _ = needs.get(basic_ref, (False, False))
        needs[basic_ref] = (noc_needed, True)
    if not needs and not findings and site.rmm_settings is None:
        findings.append(Finding("notification-rules", "rules", "error", "rules.none",
                                "Select a notification rule in the site's RMM Site "
                                "Configuration and Basic Info: it tells the NOC and the Help "
                                "Desk whom to contact, how and when."))
    for rule_id, (noc_needed, help_desk) in needs.items():
        rule = by_id[rule_id]
        findings.extend(f.within(f"rule:{rule.name}") for f in lint_notification_rule(
            rule, noc_enabled=noc_needed, help_desk=help_desk))
    names = ", ".join(f"'{by_id[i].name}'" for i in needs)
    return _from_findings(site, "notification-rules", place, findings,
                          f"Notification rule(s) {names} exist, with the paths this site needs, "
                          "contacts and full coverage.")


def _basic(site: SiteReadinessInput) -> CheckItem:
    place = "helpdesk/basic-info"
    if site.setup.basic is None:
        return _item(site, "basic-info", Status.FAIL,
                     "Fill in the basic information: client main phone, email domain (or No "
                     "Client Email Domain), notification rule and greeting name.", place)
    rule_ids = {rule.id for rule in site.setup.rules}
    # first: a number or domain of another site is the finding the why must quote
    findings = (identity_conflicts(site.site_id, site.setup.basic, site.other_sites)
                + validate_basic_info(site.setup.basic, rule_ids=rule_ids))
    return _from_findings(site, "basic-info", place, findings,
                          "The basic information is complete and valid.")


def _profiles(site: SiteReadinessInput) -> CheckItem:
    place = "helpdesk/client-profiles"
    if not site.profiles:
        return _item(site, "client-profiles", Status.FAIL,
                     "Add the client profiles (import the spreadsheet, add them one by one or "
                     "sync contacts from the PSA): the Help Desk routes calls by them.", place)
    bad = [p for p in site.profiles if p.error_count]
    if bad:
        names = ", ".join(p.name for p in bad[:3]) + (", …" if len(bad) > 3 else "")
        return _item(site, "client-profiles", Status.FAIL,
                     f"{len(bad)} client profile(s) have errors ({names}); correct them.", place)
    return _item(site, "client-profiles", Status.PASS,
                 f"{len(site.profiles)} client profile(s), none with errors.", place)


def _security(site: SiteReadinessInput) -> CheckItem:
    place = "helpdesk/security-requests"
    findings = validate_security_requests(site.setup.security,
                                          {p.id: p for p in site.profiles})
    ok = ("Approvers with mobile numbers are set where SMS authentication is on."
          if any(r.uses_sms for r in site.setup.security)
          else "No request type uses SMS authentication; approvers are set where required.")
    return _from_findings(site, "security-requests", place, findings, ok)


def _credentials(site: SiteReadinessInput) -> CheckItem:
    # Without devices their kinds are unknown, so both kinds are asked for.
    no_devices = not (site.server_count or site.desktop_count)
    missing = [
        label for kind, label, count in (("server", "servers", site.server_count),
                                         ("desktop", "desktops", site.desktop_count))
        if (count or no_devices) and not site.credential_counts.get(kind)
        and not _flag(site.rmm_settings, f"auto_credentials_{kind}s")
    ]
    if missing:
        which = " and ".join(missing)
        setting = " and ".join(kind.capitalize() for kind in missing)
        return _item(site, "credentials", Status.FAIL,
                     f"No credentials for {which}: add them to the site's Passwords or turn on "
                     f"Automatic Credentials for {setting} in the RMM Site Configuration (the "
                     "easier way).", "helpdesk/passwords")
    return _item(site, "credentials", Status.PASS,
                 "Server and desktop credentials are stored or automatic.", "helpdesk/passwords")


def _network(site: SiteReadinessInput) -> CheckItem:
    place = "helpdesk/network-info"
    network = site.setup.network
    findings = validate_network_info(network, vault_ids=site.vault_item_ids)
    missing = network.missing()
    if missing:
        labels = ", ".join(SECTION_LABELS[name] for name in missing)
        also = " Also correct the entries with errors." if has_errors(findings) else ""
        return _item(site, "network-info", Status.FAIL,
                     f"Fill in or mark not applicable: {labels}. The Help Desk needs them to "
                     f"go live.{also}", place, findings=findings)
    return _from_findings(site, "network-info", place, findings,
                          "Every network-info section is filled or marked not applicable.")


def _psa(site: SiteReadinessInput) -> CheckItem:
    place = _policy_place(site, _PSA)
    if site.psa_settings is None:
        return _item(site, "psa-integration", Status.WARNING,
                     "No PSA Integration policy reaches this site; if you use ConnectWise PSA, "
                     "add one to the site's package so Help Desk tickets reach it.", place)
    noc = _flag(site.rmm_settings, "noc_enabled")
    findings = psa_recommendations(site.psa_settings, noc_enabled=noc)
    return _from_findings(site, "psa-integration", place, findings,
                          "The PSA Integration settings follow the recommendations for a NOC "
                          "site." if noc else "The PSA Integration settings follow the "
                          "recommendations.", subject=_subject(site, _PSA))


def _psa_connection(site: SiteReadinessInput) -> CheckItem:
    place = _policy_place(site, _PSA)
    if site.psa_settings is None:
        return _item(site, "psa-connection", Status.PASS,
                     "No PSA Integration policy reaches this site, so there is no PSA "
                     "connection to complete.", place)
    findings = psa_connection_problems(site.psa_settings, keys_stored=site.psa_keys_stored)
    return _from_findings(site, "psa-connection", place, findings,
                          "The PSA URL, company id, API key pair and service board are set.",
                          subject=_subject(site, _PSA))


def _remote_access(site: SiteReadinessInput) -> CheckItem:
    place = _policy_place(site, _REMOTE)
    devices = _device_remote_advice(site)
    if site.remote_settings is None:
        if devices:
            return _from_findings(site, "remote-access", _device_place(site, devices[0], place),
                                  devices, "")
        return _item(site, "remote-access", Status.WARNING,
                     "No Remote Access policy reaches this site; add one to the site's package "
                     "(or the default package) to enable ScreenConnect for its devices.", place)
    policy = remote_access_advice(site.remote_settings)
    if not policy and devices:
        return _from_findings(site, "remote-access", _device_place(site, devices[0], place),
                              devices, "")
    return _from_findings(site, "remote-access", place, policy + devices,
                          "The Remote Access settings follow the recommendations.",
                          subject=_subject(site, _REMOTE))


def _device_place(site: SiteReadinessInput, finding: Finding, otherwise: str) -> str:
    """Where a device's override in `finding` (field `devices[NAME]…`) is changed: the
    device's own settings; `otherwise` when the device is not known by that name."""
    device_id = next((i for name, i in site.device_ids.items()
                      if finding.field.startswith(f"devices[{name}].")), None)
    return device_place(device_id) if device_id else otherwise


def _device_remote_advice(site: SiteReadinessInput) -> list[Finding]:
    """The advice where a device's own override goes against it (the policy's advice is
    reported once, for the site, not again per device)."""
    by_device: dict[str, dict[str, SettingValue]] = {}
    for device, key, value in site.remote_overrides:
        by_device.setdefault(device, {})[key] = value
    flagged = {f.field for f in remote_access_advice(site.remote_settings or {})}
    out: list[Finding] = []
    for device, overrides in by_device.items():
        for finding in remote_access_advice({**(site.remote_settings or {}), **overrides}):
            if finding.field in overrides and finding.field not in flagged:
                out.append(replace(finding.within(f"devices[{device}]"),
                                   message=f"Device '{device}' overrides it: {finding.message}"))
    return out
