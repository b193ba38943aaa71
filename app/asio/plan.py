"""The push plan (pure): per object create, update or skip, and why (docs/asio.md).

Companies first, then sites (a site waits for its company), then contacts (a contact waits for
its site). What is found on the platform by our id or by name is linked, not created again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from app.asio.matching import Match
from app.asio.models import RemoteSite
from app.domain.model import Company, Site
from storage.asio_repository import Link
from storage.profile_repository import PROFILE_FIELDS, StoredProfile

QUOTA_REQUESTS, QUOTA_SECONDS = 500, 300  # the documented rate: about 500 requests / 5 min


@dataclass(frozen=True)
class PlanItem:
    entity: str  # company | site | contact
    id: str
    name: str
    action: str  # create | update | skip
    reason: str
    remote_id: str | None = None
    parent: str | None = None  # our id of the company (site) or site (contact)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Plan:
    items: list[PlanItem]
    links_found: list[Link]  # matches found by our id or by name, saved when the push runs
    reads: int  # requests the plan needed

    def count(self, action: str, entity: str | None = None) -> int:
        return sum(1 for i in self.items
                   if i.action == action and (entity is None or i.entity == entity))

    @property
    def writes(self) -> int:
        return self.count("create") + self.count("update")

    def estimate_seconds(self) -> float:
        """At the documented quota: what exceeds one window waits for the next ones."""
        total = self.writes + self.reads
        return max(0.0, (total - QUOTA_REQUESTS) * QUOTA_SECONDS / QUOTA_REQUESTS)

    def to_json(self) -> dict[str, Any]:
        return {"items": [i.to_json() for i in self.items],
                "summary": {a: {e: self.count(a, e) for e in ("company", "site", "contact")}
                            for a in ("create", "update", "skip")},
                "writes": self.writes, "estimated_seconds": round(self.estimate_seconds())}


@dataclass
class PushReport:
    plan: Plan
    created: dict[str, int] = field(default_factory=lambda: {"company": 0, "site": 0,
                                                               "contact": 0})
    updated: int = 0
    requests: int = 0
    writes: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"created": self.created, "updated_sites": self.updated,
                "skipped": self.plan.count("skip"), "requests": self.requests,
                "writes": self.writes, "plan": self.plan.to_json()}


class Planner:
    """Builds the plan object by object: companies, then sites, then contacts."""

    def __init__(self, found: dict[str, str]) -> None:
        self.found = found
        self.items: list[PlanItem] = []
        self.links: list[Link] = []
        self.company_ready: dict[str, bool] = {}
        self.site_ready: dict[str, bool] = {}

    def companies(self, companies: Sequence[Company], matches: dict[str, Match],
                  remote_names: dict[str, str]) -> None:
        for c in companies:
            m = matches[c.id]
            item = _decide("company", c.id, c.name, m, None)
            self.items.append(item)
            self.company_ready[c.id] = item.action == "create" or (
                bool(m.remote_id) and m.how != "gone")
            if m.remote_id and m.how in ("external-id", "lookup", "name"):
                self.links.append(Link("company", c.id, m.remote_id, "",
                                       remote_names.get(m.remote_id, c.name)))

    def sites(self, sites: Sequence[Site], matches: dict[str, Match],
              links: dict[str, Link], remotes: dict[str, RemoteSite]) -> None:
        for site in sites:
            m = matches[site.id]
            if m.how == "none" and site.id in self.found:
                m = Match(site.id, self.found[site.id], "lookup")
            if not self.company_ready.get(site.company_id):
                self.items.append(PlanItem("site", site.id, site.name, "skip",
                                           "its company is not on the platform yet (see the "
                                           "company)", None, site.company_id))
                continue
            if m.how == "linked":
                self.items.append(_linked_site(site, remotes.get(m.remote_id or ""),
                                               links[site.id]))
                self.site_ready[site.id] = True
                continue
            item = _decide("site", site.id, site.name, m, site.company_id)
            self.items.append(item)
            self.site_ready[site.id] = item.action == "create" or (
                bool(m.remote_id) and m.how != "gone")
            if m.remote_id and m.how in ("external-id", "lookup", "name"):
                remote = remotes.get(m.remote_id)
                self.links.append(Link("site", site.id, m.remote_id,
                                       remote.company_id if remote else "",
                                       remote.name if remote else site.name))

    def contacts(self, sites: Sequence[Site], profiles: dict[str, list[StoredProfile]],
                 links: dict[str, Link]) -> None:
        for site in sites:
            for p in profiles[site.id]:
                values = dict(zip(PROFILE_FIELDS, p.values, strict=True))
                name = f"{values['first_name']} {values['last_name']}".strip()
                if p.id in links:
                    item = PlanItem("contact", p.id, name, "skip",
                                    "already a contact on the platform (the API cannot "
                                    "update contacts)", links[p.id].remote_id, site.id)
                elif p.id in self.found:
                    item = PlanItem("contact", p.id, name, "skip",
                                    "already a contact (found by our id); linked",
                                    self.found[p.id], site.id)
                    self.links.append(Link("contact", p.id, self.found[p.id], "", name))
                elif not self.site_ready.get(site.id):
                    item = PlanItem("contact", p.id, name, "skip",
                                    "its site is not on the platform yet (see the site)",
                                    None, site.id)
                else:
                    item = PlanItem("contact", p.id, name, "create",
                                    "a client profile not on the platform", None, site.id)
                self.items.append(item)


def _linked_site(site: Site, remote: RemoteSite | None, link: Link) -> PlanItem:
    if remote is None:
        return PlanItem("site", site.id, site.name, "skip",
                        f"linked to {link.remote_id}, which the platform no longer lists; "
                        "nothing is recreated", link.remote_id, site.company_id)
    if remote.name not in (site.name, link.remote_name):
        # renamed on the platform since we last saw it: theirs is not overwritten
        return PlanItem("site", site.id, site.name, "skip",
                        f"renamed on the platform to '{remote.name}'; not overwritten",
                        remote.id, site.company_id)
    if remote.name != site.name:
        return PlanItem("site", site.id, site.name, "update",
                        f"renamed here: '{remote.name}' → '{site.name}'", remote.id,
                        site.company_id)
    return PlanItem("site", site.id, site.name, "skip", "on the platform, unchanged",
                    remote.id, site.company_id)


def _decide(entity: str, local_id: str, name: str, m: Match, parent: str | None) -> PlanItem:
    if m.how == "linked":
        return PlanItem(entity, local_id, name, "skip", "on the platform", m.remote_id, parent)
    if m.how == "gone":
        return PlanItem(entity, local_id, name, "skip",
                        f"linked to {m.remote_id}, which the platform no longer lists; "
                        "nothing is recreated", m.remote_id, parent)
    if m.how in ("external-id", "lookup"):
        return PlanItem(entity, local_id, name, "skip",
                        "already on the platform (found by our id); linked", m.remote_id,
                        parent)
    if m.how == "name":
        return PlanItem(entity, local_id, name, "skip",
                        "a same-named object is on the platform; linked", m.remote_id, parent)
    if m.how == "ambiguous":
        return PlanItem(entity, local_id, name, "skip",
                        f"{len(m.candidates)} objects on the platform have this name "
                        f"({', '.join(m.candidates)}); not guessed: give the one that is ours "
                        "a distinct name there or here, then run again",
                        None, parent)
    return PlanItem(entity, local_id, name, "create", "only here", None, parent)
