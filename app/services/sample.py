"""The sample workspace: what `preflight init --sample` and the GUI's first run open.

Northside Clinic is the site the README's site-tab screenshots show: seven client profiles and a
mostly complete Help Desk setup, saved through `workspace.helpdesk` like the tabs save it. What
is left imperfect is what a real site has a week before go-live: the PSA policy still syncs
communicator tickets (the readiness checklist and the policy editor advise against it), and the
email and backup logins are not linked from the vault (a new workspace has none yet).
"""

from __future__ import annotations

import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

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
    Printer,
    PrinterKind,
    ProductOptions,
    Reference,
    RemoteAccess,
    RequestKind,
    RuleContact,
    Section,
    SecurityRequest,
    SoftwareAction,
    UnlicensedSoftware,
    parse_slots,
)
from app.domain.helpdesk.journey import StepStatus
from app.domain.model import Company, Device, Site, new_id
from app.domain.settings import SettingValue
from app.profiles import Profile
from app.services.sample_mark import mark_sample
from app.services.workspace import Workspace
from storage.bulk import insert_companies, insert_devices, insert_sites
from storage.repository import Repository

COMPANIES = {
    "Contoso Dental": ["Main Office", "Northside Clinic", "Lab"],
    "Fabrikam Logistics": ["Headquarters", "Warehouse East", "Warehouse West"],
    "Northwind Legal": ["Downtown", "Remote Staff"],
}

POLICIES: list[tuple[str, str, dict[str, object]]] = [
    ("rmm-site-configuration", "RMM Standard", {
        "rmm_enabled": True, "notification_rule": "Standard Notifications"}),
    ("rmm-site-configuration", "RMM with NOC", {
        "rmm_enabled": True, "noc_enabled": True, "notification_rule": "NOC Escalation",
        "noc_access_level": 2, "auto_credentials_desktops": True,
        "auto_credentials_servers": True}),
    ("remote-access", "Remote Access Default", {}),
    ("remote-access", "Remote Access Quiet", {
        "allow_require_consent": False, "notification_balloon": False}),
    ("os-patching-desktop", "Desktop Patching Weekly", {
        "automation": True, "classification.critical": "deploy-all",
        "classification.security": "deploy-all", "install_window": "22:00-04:00",
        "reboot_window": "04:00-05:00"}),
    ("os-patching-server", "Server Patching Approved", {
        "automation": True, "install_window": "01:00-05:00", "reboot_window": "05:00-06:00"}),
    ("communicator", "Communicator On", {"enabled": True}),
    # Sync Communicator Tickets on: the one setting against the seed's advice (shown as advice
    # in the policy editor and as a warning in the readiness of the sites it reaches).
    ("psa-integration", "PSA Ticket Sync", {
        "psa_url": "https://psa.example.com", "company_id": "mymsp",
        "ticket_severities": ["critical", "high"], "service_board": "Remote Support",
        "ticket_type": "Monitoring Alert", "ticket_source": "RMM",
        "sync_communicator_tickets": True}),
    ("help-desk-chat", "Help Desk Chat", {"enabled": True, "branding_name": "Help Desk"}),
]

PACKAGES = [
    ("Baseline", ["RMM Standard", "Remote Access Default", "Desktop Patching Weekly"], True),
    ("Managed Servers", ["RMM with NOC", "Server Patching Approved", "Remote Access Quiet"],
     False),
    # With the PSA Integration policy, whose API key pair no new workspace holds: the sites it
    # reaches fail readiness for a seed's must (seed 002: "Input the ConnectWise PSA URL and
    # the API keys"), beside Northside Clinic, ready for go-live with the package below.
    ("Help Desk Ready", ["RMM with NOC", "PSA Ticket Sync", "Communicator On", "Help Desk Chat",
                         "Remote Access Default"], False),
    ("Help Desk Essentials", ["RMM with NOC", "Communicator On", "Help Desk Chat",
                              "Remote Access Default"], False),
]

ASSIGNMENTS = {
    "Main Office": "Help Desk Ready",
    "Northside Clinic": "Help Desk Essentials",
    "Headquarters": "Managed Servers",
    "Warehouse East": "Managed Servers",
    "Downtown": "Help Desk Ready",
}

