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


# The advice that does not depend on the site: (setting, the value advised against, code, as
# said of a site's effective settings, as said while a policy is edited).
_ADVICE: tuple[tuple[str, bool, str, str, str], ...] = (
    ("sync_communicator_tickets", True, "psa.communicator_sync_on",
     "Turn Sync Communicator Tickets off: they are not client-facing tickets and clutter the "
     "service boards.",
     "Recommended off: communicator tickets are not client-facing and clutter the service "
     "boards."),
    ("contact_sync", False, "psa.contact_sync_off",
     "Turn Contact Sync on so contacts the Help Desk creates reach PSA and tickets link to the "
     "right contact.",
     "Recommended on: contacts the Help Desk creates reach PSA and tickets link to the right "
     "contact."),
    ("ticket_sync", False, "psa.ticket_sync_off",
     "Turn Ticket Sync on: Help Desk tickets are created in PSA through it.",
     "Recommended on: Help Desk tickets are created in PSA through it."),
)


def _advice(settings: Mapping[str, SettingValue], noc_enabled: bool | None) -> list[Finding]:
    """The seed's advice as warnings; `noc_enabled` None: the site is not known (a policy
    being edited), so the NOC-dependent advice speaks of both kinds of site."""
    defaults = PSA_INTEGRATION.defaults()

    def value(key: str) -> SettingValue:
        return settings.get(key, defaults[key])

    out: list[Finding] = []
    rmm_sync = bool(value("psa_to_rmm_sync"))
    if noc_enabled is None and rmm_sync:
        out.append(Finding(SECTION, "psa_to_rmm_sync", "warning", "psa.psa_to_rmm_sync_with_noc",
                           "Turn it off for sites with NOC services: the NOC updates the PSA "
                           "tickets and syncing them back could interfere. Keep it on only "
                           "for sites without NOC.", "false"))
    elif noc_enabled and rmm_sync:
        out.append(Finding(SECTION, "psa_to_rmm_sync", "warning", "psa.psa_to_rmm_sync_with_noc",
                           "Turn PSA-to-RMM Sync off: the site has NOC services, the NOC updates "
                           "the PSA tickets, and syncing them back could interfere.", "false"))
    elif noc_enabled is False and not rmm_sync:
        out.append(Finding(SECTION, "psa_to_rmm_sync", "warning",
                           "psa.psa_to_rmm_sync_without_noc",
                           "Turn PSA-to-RMM Sync on: without NOC services it keeps RMM in step "
                           "with changes made in PSA.", "true"))
    for key, against, code, for_site, for_policy in _ADVICE:
        if bool(value(key)) == against:
            out.append(Finding(SECTION, key, "warning", code,
                               for_policy if noc_enabled is None else for_site,
                               "false" if against else "true"))
    return out


def psa_recommendations(settings: Mapping[str, SettingValue], *, noc_enabled: bool
                        ) -> list[Finding]:
    """Warnings where the effective settings differ from the seed's advice; errors where they
    break the policy type's own rules (a bad value synced from elsewhere)."""
    out = [Finding(SECTION, problem.key, "error", "psa.setting_invalid", str(problem))
           for problem in validate_settings(PSA_INTEGRATION, "PSA Integration",
                                            {k: v for k, v in settings.items()
                                             if _known(k)})]
    return out + _advice(settings, noc_enabled)


def _known(key: str) -> bool:
    return any(spec.key == key for spec in PSA_INTEGRATION.settings)


# --- while a policy is edited (no site known yet) ---------------------------------------------

def psa_policy_advice(settings: Mapping[str, SettingValue]) -> list[Finding]:
    """The seed's advice for a PSA Integration *policy* as it is being edited: warnings only,
    never a reason to refuse a save. The site (and so whether it has NOC services) is not
    known here, so the NOC-dependent advice speaks of both kinds of site. PSA-to-RMM Sync Off
    is not flagged: Help Desk sites have NOC, where Off is the advice (readiness, which knows
    the site, asks for On at a site without NOC)."""
    return _advice(settings, None)


# --- the API key pair (kept in the vault as two application secrets) -------------------------

PUBLIC_KEY, PRIVATE_KEY = "public_key", "private_key"
MAX_API_KEY_CHARS = 256  # PSA API keys are 16 characters; room for other PSAs, not for essays
_KEY_LABELS = {PUBLIC_KEY: "public key", PRIVATE_KEY: "private key"}


def psa_key_secret_name(policy_id: str, which: str) -> str:
    """The vault application secret that holds one key of a PSA Integration policy:
    `psa:<policy id>:public_key` / `psa:<policy id>:private_key`."""
    if which not in _KEY_LABELS:
        raise ValueError(f"which must be {PUBLIC_KEY!r} or {PRIVATE_KEY!r}")
    return f"psa:{policy_id}:{which}"


def psa_key_problems(public_key: str, private_key: str) -> dict[str, str]:
    """What is wrong with a key pair as typed, by PUBLIC_KEY / PRIVATE_KEY; empty when none.
    Both keys are required together; nothing is trimmed silently (a pasted space is a wrong
    key the PSA would refuse)."""
    problems: dict[str, str] = {}
    given = {PUBLIC_KEY: public_key, PRIVATE_KEY: private_key}
    if not public_key and not private_key:
        return {PUBLIC_KEY: "Enter the public key of the PSA API key pair.",
                PRIVATE_KEY: "Enter the private key of the PSA API key pair."}
    for which, text in given.items():
        label = _KEY_LABELS[which]
        other = _KEY_LABELS[PRIVATE_KEY if which == PUBLIC_KEY else PUBLIC_KEY]
        if not text:
            problems[which] = (f"Enter the {label} too: the {other} is stored only with its "
                               f"{label}.")
        elif text != text.strip():
            problems[which] = (f"Remove the spaces before or after the {label} (copy it again "
                               "from PSA without them).")
        elif any(c.isspace() or not c.isprintable() for c in text):
            problems[which] = (f"The {label} contains a space, line break or control character;"
                               " copy it again from PSA.")
        elif len(text) > MAX_API_KEY_CHARS:
            problems[which] = (f"The {label} has {len(text)} characters; an API key has at "
                               f"most {MAX_API_KEY_CHARS}. Check that you copied only the key.")
    return problems
