"""The policy types of docs/rules.md and their rules: windows, RMM/NOC, NOC access level, Remote
Access defaults, unknown keys and types, and the setting keys that are a contract."""

from __future__ import annotations

import pytest

from app.domain.errors import PolicyRuleError, RuleViolation, SettingError
from app.domain.model import Policy
from app.domain.policy_types import (
    POLICY_TYPES,
    REMOTE_ACCESS,
    RMM_SITE_CONFIGURATION,
    Category,
    build_settings,
    parse_assignments,
    policy_type,
    validate_settings,
)
from app.domain.settings import SettingKind

PATCHING = ["os-patching-desktop", "os-patching-server"]


def _problem_keys(exc: PolicyRuleError) -> list[str]:
    return [p.key for p in exc.problems]


# --- the contract ----------------------------------------------------------------------------

CONTRACT_KEYS = {
    "rmm-site-configuration": {"rmm_enabled", "noc_enabled", "notification_rule",
                               "noc_access_level"},
    "remote-access": {"allow_require_consent", "auto_update_agent", "notification_balloon"},
    "os-patching-desktop": {"automation", "install_window", "reboot_window",
                            *(f"classification.{n}" for n in (
                                "critical", "security", "definition", "update-rollup",
                                "service-pack", "feature-pack", "driver", "tools", "update"))},
    "communicator": {"enabled"},
    "psa-integration": {"ticket_sync", "contact_sync", "psa_to_rmm_sync",
                        "sync_communicator_tickets", "service_board"},
    "help-desk-chat": set(),
}
CONTRACT_KEYS["os-patching-server"] = CONTRACT_KEYS["os-patching-desktop"]


def test_type_ids_are_the_contract() -> None:
    assert set(POLICY_TYPES) == set(CONTRACT_KEYS)


@pytest.mark.parametrize("type_id", sorted(CONTRACT_KEYS))
def test_contract_keys_exist(type_id: str) -> None:
    keys = {s.key for s in POLICY_TYPES[type_id].settings}
    assert CONTRACT_KEYS[type_id] <= keys
    assert len(keys) == len(POLICY_TYPES[type_id].settings), "setting keys must be unique"


def test_contract_kinds() -> None:
    rmm = RMM_SITE_CONFIGURATION
    assert rmm.spec("rmm_enabled").kind is SettingKind.BOOL
    assert rmm.spec("noc_enabled").kind is SettingKind.BOOL
    assert (rmm.spec("noc_access_level").minimum, rmm.spec("noc_access_level").maximum) == (0, 3)
    patch = POLICY_TYPES["os-patching-desktop"]
    assert patch.spec("install_window").kind is SettingKind.WINDOW
    assert patch.spec("classification.driver").choices == (
        "do-not-deploy", "deploy-all", "deploy-approved")
    psa = POLICY_TYPES["psa-integration"]
    assert {f"priority_map.{sev}" for sev in ("critical", "high", "medium", "low")} <= {
        s.key for s in psa.settings}


def test_categories() -> None:
    sites = {t.id for t in POLICY_TYPES.values() if t.category is Category.SITES}
    assert sites == {"rmm-site-configuration", "psa-integration"}
    assert Policy("p", "remote-access", "RA").category is Category.DEVICES
    assert Policy("p", "rmm-site-configuration", "RMM").category is Category.SITES


@pytest.mark.parametrize("type_id", sorted(CONTRACT_KEYS))
def test_defaults_obey_every_rule(type_id: str) -> None:
    ptype = POLICY_TYPES[type_id]
    assert validate_settings(ptype, "defaults", ptype.defaults()) == []
    assert build_settings(ptype, "defaults", {}, {}) == ptype.defaults()


def test_defaults_are_fresh_copies() -> None:
    psa = POLICY_TYPES["psa-integration"]
    first = psa.defaults()
    severities = first["ticket_severities"]
    assert isinstance(severities, list)
    severities.append("low")
    assert psa.defaults()["ticket_severities"] == ["critical"]


# --- patch windows (seed 000) ----------------------------------------------------------------


@pytest.mark.parametrize("type_id", PATCHING)
@pytest.mark.parametrize("window", ["22:00-01:59", "08:00-11:59", "23:01-03:00"])
def test_install_window_of_3h59_refused(type_id: str, window: str) -> None:
    with pytest.raises(PolicyRuleError) as info:
        build_settings(POLICY_TYPES[type_id], "Weekly", {},
                       {"automation": True, "install_window": window})
    message = str(info.value)
    assert "install_window" in message
    assert "at least 4 h" in message
    assert "3 h 59 min" in message
    assert "'Weekly'" in message
    assert _problem_keys(info.value) == ["install_window"]


