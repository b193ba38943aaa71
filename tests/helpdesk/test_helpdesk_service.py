"""`workspace.helpdesk`: sections stored per site, readiness from the real workspace data."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.errors import NotFound, RuleViolation
from app.domain.helpdesk import (
    BasicInfo,
    RequestKind,
    Section,
    SecurityRequest,
    Status,
)
from app.profiles import Profile
from app.services.helpdesk import profile_summaries
from app.services.psa_keys import PsaKeyService
from app.services.workspace import Workspace
from storage.profile_repository import StoredProfile
from storage.tables import OutboxRow
from tests.domain.helpdesk.builders import basic, network, product, rule, setup

SITE = "Main Office"  # the sample's site with the "Help Desk Ready" package (RMM with NOC)
TODAY = date(2026, 11, 23)


def _fill(ws: Workspace) -> None:
    """Everything the checklist asks for, on the sample's Main Office."""
    ann = ws.profiles.add(SITE, Profile("Ann", "Lee", email="ann@acme.example",
                                        mobile_country_code="US", mobile_phone="4155552671"))
    security = (SecurityRequest(RequestKind.PASSWORD_RESETS, approver_required=True,
                                approver_ids=(ann.id,), sms_auth_approver=True),)
    # No vault items here: the sections that link logins are marked not applicable.
    full = setup(security=security, network=replace(
        network(), email=Section(not_applicable=True), backup=Section(not_applicable=True)))
    # The rule is a partner-level object that Basic Info and the policy reference by id.
    ws.rules.create(rule().name, rule().paths, rule_id="rule-1")
    for section, attr in (("product-options", "product"), ("basic-info", "basic"),
                          ("security-requests", "security"),
                          ("network-info", "network"), ("references", "references")):
        ws.helpdesk.save(SITE, section, getattr(full, attr))
    ws.policies.update("RMM with NOC", texts=["auto_credentials_servers=on",
                                              "auto_credentials_desktops=on",
                                              "notification_rule=rule-1"])
    # The sample's PSA policy syncs communicator tickets (against the seed's advice).
    ws.policies.update("PSA Ticket Sync", texts=["sync_communicator_tickets=off"])
    store_psa_keys(ws, "PSA Ticket Sync")
    # The sample's first device turns the Remote Access balloon on (against seed 001's advice).
    ws.devices.clear_override("WS-MAIN-01", "remote-access", "notification_balloon")


def store_psa_keys(ws: Workspace, policy: str) -> None:
    """The API key pair of a PSA Integration policy, in the (new) vault as the editor stores
    it; readiness fails a PSA policy without it."""
    ws.vault.session.init("correct horse battery staple 42")  # stays unlocked
    PsaKeyService(ws.vault).store(ws.policies.get(policy).id, "PubKey0123456789",
                                  "PrivKey0123456789")


