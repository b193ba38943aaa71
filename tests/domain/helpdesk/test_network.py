"""Network information (seed 004's table)."""

from __future__ import annotations

import pytest

from app.domain.helpdesk import (
    Application,
    BackupService,
    DirectoryServer,
    EmailService,
    NetworkDrive,
    NetworkInfo,
    Printer,
    PrinterKind,
    RemoteAccess,
    Section,
    SoftwareAction,
    UnlicensedSoftware,
    validate_network_info,
)

from .builders import codes, network

VAULT = frozenset({"vault-1", "vault-2"})


def check(**sections: object) -> list[str]:
    return codes(validate_network_info(network(**sections), vault_ids=VAULT))


def test_complete_network_info_has_no_findings() -> None:
    info = network()
    assert validate_network_info(info, vault_ids=VAULT) == []
    assert info.missing() == []


def test_sections_filled_na_or_missing() -> None:
    info = NetworkInfo(printers=Section(not_applicable=True),
                       backup=Section((BackupService("BK", "10.0.0.1", "vault-1"),)))
    assert info.printers.state == "not-applicable"
    assert info.backup.state == "filled"
    assert info.missing() == ["network_drives", "email", "remote_access", "applications",
                              "active_directory", "unlicensed_software"]


def test_not_applicable_with_items_warns() -> None:
    found = validate_network_info(network(printers=Section(
        (Printer(PrinterKind.NETWORK, "P", "", "10.0.0.2"),), not_applicable=True)))
    assert codes(found) == ["network.not_applicable_with_items"]
    assert found[0].severity == "warning"


@pytest.mark.parametrize(("printer", "code"), [
    (Printer(PrinterKind.NETWORK, "", "", "10.0.0.2"), "network.printer_name_required"),
    (Printer(PrinterKind.NETWORK, "P"), "network.printer_ip_required"),
    (Printer(PrinterKind.INDIVIDUAL, "P", "", "10.0.0.256"), "network.printer_ip_invalid"),
])
def test_printers(printer: Printer, code: str) -> None:
    assert check(printers=Section((printer,))) == [code]


def test_individual_printer_needs_no_ip() -> None:
    assert check(printers=Section((Printer(PrinterKind.INDIVIDUAL, "USB at desk 3"),))) == []


@pytest.mark.parametrize(("drive", "expected"), [
    (NetworkDrive("", r"\\fs\s"), ["network.drive_name_required"]),
    (NetworkDrive("S:", ""), ["network.drive_path_required"]),
    (NetworkDrive("S:", "fs/share"), ["network.drive_path_unusual"]),
    (NetworkDrive("S:", "S:\\"), []),
    (NetworkDrive("Docs", "https://acme.sharepoint.com/sites/docs"), []),
])
def test_network_drives(drive: NetworkDrive, expected: list[str]) -> None:
    assert check(network_drives=Section((drive,))) == expected


@pytest.mark.parametrize(("email", "expected"), [
    (EmailService("", "https://admin.google.com", "vault-1"),
     ["network.email_provider_required"]),
    (EmailService("Google", "", "vault-1"), ["network.email_portal_missing"]),
    (EmailService("Google", "admin.google.com", "vault-1"), ["network.url_invalid"]),
    (EmailService("Google", "https://admin.google.com"), ["network.credentials_missing"]),
    (EmailService("Google", "https://admin.google.com", "gone"),
     ["network.credentials_unknown"]),
])
def test_email(email: EmailService, expected: list[str]) -> None:
    assert check(email=Section((email,))) == expected


def test_credential_links_not_checked_without_vault_ids() -> None:
    info = network(email=Section((EmailService("G", "https://admin.google.com", "gone"),)))
    assert validate_network_info(info) == []


@pytest.mark.parametrize(("remote", "expected"), [
    (RemoteAccess("", "guide"), ["network.remote_address_required"]),
    (RemoteAccess("not an address", "guide"), ["network.address_invalid"]),
    (RemoteAccess("203.0.113.7"), ["network.remote_guide_missing"]),
    (RemoteAccess("rdp.acme.example:3389", "Step 1\nStep 2"), []),
])
def test_remote_access(remote: RemoteAccess, expected: list[str]) -> None:
    assert check(remote_access=Section((remote,))) == expected


@pytest.mark.parametrize(("app", "expected"), [
    (Application(""), ["network.application_name_required"]),
    (Application("QuickBooks Desktop"), ["network.application_excluded"]),
    (Application("Microsoft Office"), ["network.application_excluded"]),
    (Application("Wordperfect"), []),
    (Application("Dentrix", notes="x" * 4001), ["text.too_long"]),
])
def test_line_of_business_applications(app: Application, expected: list[str]) -> None:
    assert check(applications=Section((app,))) == expected


def test_active_directory() -> None:
    assert check(active_directory=Section((DirectoryServer(""),))) == [
        "network.ad_server_required"]
    assert check(active_directory=Section((DirectoryServer("DC 01"),))) == [
        "network.address_invalid"]
    assert check(active_directory=Section((DirectoryServer("dc01.corp.acme.example"),))) == []


@pytest.mark.parametrize(("backup", "expected"), [
    (BackupService("", "10.0.0.9", "vault-2"), ["network.backup_server_required"]),
    (BackupService("BK01", "", "vault-2"), ["network.backup_address_required"]),
    (BackupService("BK01", "10.0.0.999", "vault-2"), ["network.address_invalid"]),
    (BackupService("BK01", "https://backup.example"), ["network.credentials_missing"]),
])
def test_backup(backup: BackupService, expected: list[str]) -> None:
    assert check(backup=Section((backup,))) == expected


def test_unlicensed_software() -> None:
    assert check(unlicensed_software=Section((UnlicensedSoftware(""),))) == [
        "network.software_name_required"]
    twice = (UnlicensedSoftware("7-Zip", SoftwareAction.INSTALL),
             UnlicensedSoftware("7-zip", SoftwareAction.NEVER))
    found = validate_network_info(network(unlicensed_software=Section(twice)))
    assert codes(found) == ["network.software_duplicate"]
    assert "different answers" in found[0].message
    assert found[0].field == "unlicensed_software[1].name"
    assert [a.label for a in SoftwareAction] == ["Install", "Call Approver", "Never"]


def test_field_paths_name_the_entry() -> None:
    found = validate_network_info(network(printers=Section(
        (Printer(PrinterKind.NETWORK, "ok", "", "10.0.0.1"), Printer(PrinterKind.NETWORK, "x")))))
    assert [f.field for f in found] == ["printers[1].ip_address"]
