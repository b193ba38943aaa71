"""Assigning packages to sites (seed 000/001): one package per site, assigning another replaces
it and says so, many sites at once, unknown names refused with nothing changed."""

from __future__ import annotations

import pytest

from app.domain.errors import Ambiguous, NotFound, RuleViolation
from app.services.views import SiteAssignmentChange
from app.services.workspace import Workspace


@pytest.fixture
def world(workspace: Workspace) -> dict[str, str]:
    ws = workspace
    ra = ws.policies.create("remote-access", "RA")
    comm = ws.policies.create("communicator", "Comm")
    ids = {
        "a": ws.packages.save("Alpha", [ra.id]).package.id,
        "b": ws.packages.save("Bravo", [comm.id]).package.id,
    }
    acme = ws.companies.create("Acme")
    beta = ws.companies.create("Beta")
    ids["hq"] = ws.sites.create(acme.id, "HQ").id
    ids["lab"] = ws.sites.create(acme.id, "Lab").id
    ids["depot"] = ws.sites.create(beta.id, "Depot").id
    return ids


def _packages(ws: Workspace) -> dict[str, str | None]:
    return {x.name: x.package for x in ws.sites.all()}


def test_assign_reports_every_site(workspace: Workspace, world: dict[str, str]) -> None:
    result = workspace.sites.assign("Alpha", ["HQ", world["lab"]])
    assert result.package == "Alpha"
    assert result.changes == (
        SiteAssignmentChange(world["hq"], "HQ", "Acme", None, "Alpha", True),
        SiteAssignmentChange(world["lab"], "Lab", "Acme", None, "Alpha", True),
    )
    assert result.replaced == []
    assert _packages(workspace) == {"HQ": "Alpha", "Lab": "Alpha", "Depot": None}
    assert workspace.packages.get("Alpha").site_count == 2


def test_assigning_another_replaces_and_says_which(workspace: Workspace,
                                                   world: dict[str, str]) -> None:
    workspace.sites.assign("Alpha", ["HQ"])
    workspace.sites.assign("Bravo", ["Lab"])
    result = workspace.sites.assign("Bravo", ["HQ", "Lab", "Depot"])
    by_site = {c.site: c for c in result.changes}
    assert (by_site["HQ"].previous_package, by_site["HQ"].changed) == ("Alpha", True)
    assert (by_site["Lab"].previous_package, by_site["Lab"].changed) == ("Bravo", False)
    assert (by_site["Depot"].previous_package, by_site["Depot"].changed) == (None, True)
    assert [c.site for c in result.replaced] == ["HQ"]
    assert sorted(c.site for c in result.changed) == ["Depot", "HQ"]
    assert {c.new_package for c in result.changes} == {"Bravo"}
    assert _packages(workspace) == {"HQ": "Bravo", "Lab": "Bravo", "Depot": "Bravo"}
    assert workspace.packages.get("Alpha").site_count == 0


def test_assigning_again_changes_nothing(workspace: Workspace, world: dict[str, str]) -> None:
    workspace.sites.assign("Alpha", ["HQ", "Lab"])
    again = workspace.sites.assign("Alpha", ["HQ", "Lab"])
    assert again.changed == []
    assert [(c.site, c.previous_package, c.changed) for c in again.changes] == [
        ("HQ", "Alpha", False), ("Lab", "Alpha", False)]


def test_preview_writes_nothing(workspace: Workspace, world: dict[str, str]) -> None:
    workspace.sites.assign("Alpha", ["HQ"])
    pending = workspace.pending_changes()
    plan = workspace.sites.preview_assign("Bravo", ["HQ", "Lab"])
    assert [(c.site, c.previous_package, c.new_package, c.changed) for c in plan.changes] == [
        ("HQ", "Alpha", "Bravo", True), ("Lab", None, "Bravo", True)]
    assert [c.site for c in plan.replaced] == ["HQ"]
    assert _packages(workspace) == {"HQ": "Alpha", "Lab": None, "Depot": None}
    assert workspace.pending_changes() == pending
    unplan = workspace.sites.preview_assign(None, ["HQ", "Lab"])
    assert [(c.site, c.new_package, c.changed) for c in unplan.changes] == [
        ("HQ", None, True), ("Lab", None, False)]


