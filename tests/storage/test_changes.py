"""Outbox and audit rows: one each per changed entity, in the change's own transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.domain.model import Company, new_id
from app.services.workspace import Workspace
from storage.repository import Repository


def _rows(path: Path, table: str, after: int = 0) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            f"SELECT entity, entity_id FROM {table} WHERE seq > ? ORDER BY seq",
            (after,),
        ).fetchall()
    finally:
        conn.close()


def _count(path: Path, sql: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _seq(path: Path) -> int:
    return _count(path, "SELECT COALESCE(MAX(seq), 0) FROM outbox")




def test_each_service_change_writes_one_outbox_and_one_audit_row(workspace: Workspace) -> None:
    path = workspace.path
    steps = []

    def step(action, expected):
        out_before = _seq(path)
        audit_before = _count(path, "SELECT COALESCE(MAX(seq), 0) FROM audit")
        result = action()
        entities = expected(result)
        assert sorted(_rows(path, "outbox", out_before)) == sorted(entities)
        assert sorted(_rows(path, "audit", audit_before)) == sorted(entities)
        steps.append(result)
        return result

    acme = step(lambda: workspace.companies.create("Acme"), lambda r: [("company", r.id)])
    hq = step(lambda: workspace.sites.create(acme.id, "HQ"), lambda r: [("site", r.id)])
    ra = step(lambda: workspace.policies.create("remote-access", "RA"),
              lambda r: [("policy", r.id)])
    pkg = step(lambda: workspace.packages.save("Pkg", [ra.id]),
               lambda r: [("package", r.package.id)])
    step(lambda: workspace.sites.assign(pkg.package.id, [hq.id]), lambda r: [("site", hq.id)])
    dev = step(lambda: workspace.devices.create(hq.id, "PC-1"), lambda r: [("device", r.id)])
    ov = step(lambda: workspace.devices.set_override(dev.id, "remote-access",
                                                     "notification_balloon", True),
              lambda r: [("device_override", r.id)])
    assert ov.device_id == dev.id
    # A second default clears the first: two packages change, two rows each.
    pkg_b = workspace.packages.save("B", [ra.id], is_default=True)
    step(lambda: workspace.packages.set_default(pkg.package.id),
         lambda r: [("package", pkg.package.id), ("package", pkg_b.package.id)])
    total_out = _count(path, "SELECT COUNT(*) FROM outbox")
    total_audit = _count(path, "SELECT COUNT(*) FROM audit")
    assert total_out == total_audit
    assert workspace.pending_changes() == total_out


def test_failed_change_leaves_nothing(workspace: Workspace) -> None:
    path = workspace.path
    before = {t: _count(path, f"SELECT COUNT(*) FROM {t}")
              for t in ("companies", "outbox", "audit")}
    company_id = new_id()
    seen: list[bool] = []

    def half_done() -> None:
        with workspace.db.write() as s:
            repo = Repository(s)
            repo.save_company(Company(company_id, "Half"), "company.create")
            s.flush()
            seen.append(repo.company(company_id) is not None)
            raise RuntimeError("failed halfway")

    with pytest.raises(RuntimeError, match="halfway"):
        half_done()
    assert seen == [True]
    after = {t: _count(path, f"SELECT COUNT(*) FROM {t}")
             for t in ("companies", "outbox", "audit")}
    assert after == before
    with workspace.db.read() as s:
        assert Repository(s).company(company_id) is None


def test_bulk_assign_writes_one_row_per_site(workspace: Workspace) -> None:
    ra = workspace.policies.create("remote-access", "RA")
    pkg = workspace.packages.save("Pkg", [ra.id]).package
    workspace.companies.create("Acme")
    sites = [workspace.sites.create("Acme", f"Site {i}").id for i in range(7)]
    out_before = _seq(workspace.path)
    audit_before = _count(workspace.path, "SELECT COALESCE(MAX(seq), 0) FROM audit")
    result = workspace.sites.assign(pkg.id, sites)
    assert len(result.changed) == 7
    expected = sorted(("site", sid) for sid in sites)
    assert sorted(_rows(workspace.path, "outbox", out_before)) == expected
    assert sorted(_rows(workspace.path, "audit", audit_before)) == expected
    # Assigning again changes nothing and records nothing.
    mid = _seq(workspace.path)
    workspace.sites.assign(pkg.id, sites)
    assert _rows(workspace.path, "outbox", mid) == []


def test_rename_writes_one_outbox_and_one_audit_row(workspace: Workspace) -> None:
    acme = workspace.companies.create("Acme")
    out_before = _seq(workspace.path)
    workspace.companies.rename(acme.id, "Acme Ltd")
    assert _rows(workspace.path, "outbox", out_before) == [("company", acme.id)]
    assert _rows(workspace.path, "audit", out_before) == [("company", acme.id)]
