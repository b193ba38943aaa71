"""Every user change writes, in its own transaction, one outbox row and one audit row per changed
entity (docs/architecture.md §3); a change that fails halfway leaves nothing at all. Counted with
sqlite3 straight on the file, not through our code."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from app.domain.errors import NotFound, RuleViolation
from app.domain.model import Company, Device, Policy, Site, new_id
from app.domain.packages import Package
from app.services.workspace import Workspace
from storage.bulk import insert_companies, insert_devices, insert_packages, insert_sites
from storage.repository import Repository

ENTITY_TABLES = ("companies", "sites", "devices", "policies", "packages", "package_policies",
                 "device_overrides")


@dataclass(frozen=True)
class Row:
    seq: int
    entity: str
    entity_id: str
    op: str
    payload: dict[str, Any]
    base_version: int
    key: str
    created_at: str


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _outbox(path: Path, after: int = 0) -> list[Row]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(
            "SELECT seq, entity, entity_id, op, payload_json, base_version, idempotency_key, "
            "created_at FROM outbox WHERE seq > ? ORDER BY seq", (after,)).fetchall()
    return [Row(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7]) for r in rows]


def _audit(path: Path, after: int = 0) -> list[AuditEntry]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(
            "SELECT seq, at, actor, action, entity, entity_id, before_json, after_json "
            "FROM audit WHERE seq > ? ORDER BY seq", (after,)).fetchall()
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5],
                       json.loads(r[6]) if r[6] else None, json.loads(r[7]) if r[7] else None)
            for r in rows]


def _counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in (*ENTITY_TABLES, "outbox", "audit")}


def _marks(path: Path) -> tuple[int, int]:
    with closing(sqlite3.connect(path)) as conn:
        out = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM outbox").fetchone()[0]
        aud = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM audit").fetchone()[0]
    return out, aud


class Recorder:
    """Runs one service call and returns the outbox and audit rows it wrote."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def __call__(self, action: Callable[[], Any]) -> tuple[Any, list[Row], list[AuditEntry]]:
        out, aud = _marks(self.ws.path)
        result = action()
        return result, _outbox(self.ws.path, out), _audit(self.ws.path, aud)


def _same_entities(outbox: list[Row], audit: list[AuditEntry]) -> list[tuple[str, str]]:
    pairs = sorted((r.entity, r.entity_id) for r in outbox)
    assert pairs == sorted((a.entity, a.entity_id) for a in audit)
    assert len(set(pairs)) == len(pairs), "one row per changed entity"
    return pairs


@pytest.fixture
def rec(workspace: Workspace) -> Recorder:
    return Recorder(workspace)


# --- one outbox row and one audit row per changed entity ------------------------------------------


def test_company_create_rename_delete(workspace: Workspace, rec: Recorder) -> None:
    acme, out, aud = rec(lambda: workspace.companies.create("Acme"))
    assert _same_entities(out, aud) == [("company", acme.id)]
    (row,), (entry,) = out, aud
    partner = workspace.db.info("partner_id")
    assert row.op == "upsert"
    assert row.payload == {"id": acme.id, "name": "Acme", "partnerId": partner}
    assert row.base_version == 0
    assert (entry.action, entry.before, entry.after) == ("company.create", None, row.payload)
    assert entry.at == row.created_at
    assert entry.actor

    _, out, aud = rec(lambda: workspace.companies.rename(acme.id, "Acme Ltd"))
    assert _same_entities(out, aud) == [("company", acme.id)]
    assert aud[0].action == "company.rename"
    assert aud[0].before is not None
    assert aud[0].before["name"] == "Acme"
    assert aud[0].after is not None
    assert aud[0].after["name"] == "Acme Ltd"
    assert out[0].payload["name"] == "Acme Ltd"

    _, out, aud = rec(lambda: workspace.companies.delete(acme.id))
    assert _same_entities(out, aud) == [("company", acme.id)]
    assert out[0].op == "delete"
    assert out[0].payload == {"id": acme.id}
    assert (aud[0].action, aud[0].after) == ("company.delete", None)
    assert aud[0].before is not None
    assert aud[0].before["name"] == "Acme Ltd"


