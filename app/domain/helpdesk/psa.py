"""The seed's recommendations for the PSA Integration policy of a Help Desk site (seed 002).

They are advice, not rules of the policy type (a partner may have reasons), so they come back as
warnings over the site's *effective* psa-integration settings:
- PSA-to-RMM sync Off when the site has NOC (the NOC updates PSA tickets; syncing them back
  could interfere), On when it does not;
- Sync Communicator Tickets Off (they are not client-facing tickets and clutter the boards);
- Contact Sync On; Ticket Sync On (Help Desk deployment, seed 002).
"""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.helpdesk.findings import Finding
from app.domain.policy_types import PSA_INTEGRATION, validate_settings
from app.domain.settings import SettingValue

SECTION = "psa-integration"


def psa_recommendations(settings: Mapping[str, SettingValue], *, noc_enabled: bool
                        ) -> list[Finding]:
    """Warnings where the effective settings differ from the seed's advice; errors where they
    break the policy type's own rules (a bad value synced from elsewhere)."""
    out = [Finding(SECTION, problem.key, "error", "psa.setting_invalid", str(problem))
           for problem in validate_settings(PSA_INTEGRATION, "PSA Integration",
                                            {k: v for k, v in settings.items()
                                             if _known(k)})]
    defaults = PSA_INTEGRATION.defaults()

    def value(key: str) -> SettingValue:
        return settings.get(key, defaults[key])

    if noc_enabled and value("psa_to_rmm_sync"):
        out.append(Finding(SECTION, "psa_to_rmm_sync", "warning", "psa.psa_to_rmm_sync_with_noc",
                           "Turn PSA-to-RMM Sync off: the site has NOC services, the NOC updates "
                           "the PSA tickets, and syncing them back could interfere.", "false"))
    if not noc_enabled and not value("psa_to_rmm_sync"):
        out.append(Finding(SECTION, "psa_to_rmm_sync", "warning",
                           "psa.psa_to_rmm_sync_without_noc",
                           "Turn PSA-to-RMM Sync on: without NOC services it keeps RMM in step "
                           "with changes made in PSA.", "true"))
    if value("sync_communicator_tickets"):
        out.append(Finding(SECTION, "sync_communicator_tickets", "warning",
                           "psa.communicator_sync_on",
                           "Turn Sync Communicator Tickets off: they are not client-facing "
                           "tickets and clutter the service boards.", "false"))
    if not value("contact_sync"):
        out.append(Finding(SECTION, "contact_sync", "warning", "psa.contact_sync_off",
                           "Turn Contact Sync on so contacts the Help Desk creates reach PSA and "
                           "tickets link to the right contact.", "true"))
    if not value("ticket_sync"):
        out.append(Finding(SECTION, "ticket_sync", "warning", "psa.ticket_sync_off",
                           "Turn Ticket Sync on: Help Desk tickets are created in PSA through "
                           "it.", "true"))
    return out


def _known(key: str) -> bool:
    return any(spec.key == key for spec in PSA_INTEGRATION.settings)