@pytest.mark.parametrize("type_id", PATCHING)
@pytest.mark.parametrize(("window", "stored"), [
    ("22:00-02:00", "22:00-02:00"), ("08:00-12:00", "08:00-12:00"),
    ("20:00-24:00", "20:00-00:00"), ("1:00-5:00", "01:00-05:00"), ("00:00-00:00", "00:00-00:00"),
])
def test_install_window_of_4h_or_more_accepted(type_id: str, window: str, stored: str) -> None:
    settings = build_settings(POLICY_TYPES[type_id], "Weekly", {}, {"install_window": window})
    assert settings["install_window"] == stored


@pytest.mark.parametrize("type_id", PATCHING)
def test_reboot_window_of_59_min_refused_1h_ok(type_id: str) -> None:
    ptype = POLICY_TYPES[type_id]
    with pytest.raises(PolicyRuleError) as info:
        build_settings(ptype, "P", {}, {"reboot_window": "23:30-00:29"})
    message = str(info.value)
    assert "reboot_window" in message
    assert "at least 1 h" in message
    assert "59 min" in message
    assert _problem_keys(info.value) == ["reboot_window"]
    assert build_settings(ptype, "P", {}, {"reboot_window": "23:30-00:30"})[
        "reboot_window"] == "23:30-00:30"
    assert build_settings(ptype, "P", {}, {"reboot_window": "04:00-05:00"})[
        "reboot_window"] == "04:00-05:00"


def test_both_windows_reported_at_once() -> None:
    ptype = POLICY_TYPES["os-patching-server"]
    problems = validate_settings(ptype, "P", {**ptype.defaults(),
                                              "install_window": "01:00-02:00",
                                              "reboot_window": "02:00-02:30"})
    assert [p.key for p in problems] == ["install_window", "reboot_window"]
    assert "this one is 1 h" in str(problems[0])
    assert "this one is 30 min" in str(problems[1])


def test_windows_from_text_go_through_the_same_rule() -> None:
    ptype = POLICY_TYPES["os-patching-desktop"]
    changes = parse_assignments(ptype, ["install_window=22:00-01:59", "automation=yes"])
    assert changes == {"install_window": "22:00-01:59", "automation": True}
    with pytest.raises(PolicyRuleError, match=r"install_window.*at least 4 h.*3 h 59 min"):
        build_settings(ptype, "P", {}, changes)


def test_a_stored_short_window_is_caught_on_the_next_edit() -> None:
    """`base` values are rechecked by the rules when anything else changes."""
    ptype = POLICY_TYPES["os-patching-desktop"]
    with pytest.raises(PolicyRuleError, match="install_window"):
        build_settings(ptype, "P", {"install_window": "22:00-23:00"}, {"automation": True})


def test_bad_window_text_refused_naming_the_key() -> None:
    ptype = POLICY_TYPES["os-patching-desktop"]
    with pytest.raises(SettingError) as info:
        parse_assignments(ptype, ["reboot_window=25:00-26:00"])
    assert info.value.key == "reboot_window"
    with pytest.raises(PolicyRuleError) as info2:
        build_settings(ptype, "P", {}, {"install_window": "tonight"})
    assert _problem_keys(info2.value) == ["install_window"]


# --- RMM site configuration (seed 000/002) -----------------------------------------------------


def test_notification_rule_required_when_rmm_enabled() -> None:
    for changes in ({"rmm_enabled": True}, {"rmm_enabled": True, "notification_rule": ""}):
        with pytest.raises(PolicyRuleError) as info:
            build_settings(RMM_SITE_CONFIGURATION, "RMM", {}, changes)
        assert _problem_keys(info.value) == ["notification_rule"]
        assert "required when RMM services are enabled" in str(info.value)


def test_notification_rule_present_or_rmm_off_is_fine() -> None:
    on = build_settings(RMM_SITE_CONFIGURATION, "RMM", {},
                        {"rmm_enabled": True, "notification_rule": "Standard Notifications"})
    assert (on["rmm_enabled"], on["notification_rule"]) == (True, "Standard Notifications")
    off = build_settings(RMM_SITE_CONFIGURATION, "RMM", {}, {"rmm_enabled": False})
    assert (off["rmm_enabled"], off["notification_rule"]) == (False, "")


def test_turning_rmm_on_later_needs_the_rule() -> None:
    base = build_settings(RMM_SITE_CONFIGURATION, "RMM", {}, {})
    with pytest.raises(PolicyRuleError, match="notification_rule"):
        build_settings(RMM_SITE_CONFIGURATION, "RMM", base, {"rmm_enabled": True})


def test_clearing_the_rule_while_rmm_on_refused() -> None:
    base = {"rmm_enabled": True, "notification_rule": "NOC"}
    with pytest.raises(PolicyRuleError, match="notification_rule"):
        build_settings(RMM_SITE_CONFIGURATION, "RMM", base, {"notification_rule": ""})


