"""Help Desk site setup and go-live readiness over a workspace (issue 8): `workspace.helpdesk`.

The rules are `app.domain.helpdesk`'s; this service stores the sections (one synced JSON
document per site and section, table `helpdesk_sections`) and gathers what readiness looks at:
devices, effective policy settings, client profiles (validated with the profile rules), and the
vault's items of the site by kind (no secret is read, the vault may stay locked).

Forms are saved as they are, findings and all: a site's setup is filled in over days, and the
readiness checklist says what is still missing. Undo of a save is saving the previous value
(`setup(site)` before the edit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from app.domain.errors import RuleViolation
from app.domain.helpdesk import (
    SECTIONS,
    Checklist,
    Finding,
    ProfileSummary,
    ReadinessOverview,
    SiteReadinessInput,
    SiteSetup,
    overview,
    readiness,
    referenced_rules,
    render_golive_report,
    section_document,
    section_from_document,
    settings_of,
    setup_from_documents,
    validate_basic_info,
    validate_network_info,
    validate_product_options,
    validate_references,
    validate_security_requests,
)
from app.domain.model import Site
from app.profiles import FIELDS, HEADERS, Row, Sheet, validate_rows
from app.services.effective import EffectiveService
from app.services.hierarchy import resolve_site
from app.services.rules import resolve_reference, stored_rules
from storage.database import Database
from storage.helpdesk_repository import HelpDeskRepository
from storage.profile_repository import PROFILE_FIELDS, ProfileRepository, StoredProfile
from storage.repository import Repository
from storage.rule_repository import RuleRepository

_MOBILE_COLUMNS = frozenset({HEADERS[FIELDS.index("mobile_phone")],
                             HEADERS[FIELDS.index("mobile_country_code")]})
_RMM, _PSA = "rmm-site-configuration", "psa-integration"


def profile_summaries(stored: Sequence[StoredProfile]) -> tuple[ProfileSummary, ...]:
    """What readiness needs of each profile: its errors under the profile rules (one validation
    run for all of them) and whether it has a usable mobile number (for SMS codes)."""
    rows = []
    for number, profile in enumerate(stored, start=2):
        values = dict(zip(PROFILE_FIELDS, profile.values, strict=True))
        rows.append(Row(number, ["Yes" if v is True else "No" if v is False else str(v)
                                 for v in (values[f] for f in FIELDS)]))
    sheet = Sheet.build("csv", "stored profiles", 1, list(HEADERS), rows)
    report = validate_rows(sheet)
    errors: dict[int, int] = {}
    bad_mobile: set[int] = set()
    for issue in report.issues:
        if issue.severity == "error" and not issue.code.startswith("duplicate."):
            errors[issue.row] = errors.get(issue.row, 0) + 1
            if issue.column in _MOBILE_COLUMNS:
                bad_mobile.add(issue.row)
    out = []
    for number, profile in enumerate(stored, start=2):
        values = dict(zip(PROFILE_FIELDS, profile.values, strict=True))
        name = f"{values['first_name']} {values['last_name']}".strip()
        has_mobile = bool(str(values["mobile_phone"]).strip()) and number not in bad_mobile
        out.append(ProfileSummary(profile.id, name, has_mobile, errors.get(number, 0)))
    return tuple(out)


class HelpDeskService:
    def __init__(self, db: Database, effective: EffectiveService | None = None) -> None:
        self.db = db
        self.effective = effective or EffectiveService(db)

    # --- the setup ------------------------------------------------------------------------------

    def setup(self, site: str) -> SiteSetup:
        """The site's whole setup (forms never saved are empty), with the partner's notification
        rules its Basic Info picks from."""
        with self.db.read() as s:
            target = resolve_site(Repository(s), site)
            documents = HelpDeskRepository(s).documents(target.id)
            rules = stored_rules(RuleRepository(s))
        return replace(setup_from_documents(documents), rules=rules)

    def save(self, site: str, section: str, value: Any) -> list[Finding]:
        """Store one section (`SECTIONS`: "basic-info" → a BasicInfo, …) and return its
        findings. Refused only when the value is not of the section's type."""
        if section not in SECTIONS:
            hint = (" (notification rules are partner-level now: `preflight rule`)"
                    if section == "notification-rules" else "")
            raise RuleViolation(f"unknown Help Desk section '{section}'{hint}; known: "
                                f"{', '.join(SECTIONS)}")
        document = section_document(replace(SiteSetup(), **{SECTIONS[section]: value}), section)
        try:
            section_from_document(section, document)  # the value has the section's shape
        except (ValueError, TypeError) as exc:
            raise RuleViolation(f"{section}: {exc}") from None
        with self.db.write() as s:
            target = resolve_site(Repository(s), site)
            helpdesk = HelpDeskRepository(s)
            if section == "basic-info" and value is not None:
                document, value = self._rule_reference(s, target, document, value)
            helpdesk.save(target.id, section, document, f"helpdesk.{section}")
        return self.validate(site, section, value)

    @staticmethod
    def _rule_reference(session: Any, target: Site, document: Any, value: Any
                        ) -> tuple[Any, Any]:
        """Basic Info's notification rule as a rule id (a name is accepted); a rule that does
        not exist is refused, unless it is the reference already stored (then readiness keeps
        reporting it)."""
        ref = value.notification_rule_id.strip()
        if not ref:
            return document, value
        stored = HelpDeskRepository(session).documents(target.id).get("basic-info") or {}
        if stored.get("notification_rule_id") == value.notification_rule_id:
            return document, value
        rule_id = resolve_reference(RuleRepository(session), ref,
                                    owner=f"site '{target.name}' Basic Info",
                                    field="notification_rule_id")
        value = replace(value, notification_rule_id=rule_id)
        return {**document, "notification_rule_id": rule_id}, value

    def validate(self, site: str, section: str, value: Any) -> list[Finding]:
        """The findings of a section's value in the context of the site (its rules, profiles,
        vault items, NOC), without saving: for validation on entry."""
        site_input = self.readiness_input(site)
        setup = replace(site_input.setup, **{SECTIONS[section]: value})
        if section == "product-options":
            return validate_product_options(value, today=site_input.today) if value else []
        if section == "basic-info":
            return (validate_basic_info(value, rule_ids={r.id for r in setup.rules})
                    if value else [])
        if section == "security-requests":
            return validate_security_requests(value, {p.id: p for p in site_input.profiles})
        if section == "network-info":
            return validate_network_info(value, vault_ids=site_input.vault_item_ids)
        return validate_references(value)

    # --- readiness ------------------------------------------------------------------------------

    def readiness_input(self, site: str, *, today: date | None = None) -> SiteReadinessInput:
        with self.db.read() as s:
            repo = Repository(s)
            target = resolve_site(repo, site)
        document = self.effective.for_site(target.id).document.get("settings", {})
        return self._input(target, document.get(_RMM), document.get(_PSA), today)

    def _input(self, site: Site, rmm: Any, psa: Any, today: date | None) -> SiteReadinessInput:
        with self.db.read() as s:
            repo = Repository(s)
            company = repo.company(site.company_id)
            devices = repo.devices(site.id)
            helpdesk = HelpDeskRepository(s)
            documents = helpdesk.documents(site.id)
            counts, vault_ids = helpdesk.vault_summary(site.id)
            stored = ProfileRepository(s).live(site.id)
            rules = stored_rules(RuleRepository(s))
        return SiteReadinessInput(
            site_id=site.id, site_name=site.name, company_id=site.company_id,
            company_name=company.name if company else "",
            setup=replace(setup_from_documents(documents), rules=rules),
            profiles=profile_summaries(stored),
            server_count=sum(d.kind == "server" for d in devices),
            desktop_count=sum(d.kind != "server" for d in devices),
            rmm_settings=rmm, psa_settings=psa, credential_counts=counts,
            vault_item_ids=vault_ids, today=today or datetime.now(UTC).date())

    def readiness(self, site: str, *, today: date | None = None) -> Checklist:
        return readiness(self.readiness_input(site, today=today))

    def overview(self, *, today: date | None = None) -> ReadinessOverview:
        """Every site's checklist: which are ready for go-live, what blocks the others."""
        return overview(self._all(today))

    def _all(self, today: date | None) -> Iterable[Checklist]:
        for effective in self.effective.all_sites():
            yield readiness(self._input(effective.site, settings_of(effective, _RMM),
                                        settings_of(effective, _PSA), today))

    def golive_report(self, site: str, *, generated_at: datetime | None = None,
                      partner_name: str = "") -> str:
        """The printable HTML go-live report of a site (checklist + setup summary)."""
        site_input = self.readiness_input(site)
        with self.db.read() as s:
            partner = Repository(s).partner()
        return render_golive_report(
            readiness(site_input), site_input.setup, profiles=site_input.profiles,
            rules=referenced_rules(site_input),
            generated_at=generated_at or datetime.now(UTC),
            partner_name=partner_name or (partner.name if partner else ""))