def test_company_delete_records_every_tombstone(workspace: Workspace, rec: Recorder) -> None:
    acme = workspace.companies.create("Acme")
    s1 = workspace.sites.create(acme.id, "One")
    s2 = workspace.sites.create(acme.id, "Two")
    d1 = workspace.devices.create(s1.id, "PC-1")
    d2 = workspace.devices.create(s1.id, "PC-2")
    d3 = workspace.devices.create(s2.id, "PC-3")
    commits = _commits(workspace)
    _, out, aud = rec(lambda: workspace.companies.delete(acme.id))
    assert len(commits) == 1, "the company and everything under it go in one transaction"
    assert _same_entities(out, aud) == sorted([
        ("company", acme.id), ("site", s1.id), ("site", s2.id),
        ("device", d1.id), ("device", d2.id), ("device", d3.id)])
    assert {r.op for r in out} == {"delete"}
    assert {a.action for a in aud} == {"company.delete", "site.delete", "device.delete"}
    assert len({r.key for r in _outbox(workspace.path)}) == len(_outbox(workspace.path))


def test_site_and_device_changes(workspace: Workspace, rec: Recorder) -> None:
    workspace.companies.create("Acme")
    hq, out, aud = rec(lambda: workspace.sites.create("Acme", "HQ"))
    assert _same_entities(out, aud) == [("site", hq.id)]
    assert out[0].payload == {"id": hq.id, "companyId": hq.company_id, "name": "HQ",
                              "packageId": None}
    _, out, aud = rec(lambda: workspace.sites.rename(hq.id, "Head Office"))
    assert _same_entities(out, aud) == [("site", hq.id)]
    assert aud[0].before is not None
    assert aud[0].before["name"] == "HQ"
    pc, out, aud = rec(lambda: workspace.devices.create(hq.id, "PC-1", "server", "Linux"))
    assert _same_entities(out, aud) == [("device", pc.id)]
    assert out[0].payload == {"id": pc.id, "siteId": hq.id, "name": "PC-1", "kind": "server",
                              "os": "Linux"}
    ov, out, aud = rec(lambda: workspace.devices.set_override(
        pc.id, "remote-access", "notification_balloon", True))
    assert _same_entities(out, aud) == [("device_override", ov.id)]
    assert out[0].payload["value"] is True
    ov2, out, aud = rec(lambda: workspace.devices.set_override(
        pc.id, "remote-access", "notification_balloon", False))
    assert ov2.id == ov.id, "a second value for the same setting updates the override"
    assert _same_entities(out, aud) == [("device_override", ov.id)]
    assert aud[0].before is not None
    assert aud[0].before["value"] is True
    _, out, aud = rec(lambda: workspace.devices.clear_override(
        pc.id, "remote-access", "notification_balloon"))
    assert _same_entities(out, aud) == [("device_override", ov.id)]
    assert out[0].op == "delete"
    _, out, aud = rec(lambda: workspace.sites.delete(hq.id))
    assert _same_entities(out, aud) == sorted([("site", hq.id), ("device", pc.id)])


def test_policy_changes(workspace: Workspace, rec: Recorder) -> None:
    ra, out, aud = rec(lambda: workspace.policies.create("remote-access", "RA"))
    assert _same_entities(out, aud) == [("policy", ra.id)]
    assert out[0].payload == {"id": ra.id, "type": "remote-access", "name": "RA", "settings": {
        "allow_require_consent": True, "auto_update_agent": True,
        "notification_balloon": False}}
    _, out, aud = rec(lambda: workspace.policies.update(ra.id, {"notification_balloon": True}))
    assert _same_entities(out, aud) == [("policy", ra.id)]
    assert aud[0].before is not None
    assert aud[0].before["settings"]["notification_balloon"] is False
    assert out[0].payload["settings"]["notification_balloon"] is True
    _, out, aud = rec(lambda: workspace.policies.update(ra.id, {"notification_balloon": True}))
    assert (out, aud) == ([], []), "an edit to the values it has records nothing"
    copy, out, aud = rec(lambda: workspace.policies.duplicate(ra.id))
    assert _same_entities(out, aud) == [("policy", copy.id)]
    _, out, aud = rec(lambda: workspace.policies.delete(copy.id))
    assert _same_entities(out, aud) == [("policy", copy.id)]
    assert out[0].op == "delete"


