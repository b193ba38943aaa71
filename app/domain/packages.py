"""Packages: 1–200 character name, at least one policy, at most one policy of each type.

Adding a second policy of a type replaces the first (seed 000); operations return the new
package and what they replaced so the UI and CLI can say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from app.domain.errors import RuleViolation
from app.domain.model import Policy
from app.domain.names import clean_name


@dataclass(frozen=True)
class Package:
    id: str
    name: str
    # type id -> policy id; insertion order is the builder's order.
    policies: tuple[tuple[str, str], ...]
    is_default: bool = False
    version: int = 0

    @property
    def policy_ids(self) -> list[str]:
        return [pid for _, pid in self.policies]

    def policy_for_type(self, type_id: str) -> str | None:
        return dict(self.policies).get(type_id)


@dataclass(frozen=True)
class PolicyAdded:
    package: Package
    added: str
    replaced: str | None  # the policy id of the same type that left the package


def make_package(
    package_id: str, name: str, policies: Iterable[Policy], is_default: bool = False
) -> tuple[Package, list[str]]:
    """Build a package from policies in order; a later policy of a type replaces an earlier one.

    Returns the package and the ids of the policies that were replaced on the way.
    """
    clean = clean_name("package", name)
    slots: dict[str, str] = {}
    replaced: list[str] = []
    for policy in policies:
        previous = slots.pop(policy.type_id, None)
        if previous is not None and previous != policy.id:
            replaced.append(previous)
        slots[policy.type_id] = policy.id
    kept = set(slots.values())
    replaced = list(dict.fromkeys(r for r in replaced if r not in kept))  # only those that left
    package = Package(package_id, clean, tuple(slots.items()), is_default)
    require_policies(package)
    return package, replaced


def require_policies(package: Package) -> None:
    if not package.policies:
        raise RuleViolation(f"package '{package.name}' must contain at least one policy")


def add_policy(package: Package, policy: Policy) -> PolicyAdded:
    slots = dict(package.policies)
    previous = slots.get(policy.type_id)
    if previous == policy.id:
        return PolicyAdded(package, policy.id, None)
    items = [(t, p) for t, p in package.policies if t != policy.type_id]
    items.append((policy.type_id, policy.id))
    return PolicyAdded(replace(package, policies=tuple(items)), policy.id, previous)


def remove_policy(package: Package, policy_id: str, policy_name: str = "") -> Package:
    if policy_id not in package.policy_ids:
        label = policy_name or policy_id
        raise RuleViolation(f"policy '{label}' is not in package '{package.name}'")
    remaining = tuple((t, p) for t, p in package.policies if p != policy_id)
    if not remaining:
        raise RuleViolation(
            f"package '{package.name}' must contain at least one policy; "
            "add another before removing its last one, or delete the package"
        )
    return replace(package, policies=remaining)


def rename(package: Package, name: str) -> Package:
    return replace(package, name=clean_name("package", name))
