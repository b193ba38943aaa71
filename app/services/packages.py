"""Packages: build, edit, make default, delete; one policy per type, at least one policy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from app.domain.errors import RuleViolation
from app.domain.model import Policy, new_id
from app.domain.packages import Package, add_policy, make_package, remove_policy
from app.domain.policy_types import policy_type
from app.services.lookup import find_one
from app.services.policies import resolve_policy
from app.services.views import PackageSaved, PackageView, PolicyRef
from storage.database import Database
from storage.repository import Repository, package_payload


def resolve_package(repo: Repository, ref: str) -> Package:
    return find_one("package", ref, repo.package, repo.packages_named)


def _ref(policy: Policy) -> PolicyRef:
    return PolicyRef(policy.id, policy.name, policy.type_id, policy_type(policy.type_id).label)


def package_view(repo: Repository, package: Package, site_counts: dict[str, int] | None = None
                 ) -> PackageView:
    policies = {p.id: p for p in repo.policies(package.policy_ids)}
    if site_counts is None:
        site_counts = count_sites(repo)
    return PackageView(
        package.id, package.name, package.is_default,
        tuple(_ref(policies[pid]) for pid in package.policy_ids if pid in policies),
        site_counts.get(package.id, 0),
        site_counts.get(INHERITING, 0) if package.is_default else 0,
    )


INHERITING = ""  # count_sites' key for the sites without a package (they inherit the default)


def count_sites(repo: Repository) -> dict[str, int]:
    """Package id → sites assigned to it; INHERITING → sites with no package."""
    counts: dict[str, int] = {}
    for site in repo.sites():
        key = site.package_id or INHERITING
        counts[key] = counts.get(key, 0) + 1
    return counts


class PackageService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[PackageView]:
        with self.db.read() as s:
            repo = Repository(s)
            counts = count_sites(repo)
            return [package_view(repo, p, counts) for p in repo.packages()]

    def get(self, ref: str) -> PackageView:
        with self.db.read() as s:
            repo = Repository(s)
            return package_view(repo, resolve_package(repo, ref))

    def save(self, name: str, policies: Sequence[str], *, is_default: bool = False,
             package_id: str | None = None) -> PackageSaved:
        """Create (no `package_id`) or replace a package as a whole, as the builder saves it.

        Policies are taken in order; a later one of a type replaces an earlier one, and the
        result names what was replaced. Refused when empty, misnamed or a name is taken.
        """
        with self.db.write() as s:
            repo = Repository(s)
            existing = resolve_package(repo, package_id) if package_id else None
            chosen = [resolve_policy(repo, ref) for ref in policies]
            pid = existing.id if existing else new_id()
            package, replaced_ids = make_package(pid, name, chosen, is_default)
            if any(i != pid for i, _ in repo.same_name("package", package.name)):
                raise RuleViolation(f"a package named '{package.name}' already exists")
            if existing is not None:
                package = replace(package, version=existing.version)
            previous_default = self._take_default(repo, package)
            if package != existing:  # saving it unchanged is no change: nothing to sync
                repo.save_package(package, "package.save" if existing else "package.create")
            by_id = {p.id: p for p in chosen}
            return PackageSaved(
                package_view(repo, package),
                tuple(_ref(by_id[r]) for r in replaced_ids),
                previous_default,
            )

    def _take_default(self, repo: Repository, package: Package) -> PackageView | None:
        """One default at a time: making this one default clears the other first."""
        if not package.is_default:
            return None
        current = repo.default_package()
        if current is None or current.id == package.id:
            return None
        repo.save_package(replace(current, is_default=False), "package.clear_default")
        return package_view(repo, replace(current, is_default=False))

    def add_policy(self, package_ref: str, policy_ref: str) -> PackageSaved:
        with self.db.write() as s:
            repo = Repository(s)
            package = resolve_package(repo, package_ref)
            policy = resolve_policy(repo, policy_ref)
            result = add_policy(package, policy)
            replaced = repo.policy(result.replaced) if result.replaced else None
            if result.package != package:
                repo.save_package(result.package, "package.add_policy")
            return PackageSaved(package_view(repo, result.package),
                                (_ref(replaced),) if replaced else ())

    def remove_policy(self, package_ref: str, policy_ref: str) -> PackageSaved:
        with self.db.write() as s:
            repo = Repository(s)
            package = resolve_package(repo, package_ref)
            policy = resolve_policy(repo, policy_ref)
            updated = remove_policy(package, policy.id, policy.name)
            repo.save_package(updated, "package.remove_policy")
            return PackageSaved(package_view(repo, updated))

    def set_default(self, ref: str, is_default: bool = True) -> PackageSaved:
        with self.db.write() as s:
            repo = Repository(s)
            current = resolve_package(repo, ref)
            package = replace(current, is_default=is_default)
            if package == current:  # already so: record nothing
                return PackageSaved(package_view(repo, package))
            previous = self._take_default(repo, package)
            repo.save_package(package, "package.set_default")
            return PackageSaved(package_view(repo, package), (), previous)

    def delete(self, ref: str) -> PackageView:
        with self.db.write() as s:
            repo = Repository(s)
            package = resolve_package(repo, ref)
            assigned = [x for x in repo.sites() if x.package_id == package.id]
            if assigned:
                raise RuleViolation(
                    f"package '{package.name}' is assigned to {len(assigned)} site(s); "
                    "remove those assignments first"
                )
            view = package_view(repo, package)
            repo.tombstone("package", package.id, package_payload(package), package.version,
                           "package.delete")
            return view