def test_package_changes(workspace: Workspace, rec: Recorder) -> None:
    ra = workspace.policies.create("remote-access", "RA")
    ra2 = workspace.policies.create("remote-access", "RA 2")
    comm = workspace.policies.create("communicator", "Comm")
    saved, out, aud = rec(lambda: workspace.packages.save("Pkg", [ra.id, comm.id]))
    pkg = saved.package
    assert _same_entities(out, aud) == [("package", pkg.id)]
    assert out[0].payload == {"id": pkg.id, "name": "Pkg", "is_default": False,
                              "policies": [ra.id, comm.id]}
    _, out, aud = rec(lambda: workspace.packages.add_policy(pkg.id, ra2.id))
    assert _same_entities(out, aud) == [("package", pkg.id)]
    assert out[0].payload["policies"] == [comm.id, ra2.id]
    assert aud[0].before is not None
    assert aud[0].before["policies"] == [ra.id, comm.id]
    _, out, aud = rec(lambda: workspace.packages.add_policy(pkg.id, ra2.id))
    assert (out, aud) == ([], []), "adding a policy that is there changes nothing"
    _, out, aud = rec(lambda: workspace.packages.remove_policy(pkg.id, comm.id))
    assert _same_entities(out, aud) == [("package", pkg.id)]
    assert out[0].payload["policies"] == [ra2.id]
    _, out, aud = rec(lambda: workspace.packages.set_default(pkg.id))
    assert _same_entities(out, aud) == [("package", pkg.id)]
    assert out[0].payload["is_default"] is True
    other, out, aud = rec(lambda: workspace.packages.save("Other", [ra.id], is_default=True))
    assert _same_entities(out, aud) == sorted([("package", pkg.id),
                                               ("package", other.package.id)])
    _, out, aud = rec(lambda: workspace.packages.delete(pkg.id))
    assert _same_entities(out, aud) == [("package", pkg.id)]
    assert out[0].op == "delete"


def test_setting_the_current_default_again_records_nothing(workspace: Workspace,
                                                           rec: Recorder) -> None:
    """Like a policy edit to the values it has, or an assignment a site already has: no change,
    no outbox row (else an unchanged package is pushed to the server again)."""
    ra = workspace.policies.create("remote-access", "RA")
    workspace.packages.save("Pkg", [ra.id], is_default=True)
    result, out, aud = rec(lambda: workspace.packages.set_default("Pkg"))
    assert result.package.is_default
    assert result.previous_default is None
    assert (out, aud) == ([], [])


def test_assign_and_unassign(workspace: Workspace, rec: Recorder) -> None:
    ra = workspace.policies.create("remote-access", "RA")
    pkg = workspace.packages.save("Pkg", [ra.id]).package
    workspace.companies.create("Acme")
    hq = workspace.sites.create("Acme", "HQ")
    lab = workspace.sites.create("Acme", "Lab")
    _, out, aud = rec(lambda: workspace.sites.assign(pkg.id, [hq.id]))
    assert _same_entities(out, aud) == [("site", hq.id)]
    assert out[0].payload["packageId"] == pkg.id
    assert aud[0].before is not None
    assert aud[0].before["packageId"] is None
    # One already has it: only the other is recorded.
    _, out, aud = rec(lambda: workspace.sites.assign(pkg.id, [hq.id, lab.id]))
    assert _same_entities(out, aud) == [("site", lab.id)]
    _, out, aud = rec(lambda: workspace.sites.unassign([hq.id, lab.id]))
    assert _same_entities(out, aud) == sorted([("site", hq.id), ("site", lab.id)])
    assert {r.payload["packageId"] for r in out} == {None}
    _, out, aud = rec(lambda: workspace.sites.unassign([hq.id]))
    assert (out, aud) == ([], [])
    _, out, aud = rec(lambda: workspace.sites.preview_assign(pkg.id, [hq.id]))
    assert (out, aud) == ([], []), "a preview writes nothing"


def test_idempotency_keys_are_unique_uuids(sample_workspace: Workspace) -> None:
    rows = _outbox(sample_workspace.path)
    assert len(rows) > 50
    keys = [r.key for r in rows]
    assert len(set(keys)) == len(keys)
    assert all(len(k) == 36 and k.count("-") == 4 for k in keys)
    assert len(_audit(sample_workspace.path)) == len(rows)
    assert sample_workspace.pending_changes() == len(rows)


def test_reads_record_nothing(sample_workspace: Workspace) -> None:
    before = _counts(sample_workspace.path)
    ws = sample_workspace
    ws.companies.all()
    ws.sites.all()
    ws.devices.all()
    ws.policies.all()
    ws.packages.all()
    for site in ws.sites.all():
        ws.effective.for_site(site.id)
    list(ws.effective.all_sites())
    assert _counts(sample_workspace.path) == before


# --- refused changes leave nothing -------------------------------------------------------------


def _refused_without_trace(ws: Workspace, action: Callable[[], object],
                           error: type[Exception] = RuleViolation,
                           match: str | None = None) -> None:
    before = _counts(ws.path)
    with pytest.raises(error, match=match):
        action()
    assert _counts(ws.path) == before


