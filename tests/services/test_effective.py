"""Effective settings through EffectiveService on a real workspace file."""

from __future__ import annotations

import pytest

from app.domain.errors import RuleViolation
from app.services.workspace import Workspace
from storage.repository import Repository


@pytest.fixture
def setup(workspace: Workspace) -> dict[str, str]:
    ws = workspace
    ra_def = ws.policies.create("remote-access", "RA default",
                                {"notification_balloon": True, "allow_require_consent": False})
    comm = ws.policies.create("communicator", "Comm", {"enabled": True})
    ra_site = ws.policies.create("remote-access", "RA site", {"auto_update_agent": False})
    ws.rules.create("NOC", rule_id="rule-noc")
    rmm = ws.policies.create("rmm-site-configuration", "RMM",
                             {"rmm_enabled": True, "notification_rule": "NOC"})
    default = ws.packages.save("Default", [ra_def.id, comm.id, rmm.id], is_default=True)
    site_pkg = ws.packages.save("Site pkg", [ra_site.id])
    ws.companies.create("Acme")
    hq = ws.sites.create("Acme", "HQ")
    other = ws.sites.create("Acme", "Branch")
    device = ws.devices.create(hq.id, "PC-1")
    ws.sites.assign(site_pkg.package.id, [hq.id])
    return {"hq": hq.id, "other": other.id, "device": device.id, "ra_site": ra_site.id,
            "ra_def": ra_def.id, "default": default.package.id, "site_pkg": site_pkg.package.id}


def test_for_site_document(workspace: Workspace, setup: dict[str, str]) -> None:
    view = workspace.effective.for_site(setup["hq"])
    doc = view.document
    assert doc["settings"]["remote-access"] == {
        "allow_require_consent": True, "auto_update_agent": False, "notification_balloon": False}
    assert doc["settings"]["communicator"]["enabled"] is True
    link = doc["mapping"]["remote-access"]["auto_update_agent"]
    assert link["level"] == "site-package"
    assert link["package"] == {"id": setup["site_pkg"], "name": "Site pkg", "is_default": False}
    assert link["policy"] == {"id": setup["ra_site"], "name": "RA site", "type": "remote-access"}
    assert doc["mapping"]["communicator"]["enabled"]["level"] == "default-package"


def test_device_override_and_unassign(workspace: Workspace, setup: dict[str, str]) -> None:
    workspace.devices.set_override(setup["device"], "remote-access", "notification_balloon",
                                   "on", from_text=True)
    view = workspace.effective.for_site(setup["hq"], setup["device"])
    rows = {(r.type, r.key): r for r in view.rows}
    assert rows[("remote-access", "notification_balloon")].value is True
    assert rows[("remote-access", "notification_balloon")].level == "device-override"
    assert rows[("remote-access", "auto_update_agent")].level == "site-package"
    workspace.sites.unassign([setup["hq"]])
    after = workspace.effective.for_site(setup["hq"], setup["device"])
    rows = {(r.type, r.key): r for r in after.rows}
    assert rows[("remote-access", "notification_balloon")].level == "device-override"
    assert rows[("remote-access", "auto_update_agent")].level == "default-package"
    assert rows[("remote-access", "auto_update_agent")].value is True
    assert rows[("remote-access", "allow_require_consent")].value is False


def test_override_of_sites_type_refused(workspace: Workspace, setup: dict[str, str]) -> None:
    with pytest.raises(RuleViolation, match="Sites policy type"):
        workspace.devices.set_override(setup["device"], "rmm-site-configuration",
                                       "rmm_enabled", False)
    with workspace.db.read() as s:
        assert Repository(s).overrides(setup["device"]) == []


def test_all_sites_matches_for_site(workspace: Workspace, setup: dict[str, str]) -> None:
    every = {e.site.id: e for e in workspace.effective.all_sites()}
    assert set(every) == {setup["hq"], setup["other"]}
    for site_id, eff in every.items():
        assert eff.to_json() == workspace.effective.for_site(site_id).document


def test_all_sites_levels_and_unassign(workspace: Workspace, setup: dict[str, str]) -> None:
    def hq() -> dict:  # type: ignore[type-arg]
        (eff,) = [e for e in workspace.effective.all_sites() if e.site.id == setup["hq"]]
        return eff.to_json()

    doc = hq()
    assert doc["settings"]["remote-access"]["auto_update_agent"] is False
    assert doc["mapping"]["remote-access"]["auto_update_agent"]["level"] == "site-package"
    assert doc["mapping"]["communicator"]["enabled"]["package"]["id"] == setup["default"]
    # The document carries the rule's id; the rows people read show its name.
    assert doc["settings"]["rmm-site-configuration"]["notification_rule"] == "rule-noc"
    rows = {(r.type, r.key): r for r in workspace.effective.for_site(setup["hq"]).rows}
    assert rows[("rmm-site-configuration", "notification_rule")].value == "NOC"
    workspace.sites.unassign([setup["hq"]])
    doc = hq()
    assert doc["settings"]["remote-access"] == {
        "allow_require_consent": False, "auto_update_agent": True, "notification_balloon": True}
    link = doc["mapping"]["remote-access"]["auto_update_agent"]
    assert link["level"] == "default-package"
    assert link["policy"]["id"] == setup["ra_def"]
    assert link["package"]["is_default"] is True
