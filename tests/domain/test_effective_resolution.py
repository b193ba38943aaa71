"""app.domain.effective.resolve against hand-built expectations: default package only, a site
package overriding it per type, a device override beating both; provenance and the Asio
`EffectivePolicy` JSON shape (settings domain→key→value; mapping domain→key→link)."""

from __future__ import annotations

from typing import Any

from app.domain.effective import EffectivePolicy, Level, Provenance, resolve
from app.domain.model import Company, Device, DeviceOverride, Policy, Site
from app.domain.packages import Package, make_package

PARTNER = "partner-0001"
ACME = Company("company-acme", "Acme Dental")
HQ = Site("site-hq", ACME.id, "HQ", package_id="pkg-site")
LAB = Site("site-lab", ACME.id, "Lab")
PC = Device("dev-pc1", HQ.id, "WS-HQ-01")

RA_BASE = Policy("pol-ra-base", "remote-access", "RA Base",
                 {"allow_require_consent": True, "auto_update_agent": True,
                  "notification_balloon": False})
RMM_BASE = Policy("pol-rmm", "rmm-site-configuration", "RMM Standard",
                  {"rmm_enabled": True, "notification_rule": "Standard Notifications"})
COMM_BASE = Policy("pol-comm", "communicator", "Communicator On", {"enabled": True})
RA_SITE = Policy("pol-ra-site", "remote-access", "RA Quiet",
                 {"allow_require_consent": False, "notification_balloon": True})
PATCH_SITE = Policy("pol-patch", "os-patching-desktop", "Weekly Patching",
                    {"automation": True, "install_window": "22:00-04:00",
                     "reboot_window": "04:00-05:00", "classification.critical": "deploy-all"})
POLICIES = {p.id: p for p in (RA_BASE, RMM_BASE, COMM_BASE, RA_SITE, PATCH_SITE)}

DEFAULT_PKG = Package("pkg-default", "Baseline",
                      (("rmm-site-configuration", RMM_BASE.id), ("remote-access", RA_BASE.id),
                       ("communicator", COMM_BASE.id)), is_default=True)
SITE_PKG = Package("pkg-site", "Managed Desktops",
                   (("remote-access", RA_SITE.id), ("os-patching-desktop", PATCH_SITE.id)))

RMM_EXPECTED = {"rmm_enabled": True, "noc_enabled": False,
                "notification_rule": "Standard Notifications", "noc_access_level": 0,
                "coverage_hours": "24x7", "auto_credentials_servers": False,
                "auto_credentials_desktops": False}
COMM_EXPECTED = {"enabled": True, "news_feeds": True, "instant_messages": True,
                 "self_help_scripts": True}
RA_BASE_EXPECTED = {"allow_require_consent": True, "auto_update_agent": True,
                    "notification_balloon": False}
RA_SITE_EXPECTED = {"allow_require_consent": False, "auto_update_agent": True,
                    "notification_balloon": True}
PATCH_EXPECTED: dict[str, Any] = {
    "automation": True,
    "classification.critical": "deploy-all",
    **{f"classification.{n}": "deploy-approved" for n in (
        "security", "definition", "update-rollup", "service-pack", "feature-pack", "driver",
        "tools", "update")},
    "install_window": "22:00-04:00",
    "reboot_window": "04:00-05:00",
}

DEFAULT_CONTAINER = {"partnerID": PARTNER}
SITE_CONTAINER = {"clientID": ACME.id, "siteID": HQ.id}
DEVICE_CONTAINER = {"clientID": ACME.id, "siteID": HQ.id, "endpointID": PC.id}


def _package(p: Package) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "is_default": p.is_default}


def _policy(p: Policy) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "type": p.type_id}


def _links(keys: dict[str, Any], link: dict[str, Any]) -> dict[str, Any]:
    return dict.fromkeys(keys, link)


def _run(site: Site = HQ, site_package: Package | None = SITE_PKG,
         default: Package | None = DEFAULT_PKG, device: Device | None = None,
         overrides: tuple[DeviceOverride, ...] = ()) -> EffectivePolicy:
    return resolve(partner_id=PARTNER, company=ACME, site=site, site_package=site_package,
                   default_package=default, policies=POLICIES, device=device,
                   overrides=overrides)


