"""EffectiveService on a real workspace file, against hand-built expectations for every level:
default package only, site package over the default per type, device override over both;
provenance rows and the Asio `EffectivePolicy` document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from app.domain.errors import NotFound, RuleViolation
from app.services.workspace import Workspace
from storage.repository import Repository

RA_BASE = {"allow_require_consent": False, "auto_update_agent": True,
           "notification_balloon": True}
RA_SITE = {"allow_require_consent": True, "auto_update_agent": False,
           "notification_balloon": False}
COMM = {"enabled": True, "news_feeds": False, "instant_messages": True,
        "self_help_scripts": True}
STANDARD_RULE = "rule-standard"  # the id of the partner rule "Standard Notifications"
RMM = {"rmm_enabled": True, "noc_enabled": False, "notification_rule": STANDARD_RULE,
       "noc_access_level": 0, "coverage_hours": "24x7", "auto_credentials_servers": False,
       "auto_credentials_desktops": False}
PATCH = {"automation": True, "install_window": "22:00-04:00", "reboot_window": "04:00-05:00",
         "classification.critical": "deploy-all",
         **{f"classification.{n}": "deploy-approved" for n in (
             "security", "definition", "update-rollup", "service-pack", "feature-pack",
             "driver", "tools", "update")}}


@dataclass(frozen=True)
class World:
    partner: str
    company: str
    hq: str
    branch: str
    pc: str
    laptop: str
    ra_base: str
    ra_site: str
    comm: str
    rmm: str
    patch: str
    default: str
    site_pkg: str


@pytest.fixture
def world(workspace: Workspace) -> World:
    ws = workspace
    ws.rules.create("Standard Notifications", rule_id=STANDARD_RULE)
    ra_base = ws.policies.create("remote-access", "RA Base", {
        "allow_require_consent": False, "notification_balloon": True})
    comm = ws.policies.create("communicator", "Communicator", texts=[
        "enabled=yes", "news_feeds=off"])
    rmm = ws.policies.create("rmm-site-configuration", "RMM Standard", {
        "rmm_enabled": True, "notification_rule": "Standard Notifications"})
    ra_site = ws.policies.create("remote-access", "RA Site", {
        "auto_update_agent": False})
    patch = ws.policies.create("os-patching-desktop", "Weekly Patching", {
        "automation": True, "install_window": "22:00-04:00", "reboot_window": "04:00-05:00",
        "classification.critical": "deploy-all"})
    default = ws.packages.save("Baseline", [rmm.id, ra_base.id, comm.id], is_default=True)
    site_pkg = ws.packages.save("Managed Desktops", [ra_site.id, patch.id])
    acme = ws.companies.create("Acme")
    hq = ws.sites.create(acme.id, "HQ")
    branch = ws.sites.create(acme.id, "Branch")
    pc = ws.devices.create(hq.id, "WS-HQ-01")
    laptop = ws.devices.create(hq.id, "LT-HQ-02")
    ws.sites.assign(site_pkg.package.id, [hq.id])
    partner = ws.db.info("partner_id")
    assert partner
    return World(partner, acme.id, hq.id, branch.id, pc.id, laptop.id, ra_base.id, ra_site.id,
                 comm.id, rmm.id, patch.id, default.package.id, site_pkg.package.id)


def _pkg(w: World, which: str) -> dict[str, Any]:
    if which == "default":
        return {"id": w.default, "name": "Baseline", "is_default": True}
    return {"id": w.site_pkg, "name": "Managed Desktops", "is_default": False}


def _pol(policy_id: str, name: str, type_id: str) -> dict[str, Any]:
    return {"id": policy_id, "name": name, "type": type_id}


def _default_link(w: World, policy: dict[str, Any]) -> dict[str, Any]:
    return {"level": "default-package", "container": {"partnerID": w.partner},
            "package": _pkg(w, "default"), "policy": policy}


def _site_link(w: World, site: str, policy: dict[str, Any]) -> dict[str, Any]:
    return {"level": "site-package", "container": {"clientID": w.company, "siteID": site},
            "package": _pkg(w, "site"), "policy": policy}


def _expected_default_only(w: World) -> dict[str, Any]:
    ra = _pol(w.ra_base, "RA Base", "remote-access")
    comm = _pol(w.comm, "Communicator", "communicator")
    rmm = _pol(w.rmm, "RMM Standard", "rmm-site-configuration")
    return {
        "settings": {"rmm-site-configuration": RMM, "remote-access": RA_BASE,
                     "communicator": COMM},
        "mapping": {
            "rmm-site-configuration": {k: _default_link(w, rmm) for k in RMM},
            "remote-access": {k: _default_link(w, ra) for k in RA_BASE},
            "communicator": {k: _default_link(w, comm) for k in COMM},
        },
    }


def test_default_package_only(workspace: Workspace, world: World) -> None:
    view = workspace.effective.for_site("Branch")
    assert view.document == _expected_default_only(world)
    assert view.site.id == world.branch
    assert view.device is None
    rows = {(r.type, r.key): r for r in view.rows}
    row = rows[("remote-access", "notification_balloon")]
    assert (row.value, row.level, row.package, row.policy, row.label, row.type_label) == (
        True, "default-package", "Baseline", "RA Base", "Notification Balloon", "Remote Access")
    assert {r.level for r in view.rows} == {"default-package"}
    assert len(view.rows) == len(RMM) + len(RA_BASE) + len(COMM)


def test_site_package_overrides_the_default_per_type(workspace: Workspace,
                                                     world: World) -> None:
    view = workspace.effective.for_site(world.hq)
    w = world
    ra_site = _pol(w.ra_site, "RA Site", "remote-access")
    patch = _pol(w.patch, "Weekly Patching", "os-patching-desktop")
    expected = _expected_default_only(w)
    expected["settings"]["remote-access"] = RA_SITE
    expected["settings"]["os-patching-desktop"] = PATCH
    expected["mapping"]["remote-access"] = {k: _site_link(w, w.hq, ra_site) for k in RA_SITE}
    expected["mapping"]["os-patching-desktop"] = {k: _site_link(w, w.hq, patch) for k in PATCH}
    assert view.document == expected
    rows = {(r.type, r.key): r for r in view.rows}
    assert (rows[("remote-access", "auto_update_agent")].level,
            rows[("remote-access", "auto_update_agent")].package,
            rows[("remote-access", "auto_update_agent")].policy) == (
        "site-package", "Managed Desktops", "RA Site")
    # Types the site package does not have still come from the default.
    assert (rows[("communicator", "enabled")].level,
            rows[("communicator", "enabled")].package) == ("default-package", "Baseline")
    assert view.site.package == "Managed Desktops"


def test_device_override_beats_both(workspace: Workspace, world: World) -> None:
    workspace.devices.set_override(world.pc, "remote-access", "auto_update_agent", True)
    workspace.devices.set_override(world.pc, "communicator", "news_feeds", "on", from_text=True)
    view = workspace.effective.for_site("HQ", "WS-HQ-01")
    doc = view.document
    device_link = {"level": "device-override",
                   "container": {"clientID": world.company, "siteID": world.hq,
                                 "endpointID": world.pc}}
    assert doc["settings"]["remote-access"] == {**RA_SITE, "auto_update_agent": True}
    assert doc["mapping"]["remote-access"]["auto_update_agent"] == device_link
    assert doc["settings"]["communicator"] == {**COMM, "news_feeds": True}
    assert doc["mapping"]["communicator"]["news_feeds"] == device_link
    ra_site = _pol(world.ra_site, "RA Site", "remote-access")
    assert doc["mapping"]["remote-access"]["allow_require_consent"] == _site_link(
        world, world.hq, ra_site)
    assert doc["mapping"]["communicator"]["enabled"]["level"] == "default-package"
    assert view.device is not None
    assert (view.device.id, view.device.override_count) == (world.pc, 2)
    rows = {(r.type, r.key): r for r in view.rows}
    assert (rows[("remote-access", "auto_update_agent")].level,
            rows[("remote-access", "auto_update_agent")].package,
            rows[("remote-access", "auto_update_agent")].policy) == (
        "device-override", None, None)
    # Another device of the site, without overrides, has the site's values.
    other = workspace.effective.for_site("HQ", world.laptop).document
    assert other["settings"]["remote-access"] == RA_SITE
    assert other["settings"]["communicator"] == COMM
    # And the site itself is not touched by a device's overrides.
    assert workspace.effective.for_site("HQ").document["settings"]["remote-access"] == RA_SITE


def test_override_of_a_type_in_no_package(workspace: Workspace, world: World) -> None:
    workspace.devices.set_override(world.pc, "help-desk-chat", "deployment", "both")
    doc = workspace.effective.for_site(world.hq, world.pc).document
    assert doc["settings"]["help-desk-chat"] == {"deployment": "both"}
    assert doc["mapping"]["help-desk-chat"]["deployment"]["level"] == "device-override"


def test_removing_the_site_package_reverts_to_default_except_overrides(
        workspace: Workspace, world: World) -> None:
    workspace.devices.set_override(world.pc, "remote-access", "auto_update_agent", False)
    workspace.sites.unassign(["HQ"])
    site_doc = workspace.effective.for_site("HQ").document
    expected = _expected_default_only(world)
    assert site_doc["settings"] == expected["settings"]
    assert site_doc["mapping"]["remote-access"]["auto_update_agent"]["container"] == {
        "partnerID": world.partner}
    doc = workspace.effective.for_site("HQ", world.pc).document
    assert doc["settings"]["remote-access"] == {**RA_BASE, "auto_update_agent": False}
    assert doc["mapping"]["remote-access"]["auto_update_agent"]["level"] == "device-override"
    assert doc["mapping"]["remote-access"]["notification_balloon"] == _default_link(
        world, _pol(world.ra_base, "RA Base", "remote-access"))
    assert "os-patching-desktop" not in doc["settings"]
    # The laptop, with no override, is exactly the default now.
    assert workspace.effective.for_site("HQ", world.laptop).document["settings"] == (
        expected["settings"])


def test_devices_added_later_inherit_the_site_package(workspace: Workspace,
                                                      world: World) -> None:
    later = workspace.devices.create("HQ", "WS-HQ-99")
    doc = workspace.effective.for_site("HQ", later.id).document
    assert doc["settings"]["os-patching-desktop"] == PATCH
    assert doc["mapping"]["os-patching-desktop"]["install_window"]["package"]["id"] == (
        world.site_pkg)


def test_a_new_default_changes_sites_without_a_package(workspace: Workspace,
                                                       world: World) -> None:
    workspace.packages.set_default(world.site_pkg)
    branch = workspace.effective.for_site("Branch").document
    assert set(branch["settings"]) == {"remote-access", "os-patching-desktop"}
    assert branch["mapping"]["remote-access"]["notification_balloon"]["level"] == (
        "default-package")
    assert branch["mapping"]["remote-access"]["notification_balloon"]["package"] == {
        "id": world.site_pkg, "name": "Managed Desktops", "is_default": True}
    workspace.packages.set_default(world.site_pkg, False)
    assert workspace.effective.for_site("Branch").document == {"settings": {}, "mapping": {}}


def test_a_changed_policy_shows_at_once(workspace: Workspace, world: World) -> None:
    workspace.policies.update(world.ra_site, {"notification_balloon": True})
    doc = workspace.effective.for_site("HQ").document
    assert doc["settings"]["remote-access"]["notification_balloon"] is True


def test_clearing_an_override_reverts_it(workspace: Workspace, world: World) -> None:
    workspace.devices.set_override(world.pc, "remote-access", "auto_update_agent", True)
    workspace.devices.clear_override(world.pc, "remote-access", "auto_update_agent")
    doc = workspace.effective.for_site("HQ", world.pc).document
    assert doc["settings"]["remote-access"] == RA_SITE
    assert doc["mapping"]["remote-access"]["auto_update_agent"]["level"] == "site-package"
    with pytest.raises(NotFound, match=r"does not override remote-access\.auto_update_agent"):
        workspace.devices.clear_override(world.pc, "remote-access", "auto_update_agent")


# --- refusals -----------------------------------------------------------------------------


def _overrides(ws: Workspace, device: str) -> list[object]:
    with ws.db.read() as s:
        return list(Repository(s).overrides(device))


@pytest.mark.parametrize(("type_id", "key"), [
    ("rmm-site-configuration", "rmm_enabled"),
    ("rmm-site-configuration", "noc_access_level"),
    ("psa-integration", "ticket_sync"),
])
def test_override_of_a_sites_type_refused(workspace: Workspace, world: World,
                                          type_id: str, key: str) -> None:
    pending = workspace.pending_changes()
    with pytest.raises(RuleViolation) as info:
        workspace.devices.set_override(world.pc, type_id, key, "1", from_text=True)
    message = str(info.value)
    assert "WS-HQ-01" in message
    assert f"'{type_id}' is a Sites policy type" in message
    assert _overrides(workspace, world.pc) == []
    assert workspace.pending_changes() == pending


@pytest.mark.parametrize(("type_id", "key", "value", "words"), [
    ("nope", "x", "1", ["unknown policy type 'nope'"]),
    ("remote-access", "balloon", "on", ["unknown setting", "balloon"]),
    ("remote-access", "notification_balloon", "maybe", ["notification_balloon", "'maybe'"]),
    ("help-desk-chat", "deployment", "sky", ["deployment"]),
    # seed 000: OS Patching Server is for servers; WS-HQ-01 is a desktop
    ("os-patching-server", "automation", "on",
     ["device 'WS-HQ-01' is a desktop", "servers only", "'os-patching-desktop'"]),
])
def test_bad_overrides_refused(*, workspace: Workspace, world: World, type_id: str, key: str,
                               value: str, words: list[str]) -> None:
    with pytest.raises(RuleViolation) as info:
        workspace.devices.set_override(world.pc, type_id, key, value, from_text=True)
    for word in words:
        assert word in str(info.value)
    assert _overrides(workspace, world.pc) == []


@pytest.mark.parametrize(("key", "window", "words"), [
    ("install_window", "22:00-01:59", ["install_window", "at least 4 h", "3 h 59 min"]),
    ("reboot_window", "04:00-04:59", ["reboot_window", "at least 1 h", "59 min"]),
])
def test_override_cannot_break_the_window_rules(*, workspace: Workspace, world: World, key: str,
                                                window: str, words: list[str]) -> None:
    """A device override becomes the device's effective window: the ≥ 4 h / ≥ 1 h rules of
    seed 000 hold for it as they do for a policy."""
    with pytest.raises(RuleViolation) as info:
        workspace.devices.set_override(world.pc, "os-patching-desktop", key, window,
                                       from_text=True)
    for word in words:
        assert word in str(info.value)
    assert _overrides(workspace, world.pc) == []


def test_long_enough_window_override_accepted(workspace: Workspace, world: World) -> None:
    workspace.devices.set_override(world.pc, "os-patching-desktop", "install_window",
                                   "20:00-24:00", from_text=True)
    doc = workspace.effective.for_site("HQ", world.pc).document
    assert doc["settings"]["os-patching-desktop"]["install_window"] == "20:00-00:00"


def test_device_of_another_site_refused(workspace: Workspace, world: World) -> None:
    with pytest.raises(RuleViolation, match="device 'WS-HQ-01' is not at site 'Branch'"):
        workspace.effective.for_site("Branch", world.pc)


def test_unknown_site_or_device_refused(workspace: Workspace, world: World) -> None:
    with pytest.raises(NotFound, match="no site"):
        workspace.effective.for_site("Nowhere")
    with pytest.raises(NotFound, match="no device"):
        workspace.effective.for_site(world.hq, "PC-404")


# --- many sites at once, and the sample ------------------------------------------------------


def test_all_sites_agree_with_for_site(workspace: Workspace, world: World) -> None:
    every = {e.site.id: e.to_json() for e in workspace.effective.all_sites()}
    assert set(every) == {world.hq, world.branch}
    for site_id, doc in every.items():
        assert doc == workspace.effective.for_site(site_id).document
    assert every[world.branch] == _expected_default_only(world)


def test_compare_two_sites(workspace: Workspace, world: World) -> None:
    rows = {(r.type, r.key): r for r in workspace.effective.compare("HQ", "Branch")}
    row = rows[("remote-access", "auto_update_agent")]
    assert (row.left, row.right, row.differs) == (False, True, True)
    assert row.left_source == "Site package 'Managed Desktops', policy 'RA Site'"
    assert row.right_source == "Default package 'Baseline', policy 'RA Base'"
    patch = rows[("os-patching-desktop", "install_window")]
    assert (patch.left, patch.right, patch.right_source) == ("22:00-04:00", None, "not set")
    assert not rows[("communicator", "enabled")].differs


def test_sample_workspace_effective_settings(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    lab = ws.effective.for_site("Lab").document
    assert set(lab["settings"]) == {"rmm-site-configuration", "remote-access",
                                    "os-patching-desktop"}
    assert {link["package"]["name"] for links in lab["mapping"].values()
            for link in links.values()} == {"Baseline"}
    main = ws.effective.for_site("Main Office").document
    assert main["mapping"]["rmm-site-configuration"]["noc_enabled"]["policy"]["name"] == (
        "RMM with NOC")
    assert main["settings"]["rmm-site-configuration"]["noc_access_level"] == 2
    assert main["mapping"]["os-patching-desktop"]["install_window"]["package"]["name"] == (
        "Baseline"), "Help Desk Ready has no desktop patching: the default's applies"
    assert main["mapping"]["psa-integration"]["ticket_severities"]["level"] == "site-package"
    assert main["settings"]["psa-integration"]["ticket_severities"] == ["critical", "high"]
    overridden = [d for d in ws.devices.all() if d.override_count]
    assert len(overridden) == 3
    for device in overridden:
        doc = ws.effective.for_site(device.site_id, device.id).document
        levels = {link["level"] for links in doc["mapping"].values() for link in links.values()}
        assert "device-override" in levels