def test_sections_round_trip_and_record_changes(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    before = ws.pending_changes()
    assert ws.helpdesk.setup(SITE).basic is None
    no_rule = basic(email_domain="gmail.com", notification_rule_id="")
    findings = ws.helpdesk.save(SITE, "basic-info", no_rule)
    assert [f.code for f in findings] == ["basic.email_domain_public",
                                          "basic.notification_rule_required"]
    assert ws.helpdesk.setup(SITE).basic == no_rule
    assert ws.pending_changes() == before + 1
    ws.helpdesk.save(SITE, "basic-info", no_rule)  # no change
    assert ws.pending_changes() == before + 1
    ws.rules.create(rule().name, rule().paths, rule_id="rule-1")
    ws.helpdesk.save(SITE, "basic-info", basic())
    stored = ws.helpdesk.setup(SITE)
    assert stored.basic == basic()
    assert rule() in stored.rules  # the partner's rules, which Basic Info picks from
    assert ws.pending_changes() == before + 3
    # Another site's setup is its own.
    assert ws.helpdesk.setup("Downtown").basic is None


def test_the_outbox_carries_the_document(sample_workspace: Workspace) -> None:
    sample_workspace.helpdesk.save(SITE, "product-options", product())
    with sample_workspace.db.read() as s:
        row = s.execute(select(OutboxRow).order_by(OutboxRow.seq.desc())).scalars().first()
    assert row is not None
    assert row.entity == "helpdesk_section"
    payload = json.loads(row.payload_json)
    assert payload["section"] == "product-options"
    assert payload["document"]["seat_count"] == 25


def test_bad_saves_are_refused(sample_workspace: Workspace) -> None:
    with pytest.raises(RuleViolation, match="unknown Help Desk section"):
        sample_workspace.helpdesk.save(SITE, "passwords", ())
    with pytest.raises(RuleViolation, match="basic-info"):
        sample_workspace.helpdesk.save(SITE, "basic-info", "not a form")
    with pytest.raises(NotFound):
        sample_workspace.helpdesk.save("No Such Site", "basic-info", BasicInfo())


def test_a_filled_site_is_ready(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    _fill(ws)
    checklist = ws.helpdesk.readiness(SITE, today=TODAY)
    failing = {i.id: i.why for i in checklist.items if i.status is not Status.PASS}
    assert failing == {}
    assert checklist.ready


def test_readiness_sees_profiles_vault_and_devices(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    # without the sample's automatic credentials, only stored passwords count
    ws.policies.update("RMM with NOC", texts=["auto_credentials_servers=off",
                                              "auto_credentials_desktops=off"])
    checklist = ws.helpdesk.readiness(SITE, today=TODAY)
    assert checklist.item("agent-deployed").status is Status.PASS
    assert checklist.item("client-profiles").status is Status.FAIL
    assert checklist.item("credentials").status is Status.FAIL
    ws.profiles.add(SITE, Profile("Bo", "Chen", office_country_code="US",
                                  office_phone="4155552671"))
    ws.vault.session.init("correct horse battery staple 42")
    ws.vault.items.add(SITE, "server", "DC01 admin", username="admin", password="s3cret!")
    ws.vault.items.add(SITE, "desktop", "Local admin", username="admin", password="s3cret!")
    site_input = ws.helpdesk.readiness_input(SITE, today=TODAY)
    assert site_input.credential_counts == {"server": 1, "desktop": 1}
    assert len(site_input.vault_item_ids or ()) == 2
    assert [p.has_mobile for p in site_input.profiles] == [False]
    checklist = ws.helpdesk.readiness(SITE, today=TODAY)
    assert checklist.item("client-profiles").status is Status.PASS
    assert checklist.item("credentials").status is Status.PASS


def test_validate_uses_the_site_context(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    request = SecurityRequest(RequestKind.PASSWORD_RESETS, approver_required=True,
                              approver_ids=("nobody",))
    assert [f.code for f in ws.helpdesk.validate(SITE, "security-requests", (request,))] == [
        "security.approver_unknown"]
    assert ws.helpdesk.setup(SITE).security == ()  # validate saves nothing


def test_profile_summaries_count_errors_and_mobiles() -> None:
    def stored(pid: str, **values: object) -> StoredProfile:
        fields = Profile("A", "B", **values)  # type: ignore[arg-type]
        return StoredProfile(pid, "s", 0, "k", tuple(Profile.values(fields).values()))

    good = stored("1", mobile_country_code="US", mobile_phone="4155552671")
    bad_mobile = stored("2", mobile_country_code="US", mobile_phone="123")
    office = stored("3", office_country_code="US", office_phone="4155552671")
    summaries = profile_summaries([good, bad_mobile, office])
    assert [(s.id, s.has_mobile, s.error_count > 0) for s in summaries] == [
        ("1", True, False), ("2", False, True), ("3", False, False)]


def test_overview_and_report(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    _fill(ws)
    view = ws.helpdesk.overview(today=TODAY)
    assert len(view.sites) == 8
    # The sample's Northside Clinic has its own setup; with the policy changes of _fill (the
    # servers' credentials automatic, communicator tickets not synced) it is ready too.
    assert [c.site_name for c in view.ready] == [SITE, "Northside Clinic"]
    assert "network-info" in view.blocked_by()
    html = ws.helpdesk.golive_report(SITE)
    assert "Go-live report: Contoso Dental / Main Office" in html
    assert "Ready for go-live" in html


def test_the_sample_tells_the_truth_both_ways(sample_workspace: Workspace) -> None:
    """The sample's Northside Clinic (README's site-tab screenshots): every section saved
    through the service without an error finding, approvers among the site's profiles, a file
    on a reference, and a checklist that is ready with two realistic warnings. Main Office,
    whose package has the PSA policy, fails for a seed's must (no API key pair stored)."""
    ws = sample_workspace
    site = "Northside Clinic"
    setup_ = ws.helpdesk.setup(site)
    for section, attr in (("product-options", "product"), ("basic-info", "basic"),
                          ("security-requests", "security"),
                          ("network-info", "network"), ("references", "references")):
        value = getattr(setup_, attr)
        assert value, f"{section} is empty"
        findings = ws.helpdesk.validate(site, section, value)
        assert [f for f in findings if f.severity == "error"] == [], section
    assert setup_.network.missing() == []
    assert setup_.basic is not None
    assert setup_.basic.notification_rule_id == ws.rules.get("Northside standard").id
    profile_ids = {p.id for p in ws.profiles.list(site)}
    approvers = {a for request in setup_.security for a in request.approver_ids}
    assert approvers
    assert approvers <= profile_ids
    (attached,) = [r for r in setup_.references if r.attachment_name]
    assert attached.attachment_sha256 is not None
    data = ws.attachments.attachment_bytes(attached.attachment_sha256)
    assert len(data) == attached.attachment_size
    assert b"WS-NORTHSIDE-09" in data

    checklist = ws.helpdesk.readiness(site)
    assert checklist.ready
    assert {i.id: i.status for i in checklist.items if i.status is not Status.PASS} == {
        "network-info": Status.WARNING, "psa-integration": Status.WARNING}
    assert {f.code for f in checklist.item("network-info").findings} == {
        "network.credentials_missing"}
    assert "No PSA Integration policy" in checklist.item("psa-integration").why

    # The PSA policy's API key pair is not in the vault (a new workspace has none): the
    # connection details fail (seed 002: "Input the ConnectWise PSA URL and the API keys").
    main_office = ws.helpdesk.readiness("Main Office")
    assert not main_office.ready
    assert [f.code for f in main_office.item("psa-connection").findings] == [
        "psa.api_keys_missing"]
    assert main_office.item("psa-connection").status is Status.FAIL
    assert [f.code for f in main_office.item("psa-integration").findings] == [
        "psa.communicator_sync_on"]


# --- the seeds' musts over the real workspace ---------------------------------------------------


def test_psa_to_rmm_sync_at_a_noc_site_fails(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    ws.policies.update("PSA Ticket Sync", texts=["psa_to_rmm_sync=on"])
    checklist = ws.helpdesk.readiness(SITE, today=TODAY)
    item = checklist.item("psa-integration")
    assert item.status is Status.FAIL
    assert item.why.startswith("Policy 'PSA Ticket Sync': Turn PSA-to-RMM Sync off")
    policy_id = ws.policies.get("PSA Ticket Sync").id
    assert item.link == f"site:{checklist.site_id}/policy/{policy_id}"
    # a site without NOC ("Managed Servers" has NOC too; the default package has none)
    lab = ws.helpdesk.readiness("Lab", today=TODAY)
    assert lab.item("psa-integration").status is Status.WARNING  # no PSA policy there


def test_psa_keys_are_known_stored_with_the_vault_locked(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    assert ws.helpdesk.readiness(SITE).item("psa-connection").status is Status.FAIL
    store_psa_keys(ws, "PSA Ticket Sync")
    ws.vault.session.lock()
    item = ws.helpdesk.readiness(SITE).item("psa-connection")
    assert item.status is Status.PASS, item.why
    # an incomplete PSA policy in the site's package fails, naming what is missing
    ws.policies.update("PSA Ticket Sync", texts=["service_board=", "company_id="])
    item = ws.helpdesk.readiness(SITE).item("psa-connection")
    assert item.status is Status.FAIL
    assert [f.code for f in item.findings] == ["psa.company_id_missing",
                                               "psa.service_board_missing"]


def test_a_phone_and_domain_copied_to_another_company_fail_on_both(
        sample_workspace: Workspace) -> None:
    ws = sample_workspace
    northside = ws.helpdesk.setup("Northside Clinic").basic
    assert northside is not None
    copied = replace(basic(), main_phone_country=northside.main_phone_country,
                     main_phone=northside.main_phone, email_domain=northside.email_domain,
                     notification_rule_id=northside.notification_rule_id)  # a partner rule
    findings = ws.helpdesk.save("Headquarters", "basic-info", copied)  # Fabrikam Logistics
    assert [f.code for f in findings] == ["basic.main_phone_identifies_other_site",
                                          "basic.email_domain_identifies_other_site"]
    assert "'Northside Clinic' (Contoso Dental)" in findings[0].message
    for site, other in (("Headquarters", "'Northside Clinic' (Contoso Dental)"),
                        ("Northside Clinic", "'Headquarters' (Fabrikam Logistics)")):
        item = ws.helpdesk.readiness(site).item("basic-info")
        assert item.status is Status.FAIL, site
        assert other in item.why
    overview = ws.helpdesk.overview()
    assert "basic-info" in overview.blocked_by()


def test_remote_access_advice_in_readiness_and_the_policy_service(
        sample_workspace: Workspace) -> None:
    ws = sample_workspace
    # the sample's first device (a desktop at Main Office) turns the balloon on for itself
    item = ws.helpdesk.readiness(SITE).item("remote-access")
    assert item.status is Status.WARNING
    assert [f.code for f in item.findings] == ["remote.notification_balloon_on"]
    assert item.why.startswith("Device 'WS-MAIN-01' overrides it: Recommended off")
    assert ws.helpdesk.readiness("Lab").item("remote-access").status is Status.PASS
    ws.policies.update("Remote Access Default", texts=["auto_update_agent=off"])
    item = ws.helpdesk.readiness(SITE).item("remote-access")
    assert item.status is Status.WARNING
    assert "Automatically Update Agent Version" in item.why
    assert item.link.endswith("/policy/" + ws.policies.get("Remote Access Default").id)
    advice = ws.policies.advice("remote-access", ws.policies.get("Remote Access Default").settings)
    assert [(a.key, a.code, a.suggested) for a in advice] == [
        ("auto_update_agent", "remote.auto_update_off", "true")]
    # "Remote Access Quiet" turns consent off: advice too, never a refusal
    quiet = ws.policies.get("Remote Access Quiet")
    assert [a.code for a in ws.policies.advice("remote-access", quiet.settings)] == [
        "remote.require_consent_off"]


def test_the_save_refusals_change_nothing(sample_workspace: Workspace) -> None:
    from app.domain.errors import PolicyRuleError

    ws = sample_workspace
    before = ws.pending_changes()
    psa = ws.policies.get("PSA Ticket Sync")
    with pytest.raises(PolicyRuleError, match=r"^policy 'PSA Ticket Sync': psa_url: "
                                              r"'http://psa\.example\.com' must start with "
                                              r"https://"):
        ws.policies.update("PSA Ticket Sync", texts=["psa_url=http://psa.example.com"])
    with pytest.raises(PolicyRuleError, match=r"^policy 'RMM Standard': noc_access_level: "
                                              r"level 2 gives NOC technicians access"):
        ws.policies.update("RMM Standard", texts=["noc_access_level=2"])
    with pytest.raises(PolicyRuleError, match="noc_access_level"):
        ws.policies.create("rmm-site-configuration", "RMM Access", texts=[
            "rmm_enabled=on", "notification_rule=n", "noc_access_level=1"])
    with pytest.raises(PolicyRuleError, match="noc_access_level"):  # NOC off under level 2
        ws.policies.update("RMM with NOC", texts=["noc_enabled=off"])
    assert ws.policies.get("PSA Ticket Sync") == psa
    assert ws.pending_changes() == before
    assert [p.name for p in ws.policies.all() if p.name == "RMM Access"] == []


def test_device_overrides_only_for_the_device_kind(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    devices = ws.devices.all()
    desktop = next(d for d in devices if d.kind == "desktop")
    server = next(d for d in devices if d.kind == "server")
    before = ws.pending_changes()
    with pytest.raises(RuleViolation) as info:
        ws.devices.set_override(server.id, "os-patching-desktop", "automation", True)
    assert str(info.value).startswith(
        f"device '{server.name}' is a server; 'os-patching-desktop' applies to desktops only")
    with pytest.raises(RuleViolation, match=f"device '{desktop.name}' is a desktop"):
        ws.devices.set_override(desktop.id, "os-patching-server", "automation", True)
    # several at once: all or none
    with pytest.raises(RuleViolation):
        ws.devices.set_overrides(server.id, [("remote-access", "notification_balloon", True),
                                             ("os-patching-desktop", "automation", True)])
    assert ws.pending_changes() == before
    assert ws.devices.set_override(server.id, "os-patching-server", "automation", True)
    assert ws.devices.set_override(desktop.id, "os-patching-desktop", "automation", True)
