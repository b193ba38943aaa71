"""Help Desk site setup and go-live readiness (issue 8; seeds 002 and 004; docs/rules.md, §7).

Pure domain: frozen dataclasses and functions, no Qt, no storage. Every check returns
`Finding(section, field, severity, code, message, fix)` (codes in `CODES`).

Forms and their checks
- `ProductOptions` (+ `HelpDeskContact`, `CoverageLevel`) → `validate_product_options(o, today=)`
- `BasicInfo` → `validate_basic_info(info, rule_ids=)`; `DESKTOP_AGENT_FEE_NOTICE` ($100 each)
- `SecurityRequest` (`RequestKind`) → `validate_security_requests(requests, {id: ProfileSummary})`
- `NotificationRule` / `EscalationPath` (`PathKind`) / `RuleContact` (`ContactMethod`) /
  `TimeSlot` (`Weekday`; `parse_slots("Mon-Fri 08:00-17:00")`, `describe_slots`) →
  `lint_notification_rule(rule, noc_enabled=, help_desk=)`; partner-level objects that the
  RMM Site Configuration and Basic Info reference by id; `coverage_gaps(slots)` → `Gap`s
- `NetworkInfo` of `Section[...]` (items or not applicable) → `validate_network_info(n,
  vault_ids=)`; `Reference` → `validate_references(refs)`
- `psa_recommendations(effective psa-integration settings, noc_enabled=)` → warnings (an error
  for PSA-to-RMM sync at a NOC site); `psa_connection_problems(settings, keys_stored=)` → errors
- `remote_access_advice(remote-access settings)` → warnings (seed 001)
- `SiteIdentity` / `identity_of` / `identity_conflicts`: a main phone or email domain that
  already identifies another site (seed 004)

Readiness
- `SiteSetup` (all sections) + `SiteReadinessInput` → `readiness(input)` → `Checklist` of
  `CheckItem(id, status, why, link, findings)`; `CHECKS` lists the ids; `settings_of(effective,
  type_id)` fills the effective settings; `overview(checklists)` → `ReadinessOverview`.
- Links are `site:<id>/<place>` (`links.PLACES`, `policy/<policy id>` or `device/<device
  id>`: `policy_place`, `device_place`, `site_link`, `parse_link`, `policy_of_place`,
  `device_of_place`); `policies_of(effective)` → `PolicyRef`s.
- `render_golive_report(checklist, setup, profiles=, generated_at=)` → printable HTML.
- Storage/sync: `SECTIONS` (section name → SiteSetup attribute), `section_document(setup,
  section)` → JSON value, `section_from_document(section, data)`, `setup_from_documents({section:
  data})`; generic `codec.to_json` / `codec.from_json(type, data)` (ValueError naming the path).

Over a workspace: `workspace.helpdesk` (app/services/helpdesk.py) stores the sections and fills
`SiteReadinessInput`; CLI `preflight site readiness [SITE] [--report OUT.html] [--json]`.
"""

from app.domain.helpdesk.basic_info import DESKTOP_AGENT_FEE_NOTICE, BasicInfo, validate_basic_info
from app.domain.helpdesk.codes import CODES
from app.domain.helpdesk.coverage import (
    Gap,
    TimeSlot,
    Weekday,
    coverage_gaps,
    describe_slots,
    parse_slots,
)
from app.domain.helpdesk.findings import Finding, Severity, has_errors
from app.domain.helpdesk.identity import SiteIdentity, identity_conflicts, identity_of
from app.domain.helpdesk.links import (
    PLACES,
    device_of_place,
    device_place,
    parse_link,
    place_label,
    policy_of_place,
    policy_place,
    site_link,
)
from app.domain.helpdesk.network import (
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
from app.domain.helpdesk.notifications import (
    ContactMethod,
    EscalationPath,
    NotificationRule,
    PathKind,
    RuleContact,
    lint_notification_rule,
    lint_notification_rules,
)
from app.domain.helpdesk.overview import ReadinessOverview, overview
from app.domain.helpdesk.product import (
    CoverageLevel,
    HelpDeskContact,
    ProductOptions,
    validate_product_options,
)
from app.domain.helpdesk.profiles import ProfileSummary
from app.domain.helpdesk.psa import psa_connection_problems, psa_recommendations
from app.domain.helpdesk.readiness import (
    CHECKS,
    CheckItem,
    Checklist,
    PolicyRef,
    SiteReadinessInput,
    Status,
    policies_of,
    readiness,
    referenced_rules,
    settings_of,
)
from app.domain.helpdesk.references import Reference, validate_references
from app.domain.helpdesk.remote_access import remote_access_advice
from app.domain.helpdesk.report import render_golive_report
from app.domain.helpdesk.security import (
    RequestKind,
    SecurityRequest,
    default_requests,
    validate_security_requests,
)
from app.domain.helpdesk.setup import (
    SECTION_TYPES,
    SECTIONS,
    SiteSetup,
    section_document,
    section_from_document,
    setup_from_documents,
)

__all__ = [
    "CHECKS", "CODES", "DESKTOP_AGENT_FEE_NOTICE", "PLACES", "SECTIONS", "SECTION_TYPES",
    "Application", "BackupService", "BasicInfo", "CheckItem", "Checklist", "ContactMethod",
    "CoverageLevel", "DirectoryServer", "EmailService", "EscalationPath", "Finding", "Gap",
    "HelpDeskContact", "NetworkDrive", "NetworkInfo", "NotificationRule", "PathKind", "PolicyRef",
    "Printer", "PrinterKind", "ProductOptions", "ProfileSummary", "ReadinessOverview", "Reference",
    "RemoteAccess", "RequestKind", "RuleContact", "Section", "SecurityRequest", "Severity",
    "SiteIdentity", "SiteReadinessInput", "SiteSetup", "SoftwareAction", "Status", "TimeSlot",
    "UnlicensedSoftware", "Weekday", "coverage_gaps", "default_requests", "describe_slots",
    "device_of_place", "device_place",
    "has_errors", "identity_conflicts", "identity_of", "lint_notification_rule",
    "lint_notification_rules", "overview", "parse_link", "parse_slots", "place_label",
    "policies_of", "policy_of_place", "policy_place", "psa_connection_problems",
    "psa_recommendations", "readiness", "referenced_rules", "remote_access_advice",
    "render_golive_report", "section_document", "section_from_document", "settings_of",
    "setup_from_documents", "site_link", "validate_basic_info", "validate_network_info",
    "validate_product_options", "validate_references", "validate_security_requests",
]
