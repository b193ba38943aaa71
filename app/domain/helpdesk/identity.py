"""A site's identity for the Help Desk: its client main phone and email domain (seed 004:
"Client main phone number and Client email domain are both used to identify sites").

Two sites with the same main phone or the same email domain cannot both be identified, so a
site whose number or domain already identifies another site (of any company) fails readiness,
and the Basic Info tab says which site has it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.helpdesk.basic_info import SECTION, BasicInfo
from app.domain.helpdesk.findings import Finding


@dataclass(frozen=True)
class SiteIdentity:
    """What identifies one site, compared in normal form ("" when the site has none)."""

    site_id: str
    site_name: str
    company_name: str
    phone: str  # E.164 ("+12125550100") when valid, else "CC:digits"
    email_domain: str  # lower case, without a trailing dot

    @property
    def label(self) -> str:
        return f"'{self.site_name}' ({self.company_name})" if self.company_name \
            else f"'{self.site_name}'"


def normal_phone(country: str, digits: str) -> str:
    code, number = country.strip().upper(), digits.strip()
    if not number:
        return ""
    import phonenumbers  # here, not at start: only a number being compared needs it
    from phonenumbers import NumberParseException

    try:
        parsed = phonenumbers.parse(number, code or None)
    except NumberParseException:
        return f"{code}:{number}"
    if not phonenumbers.is_valid_number(parsed):
        return f"{code}:{number}"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normal_domain(info: BasicInfo) -> str:
    if info.no_client_email_domain:
        return ""
    return info.email_domain.strip().rstrip(".").lower()


def identity_of(site_id: str, site_name: str, company_name: str, info: BasicInfo
                ) -> SiteIdentity:
    return SiteIdentity(site_id, site_name, company_name,
                        normal_phone(info.main_phone_country, info.main_phone),
                        normal_domain(info))


def identity_conflicts(site_id: str, info: BasicInfo, others: Iterable[SiteIdentity]
                       ) -> list[Finding]:
    """Errors when the site's main phone or email domain already identifies another site."""
    own = identity_of(site_id, "", "", info)
    phone_users = [o for o in others if o.site_id != site_id and own.phone
                   and o.phone == own.phone]
    domain_users = [o for o in others if o.site_id != site_id and own.email_domain
                    and o.email_domain == own.email_domain]
    out: list[Finding] = []
    if phone_users:
        out.append(Finding(
            SECTION, "main_phone", "error", "basic.main_phone_identifies_other_site",
            f"The client main phone {info.main_phone_country} {info.main_phone} already "
            f"identifies site {_names(phone_users)}: the Help Desk identifies a site by its main "
            "phone, so enter this site's own number (or correct the other site's)."))
    if domain_users:
        out.append(Finding(
            SECTION, "email_domain", "error", "basic.email_domain_identifies_other_site",
            f"The client email domain {own.email_domain} already identifies site "
            f"{_names(domain_users)}: the Help Desk identifies a site by its email domain, so "
            "enter this site's own domain (or correct the other site's)."))
    return out


def _names(sites: list[SiteIdentity]) -> str:
    shown = ", ".join(s.label for s in sites[:3])
    return shown + (f" and {len(sites) - 3} more" if len(sites) > 3 else "")
