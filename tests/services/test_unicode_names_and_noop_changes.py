"""Duplicate names are compared with full Unicode case folding (SQLite's NOCASE folds ASCII only),
and saving something unchanged records no change to sync (no outbox or audit row)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from app.domain.errors import RuleViolation, SettingError
from app.domain.policy_types import policy_type
from app.domain.settings import parse_value
from app.services.workspace import Workspace


def _counts(ws: Workspace) -> tuple[int, int]:
    with closing(sqlite3.connect(ws.path)) as conn:
        outbox = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
        audit = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    return int(outbox), int(audit)


def test_company_names_differing_only_in_non_ascii_case_are_duplicates(
        workspace: Workspace) -> None:
    workspace.companies.create("Ärzte Müller")
    with pytest.raises(RuleViolation, match="already exists"):
        workspace.companies.create("ÄRZTE MÜLLER")
    other = workspace.companies.create("Zahnärzte")
    with pytest.raises(RuleViolation, match="already exists"):
        workspace.companies.rename(other.id, "ärzte müller")


def test_site_names_fold_non_ascii_case_within_one_company_only(workspace: Workspace) -> None:
    first = workspace.companies.create("Acme")
    second = workspace.companies.create("Globex")
    workspace.sites.create(first.id, "Zürich Office")
    with pytest.raises(RuleViolation, match="already has a site"):
        workspace.sites.create(first.id, "ZÜRICH OFFICE")
    # Another company may use the same name.
    assert workspace.sites.create(second.id, "ZÜRICH OFFICE").name == "ZÜRICH OFFICE"
    other = workspace.sites.create(first.id, "Bern")
    with pytest.raises(RuleViolation, match="already has a site"):
        workspace.sites.rename(other.id, "zürich office")


def test_policy_and_package_names_fold_non_ascii_case(workspace: Workspace) -> None:
    policy = workspace.policies.create("remote-access", "Fernzugriff Öffentlich")
    with pytest.raises(RuleViolation, match="already exists"):
        workspace.policies.create("remote-access", "FERNZUGRIFF ÖFFENTLICH")
    workspace.packages.save("Paket Ä", [policy.id])
    with pytest.raises(RuleViolation, match="already exists"):
        workspace.packages.save("paket ä", [policy.id])


def test_a_rename_that_changes_only_case_is_allowed_and_recorded(workspace: Workspace) -> None:
    acme = workspace.companies.create("acme")
    before = _counts(workspace)
    assert workspace.companies.rename(acme.id, "ACME").name == "ACME"
    assert _counts(workspace) == (before[0] + 1, before[1] + 1)


def test_renaming_to_the_same_name_records_nothing(workspace: Workspace) -> None:
    acme = workspace.companies.create("Acme")
    site = workspace.sites.create(acme.id, "Main")
    before = _counts(workspace)
    assert workspace.companies.rename(acme.id, "  Acme ").name == "Acme"
    assert workspace.sites.rename(site.id, "Main").name == "Main"
    assert _counts(workspace) == before


def test_saving_an_unchanged_package_records_nothing(workspace: Workspace) -> None:
    policy = workspace.policies.create("remote-access", "RA")
    saved = workspace.packages.save("Pkg", [policy.id], is_default=True)
    before = _counts(workspace)
    again = workspace.packages.save("Pkg", [policy.id], is_default=True,
                                    package_id=saved.package.id)
    assert again.package == saved.package
    assert _counts(workspace) == before
    workspace.packages.save("Pkg 2", [policy.id], package_id=saved.package.id)
    assert _counts(workspace)[0] > before[0]


@pytest.mark.parametrize("text", ["0_3", "\u0663", "\uff13", "1.0", "", "+", "2e0"])
def test_integer_settings_accept_ascii_digits_only(text: str) -> None:
    spec = policy_type("rmm-site-configuration").spec("noc_access_level")
    with pytest.raises(SettingError, match="not a whole number"):
        parse_value(spec, text)


@pytest.mark.parametrize(("text", "value"), [("3", 3), (" 2 ", 2), ("+1", 1), ("0", 0)])
def test_integer_settings_parse_plain_digits(text: str, value: int) -> None:
    spec = policy_type("rmm-site-configuration").spec("noc_access_level")
    assert parse_value(spec, text) == value
