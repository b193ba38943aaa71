"""What a Help Desk form checks against, loaded once per site (off the GUI thread).

`workspace.helpdesk.validate` rebuilds this context on every call; the forms keep it and call
the domain's checks directly on each keystroke.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain.helpdesk import Finding, ProfileSummary, SiteReadinessInput, SiteSetup

# Errors that say something is still missing: the form is saved as it is (a site's setup is
# filled in over days; the readiness checklist lists what is missing). Any other error is
# invalid input, and Save refuses it.
_INCOMPLETE = frozenset({
    "rules.none", "rules.msp_path_missing", "rules.path_no_contacts", "rules.path_no_slots",
    "security.approver_missing", "reference.empty",
    # a main phone or domain another site also has: which of the two sites is wrong is the
    # admin's call, so either may be saved; readiness fails both until one changes
    "basic.main_phone_identifies_other_site", "basic.email_domain_identifies_other_site",
})


def is_incomplete(finding: Finding) -> bool:
    return finding.code.endswith("required") or finding.code in _INCOMPLETE


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that refuse a save: errors about invalid input."""
    return [f for f in findings if f.severity == "error" and not is_incomplete(f)]


@dataclass(frozen=True)
class VaultChoice:
    """A vault item a form may link to: its id and what the user recognises it by."""

    id: str
    title: str
    kind: str

    @property
    def label(self) -> str:
        return f"{self.title} ({self.kind})"


@dataclass(frozen=True)
class SiteContext:
    input: SiteReadinessInput
    vault_items: tuple[VaultChoice, ...] = ()

    @property
    def site_id(self) -> str:
        return self.input.site_id

    @property
    def setup(self) -> SiteSetup:
        return self.input.setup

    @property
    def profiles(self) -> dict[str, ProfileSummary]:
        return {p.id: p for p in self.input.profiles}

    @property
    def noc_enabled(self) -> bool:
        settings = self.input.rmm_settings
        return bool(settings and settings.get("noc_enabled"))

    @property
    def vault_ids(self) -> frozenset[str] | None:
        return self.input.vault_item_ids


def load_context(workspace: Any, site_id: str) -> SiteContext:
    """The site's readiness input and its vault items (titles only, never a secret).
    Blocking: call it in a worker thread."""
    site_input = workspace.helpdesk.readiness_input(site_id)
    items = tuple(VaultChoice(i.id, i.title, i.kind_label)
                  for i in workspace.vault.items.list(site_id))
    return SiteContext(site_input, items)
