"""What each Network Info section holds (seed 004's table), as field specs the form is built
from: one spec per section, one field spec per item field."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.domain.helpdesk import (
    Application,
    BackupService,
    DirectoryServer,
    EmailService,
    NetworkDrive,
    Printer,
    PrinterKind,
    RemoteAccess,
    SoftwareAction,
    UnlicensedSoftware,
)


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the item's attribute
    label: str
    kind: str = "text"  # text | long | choice | credential
    choices: type[StrEnum] | None = None
    placeholder: str = ""


@dataclass(frozen=True)
class SectionSpec:
    name: str  # the NetworkInfo attribute
    title: str
    item: type[Any]
    fields: tuple[FieldSpec, ...]
    help: str = ""


def choice_label(value: StrEnum) -> str:
    label = getattr(value, "label", None)
    return label if isinstance(label, str) else value.value.replace("-", " ").capitalize()


SPECS: tuple[SectionSpec, ...] = (
    SectionSpec("printers", "Printers", Printer, (
        FieldSpec("kind", "Type", "choice", PrinterKind),
        FieldSpec("name", "Name", placeholder="Front desk printer"),
        FieldSpec("model", "Model", placeholder="HP LaserJet M404"),
        FieldSpec("ip_address", "IP address", placeholder="192.168.1.20"))),
    SectionSpec("network_drives", "Network drives", NetworkDrive, (
        FieldSpec("name", "Name", placeholder="S: or Scans"),
        FieldSpec("path", "Path", placeholder=r"\\server\share"))),
    SectionSpec("email", "Email", EmailService, (
        FieldSpec("provider", "Provider", placeholder="Microsoft 365"),
        FieldSpec("admin_portal_url", "Admin portal URL",
                  placeholder="https://admin.microsoft.com"),
        FieldSpec("credential_id", "Admin login (vault)", "credential"))),
    SectionSpec("remote_access", "Remote access (VPN/RDP)", RemoteAccess, (
        FieldSpec("address", "VPN/RDP address", placeholder="vpn.example.com"),
        FieldSpec("setup_guide", "Setup guide", "long",
                  placeholder="How users connect, step by step"))),
    SectionSpec("applications", "Line-of-business applications", Application, (
        FieldSpec("name", "Name", placeholder="Dentrix"),
        FieldSpec("vendor", "Vendor"),
        FieldSpec("notes", "Notes", "long")),
        help="Not Microsoft Office and not accounting software."),
    SectionSpec("active_directory", "Active Directory", DirectoryServer, (
        FieldSpec("server_name", "Server", placeholder="DC01"),)),
    SectionSpec("backup", "Backup", BackupService, (
        FieldSpec("server_name", "Server", placeholder="BACKUP01"),
        FieldSpec("address", "IP address or URL", placeholder="10.0.0.5"),
        FieldSpec("credential_id", "Login (vault)", "credential"))),
    SectionSpec("unlicensed_software", "Unlicensed software approvals", UnlicensedSoftware, (
        FieldSpec("name", "Software", placeholder="7-Zip"),
        FieldSpec("action", "When a user asks", "choice", SoftwareAction))),
)


def blank(spec: SectionSpec) -> Any:
    """A new, empty item of the section (a printer starts as a network printer)."""
    values: dict[str, Any] = {}
    for field in spec.fields:
        if field.kind == "choice" and field.name == "kind":
            values[field.name] = next(iter(field.choices or ()))
        elif field.kind in ("text", "long") and field.name in _REQUIRED_TEXT:
            values[field.name] = ""
    return spec.item(**values)


_REQUIRED_TEXT = frozenset({"name", "path", "provider", "address", "server_name"})