def test_refused_service_changes_write_nothing(workspace: Workspace) -> None:
    ws = workspace
    ws.companies.create("Acme")
    hq = ws.sites.create("Acme", "HQ")
    pc = ws.devices.create(hq.id, "PC-1")
    ra = ws.policies.create("remote-access", "RA")
    pkg = ws.packages.save("Pkg", [ra.id]).package
    ws.sites.assign(pkg.id, [hq.id])
    _refused_without_trace(ws, lambda: ws.companies.create("ACME"), match="already exists")
    _refused_without_trace(ws, lambda: ws.companies.create(""), match="must not be empty")
    _refused_without_trace(ws, lambda: ws.sites.create("Acme", "hq"), match="already has")
    _refused_without_trace(ws, lambda: ws.sites.create("Nope", "X"), NotFound)
    _refused_without_trace(ws, lambda: ws.policies.create("nope", "X"), match="unknown")
    _refused_without_trace(ws, lambda: ws.policies.create(
        "os-patching-desktop", "Short", {"install_window": "22:00-01:59"}), match="at least 4 h")
    _refused_without_trace(ws, lambda: ws.policies.create(
        "remote-access", "Maybe", texts=["notification_balloon=maybe"]), match="maybe")
    _refused_without_trace(ws, lambda: ws.policies.update(
        ra.id, {"notification_balloon": "yes"}), match="notification_balloon")
    _refused_without_trace(ws, lambda: ws.policies.delete(ra.id), match="remove it from")
    _refused_without_trace(ws, lambda: ws.packages.save("Empty", []), match="at least one")
    _refused_without_trace(ws, lambda: ws.packages.remove_policy(pkg.id, ra.id),
                           match="at least one")
    _refused_without_trace(ws, lambda: ws.packages.delete(pkg.id), match="assigned")
    _refused_without_trace(ws, lambda: ws.sites.assign("Nope", [hq.id]), NotFound)
    _refused_without_trace(ws, lambda: ws.devices.set_override(
        pc.id, "rmm-site-configuration", "rmm_enabled", True), match="Sites policy type")


def test_assign_with_one_unknown_site_changes_none(workspace: Workspace) -> None:
    ra = workspace.policies.create("remote-access", "RA")
    pkg = workspace.packages.save("Pkg", [ra.id]).package
    workspace.companies.create("Acme")
    good = [workspace.sites.create("Acme", f"Site {i}").id for i in range(3)]
    _refused_without_trace(workspace, lambda: workspace.sites.assign(pkg.id, [*good, "Nope"]),
                           NotFound, match="Nope")
    assert {s.package for s in workspace.sites.all()} == {None}


def test_several_overrides_are_all_or_nothing(workspace: Workspace) -> None:
    workspace.companies.create("Acme")
    workspace.sites.create("Acme", "HQ")
    pc = workspace.devices.create("HQ", "PC-1")
    items = [("remote-access", "notification_balloon", "on"),
             ("communicator", "enabled", "maybe")]
    _refused_without_trace(
        workspace, lambda: workspace.devices.set_overrides(pc.id, items, from_text=True),
        match="communicator.enabled")
    with workspace.db.read() as s:
        assert Repository(s).overrides(pc.id) == []


# --- a change that fails halfway leaves no row, no outbox row, no audit row -------------------


def test_change_failing_halfway_leaves_nothing(workspace: Workspace) -> None:
    before = _counts(workspace.path)
    company_id, policy_id = new_id(), new_id()
    seen: dict[str, int] = {}

    def half_done() -> None:
        with workspace.db.write() as s:
            repo = Repository(s)
            repo.save_company(Company(company_id, "Half"), "company.create")
            repo.save_policy(Policy(policy_id, "remote-access", "Half", {}), "policy.create")
            repo.save_package(Package(new_id(), "Half", (("remote-access", policy_id),)),
                              "package.create")
            seen["pending"] = repo.outbox_count()
            raise RuntimeError("power cut halfway")

    with pytest.raises(RuntimeError, match="power cut"):
        half_done()
    assert seen["pending"] == before["outbox"] + 3, "the rows were there inside the transaction"
    assert _counts(workspace.path) == before
    with closing(sqlite3.connect(workspace.path)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM companies WHERE id = ?",
                            (company_id,)).fetchone()[0] == 0
    assert workspace.companies.all() == []