def test_default_package_only() -> None:
    eff = _run(site=LAB, site_package=None)
    default_link = {"level": "default-package", "container": DEFAULT_CONTAINER,
                    "package": _package(DEFAULT_PKG)}
    assert eff.to_json() == {
        "settings": {
            "rmm-site-configuration": RMM_EXPECTED,
            "remote-access": RA_BASE_EXPECTED,
            "communicator": COMM_EXPECTED,
        },
        "mapping": {
            "rmm-site-configuration": _links(RMM_EXPECTED, {
                **default_link, "policy": _policy(RMM_BASE)}),
            "remote-access": _links(RA_BASE_EXPECTED, {
                **default_link, "policy": _policy(RA_BASE)}),
            "communicator": _links(COMM_EXPECTED, {
                **default_link, "policy": _policy(COMM_BASE)}),
        },
    }
    assert eff.source("remote-access", "notification_balloon") == Provenance(
        Level.DEFAULT_PACKAGE, DEFAULT_PKG, RA_BASE)
    assert (eff.company, eff.site, eff.device, eff.partner_id) == (ACME, LAB, None, PARTNER)


def test_site_package_overrides_the_default_per_type() -> None:
    eff = _run()
    doc = eff.to_json()
    assert doc["settings"] == {
        "rmm-site-configuration": RMM_EXPECTED,  # not in the site package: from the default
        "remote-access": RA_SITE_EXPECTED,  # in both: the site package wins, every key
        "os-patching-desktop": PATCH_EXPECTED,  # only in the site package
        "communicator": COMM_EXPECTED,
    }
    site_link = {"level": "site-package", "container": SITE_CONTAINER,
                 "package": _package(SITE_PKG)}
    default_link = {"level": "default-package", "container": DEFAULT_CONTAINER,
                    "package": _package(DEFAULT_PKG)}
    assert doc["mapping"] == {
        "rmm-site-configuration": _links(RMM_EXPECTED, {**default_link,
                                                        "policy": _policy(RMM_BASE)}),
        "remote-access": _links(RA_SITE_EXPECTED, {**site_link, "policy": _policy(RA_SITE)}),
        "os-patching-desktop": _links(PATCH_EXPECTED, {**site_link,
                                                       "policy": _policy(PATCH_SITE)}),
        "communicator": _links(COMM_EXPECTED, {**default_link, "policy": _policy(COMM_BASE)}),
    }
    # A key the site policy leaves out takes the type's default, still from the site policy
    # (the whole type comes from one policy; keys are never mixed across packages).
    assert eff.value("remote-access", "auto_update_agent") is True
    assert eff.source("remote-access", "auto_update_agent") == Provenance(
        Level.SITE_PACKAGE, SITE_PKG, RA_SITE)


def test_device_override_beats_both() -> None:
    overrides = (
        DeviceOverride("ov1", PC.id, "remote-access", "notification_balloon", False),
        DeviceOverride("ov2", PC.id, "communicator", "news_feeds", False),
        DeviceOverride("ov3", PC.id, "help-desk-chat", "enabled", True),
    )
    eff = _run(device=PC, overrides=overrides)
    doc = eff.to_json()
    assert doc["settings"] == {
        "rmm-site-configuration": RMM_EXPECTED,
        "remote-access": {**RA_SITE_EXPECTED, "notification_balloon": False},
        "os-patching-desktop": PATCH_EXPECTED,
        "communicator": {**COMM_EXPECTED, "news_feeds": False},
        "help-desk-chat": {"enabled": True},  # in no package: only the overridden key
    }
    device_link = {"level": "device-override", "container": DEVICE_CONTAINER}
    assert doc["mapping"]["remote-access"]["notification_balloon"] == device_link
    assert doc["mapping"]["communicator"]["news_feeds"] == device_link
    assert doc["mapping"]["help-desk-chat"] == {"enabled": device_link}
    # The keys it does not override keep their package provenance.
    assert doc["mapping"]["remote-access"]["allow_require_consent"] == {
        "level": "site-package", "container": SITE_CONTAINER, "package": _package(SITE_PKG),
        "policy": _policy(RA_SITE)}
    assert doc["mapping"]["communicator"]["enabled"]["level"] == "default-package"
    assert eff.source("communicator", "news_feeds") == Provenance(Level.DEVICE_OVERRIDE,
                                                                  device=PC)