def test_noc_without_rmm_refused() -> None:
    with pytest.raises(PolicyRuleError) as info:
        build_settings(RMM_SITE_CONFIGURATION, "RMM", {}, {"noc_enabled": True})
    assert _problem_keys(info.value) == ["noc_enabled"]
    assert "RMM" in str(info.value)


def test_noc_with_rmm_and_rule_accepted() -> None:
    settings = build_settings(RMM_SITE_CONFIGURATION, "RMM", {}, {
        "rmm_enabled": True, "noc_enabled": True, "notification_rule": "NOC Escalation"})
    assert settings["noc_enabled"] is True


def test_rmm_problems_are_all_reported() -> None:
    problems = validate_settings(RMM_SITE_CONFIGURATION, "RMM", {
        **RMM_SITE_CONFIGURATION.defaults(), "rmm_enabled": False, "noc_enabled": True})
    assert [p.key for p in problems] == ["noc_enabled"]


@pytest.mark.parametrize("level", [4, -1, 99])
def test_noc_access_level_out_of_range_refused(level: int) -> None:
    with pytest.raises(PolicyRuleError) as info:
        build_settings(RMM_SITE_CONFIGURATION, "RMM", {}, {"noc_access_level": level})
    assert _problem_keys(info.value) == ["noc_access_level"]
    assert "0–3" in str(info.value)
    with pytest.raises(SettingError, match=r"^noc_access_level: .*out of range"):
        parse_assignments(RMM_SITE_CONFIGURATION, [f"noc_access_level={level}"])


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_noc_access_level_0_to_3_accepted(level: int) -> None:
    noc = {"rmm_enabled": True, "noc_enabled": True, "notification_rule": "n"}
    settings = build_settings(RMM_SITE_CONFIGURATION, "RMM", {}, {**noc, "noc_access_level": level})
    assert settings["noc_access_level"] == level
    assert parse_assignments(RMM_SITE_CONFIGURATION, [f"noc_access_level={level}"]) == {
        "noc_access_level": level}


@pytest.mark.parametrize("level", [1, 2, 3])
def test_noc_access_level_above_0_refused_with_noc_off(level: int) -> None:
    with pytest.raises(PolicyRuleError) as info:
        build_settings(RMM_SITE_CONFIGURATION, "Branch RMM", {}, {"noc_access_level": level})
    assert _problem_keys(info.value) == ["noc_access_level"]
    message = str(info.value)
    assert message.startswith("policy 'Branch RMM': noc_access_level: ")
    assert f"level {level} gives NOC technicians access" in message
    assert "set noc_access_level to 0" in message
    assert "turn on noc_enabled" in message
    # turning NOC off under a policy with access is refused the same way
    noc = {"rmm_enabled": True, "noc_enabled": True, "notification_rule": "n",
           "noc_access_level": level}
    with pytest.raises(PolicyRuleError) as info:
        build_settings(RMM_SITE_CONFIGURATION, "Branch RMM", noc, {"noc_enabled": False})
    assert _problem_keys(info.value) == ["noc_access_level"]
    off = build_settings(RMM_SITE_CONFIGURATION, "Branch RMM", noc,
                         {"noc_enabled": False, "noc_access_level": 0})
    assert off["noc_access_level"] == 0


def test_noc_access_level_defaults_to_notifications_only() -> None:
    assert RMM_SITE_CONFIGURATION.defaults()["noc_access_level"] == 0


# --- Remote Access (seed 001) ---------------------------------------------------------------


def test_remote_access_defaults() -> None:
    assert REMOTE_ACCESS.defaults() == {
        "allow_require_consent": True,
        "auto_update_agent": True,
        "notification_balloon": False,
    }
    assert REMOTE_ACCESS.category is Category.DEVICES
    assert REMOTE_ACCESS.label == "Remote Access"


def test_remote_access_partial_settings_keep_defaults() -> None:
    settings = build_settings(REMOTE_ACCESS, "RA", {}, {"notification_balloon": True})
    assert settings == {"allow_require_consent": True, "auto_update_agent": True,
                        "notification_balloon": True}


# --- booleans, unknown keys and types --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("FALSE", False), ("On", True), ("oFF", False), ("YES", True), ("nO", False)],
)
def test_boolean_words_in_key_value_texts(raw: str, expected: bool) -> None:
    assert parse_assignments(REMOTE_ACCESS, [f"auto_update_agent={raw}"]) == {
        "auto_update_agent": expected}


def test_maybe_refused_naming_the_key() -> None:
    with pytest.raises(SettingError) as info:
        parse_assignments(REMOTE_ACCESS, ["allow_require_consent=maybe"])
    assert info.value.key == "allow_require_consent"
    assert "allow_require_consent" in str(info.value)
    assert "'maybe'" in str(info.value)