def test_database_refusal_halfway_leaves_nothing(workspace: Workspace) -> None:
    """The second of two defaults is refused by the database itself: all of it rolls back."""
    ws = workspace
    ra = ws.policies.create("remote-access", "RA")
    ws.packages.save("Old default", [ra.id], is_default=True)
    before = _counts(ws.path)

    def two_defaults() -> None:
        with ws.db.write() as s:
            repo = Repository(s)
            repo.save_company(Company(new_id(), "Before the failure"), "company.create")
            insert_packages(s, [Package(new_id(), "New default", (("remote-access", ra.id),),
                                        is_default=True)])

    with pytest.raises(RuleViolation, match="refused by the workspace"):
        two_defaults()
    assert _counts(ws.path) == before
    assert [p.name for p in ws.packages.all() if p.is_default] == ["Old default"]


# --- bulk: N sites, N rows, one transaction ------------------------------------------------------


def _commits(ws: Workspace) -> list[int]:
    commits: list[int] = []
    event.listen(ws.db.engine, "commit", lambda _conn: commits.append(1))
    return commits


@pytest.mark.parametrize("n", [1, 25, 950])
def test_bulk_assign_writes_n_rows_in_one_transaction(workspace: Workspace, n: int) -> None:
    ws = workspace
    ra = ws.policies.create("remote-access", "RA")
    pkg = ws.packages.save("Pkg", [ra.id]).package
    old = ws.packages.save("Old", [ra.id]).package
    acme = ws.companies.create("Acme")
    sites = [Site(new_id(), acme.id, f"Site {i:04d}") for i in range(n)]
    with ws.db.write() as s:
        insert_sites(s, sites)
    ws.sites.assign(old.id, [sites[0].id])
    out, aud = _marks(ws.path)
    commits = _commits(ws)
    result = ws.sites.assign(pkg.id, [x.id for x in sites])
    assert len(commits) == 1, "one transaction"
    rows, entries = _outbox(ws.path, out), _audit(ws.path, aud)
    assert len(rows) == n
    assert len(entries) == n
    assert _same_entities(rows, entries) == sorted(("site", x.id) for x in sites)
    assert {r.payload["packageId"] for r in rows} == {pkg.id}
    assert len({r.created_at for r in rows}) == 1, "written together"
    assert {e.action for e in entries} == {"site.assign"}
    assert len(result.changed) == n
    assert [c.previous_package for c in result.replaced] == ["Old"]
    with closing(sqlite3.connect(ws.path)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sites WHERE package_id = ?",
                            (pkg.id,)).fetchone()[0] == n

    out, aud = _marks(ws.path)
    ws.sites.unassign([x.id for x in sites])
    assert len(_outbox(ws.path, out)) == n
    assert len(_audit(ws.path, aud)) == n


def test_bulk_insert_records_each_row(workspace: Workspace) -> None:
    ws = workspace
    partner = ws.db.info("partner_id")
    assert partner
    companies = [Company(new_id(), f"Client {i}") for i in range(5)]
    sites = [Site(new_id(), c.id, "Main") for c in companies]
    devices = [Device(new_id(), x.id, f"PC-{i}") for i, x in enumerate(sites * 2)]
    out, aud = _marks(ws.path)
    commits = _commits(ws)
    with ws.db.write() as s:
        insert_companies(s, companies, partner)
        insert_sites(s, sites)
        insert_devices(s, devices)
    assert len(commits) == 1
    rows, entries = _outbox(ws.path, out), _audit(ws.path, aud)
    assert len(rows) == len(entries) == 5 + 5 + 10
    assert sorted(r.entity_id for r in rows) == sorted(
        [c.id for c in companies] + [x.id for x in sites] + [d.id for d in devices])
    assert {e.action for e in entries} == {"company.import", "site.import", "device.import"}
    assert {e.before is None for e in entries} == {True}
    assert len(ws.companies.all()) == 5
    assert sum(x.device_count for x in ws.sites.all()) == 10


def test_bulk_insert_failing_halfway_leaves_nothing(workspace: Workspace) -> None:
    ws = workspace
    partner = ws.db.info("partner_id")
    assert partner
    before = _counts(ws.path)
    companies = [Company(new_id(), f"Client {i}") for i in range(50)]

    def import_then_fail() -> None:
        with ws.db.write() as s:
            insert_companies(s, companies, partner)
            # The second half: a site of a company that does not exist (foreign key).
            insert_sites(s, [Site(new_id(), companies[0].id, "Main"),
                             Site(new_id(), "no-such-company", "Orphan")])

    with pytest.raises(RuleViolation, match="FOREIGN KEY"):
        import_then_fail()
    assert _counts(ws.path) == before
