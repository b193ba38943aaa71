"""The sample workspace: what `preflight init --sample` and the GUI's first run open."""

from __future__ import annotations

import random

from app.domain.model import Company, Device, Site, new_id
from app.domain.settings import SettingValue
from app.profiles import Profile
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
        "noc_access_level": 2}),
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
    ("psa-integration", "PSA Ticket Sync", {
        "psa_url": "https://psa.example.com", "ticket_severities": ["critical", "high"],
        "service_board": "Remote Support"}),
    ("help-desk-chat", "Help Desk Chat", {"enabled": True, "branding_name": "Help Desk"}),
]

PACKAGES = [
    ("Baseline", ["RMM Standard", "Remote Access Default", "Desktop Patching Weekly"], True),
    ("Managed Servers", ["RMM with NOC", "Server Patching Approved", "Remote Access Quiet"],
     False),
    ("Help Desk Ready", ["RMM with NOC", "PSA Ticket Sync", "Communicator On", "Help Desk Chat",
                         "Remote Access Default"], False),
]

ASSIGNMENTS = {
    "Main Office": "Help Desk Ready",
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
    """Fill an empty workspace: 3 companies, 8 sites, ~40 devices, every policy type, and
    client profiles on one site."""
    rng = random.Random(seed)
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
    for site_name, profiles in PROFILES.items():
        for values in profiles:
            workspace.profiles.add(site_name, Profile.from_values(values))
