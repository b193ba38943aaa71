"""Readiness across companies: which sites can go live, and what blocks the others."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.domain.helpdesk.readiness import CHECKS, Checklist


@dataclass(frozen=True)
class ReadinessOverview:
    sites: tuple[Checklist, ...]  # by company name, then site name

    @property
    def ready(self) -> tuple[Checklist, ...]:
        return tuple(c for c in self.sites if c.ready)

    @property
    def blocked(self) -> tuple[Checklist, ...]:
        return tuple(c for c in self.sites if not c.ready)

    def blocked_by(self) -> dict[str, tuple[str, ...]]:
        """Check id → ids of the sites that fail it, in `CHECKS` order; only the checks that
        block at least one site appear."""
        found: dict[str, list[str]] = {check: [] for check in CHECKS}
        for checklist in self.sites:
            for item in checklist.blockers:
                found[item.id].append(checklist.site_id)
        return {check: tuple(ids) for check, ids in found.items() if ids}

    def to_dict(self) -> dict[str, Any]:
        return {
            "ready": len(self.ready), "blocked": len(self.blocked),
            "sites": [{"site": {"id": c.site_id, "name": c.site_name},
                       "company": {"id": c.company_id, "name": c.company_name},
                       "ready": c.ready, "blockers": [i.id for i in c.blockers],
                       "warnings": [i.id for i in c.warnings]} for c in self.sites],
            "blocked_by": {check: list(ids) for check, ids in self.blocked_by().items()},
        }


def overview(checklists: Iterable[Checklist]) -> ReadinessOverview:
    ordered = sorted(checklists, key=lambda c: (c.company_name.casefold(),
                                                c.site_name.casefold(), c.site_id))
    return ReadinessOverview(tuple(ordered))
