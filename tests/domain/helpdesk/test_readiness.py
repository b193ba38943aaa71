"""The go-live checklist (docs/rules.md): each item passes on a complete site and fails when
its one thing is broken."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.effective import resolve
from app.domain.helpdesk import (
    CHECKS,
    EscalationPath,
    NetworkInfo,
    PathKind,
    Printer,
    PrinterKind,
    ProfileSummary,
    RequestKind,
    Section,
    SecurityRequest,
    SiteReadinessInput,
    SiteSetup,
    Status,
    parse_link,
    parse_slots,
    place_label,
    readiness,
    settings_of,
)
from app.domain.model import Company, Policy, Site
from app.domain.packages import make_package
from app.domain.policy_types import RMM_SITE_CONFIGURATION, build_settings

from .builders import (
    ALWAYS,
    PROFILES,
    basic,
    contact,
    network,
    product,
    psa_settings,
    ready_site,
    remote_settings,
    rmm_settings,
    rule,
)
from .builders import with_setup as with_


def status(site: SiteReadinessInput, check: str) -> Status:
    return readiness(site).item(check).status


def test_a_complete_site_passes_every_item_in_order() -> None:
    checklist = readiness(ready_site())
    assert [i.id for i in checklist.items] == list(CHECKS)
    assert all(i.status is Status.PASS for i in checklist.items)
    assert checklist.ready
    assert checklist.blockers == ()
    assert checklist.warnings == ()
    for item in checklist.items:
        assert item.why.endswith(".")
        site_id, _place = parse_link(item.link)
        assert site_id == "s1"


def test_an_empty_site_fails_and_says_what_to_do() -> None:
    checklist = readiness(SiteReadinessInput("s9", "New site"))
    assert not checklist.ready
    # no PSA policy: nothing to connect; no Remote Access policy: advice only
    assert {i.id for i in checklist.blockers} == set(CHECKS) - {
        "security-requests", "psa-integration", "psa-connection", "remote-access"}
    assert checklist.item("psa-integration").status is Status.WARNING
    assert checklist.item("psa-connection").status is Status.PASS
    assert checklist.item("remote-access").status is Status.WARNING
    # no policy reaches the site: its links lead to the assignments (never a read-only view)
    for check in ("rmm-enabled", "noc-enabled", "psa-integration", "psa-connection",
                  "remote-access"):
        assert checklist.item(check).link == "site:s9/assignments", check


# --- one test per item: pass is covered above, each fail here ------------------------------


def test_agent_deployed() -> None:
    item = readiness(ready_site(server_count=0, desktop_count=0)).item("agent-deployed")
    assert item.status is Status.FAIL
    assert "deploy the agent" in item.why
    assert item.link == "site:s1/devices"
    assert status(ready_site(server_count=0, desktop_count=1), "agent-deployed") is Status.PASS


def test_rmm_enabled() -> None:
    item = readiness(ready_site(rmm_settings=None)).item("rmm-enabled")
    assert item.status is Status.FAIL
    assert "No RMM Site Configuration" in item.why
    off = readiness(ready_site(rmm_settings=rmm_settings(rmm_enabled=False)))
    assert off.item("rmm-enabled").status is Status.FAIL
    assert "Enable RMM Services is off" in off.item("rmm-enabled").why
    assert off.item("rmm-enabled").why.startswith("Policy 'RMM with NOC': ")
    assert off.item("rmm-enabled").link == "site:s1/policy/pol-rmm"  # where it is changed


def test_noc_enabled_in_the_policy() -> None:
    item = readiness(ready_site(rmm_settings=rmm_settings(noc_enabled=False))).item("noc-enabled")
    assert item.status is Status.FAIL
    assert "Help Desk support requires NOC Services" in item.why
    assert item.link == "site:s1/policy/pol-rmm"


def test_noc_selected_in_the_product_options() -> None:
    item = readiness(with_(product=product(noc_services=False))).item("noc-enabled")
    assert item.status is Status.FAIL
    assert item.link == "site:s1/helpdesk/product-options"
    # The product-options item does not report the same problem a second time.
    assert status(with_(product=product(noc_services=False)), "product-options") is Status.PASS


def test_product_options() -> None:
    item = readiness(with_(product=None)).item("product-options")
    assert item.status is Status.FAIL
    assert "coverage level" in item.why
    item = readiness(with_(product=product(seat_count=None))).item("product-options")
    assert item.status is Status.FAIL
    assert [f.code for f in item.findings] == [
        "product.seats_required"]
    assert item.link == "site:s1/helpdesk/product-options"


def test_product_options_warning() -> None:
    site = with_(product=product(start_date=date(2026, 1, 1)))
    assert status(site, "product-options") is Status.WARNING
    assert readiness(site).ready  # warnings do not block


def test_notification_rules() -> None:
    item = readiness(with_(rules=())).item("notification-rules")
    assert item.status is Status.FAIL
    assert item.link == "site:s1/helpdesk/notification-rules"
    no_policy_rule = ready_site(rmm_settings=rmm_settings(notification_rule=""))
    item = readiness(no_policy_rule).item("notification-rules")
    assert item.status is Status.FAIL
    assert item.findings[0].code == "rules.policy_rule_missing"


def test_notification_rules_gaps_warn() -> None:
    hours = EscalationPath(PathKind.MSP_ESCALATION, (contact(),),
                           parse_slots("Mon-Fri 08:00-17:00"))
    noc = EscalationPath(PathKind.NOC_ESCALATION, (contact(),), ALWAYS)
    item = readiness(with_(rules=(rule(paths=(hours, noc)),))).item("notification-rules")
    assert item.status is Status.WARNING
    assert "(and 4 more)" in item.why


def test_basic_info() -> None:
    item = readiness(with_(basic=None)).item("basic-info")
    assert item.status is Status.FAIL
    assert item.link == "site:s1/helpdesk/basic-info"
    item = readiness(with_(basic=basic(email_domain="gmail.com"))).item("basic-info")
    assert item.status is Status.FAIL
    assert "public email domain" in item.why
    # The chosen rule must be one of the site's rules.
    item = readiness(with_(basic=basic(notification_rule_id="other"))).item("basic-info")
    assert [f.code for f in item.findings] == ["basic.notification_rule_unknown"]


def test_client_profiles() -> None:
    item = readiness(ready_site(profiles=())).item("client-profiles")
    assert item.status is Status.FAIL
    assert "Add the client profiles" in item.why
    bad = (*PROFILES, ProfileSummary("p3", "Cy Doe", True, error_count=2))
    item = readiness(ready_site(profiles=bad)).item("client-profiles")
    assert item.status is Status.FAIL
    assert "Cy Doe" in item.why
    assert item.link == "site:s1/helpdesk/client-profiles"


def test_security_requests_approver_without_mobile() -> None:
    profiles = (ProfileSummary("p1", "Ann Lee", False), ProfileSummary("p2", "Bo Chen", True))
    item = readiness(ready_site(profiles=profiles)).item("security-requests")
    assert item.status is Status.FAIL
    assert "Ann Lee has no mobile number" in item.why
    assert item.link == "site:s1/helpdesk/security-requests"


def test_security_requests_without_sms_pass() -> None:
    plain = (SecurityRequest(RequestKind.PASSWORD_RESETS),)
    item = readiness(with_(security=plain)).item("security-requests")
    assert item.status is Status.PASS
    assert "No request type uses SMS" in item.why


@pytest.mark.parametrize(("kw", "missing"), [
    ({"credential_counts": {"desktop": 1}}, "servers"),
    ({"credential_counts": {"server": 1}}, "desktops"),
    ({"credential_counts": {}}, "servers and desktops"),
])
def test_credentials(kw: dict[str, object], missing: str) -> None:
    item = readiness(ready_site(**kw)).item("credentials")
    assert item.status is Status.FAIL
    assert f"No credentials for {missing}" in item.why
    assert item.link == "site:s1/helpdesk/passwords"


def test_credentials_automatic_or_not_needed() -> None:
    auto = rmm_settings(auto_credentials_servers=True, auto_credentials_desktops=True)
    assert status(ready_site(credential_counts={}, rmm_settings=auto), "credentials") is (
        Status.PASS)
    # A site with desktops only needs no server credentials.
    assert status(ready_site(server_count=0, credential_counts={"desktop": 2}),
                  "credentials") is Status.PASS
    # With no devices at all both kinds are asked for.
    assert status(ready_site(server_count=0, desktop_count=0, credential_counts={"desktop": 1}),
                  "credentials") is Status.FAIL


def test_network_info() -> None:
    item = readiness(with_(network=NetworkInfo())).item("network-info")
    assert item.status is Status.FAIL
    assert "Printers" in item.why
    assert item.link == "site:s1/helpdesk/network-info"
    na = NetworkInfo(**{name: Section(not_applicable=True)
                        for name, _ in NetworkInfo().sections()})
    assert status(with_(network=na), "network-info") is Status.PASS


def test_network_info_unknown_vault_link_fails() -> None:
    item = readiness(ready_site(vault_item_ids=frozenset({"vault-1"}))).item("network-info")
    assert item.status is Status.FAIL
    assert [f.code for f in item.findings] == ["network.credentials_unknown"]


def test_network_info_partly_missing_and_wrong() -> None:
    broken = replace(network(), printers=Section((Printer(PrinterKind.NETWORK, "P"),)),
                     backup=Section())
    item = readiness(with_(network=broken)).item("network-info")
    assert item.status is Status.FAIL
    assert "Backup" in item.why
    assert "Also correct" in item.why


def test_psa_integration() -> None:
    # seed 002: "If NOC services are enabled, set this to Off": a fail, not a warning
    checklist = readiness(ready_site(psa_settings=psa_settings(psa_to_rmm_sync=True)))
    item = checklist.item("psa-integration")
    assert item.status is Status.FAIL
    assert not checklist.ready
    assert item.why.startswith("Policy 'PSA Help Desk': Turn PSA-to-RMM Sync off")
    assert item.link == "site:s1/policy/pol-psa"
    item = readiness(ready_site(psa_settings=psa_settings(psa_url="x"))).item("psa-integration")
    assert item.status is Status.FAIL
    item = readiness(ready_site(psa_settings=psa_settings(psa_url="http://psa.msp.example"))
                     ).item("psa-integration")
    assert item.status is Status.FAIL
    assert "https://psa.msp.example" in item.why
    assert status(ready_site(psa_settings=None), "psa-integration") is Status.WARNING


def test_psa_to_rmm_sync_without_noc_is_advice_only() -> None:
    site = ready_site(rmm_settings=rmm_settings(noc_enabled=False),
                      psa_settings=psa_settings(psa_to_rmm_sync=False))
    assert status(site, "psa-integration") is Status.WARNING
    site = ready_site(rmm_settings=rmm_settings(noc_enabled=False),
                      psa_settings=psa_settings(psa_to_rmm_sync=True))
    assert status(site, "psa-integration") is Status.PASS


@pytest.mark.parametrize(("change", "code", "words"), [
    ({"psa_url": ""}, "psa.url_missing", "PSA URL"),
    ({"company_id": "  "}, "psa.company_id_missing", "company id"),
    ({"service_board": ""}, "psa.service_board_missing", "service board"),
])
def test_psa_connection_needs_each_detail(change: dict[str, str], code: str,
                                          words: str) -> None:
    checklist = readiness(ready_site(psa_settings=psa_settings(**change)))
    item = checklist.item("psa-connection")
    assert item.status is Status.FAIL
    assert not checklist.ready
    assert [f.code for f in item.findings] == [code]
    assert words in item.why
    assert item.why.startswith("Policy 'PSA Help Desk': ")
    assert item.link == "site:s1/policy/pol-psa"


def test_psa_connection_needs_the_stored_key_pair() -> None:
    item = readiness(ready_site(psa_keys_stored=False)).item("psa-connection")
    assert item.status is Status.FAIL
    assert [f.code for f in item.findings] == ["psa.api_keys_missing"]
    assert "API key pair" in item.why
    empty = readiness(ready_site(psa_settings=psa_settings(psa_url="", company_id="",
                                                           service_board=""),
                                 psa_keys_stored=False)).item("psa-connection")
    assert len(empty.findings) == 4
    assert "(and 3 more)" in empty.why
    assert status(ready_site(psa_settings=None, psa_keys_stored=False),
                  "psa-connection") is Status.PASS


def test_remote_access_advice_is_a_warning() -> None:
    checklist = readiness(ready_site(remote_settings=remote_settings(auto_update_agent=False)))
    item = checklist.item("remote-access")
    assert item.status is Status.WARNING
    assert checklist.ready  # advice does not block
    assert [f.code for f in item.findings] == ["remote.auto_update_off"]
    assert item.why.startswith("Policy 'Remote Access Default': Keep Automatically Update")
    assert item.link == "site:s1/policy/pol-remote"
    assert status(ready_site(remote_settings=None), "remote-access") is Status.WARNING


def test_a_device_overriding_remote_access_against_the_advice() -> None:
    site = ready_site(remote_overrides=(("WS-01", "auto_update_agent", False),
                                        ("WS-02", "auto_update_agent", True)))
    item = readiness(site).item("remote-access")
    assert item.status is Status.WARNING
    assert item.why.startswith("Device 'WS-01' overrides it: Keep Automatically Update")
    assert [(f.field, f.code) for f in item.findings] == [
        ("devices[WS-01].auto_update_agent", "remote.auto_update_off")]
    # the policy's own advice comes first and is not repeated per device
    both = readiness(ready_site(remote_settings=remote_settings(notification_balloon=True),
                                remote_overrides=(("WS-01", "notification_balloon", True),
                                                  ("WS-01", "allow_require_consent", False))))
    item = both.item("remote-access")
    assert [f.field for f in item.findings] == ["notification_balloon",
                                                "devices[WS-01].allow_require_consent"]
    assert item.why.startswith("Policy 'Remote Access Default': Recommended off")
    # a device following the advice where the policy does not: only the policy is flagged
    fixed = readiness(ready_site(remote_settings=remote_settings(auto_update_agent=False),
                                 remote_overrides=(("WS-01", "auto_update_agent", True),)))
    assert [f.field for f in fixed.item("remote-access").findings] == ["auto_update_agent"]


def test_a_device_override_links_to_the_devices_own_settings() -> None:
    """Only a device's override goes against the advice: the link leads where that override
    is changed (the device's settings), not to the policy, which does not hold it. With the
    policy flagged too, the policy comes first; an unknown device falls back to it."""
    overriding = (("WS-01", "auto_update_agent", False),)
    ids = {"WS-01": "dev-1", "WS-02": "dev-2"}
    item = readiness(ready_site(remote_overrides=overriding, device_ids=ids)).item(
        "remote-access")
    assert item.link == "site:s1/device/dev-1"
    assert parse_link(item.link) == ("s1", "device/dev-1")
    assert place_label("device/dev-1").startswith("Effective settings")
    both = readiness(ready_site(remote_settings=remote_settings(notification_balloon=True),
                                remote_overrides=overriding, device_ids=ids))
    assert both.item("remote-access").link == "site:s1/policy/pol-remote"
    unknown = readiness(ready_site(remote_overrides=overriding, device_ids={"WS-09": "x"}))
    assert unknown.item("remote-access").link == "site:s1/policy/pol-remote"


def test_main_phone_or_domain_of_another_site_fails_basic_info() -> None:
    from app.domain.helpdesk import identity_of

    other = identity_of("s2", "Branch", "Globex", basic(main_phone="4155552671",
                                                         email_domain="other.example"))
    checklist = readiness(ready_site(other_sites=(other,)))
    item = checklist.item("basic-info")
    assert item.status is Status.FAIL
    assert not checklist.ready
    assert [f.code for f in item.findings] == ["basic.main_phone_identifies_other_site"]
    assert "'Branch' (Globex)" in item.why
    assert item.link == "site:s1/helpdesk/basic-info"
    same_domain = identity_of("s2", "Branch", "Globex", basic(main_phone="2125550100",
                                                              email_domain="ACME.example."))
    item = readiness(ready_site(other_sites=(same_domain,))).item("basic-info")
    assert [f.code for f in item.findings] == ["basic.email_domain_identifies_other_site"]
    # the site itself among the identities is no conflict
    own = identity_of("s1", "Main office", "Acme Dental", basic())
    assert status(ready_site(other_sites=(own,)), "basic-info") is Status.PASS


def test_to_dict_is_the_cli_json() -> None:
    data = readiness(ready_site(profiles=())).to_dict()
    assert data["site"] == {"id": "s1", "name": "Main office"}
    assert data["company"] == {"id": "c1", "name": "Acme Dental"}
    assert data["ready"] is False
    item = next(i for i in data["items"] if i["id"] == "client-profiles")
    assert item["status"] == "fail"
    assert item["title"] == "Client profiles"
    assert item["link"] == "site:s1/helpdesk/client-profiles"


def test_settings_of_effective_policy() -> None:
    settings = build_settings(RMM_SITE_CONFIGURATION, "rmm", {},
                              {"rmm_enabled": True, "notification_rule": "r"})
    policy = Policy("pol", "rmm-site-configuration", "rmm", settings)
    package, _replaced = make_package("pkg", "Pkg", [policy])
    eff = resolve(partner_id="pt", company=Company("c", "C"), site=Site("s", "c", "S"),
                  site_package=package, default_package=None, policies={"pol": policy})
    found = settings_of(eff, "rmm-site-configuration")
    assert found is not None
    assert found["rmm_enabled"] is True
    assert settings_of(eff, "psa-integration") is None


def test_setup_default_is_empty() -> None:
    assert SiteSetup().network.missing() == list(dict(NetworkInfo().sections()))