# Help Desk client profiles (seed 004): valid numbers in the fictional 555-01xx range.
PROFILES: dict[str, list[dict[str, str]]] = {
    "Northside Clinic": [
        {"first_name": "Maria", "last_name": "Garcia", "email": "maria.garcia@contoso.example",
         "title": "Practice Manager", "vip": "Yes", "mobile_country_code": "US",
         "mobile_phone": "2125550147", "office_country_code": "US", "office_phone": "2125550100",
         "office_extension": "201", "computer_name": "WS-NORTHSIDE-01"},
        {"first_name": "James", "last_name": "Chen", "email": "james.chen@contoso.example",
         "title": "Dentist", "mobile_country_code": "US", "mobile_phone": "4155550132",
         "computer_name": "WS-NORTHSIDE-09"},
        {"first_name": "Aisha", "last_name": "Okafor", "email": "aisha.okafor@contoso.example",
         "title": "Front Desk", "office_country_code": "US", "office_phone": "2125550100",
         "office_extension": "100"},
        {"first_name": "Tom", "last_name": "Becker", "title": "Hygienist",
         "mobile_country_code": "US", "mobile_phone": "6175550199",
         "notes": "Part-time: Tuesdays and Thursdays"},
        {"first_name": "Eleanor", "last_name": "Whitfield",
         "email": "e.whitfield@contoso.example", "title": "Managing Partner", "vip": "Yes",
         "mobile_country_code": "GB", "mobile_phone": "7911123456",
         "office_country_code": "GB", "office_phone": "2079460123"},
        {"first_name": "Samuel", "last_name": "Price", "email": "s.price@contoso.example",
         "title": "Paralegal", "office_country_code": "US", "office_phone": "2025550173"},
        {"first_name": "Grace", "last_name": "Liu", "email": "g.liu@contoso.example",
         "title": "IT Contact", "mobile_country_code": "US", "mobile_phone": "3125550101",
         "computer_name": "WS-NORTHSIDE-04"},
    ],
}

OVERRIDES: list[tuple[int, str, str, SettingValue]] = [
    # (device index within all devices, type, key, value)
    (0, "remote-access", "notification_balloon", True),
    (5, "os-patching-desktop", "install_window", "20:00-02:00"),
    (12, "communicator", "enabled", False),
]


def populate_sample(workspace: Workspace, devices: int = 40, seed: int = 7) -> None:
    """Fill an empty workspace: 3 companies, 8 sites, ~40 devices, the partner's notification
    rules, every policy type (the RMM Site Configurations reference rules by id), and on
    Northside Clinic client profiles and a Help Desk setup."""
    rng = random.Random(seed)
    for rule in partner_rules():
        workspace.rules.create(rule.name, rule.paths, rule_id=rule.id)
    for type_id, name, settings in POLICIES:
        workspace.policies.create(type_id, name, settings)  # type: ignore[arg-type]
    for name, policies, is_default in PACKAGES:
        workspace.packages.save(name, policies, is_default=is_default)
    all_devices: list[Device] = []
    with workspace.db.write() as session:
        repo = Repository(session)
        companies = [Company(new_id(), name) for name in COMPANIES]
        insert_companies(session, companies, repo.partner_id())
        sites = [
            Site(new_id(), company.id, site_name)
            for company in companies for site_name in COMPANIES[company.name]
        ]
        insert_sites(session, sites)
        for index in range(devices):
            site = sites[index % len(sites)]
            server = index % 5 == 4
            prefix = "SRV" if server else "WS"
            all_devices.append(Device(
                new_id(), site.id, f"{prefix}-{site.name.split()[0].upper()}-{index + 1:02d}",
                "server" if server else "desktop",
                rng.choice(["Windows Server 2022"] if server else
                           ["Windows 11 Pro", "Windows 10 Pro", "macOS 15"]),
            ))
        insert_devices(session, all_devices)
    for site_name, package in ASSIGNMENTS.items():
        workspace.sites.assign(package, [site_name])
    for index, type_id, key, value in OVERRIDES:
        if index < len(all_devices):
            workspace.devices.set_override(all_devices[index].id, type_id, key, value)
    profile_ids: dict[str, str] = {}
    for site_name, profiles in PROFILES.items():
        for values in profiles:
            record = workspace.profiles.add(site_name, Profile.from_values(values))
            profile_ids[f"{values['first_name']} {values['last_name']}"] = record.id
    populate_helpdesk(workspace, HELPDESK_SITE, profile_ids)
    populate_golive(workspace, HELPDESK_SITE)
    mark_sample(workspace)  # fake data: the desktop app asks before a sync sends it


# --- Help Desk setup of Northside Clinic (seed 004) ---------------------------------------------

HELPDESK_SITE = "Northside Clinic"
# The partner's side: fictional MSP addresses and numbers in the 555-01xx range.
MSP_DOMAIN = "mymsp.example"
CLIENT_DOMAIN = "contoso.example"
ATTACHMENT_NAME = "imaging-workstation-restart.txt"
ATTACHMENT_TEXT = """\
Northside Clinic - restarting the imaging workstation (WS-NORTHSIDE-09)

When to use: the X-ray sensor is not detected, or ClearView Imaging shows
"Acquisition device offline".

1. Ask the front desk to confirm no patient is in the X-ray room.
2. Close ClearView Imaging on WS-NORTHSIDE-09 (save open studies first).
3. Unplug the sensor's USB cable, wait 10 seconds, plug it back in.
4. Restart WS-NORTHSIDE-09 from the Start menu (not the power button).
5. Sign in as the clinic's imaging user and open ClearView Imaging.
6. Take a test exposure with the phantom; if it fails, call Litware
   imaging support (212-555-0175) and escalate to the MSP.
"""


