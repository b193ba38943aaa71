"""A complete, valid Help Desk setup and readiness input; tests break one thing at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from app.domain.helpdesk import (
    Application,
    BackupService,
    BasicInfo,
    ContactMethod,
    CoverageLevel,
    DirectoryServer,
    EmailService,
    EscalationPath,
    HelpDeskContact,
    NetworkDrive,
    NetworkInfo,
    NotificationRule,
    PathKind,
    PolicyRef,
    Printer,
    PrinterKind,
    ProductOptions,
    ProfileSummary,
    Reference,
    RemoteAccess,
    RequestKind,
    RuleContact,
    Section,
    SecurityRequest,
    SiteReadinessInput,
    SiteSetup,
    SoftwareAction,
    UnlicensedSoftware,
    parse_slots,
)
from app.domain.policy_types import PSA_INTEGRATION, REMOTE_ACCESS, RMM_SITE_CONFIGURATION
from app.domain.settings import SettingValue

TODAY = date(2026, 11, 23)
ALWAYS = parse_slots("Mon-Sun 00:00-24:00")


def contact(name: str = "On-call desk", **kw: object) -> RuleContact:
    values: dict[str, object] = {"method": ContactMethod.CALL, "phone_country": "US",
                                 "phone": "4155552671", "email": "oncall@msp.example"}
    values.update(kw)
    return RuleContact(name, **values)  # type: ignore[arg-type]


def rule(**kw: object) -> NotificationRule:
    paths = (EscalationPath(PathKind.MSP_ESCALATION, (contact(),), ALWAYS),
             EscalationPath(PathKind.CALL_BEFORE_ESCALATING, (contact("Hunt group"),),
                            parse_slots("Mon-Fri 08:00-17:00")),
             EscalationPath(PathKind.NOC_ESCALATION, (contact("NOC lead"),), ALWAYS))
    values: dict[str, object] = {"id": "rule-1", "name": "Help Desk rule", "paths": paths}
    values.update(kw)
    return NotificationRule(**values)  # type: ignore[arg-type]


def product(**kw: object) -> ProductOptions:
    values: dict[str, object] = {
        "noc_services": True, "coverage_level": CoverageLevel.ALWAYS,
        "start_date": date(2026, 12, 1), "seat_count": 25, "certification_completed": True,
        "contact": HelpDeskContact("Dana Admin", "dana@msp.example", "US", "4155552671")}
    values.update(kw)
    return ProductOptions(**values)  # type: ignore[arg-type]


def basic(**kw: object) -> BasicInfo:
    values: dict[str, object] = {
        "main_phone_country": "US", "main_phone": "4155552671", "email_domain": "acme.example",
        "notification_rule_id": "rule-1", "greeting_name": "Acme Dental",
        "site_message": "Server room key is at reception."}
    values.update(kw)
    return BasicInfo(**values)  # type: ignore[arg-type]


def network(**kw: object) -> NetworkInfo:
    values: dict[str, object] = {
        "printers": Section((Printer(PrinterKind.NETWORK, "Front desk", "HP M404", "10.0.0.20"),
                             Printer(PrinterKind.INDIVIDUAL, "Dr. Lee's desk"))),
        "network_drives": Section((NetworkDrive("S:", r"\\fs01\shared"),)),
        "email": Section((EmailService("Microsoft 365", "https://admin.microsoft.com",
                                       "vault-1"),)),
        "remote_access": Section((RemoteAccess("vpn.acme.example", "Use the FortiClient VPN."),)),
        "applications": Section((Application("Dentrix", "Henry Schein"),)),
        "active_directory": Section((DirectoryServer("DC01"),)),
        "backup": Section((BackupService("BK01", "10.0.0.9", "vault-2"),)),
        "unlicensed_software": Section((UnlicensedSoftware("7-Zip", SoftwareAction.INSTALL),)),
    }
    values.update(kw)
    return NetworkInfo(**values)  # type: ignore[arg-type]


PROFILES = (ProfileSummary("p1", "Ann Lee", True), ProfileSummary("p2", "Bo Chen", True))


def security() -> tuple[SecurityRequest, ...]:
    return (SecurityRequest(RequestKind.NEW_USER_ACCOUNTS, approver_required=True,
                            approver_ids=("p1", "p2"), sms_auth_approver=True),
            SecurityRequest(RequestKind.PASSWORD_RESETS, sms_auth_caller=True),
            SecurityRequest(RequestKind.SOFTWARE_INSTALLATIONS, approver_required=True,
                            approver_ids=("p1",)))


def setup(**kw: object) -> SiteSetup:
    values: dict[str, object] = {
        "product": product(), "basic": basic(), "security": security(), "rules": (rule(),),
        "network": network(), "references": (Reference("Wi-Fi", "SSID Acme-Staff"),)}
    values.update(kw)
    return SiteSetup(**values)  # type: ignore[arg-type]


def rmm_settings(**kw: SettingValue) -> dict[str, SettingValue]:
    values = RMM_SITE_CONFIGURATION.defaults()
    values.update(rmm_enabled=True, noc_enabled=True, notification_rule="rule-1")
    values.update(kw)
    return values


def psa_settings(**kw: SettingValue) -> dict[str, SettingValue]:
    values = PSA_INTEGRATION.defaults()
    values.update(psa_url="https://psa.msp.example", company_id="acme",
                  service_board="Help Desk")
    values.update(kw)
    return values


def remote_settings(**kw: SettingValue) -> dict[str, SettingValue]:
    values = REMOTE_ACCESS.defaults()
    values.update(kw)
    return values


# The policies the settings above come from (readiness links to them).
POLICIES = {"rmm-site-configuration": PolicyRef("pol-rmm", "RMM with NOC"),
            "psa-integration": PolicyRef("pol-psa", "PSA Help Desk"),
            "remote-access": PolicyRef("pol-remote", "Remote Access Default")}


def ready_site(**kw: object) -> SiteReadinessInput:
    values: dict[str, object] = {
        "site_id": "s1", "site_name": "Main office", "company_id": "c1",
        "company_name": "Acme Dental", "setup": setup(), "profiles": PROFILES,
        "server_count": 1, "desktop_count": 5, "rmm_settings": rmm_settings(),
        "psa_settings": psa_settings(), "remote_settings": remote_settings(),
        "policies": POLICIES, "psa_keys_stored": True,
        "credential_counts": {"server": 1, "desktop": 1},
        "vault_item_ids": frozenset({"vault-1", "vault-2"}), "today": TODAY}
    values.update(kw)
    return SiteReadinessInput(**values)  # type: ignore[arg-type]


def with_setup(**kw: Any) -> SiteReadinessInput:
    return ready_site(setup=replace(setup(), **kw))


def codes(findings: object) -> list[str]:
    return [f.code for f in findings]  # type: ignore[attr-defined]
