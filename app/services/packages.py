"""Packages: build, edit, make default, delete; one policy per type, at least one policy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from app.domain.errors import RuleViolation
from app.domain.model import Policy, Site, new_id
from app.domain.packages import Package, add_policy, make_package, remove_policy
from app.domain.policy_types import policy_type
from app.services.lookup import find_one
from app.services.policies import resolve_policy
from app.services.removal_views import PackageDeleted, PackageImpact, SiteRef
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

    def impact(self, ref: str) -> PackageImpact:
        """Whose settings deleting the package would change; nothing is written."""
        with self.db.read() as s:
            repo = Repository(s)
            return _impact(repo, resolve_package(repo, ref))

    def delete(self, ref: str, *, force: bool = False) -> PackageDeleted:
        """Delete a package. The default package, or one assigned to sites, changes the
        settings of sites: refused (naming them) unless `force`, which also removes its
        assignments in the same transaction."""
        with self.db.write() as s:
            repo = Repository(s)
            package = resolve_package(repo, ref)
            impact = _impact(repo, package)
            if (impact.affected or package.is_default) and not force:
                raise PackageInUse(impact)
            view = package_view(repo, package)
            assigned = [x for x in repo.sites() if x.package_id == package.id]
            repo.set_site_packages(assigned, None, "package.delete.unassign")
            repo.tombstone("package", package.id, package_payload(package), package.version,
                           "package.delete")
            return PackageDeleted(impact, package, view)

    def restore(self, deleted: PackageDeleted) -> PackageView:
        """Undo of `delete`: the package again (same id, policies and default flag), and the
        sites it was assigned to get it back. Refused when its name was taken since, when
        another package became the default meanwhile, or when none of its policies is left."""
        with self.db.write() as s:
            repo = Repository(s)
            old = deleted.package
            if repo.package(old.id) is not None:
                raise RuleViolation(f"package '{old.name}' is not deleted")
            if repo.same_name("package", old.name):
                raise RuleViolation(f"a package named '{old.name}' exists again; rename it "
                                    f"to bring '{old.name}' back")
            current = repo.default_package()
            if old.is_default and current is not None:
                raise RuleViolation(f"'{current.name}' is the default package now; "
                                    f"'{old.name}' cannot be brought back as the default")
            live = {p.id for p in repo.policies(old.policy_ids)}
            policies = tuple((t, p) for t, p in old.policies if p in live)
            if not policies:
                raise RuleViolation(f"the policies of package '{old.name}' were deleted; "
                                    "it cannot come back")
            restored = replace(old, policies=policies)
            repo.save_package(restored, "package.restore")  # recorded as a delete's undo
            repo.restore_row("package", old.id)
            sites = [x for x in repo.sites()
                     if x.id in {r.id for r in deleted.impact.assigned} and x.package_id is None]
            repo.set_site_packages(sites, old.id, "package.restore.assign")
            return package_view(repo, restored)


class PackageInUse(RuleViolation):
    """Deleting the package would change the settings of sites (`impact` names them)."""

    def __init__(self, impact: PackageImpact) -> None:
        first = ("remove those assignments" if impact.assigned else "")
        if impact.is_default:
            first += (" and " if first else "") + "make another package the default"
        super().__init__(f"{impact.reason()}; deleting it changes their settings: "
                         f"{first} first")
        self.impact = impact


def _impact(repo: Repository, package: Package) -> PackageImpact:
    companies = {c.id: c.name for c in repo.companies()}
    sites = repo.sites()

    def refs(chosen: list[Site]) -> tuple[SiteRef, ...]:
        found = [SiteRef(x.id, x.name, companies.get(x.company_id, "")) for x in chosen]
        return tuple(sorted(found, key=lambda r: (r.company.casefold(), r.name.casefold())))

    assigned = refs([x for x in sites if x.package_id == package.id])
    inheriting: tuple[SiteRef, ...] = ()
    if package.is_default:
        # Resolution is per policy type: a site inherits the default's policy of every type
        # its own package lacks, so those sites change too, not only the ones without a package.
        types = {t for t, _ in package.policies}
        own = {p.id: {t for t, _ in p.policies} for p in repo.packages()}
        inheriting = refs([x for x in sites if x.package_id != package.id
                           and not types <= own.get(x.package_id or "", set())])
    return PackageImpact(package.id, package.name, package.is_default, assigned, inheriting)
