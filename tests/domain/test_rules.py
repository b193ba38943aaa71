"""Domain rules: windows, policy settings, names, packages (seed 000/001/002)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import PolicyRuleError, RuleViolation, SettingError
from app.domain.model import Policy
from app.domain.names import clean_name
from app.domain.packages import Package, add_policy, make_package, remove_policy
from app.domain.policy_types import (
    POLICY_TYPES,
    REMOTE_ACCESS,
    RMM_SITE_CONFIGURATION,
    build_settings,
    parse_assignments,
    policy_type,
)
from app.domain.settings import parse_bool
from app.domain.windows import parse_window

PATCH = POLICY_TYPES["os-patching-desktop"]


# --- windows -----------------------------------------------------------------------------


def test_window_crossing_midnight() -> None:
    w = parse_window("22:00-04:00")
    assert w.crosses_midnight
    assert w.duration_minutes == 6 * 60
    assert str(w) == "22:00-04:00"


def test_window_ending_at_24_00() -> None:
    w = parse_window("20:00-24:00")
    assert w.duration_minutes == 4 * 60
    assert str(w) == "20:00-00:00"


@pytest.mark.parametrize("text", ["25:00-01:00", "10:60-11:00", "24:30-01:00", "x", "10-12"])
def test_bad_windows_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"window|24-hour"):
        parse_window(text)


def test_install_window_3h59_refused() -> None:
    with pytest.raises(PolicyRuleError) as info:
        build_settings(PATCH, "p", {}, {"automation": True, "install_window": "22:00-01:59"})
    message = str(info.value)
    assert "install_window" in message
    assert "at least 4 h" in message
    assert "3 h 59 min" in message
    assert [p.key for p in info.value.problems] == ["install_window"]


def test_install_window_4h_ok() -> None:
    s = build_settings(PATCH, "p", {}, {"install_window": "22:00-02:00"})
    assert s["install_window"] == "22:00-02:00"


def test_reboot_window_59min_refused_1h_ok() -> None:
    with pytest.raises(PolicyRuleError, match=r"reboot_window.*at least 1 h.*59 min"):
        build_settings(PATCH, "p", {}, {"reboot_window": "23:30-00:29"})
    s = build_settings(PATCH, "p", {}, {"reboot_window": "23:30-00:30"})
    assert s["reboot_window"] == "23:30-00:30"


# --- RMM site configuration ----------------------------------------------------------------


def test_notification_rule_required_with_rmm() -> None:
    with pytest.raises(PolicyRuleError) as info:
        build_settings(RMM_SITE_CONFIGURATION, "r", {}, {"rmm_enabled": True})
    assert [p.key for p in info.value.problems] == ["notification_rule"]
    ok = build_settings(
        RMM_SITE_CONFIGURATION, "r", {}, {"rmm_enabled": True, "notification_rule": "NOC"}
    )
    assert ok["rmm_enabled"] is True


def test_noc_without_rmm_refused() -> None:
    with pytest.raises(PolicyRuleError) as info:
        build_settings(RMM_SITE_CONFIGURATION, "r", {}, {"noc_enabled": True})
    assert "noc_enabled" in [p.key for p in info.value.problems]


@pytest.mark.parametrize("level", [4, -1])
def test_noc_access_level_out_of_range(level: int) -> None:
    with pytest.raises(PolicyRuleError, match="noc_access_level"):
        build_settings(RMM_SITE_CONFIGURATION, "r", {}, {"noc_access_level": level})


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_noc_access_level_in_range(level: int) -> None:
    # levels 1-3 give NOC technicians access: only with NOC services on (seed 002 phase 5)
    noc = {"rmm_enabled": True, "noc_enabled": True, "notification_rule": "n"}
    s = build_settings(RMM_SITE_CONFIGURATION, "r", {}, {**noc, "noc_access_level": level})
    assert s["noc_access_level"] == level


def test_remote_access_defaults() -> None:
    assert REMOTE_ACCESS.defaults() == {
        "allow_require_consent": True,
        "auto_update_agent": True,
        "notification_balloon": False,
    }


# --- values, keys, types -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [("true", True), ("FALSE", False), ("On", True), ("oFF", False), ("YES", True), ("No", False)],
)
def test_bool_words(word: str, expected: bool) -> None:
    parsed = parse_assignments(REMOTE_ACCESS, [f"notification_balloon={word}"])
    assert parsed == {"notification_balloon": expected}


def test_bool_maybe_refused_naming_key() -> None:
    with pytest.raises(SettingError) as info:
        parse_assignments(REMOTE_ACCESS, ["notification_balloon=maybe"])
    assert info.value.key == "notification_balloon"
    assert "notification_balloon" in str(info.value)
    assert "maybe" in str(info.value)


def test_unknown_key_refused() -> None:
    with pytest.raises(SettingError, match="no_such_key") as info:
        parse_assignments(REMOTE_ACCESS, ["no_such_key=true"])
    assert info.value.key == "no_such_key"


def test_unknown_type_refused() -> None:
    with pytest.raises(RuleViolation, match="unknown policy type 'nope'"):
        policy_type("nope")


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", "\t \n", "x" * 201])
def test_bad_names_refused(raw: str) -> None:
    with pytest.raises(RuleViolation, match="site name"):
        clean_name("site", raw)


def test_name_of_200_ok_and_stripped() -> None:
    assert clean_name("site", "x" * 200) == "x" * 200
    assert clean_name("site", "  Main  ") == "Main"


# --- properties ----------------------------------------------------------------------------

TYPE_IDS = sorted(POLICY_TYPES)
policies_st = st.builds(
    lambda i, t: Policy(f"p{i}", t, f"policy {i}"),
    st.integers(0, 30),
    st.sampled_from(TYPE_IDS),
)


def _check_invariants(package: Package) -> None:
    types = [t for t, _ in package.policies]
    assert len(types) == len(set(types))
    assert len(package.policies) >= 1
    ids = package.policy_ids
    assert len(ids) == len(set(ids))


@given(
    first=policies_st,
    ops=st.lists(
        st.tuples(st.sampled_from(["add", "remove"]), policies_st, st.integers(0, 10)),
        max_size=30,
    ),
)
def test_package_ops_keep_invariants(first: Policy, ops: list[tuple[str, Policy, int]]) -> None:
    # Policies are unique by id: the first one drawn for an id fixes its type.
    known: dict[str, Policy] = {first.id: first}
    package, replaced = make_package("pk", "Pkg", [first])
    assert replaced == []
    _check_invariants(package)
    for op, drawn, index in ops:
        policy = known.setdefault(drawn.id, drawn)
        before = package
        if op == "add":
            result = add_policy(package, policy)
            package = result.package
            assert package.policy_for_type(policy.type_id) == policy.id
            if result.replaced is not None:
                assert result.replaced != policy.id
                assert result.replaced not in package.policy_ids
                assert before.policy_for_type(policy.type_id) == result.replaced
        else:
            ids = package.policy_ids
            target = ids[index % len(ids)] if index % 2 == 0 else policy.id
            try:
                package = remove_policy(package, target)
            except RuleViolation:
                assert package == before
                assert target not in before.policy_ids or len(before.policies) == 1
            else:
                assert target not in package.policy_ids
        _check_invariants(package)


@given(st.lists(policies_st, min_size=1, max_size=20, unique_by=lambda p: p.id))
def test_make_package_keeps_last_of_each_type(policies: list[Policy]) -> None:
    package, replaced = make_package("pk", "Pkg", policies)
    _check_invariants(package)
    last = {p.type_id: p.id for p in policies}
    assert dict(package.policies) == last
    assert len(replaced) == len(policies) - len(last)


times = st.tuples(st.integers(0, 23), st.integers(0, 59))


@given(start=times, end=st.one_of(times, st.just((24, 0))))
def test_parse_window_valid_pairs(start: tuple[int, int], end: tuple[int, int]) -> None:
    text = f"{start[0]:02d}:{start[1]:02d}-{end[0]:02d}:{end[1]:02d}"
    w = parse_window(text)
    assert 1 <= w.duration_minutes <= 1440
    assert parse_window(str(w)) == w
    assert str(parse_window(str(w))) == str(w)


WORDS = {"true", "false", "on", "off", "yes", "no"}


@given(st.text(max_size=8))
def test_parse_bool_only_six_words(raw: str) -> None:
    if raw.strip().lower() in WORDS:
        assert parse_bool("k", raw) is (raw.strip().lower() in {"true", "on", "yes"})
    else:
        with pytest.raises(SettingError, match=r"^k: "):
            parse_bool("k", raw)


@given(st.sampled_from(sorted(WORDS)), st.data())
def test_parse_bool_any_case(word: str, data: st.DataObject) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    mixed = "".join(c.upper() if f else c for c, f in zip(word, flips, strict=True))
    assert parse_bool("k", mixed) is (word in {"true", "on", "yes"})