def test_unknown_setting_key_refused() -> None:
    with pytest.raises(SettingError) as info:
        parse_assignments(REMOTE_ACCESS, ["balloon=true"])
    assert info.value.key == "balloon"
    message = str(info.value)
    assert "unknown setting" in message
    assert "remote-access" in message
    assert "notification_balloon" in message, "the message lists the known keys"


def test_unknown_setting_key_refused_in_typed_changes() -> None:
    with pytest.raises(PolicyRuleError) as info:
        build_settings(REMOTE_ACCESS, "RA", {}, {"balloon": True, "auto_update_agent": "x"})
    assert sorted(_problem_keys(info.value)) == ["auto_update_agent", "balloon"]


def test_key_of_another_type_refused() -> None:
    with pytest.raises(SettingError, match="unknown setting for policy type 'remote-access'"):
        parse_assignments(REMOTE_ACCESS, ["rmm_enabled=true"])


@pytest.mark.parametrize("text", ["notification_balloon", "=true", "  =true"])
def test_malformed_assignment_refused(text: str) -> None:
    with pytest.raises(SettingError, match="write settings as KEY=VALUE"):
        parse_assignments(REMOTE_ACCESS, [text])


def test_value_may_contain_equals_sign() -> None:
    psa = POLICY_TYPES["psa-integration"]
    assert parse_assignments(psa, ["service_board=a=b"]) == {"service_board": "a=b"}


@pytest.mark.parametrize("type_id", ["nope", "", "Remote-Access", "remote_access"])
def test_unknown_policy_type_refused(type_id: str) -> None:
    with pytest.raises(RuleViolation) as info:
        policy_type(type_id)
    message = str(info.value)
    assert f"unknown policy type '{type_id}'" in message
    assert "remote-access" in message, "the message lists the known types"


def test_policy_category_of_unknown_type_refused() -> None:
    with pytest.raises(RuleViolation, match="unknown policy type"):
        _ = Policy("p", "nope", "x").category


# --- PSA rules ------------------------------------------------------------------------------


def test_psa_url_must_be_http() -> None:
    psa = POLICY_TYPES["psa-integration"]
    with pytest.raises(PolicyRuleError) as info:
        build_settings(psa, "PSA", {}, {"psa_url": "psa.example.com"})
    assert _problem_keys(info.value) == ["psa_url"]
    assert "write it as 'https://psa.example.com'" in str(info.value)
    ok = build_settings(psa, "PSA", {}, {"psa_url": "https://psa.example.com"})
    assert ok["psa_url"] == "https://psa.example.com"
    assert build_settings(psa, "PSA", {}, {"psa_url": "HTTPS://PSA.example.com"})


@pytest.mark.parametrize("url", ["http://psa.example.com", "HTTP://psa.example.com/v4",
                                 "ftp://psa.example.com"])
def test_psa_url_over_plain_http_refused(url: str) -> None:
    psa = POLICY_TYPES["psa-integration"]
    with pytest.raises(PolicyRuleError) as info:
        build_settings(psa, "Help Desk PSA", {}, {"psa_url": url})
    assert _problem_keys(info.value) == ["psa_url"]
    message = str(info.value)
    assert message.startswith(f"policy 'Help Desk PSA': psa_url: '{url}' must start with "
                              "https://")
    assert "write it as 'https://psa.example.com" in message


@pytest.mark.parametrize(("type_id", "kind", "refused"), [
    ("os-patching-desktop", "desktop", False), ("os-patching-desktop", "server", True),
    ("os-patching-server", "server", False), ("os-patching-server", "desktop", True),
    ("remote-access", "server", False), ("communicator", "desktop", False),
])
def test_device_kind_of_patching_types(type_id: str, kind: str, refused: bool) -> None:
    from app.domain.policy_types import device_kind_problem

    problem = device_kind_problem(type_id, "PC-01", kind)
    assert (problem is not None) is refused
    if problem is not None:
        assert problem.startswith(f"device 'PC-01' is a {kind}; '{type_id}' applies to ")
        other = "os-patching-server" if kind == "server" else "os-patching-desktop"
        assert f"Override '{other}' on it instead" in problem


def test_ticket_sync_needs_a_severity() -> None:
    psa = POLICY_TYPES["psa-integration"]
    with pytest.raises(PolicyRuleError) as info:
        build_settings(psa, "PSA", {}, {"ticket_severities": []})
    assert _problem_keys(info.value) == ["ticket_severities"]
    off = build_settings(psa, "PSA", {}, {"ticket_sync": False, "ticket_severities": []})
    assert off["ticket_severities"] == []
