"""Package-to-site assignment: a site has at most one package; assigning replaces it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SiteChange:
    """What one site's assignment becomes, and what it had before."""

    site_id: str
    site_name: str
    company_name: str
    previous_package_id: str | None
    previous_package_name: str | None
    new_package_id: str | None
    new_package_name: str | None

    @property
    def changed(self) -> bool:
        return self.previous_package_id != self.new_package_id

    @property
    def replaced(self) -> bool:
        return self.changed and self.previous_package_id is not None


@dataclass(frozen=True)
class AssignmentPlan:
    changes: tuple[SiteChange, ...]

    @property
    def changed(self) -> list[SiteChange]:
        return [c for c in self.changes if c.changed]

    @property
    def unchanged(self) -> list[SiteChange]:
        return [c for c in self.changes if not c.changed]

    @property
    def replaced(self) -> list[SiteChange]:
        return [c for c in self.changes if c.replaced]