def start_date(today: date) -> date:
    """The Help Desk start date: the first Monday at least four weeks away, so the sample's date
    is always ahead (a past one is a readiness warning)."""
    first = today + timedelta(weeks=4)
    return first + timedelta(days=(7 - first.weekday()) % 7)


HELPDESK_RULE = "Northside standard"


def partner_rules() -> tuple[NotificationRule, ...]:
    """The partner's notification rules (seed 002 phase 5, "RMM Setup > Notification Rules"):
    the two the RMM Site Configurations name, then the Help Desk rule of Northside Clinic."""
    always = parse_slots("Mon-Sun 00:00-24:00")
    service_desk = RuleContact("My MSP service desk", ContactMethod.CALL, "US", "2125550160")
    on_call = RuleContact("My MSP on-call engineer", ContactMethod.CALL, "US", "2125550161")
    return (
        NotificationRule(new_id(), "Standard Notifications", (
            EscalationPath(PathKind.MSP_ESCALATION, (service_desk, on_call), always),
        )),
        NotificationRule(new_id(), "NOC Escalation", (
            EscalationPath(PathKind.MSP_ESCALATION, (service_desk,), always),
            EscalationPath(PathKind.NOC_ESCALATION, (on_call,), always),
        )),
        *helpdesk_rules(),
    )


def helpdesk_rules() -> tuple[NotificationRule, ...]:
    always = parse_slots("Mon-Sun 00:00-24:00")
    return (NotificationRule(new_id(), HELPDESK_RULE, (
        EscalationPath(PathKind.MSP_ESCALATION, (
            RuleContact("My MSP service desk", ContactMethod.CALL, "US", "2125550160"),
            RuleContact("My MSP on-call engineer", ContactMethod.SMS, "US", "2125550161"),
        ), always),
        EscalationPath(PathKind.CALL_BEFORE_ESCALATING, (
            RuleContact("Maria Garcia", ContactMethod.CALL, "US", "2125550147"),
            RuleContact("Grace Liu", ContactMethod.CALL, "US", "3125550101"),
        ), parse_slots("Mon-Fri 07:30-18:00") + parse_slots("Sat 08:00-12:00")),
        EscalationPath(PathKind.NOC_ESCALATION, (
            RuleContact("My MSP on-call engineer", ContactMethod.CALL, "US", "2125550161"),
            RuleContact("Daniel Brooks", ContactMethod.EMAIL, "US", "2125550162",
                        f"noc@{MSP_DOMAIN}"),
        ), always),
    )),)


def helpdesk_security(ids: dict[str, str]) -> tuple[SecurityRequest, ...]:
    """Approvers are client profiles of the site, by id, in call order; every approver that is
    authenticated by SMS code has a mobile number."""
    return (
        SecurityRequest(RequestKind.NEW_USER_ACCOUNTS, approver_required=True,
                        approver_ids=(ids["Maria Garcia"], ids["Eleanor Whitfield"]),
                        sms_auth_approver=True),
        SecurityRequest(RequestKind.PASSWORD_RESETS),
        SecurityRequest(RequestKind.SOFTWARE_INSTALLATIONS, approver_required=True,
                        approver_ids=(ids["Grace Liu"], ids["Maria Garcia"])),
        SecurityRequest(RequestKind.CUSTOM, "Access to patient imaging", approver_required=True,
                        approver_ids=(ids["Eleanor Whitfield"],), sms_auth_approver=True),
    )


