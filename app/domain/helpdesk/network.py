"""Network information the Help Desk needs to go live (seed 004's table).

Each section holds a list of items, or is marked not applicable. Credentials are never held
here: an item refers to a vault item by id (`credential_id`), and the secret stays in the vault.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Generic, TypeVar

from app.domain.helpdesk.addresses import is_address, is_ip_address, is_web_url
from app.domain.helpdesk.findings import Finding
from app.domain.helpdesk.text import check_text

SECTION = "network-info"
NAME_MAX = 200
NOTES_MAX = 4_000


class PrinterKind(StrEnum):
    NETWORK = "network"
    INDIVIDUAL = "individual"  # a printer one person uses (USB, or shared from their desktop)


class SoftwareAction(StrEnum):
    INSTALL = "install"
    CALL_APPROVER = "call-approver"
    NEVER = "never"

    @property
    def label(self) -> str:
        return {"install": "Install", "call-approver": "Call Approver", "never": "Never"}[
            self.value]


@dataclass(frozen=True)
class Printer:
    kind: PrinterKind
    name: str
    model: str = ""
    ip_address: str = ""


@dataclass(frozen=True)
class NetworkDrive:
    name: str  # drive letter or share name ("S:", "Scans")
    path: str  # UNC path, file share link or location


@dataclass(frozen=True)
class EmailService:
    provider: str  # Microsoft 365, Google Workspace, …
    admin_portal_url: str = ""
    credential_id: str | None = None  # a vault item


@dataclass(frozen=True)
class RemoteAccess:
    address: str  # VPN/RDP IP or URL
    setup_guide: str = ""


@dataclass(frozen=True)
class Application:
    """A line-of-business application (not Microsoft Office, not accounting software)."""

    name: str
    vendor: str = ""
    notes: str = ""


@dataclass(frozen=True)
class DirectoryServer:
    server_name: str  # where Active Directory lives


@dataclass(frozen=True)
class BackupService:
    server_name: str
    address: str = ""  # IP address or URL
    credential_id: str | None = None  # a vault item (the login)


@dataclass(frozen=True)
class UnlicensedSoftware:
    name: str
    action: SoftwareAction = SoftwareAction.CALL_APPROVER


T = TypeVar("T")


@dataclass(frozen=True)
class Section(Generic[T]):
    items: tuple[T, ...] = ()
    not_applicable: bool = False

    @property
    def state(self) -> str:
        """"filled", "not-applicable" or "missing" (readiness wants filled or N/A)."""
        if self.items and not self.not_applicable:
            return "filled"
        return "not-applicable" if self.not_applicable else "missing"


@dataclass(frozen=True)
class NetworkInfo:
    printers: Section[Printer] = Section()
    network_drives: Section[NetworkDrive] = Section()
    email: Section[EmailService] = Section()
    remote_access: Section[RemoteAccess] = Section()
    applications: Section[Application] = Section()
    active_directory: Section[DirectoryServer] = Section()
    backup: Section[BackupService] = Section()
    unlicensed_software: Section[UnlicensedSoftware] = Section()

    def sections(self) -> list[tuple[str, Section[object]]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    def missing(self) -> list[str]:
        """The names of the sections neither filled nor marked not applicable."""
        return [name for name, section in self.sections() if section.state == "missing"]


SECTION_LABELS = {
    "printers": "Printers", "network_drives": "Network drives", "email": "Email",
    "remote_access": "Remote access (VPN/RDP)", "applications": "Line-of-business applications",
    "active_directory": "Active Directory", "backup": "Backup",
    "unlicensed_software": "Unlicensed software approvals",
}


# Seed 004: line-of-business means "excluding Microsoft Office or Accounting Software".
_NOT_LINE_OF_BUSINESS = ("microsoft office", "office 365", "microsoft 365", "word", "excel",
                         "outlook", "powerpoint", "quickbooks", "sage", "xero", "freshbooks",
                         "myob")


def validate_network_info(info: NetworkInfo, *,
                          vault_ids: Collection[str] | None = None) -> list[Finding]:
    """Field findings of every section. A missing section is not a finding here (forms are
    filled over days); readiness reports it. `vault_ids`: the site's vault item ids, to check
    credential references (None: not checked)."""
    out: list[Finding] = []
    for name, section in info.sections():
        if section.not_applicable and section.items:
            out.append(Finding(SECTION, name, "warning", "network.not_applicable_with_items",
                               f"{SECTION_LABELS[name]} is marked not applicable but has "
                               f"{len(section.items)} entries the Help Desk will not see; clear "
                               "'not applicable' or delete them."))
    out += _each("printers", info.printers.items, _printer)
    out += _each("network_drives", info.network_drives.items, _drive)
    out += _each("email", info.email.items, lambda item: _email(item, vault_ids))
    out += _each("remote_access", info.remote_access.items, _remote)
    out += _each("applications", info.applications.items, _application)
    out += _each("active_directory", info.active_directory.items, _directory)
    out += _each("backup", info.backup.items, lambda item: _backup(item, vault_ids))
    out += _each("unlicensed_software", info.unlicensed_software.items, _software)
    out.extend(_duplicate_software(info.unlicensed_software.items))
    return out


def _each(name: str, items: Sequence[T], check: Callable[[T], list[Finding]]) -> list[Finding]:
    return [f.within(f"{name}[{index}]") for index, item in enumerate(items) for f in check(item)]


def _text(field: str, label: str, value: str, required_code: str | None = None, *,
          max_length: int = NAME_MAX, multiline: bool = False) -> list[Finding]:
    return check_text(SECTION, field, label, value, max_length=max_length,
                      required_code=required_code, multiline=multiline)


def _credential(field: str, what: str, credential_id: str | None,
                vault_ids: Collection[str] | None) -> list[Finding]:
    if not credential_id:
        return [Finding(SECTION, field, "warning", "network.credentials_missing",
                        f"Link the {what} login from the vault so the Help Desk can sign in.")]
    if vault_ids is not None and credential_id not in vault_ids:
        return [Finding(SECTION, field, "error", "network.credentials_unknown",
                        f"The {what} login links to a vault item that no longer exists; link "
                        "another.")]
    return []


def _printer(item: Printer) -> list[Finding]:
    out = _text("name", "printer name", item.name, "network.printer_name_required")
    out += _text("model", "printer model", item.model)
    ip = item.ip_address.strip()
    if not ip:
        if item.kind is PrinterKind.NETWORK:
            out.append(Finding(SECTION, "ip_address", "error", "network.printer_ip_required",
                               f"Enter the IP address of network printer {item.name.strip()}."))
    elif not is_ip_address(ip):
        out.append(Finding(SECTION, "ip_address", "error", "network.printer_ip_invalid",
                           f"'{ip}' is not an IP address (e.g. 192.168.1.20)."))
    return out


def _drive(item: NetworkDrive) -> list[Finding]:
    out = _text("name", "drive name", item.name, "network.drive_name_required")
    out += _text("path", "drive path", item.path, "network.drive_path_required",
                 max_length=1_000)
    path = item.path.strip()
    if path and not (path.startswith(("\\\\", "//")) or is_web_url(path)
                     or (len(path) > 1 and path[1] == ":")):
        out.append(Finding(SECTION, "path", "warning", "network.drive_path_unusual",
                           f"'{path}' is not a UNC path (\\\\server\\share), a drive path (S:\\) "
                           "or a link; check the Help Desk can open it."))
    return out


def _email(item: EmailService, vault: Collection[str] | None) -> list[Finding]:
    out = _text("provider", "email provider", item.provider, "network.email_provider_required")
    url = item.admin_portal_url.strip()
    if not url:
        out.append(Finding(SECTION, "admin_portal_url", "warning", "network.email_portal_missing",
                           "Enter the email admin portal URL (e.g. https://admin.microsoft.com)."))
    elif not is_web_url(url):
        out.append(Finding(SECTION, "admin_portal_url", "error", "network.url_invalid",
                           f"'{url}' is not a web address; write it with https://."))
    return out + _credential("credential_id", "email admin", item.credential_id, vault)


def _remote(item: RemoteAccess) -> list[Finding]:
    out = _text("address", "VPN/RDP address", item.address, "network.remote_address_required",
                max_length=500)
    address = item.address.strip()
    if address and not is_address(address):
        out.append(Finding(SECTION, "address", "error", "network.address_invalid",
                           f"'{address}' is not an IP address, host name or URL."))
    out += _text("setup_guide", "setup guide", item.setup_guide, max_length=NOTES_MAX,
                 multiline=True)
    if not item.setup_guide.strip():
        out.append(Finding(SECTION, "setup_guide", "warning", "network.remote_guide_missing",
                           "Add the VPN/RDP setup guide so the Help Desk can connect users."))
    return out


def _application(item: Application) -> list[Finding]:
    out = _text("name", "application name", item.name, "network.application_name_required")
    out += _text("vendor", "vendor", item.vendor)
    out += _text("notes", "notes", item.notes, max_length=NOTES_MAX, multiline=True)
    lowered = item.name.strip().casefold()
    if any(lowered == word or lowered.startswith(word + " ") for word in _NOT_LINE_OF_BUSINESS):
        out.append(Finding(SECTION, "name", "warning", "network.application_excluded",
                           f"{item.name.strip()} is Microsoft Office or accounting software, "
                           "which line-of-business applications exclude; list only the "
                           "applications the client's daily work depends on."))
    return out


def _directory(item: DirectoryServer) -> list[Finding]:
    out = _text("server_name", "Active Directory server name", item.server_name,
                "network.ad_server_required")
    name = item.server_name.strip()
    if name and not is_address(name):
        out.append(Finding(SECTION, "server_name", "error", "network.address_invalid",
                           f"'{name}' is not a server name (e.g. DC01 or dc01.corp.example)."))
    return out


def _backup(item: BackupService, vault: Collection[str] | None) -> list[Finding]:
    out = _text("server_name", "backup server name", item.server_name,
                "network.backup_server_required")
    address = item.address.strip()
    if not address:
        out.append(Finding(SECTION, "address", "error", "network.backup_address_required",
                           "Enter the backup's IP address or URL."))
    elif not is_address(address):
        out.append(Finding(SECTION, "address", "error", "network.address_invalid",
                           f"'{address}' is not an IP address, host name or URL."))
    return out + _credential("credential_id", "backup", item.credential_id, vault)


def _software(item: UnlicensedSoftware) -> list[Finding]:
    return _text("name", "software name", item.name, "network.software_name_required")


def _duplicate_software(items: Sequence[UnlicensedSoftware]) -> list[Finding]:
    out: list[Finding] = []
    seen: dict[str, SoftwareAction] = {}
    for index, item in enumerate(items):
        key = item.name.strip().casefold()
        if key and key in seen:
            out.append(Finding(SECTION, f"unlicensed_software[{index}].name", "error",
                               "network.software_duplicate",
                               f"{item.name.strip()} is listed twice"
                               + (" with different answers" if seen[key] != item.action else "")
                               + "; keep one entry."))
        seen.setdefault(key, item.action)
    return out
