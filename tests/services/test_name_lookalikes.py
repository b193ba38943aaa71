"""The services store names NFC and refuse look-alike duplicates (case, width, invisible
characters), for companies, sites, policies and packages (docs/rules.md, "Names")."""

from __future__ import annotations

import pytest

from app.domain.errors import RuleViolation
from app.services.workspace import Workspace
from tests.text_helpers import wide


def test_a_decomposed_200_character_site_name_is_accepted_and_stored_composed(
        workspace: Workspace) -> None:
    acme = workspace.companies.create("Acme")
    site = workspace.sites.create(acme.id, "e\u0301" * 200)
    assert site.name == "\u00e9" * 200


def test_a_full_width_company_name_is_a_duplicate(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    with pytest.raises(RuleViolation, match="already exists"):
        workspace.companies.create(wide("Acme"))


def test_a_policy_name_with_a_zero_width_space_is_refused(workspace: Workspace) -> None:
    workspace.policies.create("remote-access", "Help Desk Ready")
    with pytest.raises(RuleViolation, match="invisible characters"):
        workspace.policies.create("remote-access", "Help Desk Ready\u200b")
    with pytest.raises(RuleViolation, match="invisible characters"):
        workspace.policies.create("remote-access", "\u200b")
    assert [p.name for p in workspace.policies.all()].count("Help Desk Ready") == 1


def test_a_package_named_like_another_after_nfc_is_a_duplicate(workspace: Workspace) -> None:
    policy = workspace.policies.create("remote-access", "RA")
    workspace.packages.save("Caf\u00e9", [policy.id])
    with pytest.raises(RuleViolation, match="already exists"):
        workspace.packages.save("CAFE\u0301", [policy.id])


def test_renaming_a_site_to_a_look_alike_of_its_neighbour_is_refused(
        workspace: Workspace) -> None:
    acme = workspace.companies.create("Acme")
    workspace.sites.create(acme.id, "Main Office")
    lab = workspace.sites.create(acme.id, "Lab")
    with pytest.raises(RuleViolation, match="already has a site"):
        workspace.sites.rename(lab.id, wide("MAIN OFFICE"))
    assert workspace.sites.get(lab.id).name == "Lab"
