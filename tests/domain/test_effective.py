"""Effective settings resolved by hand-built objects (seed 000/001): default < site < device."""

from __future__ import annotations

import pytest

from app.domain.effective import Level, resolve
from app.domain.model import Company, Device, DeviceOverride, Policy, Site
from app.domain.packages import make_package
from app.domain.policy_types import POLICY_TYPES

COMPANY = Company("c1", "Acme")
SITE = Site("s1", "c1", "HQ", package_id="pk-site")
DEVICE = Device("d1", "s1", "PC-1")

RA_DEFAULT = Policy("p-ra-def", "remote-access", "RA default",
                    {"allow_require_consent": False, "auto_update_agent": True,
                     "notification_balloon": True})
COMM_DEFAULT = Policy("p-comm-def", "communicator", "Comm default", {"enabled": True})
RA_SITE = Policy("p-ra-site", "remote-access", "RA site",
                 {"allow_require_consent": True, "auto_update_agent": False,
                  "notification_balloon": False})
POLICIES = {p.id: p for p in (RA_DEFAULT, COMM_DEFAULT, RA_SITE)}
DEFAULT_PKG, _ = make_package("pk-def", "Default", [RA_DEFAULT, COMM_DEFAULT], is_default=True)
SITE_PKG, _ = make_package("pk-site", "Site pkg", [RA_SITE])


def _resolve(site_package=SITE_PKG, device=None, overrides=()):
    return resolve(partner_id="partner-1", company=COMPANY, site=SITE,
                   site_package=site_package, default_package=DEFAULT_PKG,
                   policies=POLICIES, device=device, overrides=overrides)


def test_default_package_only() -> None:
    eff = _resolve(site_package=None)
    doc = eff.to_json()
    assert doc["settings"] == {
        "remote-access": {"allow_require_consent": False, "auto_update_agent": True,
                          "notification_balloon": True},
        "communicator": {"enabled": True, "news_feeds": True, "instant_messages": True,
                         "self_help_scripts": True},
    }
    assert {i.source.level for i in eff.items} == {Level.DEFAULT_PACKAGE}
    assert doc["mapping"]["remote-access"]["notification_balloon"] == {
        "level": "default-package",
        "container": {"partnerID": "partner-1"},
        "package": {"id": "pk-def", "name": "Default", "is_default": True},
        "policy": {"id": "p-ra-def", "name": "RA default", "type": "remote-access"},
    }


def test_site_package_overrides_per_type() -> None:
    eff = _resolve()
    assert eff.value("remote-access", "notification_balloon") is False
    assert eff.value("remote-access", "auto_update_agent") is False
    source = eff.source("remote-access", "auto_update_agent")
    assert (source.level, source.package, source.policy) == (
        Level.SITE_PACKAGE, SITE_PKG, RA_SITE)
    # Types the site package lacks still come from the default package.
    comm = eff.source("communicator", "enabled")
    assert (comm.level, comm.policy) == (Level.DEFAULT_PACKAGE, COMM_DEFAULT)
    assert eff.value("communicator", "enabled") is True
    link = eff.to_json()["mapping"]["remote-access"]["auto_update_agent"]
    assert link == {
        "level": "site-package",
        "container": {"clientID": "c1", "siteID": "s1"},
        "package": {"id": "pk-site", "name": "Site pkg", "is_default": False},
        "policy": {"id": "p-ra-site", "name": "RA site", "type": "remote-access"},
    }
    # Types in neither package are absent.
    assert "psa-integration" not in eff.to_json()["settings"]


def test_device_override_beats_both() -> None:
    override = DeviceOverride("o1", "d1", "remote-access", "notification_balloon", True)
    comm = DeviceOverride("o2", "d1", "communicator", "news_feeds", False)
    eff = _resolve(device=DEVICE, overrides=[override, comm])
    assert eff.value("remote-access", "notification_balloon") is True
    assert eff.value("communicator", "news_feeds") is False
    src = eff.source("remote-access", "notification_balloon")
    assert (src.level, src.device) == (Level.DEVICE_OVERRIDE, DEVICE)
    assert eff.source("remote-access", "auto_update_agent").level is Level.SITE_PACKAGE
    link = eff.to_json()["mapping"]["remote-access"]["notification_balloon"]
    assert link == {"level": "device-override",
                    "container": {"clientID": "c1", "siteID": "s1", "endpointID": "d1"}}


def test_unassigned_site_reverts_to_default_except_overrides() -> None:
    override = DeviceOverride("o1", "d1", "remote-access", "auto_update_agent", False)
    eff = _resolve(site_package=None, device=DEVICE, overrides=[override])
    assert eff.value("remote-access", "allow_require_consent") is False  # default package
    assert eff.source("remote-access", "allow_require_consent").level is Level.DEFAULT_PACKAGE
    assert eff.value("remote-access", "auto_update_agent") is False
    assert eff.source("remote-access", "auto_update_agent").level is Level.DEVICE_OVERRIDE


def test_every_setting_of_a_present_type_is_resolved() -> None:
    eff = _resolve()
    keys = {(i.type_id, i.key) for i in eff.items}
    for type_id in ("remote-access", "communicator"):
        for spec in POLICY_TYPES[type_id].settings:
            assert (type_id, spec.key) in keys
    with pytest.raises(KeyError):
        eff.value("psa-integration", "psa_url")