def helpdesk_network() -> NetworkInfo:
    """Every section filled; the email and backup logins are not linked (no vault yet)."""
    server = "SRV-NORTHSIDE-10"
    return NetworkInfo(
        printers=Section((
            Printer(PrinterKind.NETWORK, "Front desk", "HP LaserJet M404", "192.168.10.21"),
            Printer(PrinterKind.NETWORK, "Back office", "Brother HL-L8360", "192.168.10.22"),
            Printer(PrinterKind.INDIVIDUAL, "Front desk labels", "DYMO LabelWriter"),
        )),
        network_drives=Section((
            NetworkDrive("S: Shared", f"\\\\{server}\\Shared"),
            NetworkDrive("X: Imaging", f"\\\\{server}\\Imaging"),
        )),
        email=Section((EmailService("Microsoft 365", "https://admin.microsoft.com"),)),
        remote_access=Section((RemoteAccess(
            f"vpn.{CLIENT_DOMAIN}",
            "FortiClient VPN, profile 'Northside'. Staff sign in with their Microsoft 365 "
            "account and approve the MFA prompt. Remote Desktop to their own workstation "
            "only."),)),
        applications=Section((
            Application("ClearView Imaging", "Litware, Inc.",
                        "X-ray capture and viewing; runs on WS-NORTHSIDE-09 (sensor on USB). "
                        "Vendor support: 212-555-0175."),
            Application("ChairSide Practice Manager", "Tailspin Health",
                        "Scheduling, charts and billing; the database is on " + server + "."),
        )),
        active_directory=Section((DirectoryServer(server),)),
        backup=Section((BackupService("NS-NAS01", "192.168.10.5"),)),
        unlicensed_software=Section((
            UnlicensedSoftware("Adobe Acrobat Reader", SoftwareAction.INSTALL),
            UnlicensedSoftware("Zoom Workplace", SoftwareAction.CALL_APPROVER),
            UnlicensedSoftware("Personal cloud storage apps", SoftwareAction.NEVER),
        )),
    )


def helpdesk_references(workspace: Workspace) -> tuple[Reference, ...]:
    with tempfile.TemporaryDirectory(prefix="preflight-sample-") as folder:
        path = Path(folder) / ATTACHMENT_NAME
        path.write_bytes(ATTACHMENT_TEXT.encode())  # the same bytes on every OS
        stored = workspace.attachments.attach(path)
    return (
        Reference("Imaging PC restart",
                  "The clinic's own procedure for the X-ray workstation; follow it before "
                  "escalating imaging problems.", stored.name, stored.sha256, stored.size),
        Reference("Opening and closing",
                  "The clinic opens at 7:30 (Saturdays 8:00–12:00). The front desk "
                  "(Aisha Okafor) unlocks the workstations; the last one out locks the server "
                  "room. Never restart SRV-NORTHSIDE-10 during opening hours."),
        Reference("Vendor support",
                  "Litware imaging support: 212-555-0175, customer number LW-20417.\n"
                  "Tailspin Health (ChairSide): 212-555-0176, portal at "
                  "https://support.tailspin.example.\n"
                  "Internet provider: 212-555-0177, circuit id NS-4471."),
    )


def populate_helpdesk(workspace: Workspace, site: str, profile_ids: dict[str, str], *,
                      today: date | None = None) -> None:
    """Save the Help Desk setup of the sample site through the service, section by section;
    its Basic Info selects the partner's Help Desk rule (created by `populate_sample`)."""
    rule_id = workspace.rules.get(HELPDESK_RULE).id
    workspace.helpdesk.save(site, "product-options", ProductOptions(
        noc_services=True, coverage_level=CoverageLevel.BUSINESS_HOURS,
        start_date=start_date(today or date.today()), seat_count=24,
        contact=HelpDeskContact("Priya Raman", f"priya.raman@{MSP_DOMAIN}", "US", "2125550163"),
        certification_completed=True))
    workspace.helpdesk.save(site, "basic-info", BasicInfo(
        main_phone_country="US", main_phone="2125550100", email_domain=CLIENT_DOMAIN,
        notification_rule_id=rule_id, greeting_name="Northside Dental Clinic",
        site_message="Patients are seen 7:30–18:00 weekdays and Saturday mornings: keep "
                     "interruptions to the imaging room short. Urgent issues go to Maria "
                     "Garcia, the practice manager.",
        desktop_agent_opt_in=True))
    workspace.helpdesk.save(site, "security-requests", helpdesk_security(profile_ids))
    workspace.helpdesk.save(site, "network-info", helpdesk_network())
    workspace.helpdesk.save(site, "references", helpdesk_references(workspace))


def populate_golive(workspace: Workspace, site: str, *, today: date | None = None) -> None:
    """The sample site mid-journey (issue 19): the partner is interested and certified, the
    kickoff call, the workbook and chat are done; the checklist passes, so the internal review
    comes next."""
    day = today or date.today()
    golive = workspace.golive
    for step, days_ago, note in (
            ("interest", 40, "I'm Interested selected; Priya Raman is the Help Desk contact"),
            ("course", 30, "Priya Raman completed Getting Started with Help Desk Services"),
            ("kickoff", 12, "Kickoff call with Maria Garcia (practice manager)"),
            ("workbook", 10, "Activation Workbook filled in for internal tracking"),
            ("chat", 8, "Help Desk Chat on the desktop icon, branded 'Help Desk'")):
        golive.set(site, step, StepStatus.DONE, when=day - timedelta(days=days_ago), note=note,
                   today=day)