def test_unassign_reports_previous_and_unchanged(workspace: Workspace,
                                                 world: dict[str, str]) -> None:
    workspace.sites.assign("Alpha", ["HQ"])
    workspace.sites.assign("Bravo", ["Depot"])
    result = workspace.sites.unassign(["HQ", "Lab", "Depot"])
    assert result.package is None
    assert [(c.site, c.previous_package, c.new_package, c.changed) for c in result.changes] == [
        ("HQ", "Alpha", None, True), ("Lab", None, None, False), ("Depot", "Bravo", None, True)]
    assert sorted(c.site for c in result.replaced) == ["Depot", "HQ"]
    assert _packages(workspace) == {"HQ": None, "Lab": None, "Depot": None}


def test_a_site_named_twice_counts_once(workspace: Workspace, world: dict[str, str]) -> None:
    result = workspace.sites.assign("Alpha", ["HQ", world["hq"], "hq"])
    assert [c.site_id for c in result.changes] == [world["hq"]]


def test_unknown_package_refused(workspace: Workspace, world: dict[str, str]) -> None:
    with pytest.raises(NotFound, match="no package with id or name 'Charlie'"):
        workspace.sites.assign("Charlie", ["HQ"])
    assert set(_packages(workspace).values()) == {None}


def test_unknown_site_refused_and_no_site_changes(workspace: Workspace,
                                                  world: dict[str, str]) -> None:
    workspace.sites.assign("Bravo", ["Lab"])
    pending = workspace.pending_changes()
    with pytest.raises(NotFound, match="no site with id or name 'Nowhere'"):
        workspace.sites.assign("Alpha", ["HQ", "Lab", "Nowhere"])
    with pytest.raises(NotFound, match="Nowhere"):
        workspace.sites.unassign(["Lab", "Nowhere"])
    assert _packages(workspace) == {"HQ": None, "Lab": "Bravo", "Depot": None}
    assert workspace.pending_changes() == pending


def test_no_sites_refused(workspace: Workspace, world: dict[str, str]) -> None:
    with pytest.raises(RuleViolation, match="name at least one site"):
        workspace.sites.assign("Alpha", [])
    with pytest.raises(RuleViolation, match="name at least one site"):
        workspace.sites.unassign([])


def test_ambiguous_site_refused(workspace: Workspace, world: dict[str, str]) -> None:
    workspace.sites.create("Beta", "HQ")
    with pytest.raises(Ambiguous, match="use the id"):
        workspace.sites.assign("Alpha", ["Lab", "HQ"])
    assert set(_packages(workspace).values()) == {None}
    result = workspace.sites.assign("Alpha", [world["hq"]])
    assert [c.company for c in result.changes] == ["Acme"]


def test_deleted_sites_and_packages_cannot_be_assigned(workspace: Workspace,
                                                       world: dict[str, str]) -> None:
    workspace.sites.delete(world["lab"])
    with pytest.raises(NotFound):
        workspace.sites.assign("Alpha", [world["lab"]])
    workspace.packages.delete("Bravo")
    with pytest.raises(NotFound):
        workspace.sites.assign(world["b"], ["HQ"])


def test_bulk_assign_many_sites(workspace: Workspace, world: dict[str, str]) -> None:
    many = [workspace.sites.create("Beta", f"Store {i:03d}").id for i in range(60)]
    result = workspace.sites.assign("Alpha", [*many, "HQ"])
    assert len(result.changed) == 61
    assert workspace.packages.get("Alpha").site_count == 61
    off = workspace.sites.unassign(many)
    assert len(off.changed) == 60
    assert {c.previous_package for c in off.changes} == {"Alpha"}
    assert workspace.packages.get(world["a"]).site_count == 1


def test_new_sites_start_without_a_package(workspace: Workspace, world: dict[str, str]) -> None:
    site = workspace.sites.create("Acme", "Annex")
    assert (site.package_id, site.package) == (None, None)
