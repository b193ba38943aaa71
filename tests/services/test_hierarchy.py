"""Companies, sites, packages, policies and assignment through the services (seed 000/001)."""

from __future__ import annotations

import sqlite3

import pytest

from app.domain.errors import Ambiguous, NotFound, RuleViolation
from app.services.workspace import Workspace
from storage.repository import Repository


def _deleted_at(ws: Workspace, table: str, row_id: str) -> str | None:
    conn = sqlite3.connect(ws.path)
    try:
        row = conn.execute(f"SELECT deleted_at FROM {table} WHERE id = ?", (row_id,)).fetchone()
    finally:
        conn.close()
    assert row is not None, f"{table} row {row_id} must be kept as a tombstone"
    return row[0]


def test_company_create_delete_tombstone(workspace: Workspace) -> None:
    acme = workspace.companies.create("  Acme  ")
    assert acme.name == "Acme"
    site = workspace.sites.create(acme.id, "HQ")
    workspace.companies.delete(acme.id)
    assert _deleted_at(workspace, "companies", acme.id) is not None
    assert _deleted_at(workspace, "sites", site.id) is not None
    with workspace.db.read() as s:
        repo = Repository(s)
        assert repo.companies() == []
        assert repo.sites() == []
    with pytest.raises(NotFound):
        workspace.companies.get(acme.id)


def test_company_list_hides_tombstones(workspace: Workspace) -> None:
    keep = workspace.companies.create("Keep")
    gone = workspace.companies.create("Gone")
    workspace.companies.delete(gone.id)
    assert [c.id for c in workspace.companies.all()] == [keep.id]


def test_company_rename(workspace: Workspace) -> None:
    acme = workspace.companies.create("Acme")
    renamed = workspace.companies.rename("Acme", "Acme Ltd")
    assert (renamed.id, renamed.name) == (acme.id, "Acme Ltd")


