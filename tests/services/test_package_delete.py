"""Deleting a package that sites depend on is refused, naming them, unless forced; undo puts
the package, its assignments and its default flag back (issue 14)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from app.domain.errors import RuleViolation
from app.services.packages import PackageInUse
from app.services.workspace import Workspace

PATCHING = "os-patching-desktop"


def _state(ws: Workspace) -> tuple[object, ...]:
    with closing(sqlite3.connect(ws.path)) as db:
        return (db.execute("SELECT id, name, is_default, deleted_at FROM packages ORDER BY id"
                           ).fetchall(),
                db.execute("SELECT * FROM package_policies ORDER BY package_id, type_id"
                           ).fetchall(),
                db.execute("SELECT id, package_id FROM sites ORDER BY id").fetchall(),
                db.execute("SELECT count(*) FROM outbox").fetchone())


def test_the_default_package_is_refused_naming_every_site_that_inherits_it(
        sample_workspace: Workspace) -> None:
    ws = sample_workspace
    before = _state(ws)
    with pytest.raises(PackageInUse) as refused:
        ws.packages.delete("Baseline")
    impact = refused.value.impact
    assert impact.is_default
    named = {s.name for s in impact.inheriting}
    # Lab has no package; Main Office's own package has no desktop patching policy: both
    # take settings from Baseline (the tester's "RMM services" and "patching settings").
    assert {"Lab", "Main Office"} <= named
    assert "Lab" in str(refused.value)
    assert "Main Office" in str(refused.value)
    assert _state(ws) == before, "a refused delete changes nothing"
    assert ws.effective.for_site("Lab").document["settings"]["rmm-site-configuration"]


def test_an_assigned_package_is_refused_naming_its_sites(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    assigned = {s.name for s in ws.sites.all() if s.package == "Managed Servers"}
    with pytest.raises(PackageInUse) as refused:
        ws.packages.delete("Managed Servers")
    assert {s.name for s in refused.value.impact.assigned} == assigned
    for name in assigned:
        assert name in str(refused.value)


def test_force_deletes_and_unassigns_in_one_go_and_undo_puts_it_all_back(
        sample_workspace: Workspace) -> None:
    ws = sample_workspace
    before = _state(ws)[:3]
    effective = {s.name: ws.effective.for_site(s.id).document["settings"]
                 for s in ws.sites.all()}
    deleted = ws.packages.delete("Managed Servers", force=True)
    assert deleted.impact.assigned
    assert all(s.package != "Managed Servers" for s in ws.sites.all())
    assert "Managed Servers" not in [p.name for p in ws.packages.all()]
    back = ws.packages.restore(deleted)
    assert back.site_count == len(deleted.impact.assigned)
    assert _state(ws)[:3] == before
    assert {s.name: ws.effective.for_site(s.id).document["settings"]
            for s in ws.sites.all()} == effective


def test_undo_of_a_forced_default_delete_makes_it_the_default_again(
        sample_workspace: Workspace) -> None:
    ws = sample_workspace
    deleted = ws.packages.delete("Baseline", force=True)
    assert [p.name for p in ws.packages.all() if p.is_default] == []
    assert PATCHING not in ws.effective.for_site("Main Office").document["settings"]
    ws.packages.restore(deleted)
    assert [p.name for p in ws.packages.all() if p.is_default] == ["Baseline"]
    assert PATCHING in ws.effective.for_site("Main Office").document["settings"]


def test_undo_is_refused_when_another_package_became_the_default(
        sample_workspace: Workspace) -> None:
    ws = sample_workspace
    deleted = ws.packages.delete("Baseline", force=True)
    ws.packages.set_default("Managed Servers")
    with pytest.raises(RuleViolation, match="'Managed Servers' is the default"):
        ws.packages.restore(deleted)
    assert "Baseline" not in [p.name for p in ws.packages.all()]


def test_an_unused_package_is_deleted_without_force(workspace: Workspace) -> None:
    ra = workspace.policies.create("remote-access", "RA")
    workspace.packages.save("Spare", [ra.id])
    deleted = workspace.packages.delete("Spare")
    assert deleted.impact.affected == ()
    assert workspace.packages.all() == []
