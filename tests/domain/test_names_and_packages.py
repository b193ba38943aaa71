"""Names (1–200 characters) and packages (seed 000): at least one policy, at most one of each
type, adding a second of a type replaces the first and says which. Property-tested."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from app.domain.assignment import AssignmentPlan, SiteChange
from app.domain.errors import RuleViolation
from app.domain.model import Policy
from app.domain.names import MAX_NAME_LENGTH, clean_name
from app.domain.packages import (
    Package,
    add_policy,
    make_package,
    remove_policy,
    rename,
    require_policies,
)
from app.domain.policy_types import POLICY_TYPES

TYPE_IDS = sorted(POLICY_TYPES)

# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["company", "site", "policy", "package"])
@pytest.mark.parametrize("raw", ["", " ", "   ", "\t", " \n\t "])
def test_empty_and_whitespace_names_refused(kind: str, raw: str) -> None:
    with pytest.raises(RuleViolation, match=f"^{kind} name must not be empty$"):
        clean_name(kind, raw)


def test_201_characters_refused_200_accepted() -> None:
    assert MAX_NAME_LENGTH == 200
    with pytest.raises(RuleViolation) as info:
        clean_name("company", "x" * 201)
    message = str(info.value)
    assert "company name" in message
    assert "at most 200 characters" in message
    assert "201" in message
    assert clean_name("company", "x" * 200) == "x" * 200
    assert clean_name("company", "x") == "x"


def test_length_counts_after_stripping() -> None:
    assert clean_name("site", "  " + "y" * 200 + "  ") == "y" * 200
    assert clean_name("site", "  Main Office ") == "Main Office"


def test_non_ascii_names_count_characters_not_bytes() -> None:
    name = "é" * 200
    assert clean_name("site", name) == name
    with pytest.raises(RuleViolation, match="at most 200"):
        clean_name("site", "é" * 201)


@pytest.mark.parametrize("raw", ["Main\tOffice", "Main\nOffice", "Main\x00"])
def test_control_characters_refused(raw: str) -> None:
    with pytest.raises(RuleViolation, match="control characters"):
        clean_name("site", raw)


@given(st.text(min_size=1, max_size=220))
def test_clean_name_property(raw: str) -> None:
    stripped = unicodedata.normalize("NFC", raw).strip()
    hidden = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
    valid = (1 <= len(stripped) <= 200
             and not any(unicodedata.category(c) in hidden for c in stripped)
             and not any(c in "\u115f\u1160\u3164\uffa0\u2800" for c in stripped))
    if valid:
        assert clean_name("company", raw) == stripped
    else:
        with pytest.raises(RuleViolation, match=r"^company name"):
            clean_name("company", raw)


# --- packages: examples ------------------------------------------------------------------

RA1 = Policy("ra1", "remote-access", "RA one")
RA2 = Policy("ra2", "remote-access", "RA two")
COMM = Policy("comm", "communicator", "Comm")
RMM = Policy("rmm", "rmm-site-configuration", "RMM")


def test_make_package_needs_a_policy() -> None:
    with pytest.raises(RuleViolation, match="package 'Empty' must contain at least one policy"):
        make_package("pk", "Empty", [])


@pytest.mark.parametrize("name", ["", "   ", "n" * 201])
def test_make_package_refuses_bad_names(name: str) -> None:
    with pytest.raises(RuleViolation, match=r"^package name"):
        make_package("pk", name, [RA1])


def test_make_package_200_character_name() -> None:
    package, _ = make_package("pk", "n" * 200, [RA1])
    assert package.name == "n" * 200


def test_make_package_later_policy_of_a_type_replaces_earlier() -> None:
    package, replaced = make_package("pk", " Pkg ", [RA1, COMM, RA2], is_default=True)
    assert package.name == "Pkg"
    assert package.is_default
    assert dict(package.policies) == {"remote-access": "ra2", "communicator": "comm"}
    assert replaced == ["ra1"]
    assert package.policy_for_type("remote-access") == "ra2"
    assert package.policy_for_type("psa-integration") is None


def test_make_package_same_policy_twice_is_not_a_replacement() -> None:
    package, replaced = make_package("pk", "Pkg", [RA1, RA1])
    assert package.policy_ids == ["ra1"]
    assert replaced == []


def test_add_policy_of_a_new_type() -> None:
    package, _ = make_package("pk", "Pkg", [RA1])
    result = add_policy(package, COMM)
    assert result.replaced is None
    assert result.added == "comm"
    assert result.package.policy_ids == ["ra1", "comm"]
    assert package.policy_ids == ["ra1"], "packages are immutable values"


def test_add_policy_of_a_present_type_replaces_and_says_so() -> None:
    package, _ = make_package("pk", "Pkg", [RA1, COMM])
    result = add_policy(package, RA2)
    assert result.replaced == "ra1"
    assert dict(result.package.policies) == {"communicator": "comm", "remote-access": "ra2"}
    assert result.package.name == package.name
    assert result.package.id == package.id


def test_add_policy_already_there_changes_nothing() -> None:
    package, _ = make_package("pk", "Pkg", [RA1, COMM])
    result = add_policy(package, RA1)
    assert result.package == package
    assert result.replaced is None


def test_remove_policy() -> None:
    package, _ = make_package("pk", "Pkg", [RA1, COMM])
    assert remove_policy(package, "ra1").policy_ids == ["comm"]


def test_remove_last_policy_refused() -> None:
    package, _ = make_package("pk", "Pkg", [RA1])
    with pytest.raises(RuleViolation, match="'Pkg' must contain at least one policy"):
        remove_policy(package, "ra1", "RA one")


def test_remove_policy_not_in_package_refused() -> None:
    package, _ = make_package("pk", "Pkg", [RA1])
    with pytest.raises(RuleViolation, match="policy 'Comm' is not in package 'Pkg'"):
        remove_policy(package, "comm", "Comm")
    with pytest.raises(RuleViolation, match="policy 'comm' is not in package 'Pkg'"):
        remove_policy(package, "comm")


def test_rename_package() -> None:
    package, _ = make_package("pk", "Pkg", [RA1])
    assert rename(package, "  New  ").name == "New"
    with pytest.raises(RuleViolation, match="must not be empty"):
        rename(package, " ")


def test_require_policies() -> None:
    with pytest.raises(RuleViolation, match="at least one policy"):
        require_policies(Package("pk", "Empty", ()))


# --- packages: properties ----------------------------------------------------------------

# A pool of policies: id -> type fixed once, as in a real workspace.
POOL = [Policy(f"p{i}", TYPE_IDS[(i * 5 + i // 7) % len(TYPE_IDS)], f"policy {i}")
        for i in range(21)]
policies_st = st.sampled_from(POOL)
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), policies_st),
        st.tuples(st.just("replace"), st.integers(0, 50)),
        st.tuples(st.just("remove"), st.integers(0, 50)),
        st.tuples(st.just("remove-absent"), policies_st),
    ),
    max_size=40,
)


def _check(package: Package) -> None:
    types = [t for t, _ in package.policies]
    assert len(types) == len(set(types)), "at most one policy per type"
    assert len(package.policies) >= 1, "at least one policy"
    by_id = {p.id: p for p in POOL}
    for type_id, policy_id in package.policies:
        assert by_id[policy_id].type_id == type_id


@settings(max_examples=300)
@given(start=st.lists(policies_st, max_size=6, unique_by=lambda p: p.id), ops=OPS)
def test_any_sequence_of_operations_keeps_the_package_rules(
    start: list[Policy], ops: list[tuple[str, object]]
) -> None:
    try:
        package, replaced = make_package("pk", "Pkg", start)
    except RuleViolation:
        assert start == []
        return
    _check(package)
    model = {}
    for policy in start:
        model.pop(policy.type_id, None)
        model[policy.type_id] = policy.id
    assert dict(package.policies) == model
    assert len(replaced) == len(start) - len(model)
    assert set(replaced) == {p.id for p in start} - set(package.policy_ids)

    for op, arg in ops:
        before = package
        try:
            if op == "add":
                assert isinstance(arg, Policy)
                result = add_policy(package, arg)
                previous = before.policy_for_type(arg.type_id)
                expected = None if previous == arg.id else previous
                assert result.replaced == expected
                package = result.package
                if previous != arg.id:
                    model.pop(arg.type_id, None)
                    model[arg.type_id] = arg.id
            elif op == "replace":
                # A different policy of a type the package already holds.
                assert isinstance(arg, int)
                type_id = package.policies[arg % len(package.policies)][0]
                others = [p for p in POOL if p.type_id == type_id
                          and p.id != package.policy_for_type(type_id)]
                if not others:
                    continue
                newcomer = others[arg % len(others)]
                result = add_policy(package, newcomer)
                assert result.replaced == before.policy_for_type(type_id)
                assert result.replaced not in result.package.policy_ids
                package = result.package
                model.pop(type_id)
                model[type_id] = newcomer.id
            elif op == "remove":
                assert isinstance(arg, int)
                target = package.policy_ids[arg % len(package.policy_ids)]
                package = remove_policy(package, target)
                model = {t: p for t, p in model.items() if p != target}
            else:
                assert isinstance(arg, Policy)
                package = remove_policy(package, arg.id)
                model = {t: p for t, p in model.items() if p != arg.id}
        except RuleViolation:
            assert package is before, "a refused operation leaves the package unchanged"
            assert op.startswith("remove")
            target_id = (arg.id if isinstance(arg, Policy)
                         else before.policy_ids[int(arg) % len(before.policy_ids)])
            assert target_id not in before.policy_ids or len(before.policies) == 1
            continue
        _check(package)
        assert dict(package.policies) == model
        assert list(dict(package.policies)) == list(model), "builder order is kept"


class PackageBuilder(RuleBasedStateMachine):
    """The Package Builder as a state machine: many packages, every operation, every rule."""

    packages = Bundle("packages")

    def __init__(self) -> None:
        super().__init__()
        self.current: dict[str, Package] = {}
        self.counter = 0

    @initialize(target=packages, first=policies_st)
    def first_package(self, first: Policy) -> str:
        return self._make([first])

    def _make(self, policies: list[Policy]) -> str:
        self.counter += 1
        package, _ = make_package(f"pk{self.counter}", f"Package {self.counter}", policies)
        self.current[package.id] = package
        return package.id

    @rule(target=packages, policies=st.lists(policies_st, max_size=4))
    def build(self, policies: list[Policy]) -> str:
        if not policies:
            with pytest.raises(RuleViolation):
                make_package("x", "Empty", policies)
            return next(iter(self.current))
        return self._make(policies)

    @rule(pid=packages, policy=policies_st)
    def add(self, pid: str, policy: Policy) -> None:
        before = self.current[pid]
        result = add_policy(before, policy)
        if result.replaced is not None:
            assert before.policy_for_type(policy.type_id) == result.replaced
        assert result.package.policy_for_type(policy.type_id) == policy.id
        self.current[pid] = result.package

    @rule(pid=packages, index=st.integers(0, 10))
    def remove(self, pid: str, index: int) -> None:
        before = self.current[pid]
        target = before.policy_ids[index % len(before.policy_ids)]
        try:
            after = remove_policy(before, target)
        except RuleViolation:
            assert len(before.policies) == 1
            assert self.current[pid] == before
            return
        assert target not in after.policy_ids
        assert len(after.policies) == len(before.policies) - 1
        self.current[pid] = after

    @rule(pid=packages, policy=policies_st)
    def remove_any(self, pid: str, policy: Policy) -> None:
        before = self.current[pid]
        try:
            self.current[pid] = remove_policy(before, policy.id)
        except RuleViolation:
            assert policy.id not in before.policy_ids or before.policy_ids == [policy.id]
            assert self.current[pid] == before

    @invariant()
    def every_package_keeps_its_rules(self) -> None:
        for package in self.current.values():
            _check(package)


PackageBuilder.TestCase.settings = settings(max_examples=60, stateful_step_count=30)
TestPackageBuilder = PackageBuilder.TestCase


@given(st.lists(policies_st, min_size=1, max_size=15, unique_by=lambda p: p.id))
def test_make_package_keeps_the_last_policy_of_each_type(policies: list[Policy]) -> None:
    package, replaced = make_package("pk", "Pkg", policies)
    _check(package)
    last = {}
    for p in policies:
        last[p.type_id] = p.id
    assert dict(package.policies) == last
    assert sorted(replaced) == sorted({p.id for p in policies} - set(last.values()))


def test_make_package_reports_only_policies_that_left() -> None:
    """[A, B, A] of one type: A is what the package holds, so only B was replaced.

    Saying A was replaced (as well as B) would tell the user that a policy left the package
    when it is in it (`package create --policy A --policy B --policy A`).
    """
    package, replaced = make_package("pk", "Pkg", [RA1, RA2, RA1])
    assert package.policy_ids == ["ra1"]
    assert replaced == ["ra2"]


# --- assignment plans ----------------------------------------------------------------------


def test_site_change_and_plan() -> None:
    keep = SiteChange("s1", "HQ", "Acme", "pa", "A", "pa", "A")
    new = SiteChange("s2", "Lab", "Acme", None, None, "pa", "A")
    swap = SiteChange("s3", "Branch", "Acme", "pb", "B", "pa", "A")
    off = SiteChange("s4", "Remote", "Acme", "pb", "B", None, None)
    assert not keep.changed
    assert not keep.replaced
    assert new.changed
    assert not new.replaced
    assert swap.changed
    assert swap.replaced
    assert off.changed
    assert off.replaced
    plan = AssignmentPlan((keep, new, swap, off))
    assert plan.changed == [new, swap, off]
    assert plan.unchanged == [keep]
    assert plan.replaced == [swap, off]