def test_site_rename(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    hq = workspace.sites.create("Acme", "HQ")
    renamed = workspace.sites.rename(hq.id, "Head Office")
    assert (renamed.id, renamed.name) == (hq.id, "Head Office")


def test_site_delete_tombstone(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    hq = workspace.sites.create("Acme", "HQ")
    other = workspace.sites.create("Acme", "Branch")
    workspace.sites.delete(other.id)
    assert _deleted_at(workspace, "sites", other.id) is not None
    with workspace.db.read() as s:
        assert [x.id for x in Repository(s).sites()] == [hq.id]


def test_site_list_hides_tombstones(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    hq = workspace.sites.create("Acme", "HQ")
    other = workspace.sites.create("Acme", "Branch")
    workspace.sites.delete(other.id)
    assert [x.id for x in workspace.sites.all()] == [hq.id]


def test_duplicate_names_refused_case_insensitively(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    with pytest.raises(RuleViolation, match="already exists"):
        workspace.companies.create("ACME")
    beta = workspace.companies.create("Beta")
    with pytest.raises(RuleViolation, match="already exists"):
        workspace.companies.rename(beta.id, "acme")
    workspace.sites.create("Acme", "HQ")
    with pytest.raises(RuleViolation, match="already has a site"):
        workspace.sites.create("Acme", "hq")
    workspace.policies.create("remote-access", "RA")
    with pytest.raises(RuleViolation):
        workspace.policies.create("remote-access", "ra")


def test_lookup_by_id_or_exact_name(workspace: Workspace) -> None:
    acme = workspace.companies.create("Acme")
    site = workspace.sites.create("Acme", "HQ")
    with workspace.db.read() as s:
        from app.services.hierarchy import resolve_company, resolve_site

        repo = Repository(s)
        assert resolve_company(repo, acme.id).id == acme.id
        assert resolve_company(repo, "Acme").id == acme.id
        assert resolve_site(repo, site.id).id == site.id
        assert resolve_site(repo, "HQ").id == site.id
        with pytest.raises(NotFound, match="no company"):
            resolve_company(repo, "Nope")


def test_same_site_name_in_two_companies_is_ambiguous(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    workspace.companies.create("Beta")
    a = workspace.sites.create("Acme", "HQ")
    b = workspace.sites.create("Beta", "HQ")
    assert a.id != b.id
    with workspace.db.read() as s:
        from app.services.hierarchy import resolve_site

        with pytest.raises(Ambiguous, match="use the id"):
            resolve_site(Repository(s), "HQ")
        assert resolve_site(Repository(s), b.id).company_id == b.company_id


# --- packages and policies -------------------------------------------------------------------


def test_package_save_refuses_empty(workspace: Workspace) -> None:
    with pytest.raises(RuleViolation, match="at least one policy"):
        workspace.packages.save("Empty", [])
    with workspace.db.read() as s:
        assert Repository(s).packages() == []


def test_package_replace_on_same_type_reports_replaced(workspace: Workspace) -> None:
    first = workspace.policies.create("remote-access", "RA one")
    second = workspace.policies.create("remote-access", "RA two")
    comm = workspace.policies.create("communicator", "Comm")
    saved = workspace.packages.save("Pkg", [first.id, comm.id, second.id])
    assert [r.id for r in saved.replaced] == [first.id]
    assert {p.id for p in saved.package.policies} == {second.id, comm.id}
    third = workspace.policies.create("remote-access", "RA three")
    added = workspace.packages.add_policy("Pkg", third.id)
    assert [r.id for r in added.replaced] == [second.id]
    assert {p.id for p in added.package.policies} == {third.id, comm.id}


def test_one_default_at_a_time(workspace: Workspace) -> None:
    ra = workspace.policies.create("remote-access", "RA")
    a = workspace.packages.save("A", [ra.id], is_default=True)
    assert a.previous_default is None
    b = workspace.packages.save("B", [ra.id], is_default=True)
    assert b.previous_default is not None
    assert b.previous_default.id == a.package.id
    assert b.previous_default.is_default is False
    with workspace.db.read() as s:
        repo = Repository(s)
        default = repo.default_package()
        assert default is not None
        assert default.id == b.package.id
        assert [p.name for p in repo.packages() if p.is_default] == ["B"]


def test_removing_last_policy_refused(workspace: Workspace) -> None:
    ra = workspace.policies.create("remote-access", "RA")
    workspace.packages.save("Pkg", [ra.id])
    with pytest.raises(RuleViolation, match="at least one policy"):
        workspace.packages.remove_policy("Pkg", ra.id)
    with workspace.db.read() as s:
        (pkg,) = Repository(s).packages()
        assert pkg.policy_ids == [ra.id]


def test_deleting_assigned_package_refused(workspace: Workspace) -> None:
    ra = workspace.policies.create("remote-access", "RA")
    pkg = workspace.packages.save("Pkg", [ra.id]).package
    workspace.companies.create("Acme")
    workspace.sites.create("Acme", "HQ")
    workspace.sites.assign(pkg.id, ["HQ"])
    with pytest.raises(RuleViolation, match="assigned to 1 site"):
        workspace.packages.delete(pkg.id)
    workspace.sites.unassign(["HQ"])
    workspace.packages.delete(pkg.id)
    assert _deleted_at(workspace, "packages", pkg.id) is not None


def test_policy_delete_refused_while_in_package(workspace: Workspace) -> None:
    ra = workspace.policies.create("remote-access", "RA")
    comm = workspace.policies.create("communicator", "Comm")
    workspace.packages.save("Pkg", [ra.id, comm.id])
    with pytest.raises(RuleViolation, match="'Pkg'"):
        workspace.policies.delete(ra.id)
    workspace.packages.remove_policy("Pkg", ra.id)
    workspace.policies.delete(ra.id)
    assert _deleted_at(workspace, "policies", ra.id) is not None


def test_assign_and_unassign_results(workspace: Workspace) -> None:
    ra = workspace.policies.create("remote-access", "RA")
    a = workspace.packages.save("A", [ra.id]).package
    b = workspace.packages.save("B", [ra.id]).package
    workspace.companies.create("Acme")
    s1 = workspace.sites.create("Acme", "One")
    s2 = workspace.sites.create("Acme", "Two")
    first = workspace.sites.assign(a.id, [s1.id])
    assert [(c.site_id, c.previous_package, c.new_package) for c in first.changed] == [
        (s1.id, None, "A")
    ]
    second = workspace.sites.assign(b.id, [s1.id, s2.id])
    by_site = {c.site_id: c for c in second.changes}
    assert by_site[s1.id].previous_package == "A"
    assert by_site[s2.id].previous_package is None
    assert [c.site_id for c in second.replaced] == [s1.id]
    again = workspace.sites.assign(b.id, [s1.id, s2.id])
    assert again.changed == []
    assert all(not c.changed for c in again.changes)
    off = workspace.sites.unassign([s1.id])
    assert [(c.previous_package, c.new_package, c.changed) for c in off.changes] == [
        ("B", None, True)
    ]
    with workspace.db.read() as s:
        sites = {x.id: x.package_id for x in Repository(s).sites()}
    assert sites == {s1.id: None, s2.id: b.id}