def test_removing_the_site_package_reverts_to_the_default_except_overrides() -> None:
    overrides = (DeviceOverride("ov1", PC.id, "remote-access", "allow_require_consent", False),)
    site = Site(HQ.id, ACME.id, HQ.name, package_id=None)
    eff = _run(site=site, site_package=None, device=PC, overrides=overrides)
    doc = eff.to_json()
    assert doc["settings"] == {
        "rmm-site-configuration": RMM_EXPECTED,
        "remote-access": {**RA_BASE_EXPECTED, "allow_require_consent": False},
        "communicator": COMM_EXPECTED,
    }
    assert "os-patching-desktop" not in doc["mapping"]
    assert doc["mapping"]["remote-access"]["allow_require_consent"]["level"] == "device-override"
    assert doc["mapping"]["remote-access"]["notification_balloon"]["level"] == "default-package"
    assert doc["mapping"]["remote-access"]["notification_balloon"]["policy"] == _policy(RA_BASE)


def test_overrides_without_a_device_are_ignored() -> None:
    overrides = (DeviceOverride("ov1", PC.id, "remote-access", "notification_balloon", False),)
    eff = _run(overrides=overrides)
    assert eff.value("remote-access", "notification_balloon") is True
    assert eff.source("remote-access", "notification_balloon").level is Level.SITE_PACKAGE


def test_nothing_assigned_and_no_default_gives_nothing() -> None:
    eff = _run(site=LAB, site_package=None, default=None)
    assert eff.items == ()
    assert eff.to_json() == {"settings": {}, "mapping": {}}


def test_site_package_without_a_default() -> None:
    eff = _run(default=None)
    assert set(eff.to_json()["settings"]) == {"remote-access", "os-patching-desktop"}
    assert {item.source.level for item in eff.items} == {Level.SITE_PACKAGE}


def test_a_policy_missing_from_the_lookup_falls_through_to_the_default() -> None:
    gone = {k: v for k, v in POLICIES.items() if k != RA_SITE.id}
    eff = resolve(partner_id=PARTNER, company=ACME, site=HQ, site_package=SITE_PKG,
                  default_package=DEFAULT_PKG, policies=gone)
    assert eff.source("remote-access", "notification_balloon").policy == RA_BASE
    assert eff.value("remote-access", "notification_balloon") is False


def test_the_site_package_being_the_default_reports_default_true() -> None:
    package, _ = make_package("pkg-default", "Baseline", [RMM_BASE, RA_BASE, COMM_BASE],
                              is_default=True)
    eff = _run(site_package=package)
    link = eff.to_json()["mapping"]["remote-access"]["auto_update_agent"]
    assert link["level"] == "site-package"
    assert link["package"] == {"id": "pkg-default", "name": "Baseline", "is_default": True}


def test_values_and_sources_cover_every_key_of_every_present_type() -> None:
    eff = _run(device=PC)
    pairs = [(i.type_id, i.key) for i in eff.items]
    assert len(pairs) == len(set(pairs)), "one value per setting"
    doc = eff.to_json()
    for type_id, keys in doc["settings"].items():
        assert set(keys) == set(doc["mapping"][type_id])
        for key, value in keys.items():
            assert eff.value(type_id, key) == value


SERVER_PATCH = Policy("pol-patch-srv", "os-patching-server", "Server Patching",
                      {"automation": True, "install_window": "01:00-05:00",
                       "reboot_window": "05:00-06:00"})
BOTH_KINDS_PKG = Package("pkg-site", "Managed Desktops and Servers",
                         (("os-patching-desktop", PATCH_SITE.id),
                          ("os-patching-server", SERVER_PATCH.id)))


def test_a_device_gets_only_the_patching_type_of_its_kind() -> None:
    """Seed 000: OS Patching Desktop is for desktops, OS Patching Server for servers. The site
    has both; a server's effective settings have only the server's, a desktop's only the
    desktop's (the drift report compares an endpoint with these)."""
    policies = {**POLICIES, SERVER_PATCH.id: SERVER_PATCH}

    def domains(device: Device | None) -> set[str]:
        effective = resolve(partner_id=PARTNER, company=ACME, site=HQ,
                            site_package=BOTH_KINDS_PKG, default_package=DEFAULT_PKG,
                            policies=policies, device=device)
        return set(effective.to_json()["settings"])

    shared = {"rmm-site-configuration", "remote-access", "communicator"}
    assert domains(None) == shared | {"os-patching-desktop", "os-patching-server"}
    assert domains(PC) == shared | {"os-patching-desktop"}
    assert domains(Device("dev-srv", HQ.id, "SRV-HQ-01", kind="server")) == \
        shared | {"os-patching-server"}
