"""Storage round trip: objects made through the services, the workspace closed and opened again,
and everything reads back equal — views, typed settings, package order, effective settings."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

from app.services.sample import populate_sample
from app.services.workspace import Workspace
from storage.repository import Repository


def _snapshot(ws: Workspace) -> dict[str, Any]:
    sites = ws.sites.all()
    devices = ws.devices.all()
    with ws.db.read() as s:
        repo = Repository(s)
        overrides = sorted(
            (o.device_id, o.type_id, o.key, repr(o.value))
            for d in repo.devices() for o in repo.overrides(d.id)
        )
        partner = repo.partner()
    return {
        "partner": partner,
        "companies": ws.companies.all(),
        "sites": sites,
        "devices": devices,
        "policies": ws.policies.all(),
        "rules": ws.rules.all(),
        "packages": ws.packages.all(),
        "overrides": overrides,
        "site_effective": [ws.effective.for_site(x.id) for x in sites],
        "device_effective": [ws.effective.for_site(d.site_id, d.id) for d in devices],
        "pending": ws.pending_changes(),
        "workspace_id": ws.db.info("workspace_id"),
    }


def _build(ws: Workspace) -> dict[str, str]:
    acme = ws.companies.create("Acme Dental")
    beta = ws.companies.create("Zahnärzte Müller & Söhne")
    hq = ws.sites.create(acme.id, "Main Office")
    lab = ws.sites.create("Acme Dental", "Lab")
    praxis = ws.sites.create(beta.id, "Praxis Köln")
    pc = ws.devices.create(hq.id, "WS-HQ-01", "desktop", "Windows 11 Pro")
    srv = ws.devices.create(hq.id, "SRV-HQ-01", "server", "Windows Server 2022")
    ws.devices.create(praxis.id, "WS-KÖLN-01")
    ws.rules.create("NOC Escalation")  # the partner rule the policy references (by id)
    rmm = ws.policies.create("rmm-site-configuration", "RMM with NOC", {
        "rmm_enabled": True, "noc_enabled": True, "notification_rule": "NOC Escalation",
        "noc_access_level": 3, "coverage_hours": "business-hours"})
    ra = ws.policies.create("remote-access", "Remote Access Quiet",
                            texts=["allow_require_consent=off", "notification_balloon=yes"])
    patch = ws.policies.create("os-patching-server", "Server Patching", {
        "automation": True, "install_window": "20:00-24:00", "reboot_window": "1:00-2:00",
        "classification.driver": "do-not-deploy"})
    psa = ws.policies.create("psa-integration", "PSA", {
        "psa_url": "https://psa.example.com", "ticket_severities": ["low", "critical"],
        "priority_map.high": "Priority 2 - High", "service_board": "Remote Support"})
    chat = ws.policies.create("help-desk-chat", "Chat", {"enabled": True,
                                                         "branding_name": "Hilfe & Support"})
    base = ws.packages.save("Baseline", [ra.id, rmm.id], is_default=True)
    servers = ws.packages.save("Servers", [patch.id, psa.id, chat.id, ra.id])
    ws.sites.assign(servers.package.id, [hq.id, praxis.id])
    ws.devices.set_override(srv.id, "os-patching-server", "reboot_window", "03:00-04:00")
    ws.devices.set_override(pc.id, "remote-access", "notification_balloon", False)
    return {"hq": hq.id, "lab": lab.id, "pc": pc.id, "base": base.package.id,
            "servers": servers.package.id, "patch": patch.id}


def test_round_trip_through_close_and_reopen(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    ids = _build(ws)
    before = _snapshot(ws)
    ws.close()
    again = Workspace.open(workspace_path)
    try:
        after = _snapshot(again)
    finally:
        again.close()
    assert after == before
    # Spot checks that the snapshot holds what was made, typed as made.
    (patch,) = [p for p in after["policies"] if p.id == ids["patch"]]
    assert patch.settings["install_window"] == "20:00-00:00"
    assert patch.settings["reboot_window"] == "01:00-02:00"
    assert patch.settings["automation"] is True
    (psa,) = [p for p in after["policies"] if p.name == "PSA"]
    assert psa.settings["ticket_severities"] == ["critical", "low"]
    (ra,) = [p for p in after["policies"] if p.name == "Remote Access Quiet"]
    assert ra.settings == {"allow_require_consent": False, "auto_update_agent": True,
                           "notification_balloon": True}
    (rmm,) = [p for p in after["policies"] if p.name == "RMM with NOC"]
    assert rmm.settings["noc_access_level"] == 3
    packages = {p.name: p for p in after["packages"]}
    assert [r.name for r in packages["Servers"].policies] == [
        "Server Patching", "PSA", "Chat", "Remote Access Quiet"], "builder order kept"
    assert packages["Baseline"].is_default
    assert not packages["Servers"].is_default
    assert packages["Servers"].site_count == 2
    sites = {s.name: s for s in after["sites"]}
    assert sites["Main Office"].package == "Servers"
    assert sites["Lab"].package is None
    assert sites["Main Office"].device_count == 2
    assert {c.name for c in after["companies"]} == {"Acme Dental", "Zahnärzte Müller & Söhne"}
    assert after["partner"] is not None
    assert after["pending"] > 0


def test_effective_settings_survive_a_reopen(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    ids = _build(ws)
    ws.close()
    again = Workspace.open(workspace_path)
    try:
        doc = again.effective.for_site(ids["hq"], ids["pc"]).document
    finally:
        again.close()
    assert doc["settings"]["remote-access"] == {
        "allow_require_consent": False, "auto_update_agent": True,
        "notification_balloon": False}
    assert doc["mapping"]["remote-access"]["notification_balloon"]["level"] == "device-override"
    assert doc["mapping"]["remote-access"]["auto_update_agent"]["package"]["id"] == (
        ids["servers"])
    assert doc["settings"]["rmm-site-configuration"]["noc_access_level"] == 3
    assert doc["mapping"]["rmm-site-configuration"]["noc_enabled"]["package"] == {
        "id": ids["base"], "name": "Baseline", "is_default": True}


def test_sample_workspace_round_trip(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    populate_sample(ws)
    before = _snapshot(ws)
    ws.close()
    again = Workspace.open(workspace_path)
    try:
        assert _snapshot(again) == before
    finally:
        again.close()
    assert len(before["companies"]) == 3
    assert len(before["sites"]) == 8
    assert len(before["devices"]) == 40
    assert len(before["packages"]) == 4
    assert [p.name for p in before["packages"] if p.is_default] == ["Baseline"]
    assert len(before["overrides"]) == 3


def test_stored_rows_carry_sync_columns(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, create=True)
    ids = _build(ws)
    ws.close()
    with closing(sqlite3.connect(workspace_path)) as conn:
        for table in ("companies", "sites", "devices", "policies", "packages",
                      "device_overrides", "partners", "notification_rules"):
            rows = conn.execute(f"SELECT id, version, updated_at, deleted_at FROM {table}")
            for row_id, version, updated_at, deleted_at in rows:
                assert str(uuid.UUID(row_id)) == row_id, "a client-made UUID"
                assert version == 0, "never synced"
                assert updated_at.endswith("Z")
                assert deleted_at is None
        (stored,) = conn.execute("SELECT settings_json FROM policies WHERE id = ?",
                                 (ids["patch"],)).fetchone()
    assert '"install_window": "20:00-00:00"' in stored
