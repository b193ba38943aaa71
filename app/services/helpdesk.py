"""Help Desk site setup and go-live readiness over a workspace (issue 8): `workspace.helpdesk`.

The rules are `app.domain.helpdesk`'s; this service stores the sections (one synced JSON
document per site and section, table `helpdesk_sections`) and gathers what readiness looks at:
devices, effective policy settings and the policies they come from, client profiles (validated
with the profile rules), the vault's items of the site by kind and whether the PSA policy's API
keys are stored (no secret is read, the vault may stay locked), and what identifies the other
sites (their main phone and email domain).

Forms are saved as they are, findings and all: a site's setup is filled in over days, and the
readiness checklist says what is still missing. Undo of a save is saving the previous value
(`setup(site)` before the edit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from app.domain.effective import EffectivePolicy
from app.domain.errors import RuleViolation
from app.domain.helpdesk import (
    SECTIONS,
    BasicInfo,
    Checklist,
    Finding,
    ProfileSummary,
    ReadinessOverview,
    SiteIdentity,
    SiteReadinessInput,
    SiteSetup,
    has_errors,
    identity_conflicts,
    identity_of,
    overview,
    policies_of,
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
from app.domain.helpdesk.journey import PARTNER_WIDE, StepRecord, journey
from app.domain.helpdesk.psa import PRIVATE_KEY, PUBLIC_KEY, psa_key_secret_name
from app.domain.model import Site
from app.profiles import FIELDS, HEADERS, Row, Sheet, validate_rows
from app.services.effective import EffectiveService
from app.services.hierarchy import resolve_site
from app.services.rules import resolve_reference, stored_rules
from storage.database import Database
from storage.golive_repository import GoLiveRepository
from storage.helpdesk_repository import HelpDeskRepository
from storage.profile_repository import PROFILE_FIELDS, ProfileRepository, StoredProfile
from storage.repository import Repository
from storage.rule_repository import RuleRepository

_MOBILE_COLUMNS = frozenset({HEADERS[FIELDS.index("mobile_phone")],
                             HEADERS[FIELDS.index("mobile_country_code")]})
_RMM, _PSA, _REMOTE = "rmm-site-configuration", "psa-integration", "remote-access"
_BASIC = "basic-info"


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


@dataclass(frozen=True)
class _WorkspaceFacts:
    identities: tuple[SiteIdentity, ...]
    secret_titles: frozenset[str]

    def keys_stored(self, policy_id: str) -> bool:
        """Both API keys of a PSA Integration policy are in the vault (locked or not)."""
        return all(psa_key_secret_name(policy_id, which) in self.secret_titles
                   for which in (PUBLIC_KEY, PRIVATE_KEY))


class SectionRefused(RuleViolation):
    """A section's findings hold errors; `findings` are all of them (warnings too)."""

    def __init__(self, section: str, findings: Sequence[Finding]) -> None:
        errors = [f for f in findings if f.severity == "error"]
        first = errors[0]
        where = f"{first.section}.{first.field}" if first.field else first.section
        more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
        super().__init__(f"{section} not saved: {where}: {first.message}{more}")
        self.section = section
        self.findings = tuple(findings)


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

    def documents(self, site: str) -> dict[str, Any]:
        """The site's whole setup as JSON documents, every section (in `SECTIONS` order; a
        form never saved is its empty document): what `save_document` takes, per section."""
        setup = self.setup(site)
        return {name: section_document(setup, name) for name in SECTIONS}

    def save_document(self, site: str, section: str, document: Any) -> list[Finding]:
        """Save one section given as its JSON document (as `documents` shows it), after the
        checks the forms run. Refused, nothing saved: an unknown section, or field, or a value
        of the wrong type (RuleViolation naming the field), or findings with an error
        (SectionRefused, carrying them). Saved: the warnings, if any."""
        if section not in SECTIONS:
            raise RuleViolation(f"unknown Help Desk section '{section}'; known: "
                                f"{', '.join(SECTIONS)}")
        try:
            value = section_from_document(section, document, strict=True)
        except (ValueError, TypeError) as exc:
            raise RuleViolation(str(exc)) from None
        findings = self.validate(site, section, value)
        if has_errors(findings):
            raise SectionRefused(section, findings)
        self.save(site, section, value)
        return findings

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
            if not value:
                return []
            return (identity_conflicts(site_input.site_id, value, site_input.other_sites)
                    + validate_basic_info(value, rule_ids={r.id for r in setup.rules}))
        if section == "security-requests":
            return validate_security_requests(value, {p.id: p for p in site_input.profiles})
        if section == "network-info":
            return validate_network_info(value, vault_ids=site_input.vault_item_ids)
        return validate_references(value)

    # --- readiness ------------------------------------------------------------------------------

    def readiness_input(self, site: str, *, today: date | None = None) -> SiteReadinessInput:
        effective = self.effective.site_policy(site)
        return self._input(effective, self._workspace_facts(), today)

    def _workspace_facts(self) -> _WorkspaceFacts:
        """What readiness compares a site with: every site's identity, the stored secrets."""
        with self.db.read() as s:
            repo = Repository(s)
            helpdesk = HelpDeskRepository(s)
            companies = {c.id: c.name for c in repo.companies()}
            sites = {x.id: x for x in repo.sites()}
            basics = helpdesk.documents_of_every_site(_BASIC)
            titles = helpdesk.app_secret_titles()
        identities = []
        for site_id, document in basics.items():
            owner = sites.get(site_id)
            info = section_from_document(_BASIC, document) if owner is not None else None
            if owner is not None and isinstance(info, BasicInfo):
                identities.append(identity_of(site_id, owner.name,
                                              companies.get(owner.company_id, ""), info))
        return _WorkspaceFacts(tuple(identities), titles)

    def _input(self, effective: EffectivePolicy, facts: _WorkspaceFacts,
               today: date | None) -> SiteReadinessInput:
        site: Site = effective.site
        with self.db.read() as s:
            repo = Repository(s)
            company = repo.company(site.company_id)
            devices = repo.devices(site.id)
            helpdesk = HelpDeskRepository(s)
            documents = helpdesk.documents(site.id)
            counts, vault_ids = helpdesk.vault_summary(site.id)
            remote_overrides = tuple(helpdesk.device_overrides(site.id, _REMOTE))
            stored = ProfileRepository(s).live(site.id)
            rules = stored_rules(RuleRepository(s))
        policies = policies_of(effective)
        psa_policy = policies.get(_PSA)
        return SiteReadinessInput(
            site_id=site.id, site_name=site.name, company_id=site.company_id,
            company_name=company.name if company else "",
            setup=replace(setup_from_documents(documents), rules=rules),
            profiles=profile_summaries(stored),
            server_count=sum(d.kind == "server" for d in devices),
            desktop_count=sum(d.kind != "server" for d in devices),
            rmm_settings=settings_of(effective, _RMM), psa_settings=settings_of(effective, _PSA),
            remote_settings=settings_of(effective, _REMOTE), remote_overrides=remote_overrides,
            device_ids={d.name: d.id for d in devices},
            policies=policies,
            psa_keys_stored=psa_policy is not None and facts.keys_stored(psa_policy.id),
            other_sites=facts.identities, credential_counts=counts,
            vault_item_ids=vault_ids, today=today or datetime.now(UTC).date())

    def readiness(self, site: str, *, today: date | None = None) -> Checklist:
        return readiness(self.readiness_input(site, today=today))

    def overview(self, *, today: date | None = None) -> ReadinessOverview:
        """Every site's checklist: which are ready for go-live, what blocks the others."""
        return overview(self._all(today))

    def _all(self, today: date | None) -> Iterable[Checklist]:
        facts = self._workspace_facts()
        for effective in self.effective.all_sites():
            yield readiness(self._input(effective, facts, today))

    def golive_report(self, site: str, *, generated_at: datetime | None = None,
                      partner_name: str = "") -> str:
        """The printable HTML go-live report of a site (checklist + setup summary)."""
        site_input = self.readiness_input(site)
        with self.db.read() as s:
            partner = Repository(s).partner()
            recorded = GoLiveRepository(s).records(site_input.site_id, PARTNER_WIDE)
        checklist = readiness(site_input)
        product = site_input.setup.product
        path = journey(checklist, {k: StepRecord.from_payload(v) for k, v in recorded.items()},
                       start_date=product.start_date if product else None,
                       today=site_input.today or datetime.now(UTC).date())
        return render_golive_report(
            checklist, site_input.setup, profiles=site_input.profiles,
            rules=referenced_rules(site_input),
            generated_at=generated_at or datetime.now(UTC),
            partner_name=partner_name or (partner.name if partner else ""), journey=path)
