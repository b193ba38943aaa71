"""Pull from and push to ConnectWise Asio (docs/asio.md). The GUI and the CLI call this.

Pull: every read first, then one local transaction — a failed pull changes nothing. Push:
reads and the plan first (the mapping lookup finds what an earlier, cut-off run created), then
writes in order (companies, sites, contacts); the links the platform confirmed are saved every
100 objects and whenever a run stops, and what a killed run could not save the next run's
lookup finds, so a run that stops half-way resumes and creates nothing twice. Nothing on the
platform is ever deleted. The plan itself is app.asio.plan.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from app.asio.client import AsioClient
from app.asio.contacts import contact_request
from app.asio.device_matching import DeviceMatcher
from app.asio.device_queries import device_queries
from app.asio.drift import compare
from app.asio.errors import AsioError
from app.asio.matching import Match, match
from app.asio.models import (
    DEFAULT_TIME_ZONE,
    LOOKUP_KINDS,
    LookupItem,
    RemoteCompany,
    RemoteEndpoint,
    RemoteSite,
    company_create,
    site_create,
    site_rename,
)
from app.asio.plan import Plan, PlanItem, Planner, PushReport
from app.domain.model import Company, Site, new_id
from app.domain.policy_types import applies_to
from app.gcpause import paused_gc
from app.services.effective import EffectiveService
from app.services.hierarchy import resolve_site
from storage.asio_repository import AsioRepository, DriftRecord, Link
from storage.changes import record_batch
from storage.database import Database, Scratch, now_iso
from storage.profile_repository import PROFILE_FIELDS, ProfileRepository
from storage.pull_stage import STAGE_SCHEMA, DeviceStage, copy_staged_devices
from storage.repository import Repository

# Links are saved in batches: a run killed before a save loses none of them for good, since
# the next run's mapping lookup finds our ids on what it made.
LINKS_PER_SAVE = 100
URL_KEY, CLIENT_KEY = "asio.url", "asio.client_id"  # workspace info
SAVE_CHUNK = 1_000  # rows per insert (a window waiting for the GIL gets it in between)
DRIFT_AUTO_LIMIT = 200  # endpoints whose drift a pull of every site fetches by itself
Progress = Callable[[int, int, str], None]  # done, total, what


@dataclass(frozen=True)
class Ambiguity:
    entity: str
    id: str
    name: str
    candidates: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "candidates": list(self.candidates)}


@dataclass
class PullReport:
    companies_linked: int = 0
    sites_linked: int = 0
    companies_remote_only: list[str] = field(default_factory=list)
    sites_remote_only: list[str] = field(default_factory=list)
    devices_added: int = 0
    devices_linked: int = 0
    devices_vanished: int = 0
    lookups: dict[str, int] = field(default_factory=dict)
    drift: int = 0
    settings_in_agreement: int = 0
    drift_skipped: int = 0  # endpoints whose effective policy was not fetched (see `pull`)
    ambiguous: list[Ambiguity] = field(default_factory=list)
    requests: int = 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ambiguous"] = [a.to_json() for a in self.ambiguous]
        return data


@dataclass(frozen=True)
class _Pulled:
    """What a pull read and matched, to keep."""

    source: str  # the platform's URL
    known: dict[str, dict[str, Link]]  # the links held before, by entity, then our id
    new_ids: list[str]  # the new devices' ids
    links: list[Link]  # the other links this pull confirmed (unchanged ones are not written)
    lookups: dict[str, list[LookupItem]]
    drift: list[DriftRecord] | None  # None: not fetched, the kept report stays
    site_ids: list[str]  # our sites the pull covered


class _Listed(NamedTuple):
    known: dict[str, dict[str, Link]]  # the links held before, by entity, then our id
    local_devices: dict[str, list[tuple[str, str]]]  # unlinked live devices by our site id
    remote_sites: list[RemoteSite]
    new_links: list[Link]  # the company and site links this pull confirms
    lookups: dict[str, list[LookupItem]]


@dataclass(frozen=True)
class _Scope:
    companies: list[Company]
    sites: list[Site]


class AsioService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- local reads --------------------------------------------------------------------------

    def instance_id(self) -> str:
        """Our productInstanceId: the workspace's id (made here for a workspace without one)."""
        with self.db.write() as s:
            repo = Repository(s)
            value = repo.get_info("workspace_id")
            if not value:
                value = new_id()
                repo.set_info("workspace_id", value)
            return value

    def _scope_of(self, site_refs: Sequence[str]) -> _Scope:
        with self.db.read() as s:
            return self._scope(Repository(s), site_refs)

    @staticmethod
    def _scope(repo: Repository, site_refs: Sequence[str]) -> _Scope:
        """The sites named (all when none is) and their companies."""
        if not site_refs:
            return _Scope(repo.companies(), repo.sites())
        sites: dict[str, Site] = {}
        for ref in site_refs:
            site = resolve_site(repo, ref)
            sites[site.id] = site
        company_ids = {s.company_id for s in sites.values()}
        return _Scope([c for c in repo.companies() if c.id in company_ids],
                      sorted(sites.values(), key=lambda x: x.name))

    def remembered(self) -> tuple[str | None, str | None]:
        """The platform URL and client id last accepted (the CLI and the GUI share them)."""
        with self.db.read() as s:
            repo = Repository(s)
            return repo.get_info(URL_KEY), repo.get_info(CLIENT_KEY)

    def remember(self, url: str, client_id: str) -> None:
        with self.db.write() as s:
            repo = Repository(s)
            repo.set_info(URL_KEY, url)
            repo.set_info(CLIENT_KEY, client_id)

    def status(self) -> dict[str, Any]:
        """What the workspace holds of the platform (no request)."""
        with self.db.read() as s:
            asio, repo = AsioRepository(s), Repository(s)
            counts = {e: len(asio.links(e)) for e in ("company", "site", "device", "contact")}
            vanished = sum(1 for x in asio.links("device").values() if x.state == "vanished")
            lookups = {k: len(v) for k, v in asio.lookups().items()}
            return {"linked": counts, "devices_vanished": vanished,
                    "companies": len(repo.companies()), "sites": len(repo.sites()),
                    "lookups": lookups, "lookups_fetched_at": asio.lookups_fetched_at(),
                    "last_pull": repo.get_info("asio.last_pull"),
                    "last_push": repo.get_info("asio.last_push")}

    def lookups(self) -> dict[str, list[tuple[str, str]]]:
        """The PSA Integration policy's pick lists, as last pulled (offline)."""
        with self.db.read() as s:
            return AsioRepository(s).lookups()

    def drift(self, site_ref: str) -> list[DriftRecord]:
        with self.db.read() as s:
            site = resolve_site(Repository(s), site_ref)
            return AsioRepository(s).drift(site.id)

    # --- pull ---------------------------------------------------------------------------------

    async def pull(self, client: AsioClient, site_refs: Sequence[str] = (), *,
                   with_drift: bool | None = None, save: bool = True,
                   progress: Progress | None = None) -> PullReport:
        """Read everything, then (unless `save` is False) keep it in one transaction.

        The drift report costs one request per endpoint; `with_drift` None (the default)
        fetches it for the sites named, or for all when they have at most DRIFT_AUTO_LIMIT
        endpoints (at the platform's quota, 50,000 endpoints would take over eight hours).

        The cyclic GC is paused meanwhile (`gcpause`): tens of thousands of parsed endpoints
        and links make no cycles, and full passes over them would run again and again."""
        with paused_gc():
            return await self._pull(client, site_refs, with_drift=with_drift, save=save,
                                    progress=progress)

    async def _pull(self, client: AsioClient, site_refs: Sequence[str], *,
                    with_drift: bool | None, save: bool,
                    progress: Progress | None) -> PullReport:
        report = PullReport()
        step = _Stepper(progress, 5)
        listed = await self._listed(client, site_refs, step, report)
        known, local_devices, remote_sites, new_links, lookups = listed

        step("endpoints")
        site_by_remote = {x.remote_id: x.local_id for x in new_links if x.entity == "site"}
        matcher = DeviceMatcher(site_by_remote, known["device"], local_devices)
        # the new devices gather in a scratch table as the pages arrive; the workspace gets
        # them in one short transaction at the end (storage.pull_stage)
        with self.db.with_scratch(STAGE_SCHEMA) if save else nullcontext() as scratch:
            stage = DeviceStage(scratch) if scratch is not None else None

            def on_part(part: list[RemoteEndpoint]) -> None:
                new = matcher.feed(part)
                if stage is not None:
                    stage.add(new)

            endpoints = await client.endpoints(device_queries(site_by_remote.keys(),
                                                              remote_sites), on_part)
            vanished, report.devices_vanished = matcher.vanished()
            report.devices_linked = matcher.linked
            report.devices_added = len(matcher.new)

            step("effective policies")
            drift: list[DriftRecord] = []
            if with_drift is None:
                with_drift = bool(site_refs) or len(endpoints) <= DRIFT_AUTO_LIMIT
            if not with_drift:
                report.drift_skipped = len(endpoints)
            else:
                drift = await self._drift(client, endpoints, site_by_remote, matcher.local_of(),
                                          report=report, progress=progress)
            report.drift = len(drift)

            step("saving")
            report.requests = client.requests
            links = new_links + matcher.links + vanished
            if scratch is not None:
                self._keep(scratch, _Pulled(client.base_url, known, [d.id for d in matcher.new],
                                          links, lookups, drift if with_drift else None,
                                          list(site_by_remote.values())))
            _let_go(links, matcher.links, matcher.new, endpoints)
            report.requests = client.requests
            return report

    async def _listed(self, client: AsioClient, site_refs: Sequence[str], step: _Stepper,
                      report: PullReport) -> _Listed:
        """The platform's companies and sites matched to ours, what we hold, and the lookups."""
        step("companies and sites")
        # what we hold (the sites in scope too) is read in a thread while the platform
        # answers (SQLite lets go of the GIL while it reads), and the ticketing lookups are
        # asked meanwhile (five requests nothing else waits for): the waits overlap
        local = asyncio.create_task(asyncio.to_thread(self._held, site_refs))
        if site_refs:  # a site named wrong is said before anything is sent
            await asyncio.wait((local,))
            local.result()
        asked = asyncio.ensure_future(client.lookups())
        try:
            remote_companies = await client.companies()
            remote_sites = await client.sites()
            step("ticketing lookups")
            lookups = await asked
        finally:
            if not asked.done():
                asked.cancel()
            await asyncio.gather(asked, return_exceptions=True)
            held = await local
        report.lookups = {k: len(v) for k, v in lookups.items()}
        scope, known, local_devices = held
        company_links = {k: v.remote_id for k, v in known["company"].items()}
        site_links = {k: v.remote_id for k, v in known["site"].items()}
        companies = match([(c.id, c.name) for c in scope.companies], remote_companies,
                          company_links)
        sites = self._match_sites(scope, companies, remote_sites, site_links)
        new_links = self._pull_links(scope, companies, sites, remote_companies, remote_sites,
                                     report=report, whole=not site_refs)
        return _Listed(known, local_devices, remote_sites, new_links, lookups)

    def _keep(self, scratch: Scratch, pulled: _Pulled) -> None:
        """What a pull read, in one transaction: new devices (an outbox row each, one audit
        row for them all) copied from the stage, the links that changed, the lookups, the
        drift."""
        # the copy of the log into the database file runs after, on a thread of its own
        # (`with_scratch`, as `bulk_write`): measured with the dialog, the window's longest
        # stall stayed 8-13 ms through it (benchmarks/bench_asio_gui.py)
        with scratch.write() as s:
            repo, asio = Repository(s), AsioRepository(s)
            at = now_iso()
            if pulled.new_ids:
                copy_staged_devices(s, at)
                record_batch(s, "device.asio_pull", {
                    "entity": "device", "source": pulled.source,
                    "created": pulled.new_ids}, {}, at)
            known = pulled.known  # a link read and kept as it was is the same object
            changed = [x for x in pulled.links
                       if (held := known[x[0]].get(x[1])) is not x and held != x]
            for start in range(0, len(changed), SAVE_CHUNK):
                asio.save_links(changed[start:start + SAVE_CHUNK])
            asio.replace_lookups({k: [(i.id, i.name) for i in pulled.lookups.get(k, [])]
                                  for k in LOOKUP_KINDS})
            if pulled.drift is not None:
                asio.replace_drift(pulled.site_ids, pulled.drift)
            repo.set_info("asio.last_pull", at)

    def _held(self, site_refs: Sequence[str]) -> tuple[_Scope, dict[str, dict[str, Link]],
                                                       dict[str, list[tuple[str, str]]]]:
        """The companies and sites in scope, our links (by entity, then our id) and the live
        devices of the sites in scope that none links (a linked one is matched by its link,
        never by its name)."""
        with self.db.read() as s:
            scope = self._scope(Repository(s), site_refs)
            asio = AsioRepository(s)
            known = {e: asio.links(e) for e in ("company", "site", "device")}
            found = asio.unlinked_devices([x.id for x in scope.sites] if site_refs else None)
        return scope, known, {site.id: found.get(site.id, []) for site in scope.sites}

    @staticmethod
    def _pull_links(scope: _Scope, companies: dict[str, Match], sites: dict[str, Match],
                    remote_companies: list[RemoteCompany], remote_sites: list[RemoteSite], *,
                    report: PullReport, whole: bool) -> list[Link]:
        """The links a pull confirms; ambiguous names and platform-only objects reported."""
        names = {**{c.id: c.name for c in scope.companies}, **{s.id: s.name for s in scope.sites}}
        for entity, matches in (("company", companies), ("site", sites)):
            report.ambiguous += [Ambiguity(entity, m.local_id, names[m.local_id], m.candidates)
                                 for m in matches.values() if m.how == "ambiguous"]
        company_names = {r.id: r.name for r in remote_companies}
        remote_site_by_id = {r.id: r for r in remote_sites}
        links = [Link("company", m.local_id, m.remote_id, "", company_names[m.remote_id])
                 for m in companies.values()
                 if m.remote_id and m.how != "gone" and m.remote_id in company_names]
        links += [Link("site", m.local_id, m.remote_id,
                       remote_site_by_id[m.remote_id].company_id,
                       remote_site_by_id[m.remote_id].name)
                  for m in sites.values()
                  if m.remote_id and m.how != "gone" and m.remote_id in remote_site_by_id]
        report.companies_linked = sum(1 for x in links if x.entity == "company")
        report.sites_linked = sum(1 for x in links if x.entity == "site")
        if whole:
            linked = {x.remote_id for x in links}
            report.companies_remote_only = sorted(r.name for r in remote_companies
                                                  if r.id not in linked)
            report.sites_remote_only = sorted(r.name for r in remote_sites if r.id not in linked)
        return links

    @staticmethod
    def _match_sites(scope: _Scope, companies: dict[str, Match], remote_sites: list[RemoteSite],
                     site_links: dict[str, str]) -> dict[str, Match]:
        """Sites are matched within their company's platform company (a linked site, or one
        carrying our id, wherever it is now)."""
        by_company: dict[str, list[Site]] = {}
        for site in scope.sites:
            by_company.setdefault(site.company_id, []).append(site)
        remote_by_company: dict[str, list[RemoteSite]] = {}
        remote_by_id: dict[str, RemoteSite] = {}
        remote_by_ours: dict[str, list[RemoteSite]] = {}
        for r in remote_sites:
            remote_by_company.setdefault(r.company_id, []).append(r)
            remote_by_id[r.id] = r
            for ours in r.our_ids:
                remote_by_ours.setdefault(ours, []).append(r)
        result: dict[str, Match] = {}
        for company_id, sites in by_company.items():
            parent = companies.get(company_id)
            pool = {r.id: r for r in remote_by_company.get(
                parent.remote_id if parent and parent.remote_id else "", [])}
            linked = {s.id: site_links[s.id] for s in sites if s.id in site_links}
            for remote_id in linked.values():
                if remote_id in remote_by_id:
                    pool[remote_id] = remote_by_id[remote_id]
            for s in sites:
                pool.update({r.id: r for r in remote_by_ours.get(s.id, [])})
            result.update(match([(s.id, s.name) for s in sites], list(pool.values()), linked))
        return result

    async def _drift(self, client: AsioClient, endpoints: list[RemoteEndpoint],
                     site_by_remote: dict[str, str], local_of: dict[str, str], *,
                     report: PullReport, progress: Progress | None) -> list[DriftRecord]:
        effective = EffectiveService(self.db)
        planned_site: dict[str, dict[str, dict[str, Any]]] = {}
        records: list[DriftRecord] = []
        with self.db.read() as s:
            existing = {d.id for site_id in set(site_by_remote.values())
                        for d in Repository(s).devices(site_id)}
        for done, e in enumerate(endpoints):
            if progress is not None and done % 10 == 0:  # a Cancel lands here too
                progress(done, len(endpoints), "effective policies of the endpoints")
            site_id, device_id = site_by_remote.get(e.site_id), local_of.get(e.id)
            if site_id is None or device_id is None:
                continue
            applied = await client.effective_policy(e.company_id, e.site_id, e.id)
            if applied is None:
                continue
            if device_id in existing:  # its overrides count
                planned = effective.for_site(site_id, device_id).document["settings"]
            else:  # added by this pull: the site's settings that reach its kind
                if site_id not in planned_site:
                    planned_site[site_id] = effective.for_site(site_id).document["settings"]
                planned = {domain: values for domain, values in planned_site[site_id].items()
                           if applies_to(domain, e.kind)}
            found, same = compare(site_id, device_id, planned, applied)
            records += found
            report.settings_in_agreement += same
        return records

    # --- push ---------------------------------------------------------------------------------

    async def plan(self, client: AsioClient, site_refs: Sequence[str] = ()) -> Plan:
        """What a push would do, per object, and why. Sends only reads."""
        start = client.requests
        scope = self._scope_of(site_refs)
        remote_companies = await client.companies()
        remote_sites = await client.sites()
        with self.db.read() as s:
            asio = AsioRepository(s)
            company_links = {k: v.remote_id for k, v in asio.links("company").items()}
            site_links = asio.links("site")
            contact_links = asio.links("contact")
            prof = ProfileRepository(s)
            profiles = {site.id: sorted(prof.live(site.id), key=lambda p: p.id)
                        for site in scope.sites}
        unlinked = [c.id for c in scope.companies if c.id not in company_links]
        unlinked += [s.id for s in scope.sites if s.id not in site_links]
        unlinked += [p.id for ps in profiles.values() for p in ps if p.id not in contact_links]
        found = await client.find_ours(unlinked) if unlinked else {}
        planner = Planner(found)
        companies = match([(c.id, c.name) for c in scope.companies], remote_companies,
                          company_links, found)
        planner.companies(scope.companies, companies, {r.id: r.name for r in remote_companies})
        sites = self._match_sites(scope, companies, remote_sites,
                                  {k: v.remote_id for k, v in site_links.items()})
        planner.sites(scope.sites, sites, site_links, {r.id: r for r in remote_sites})
        planner.contacts(scope.sites, profiles, contact_links)
        return Plan(planner.items, planner.links, client.requests - start)

    async def push(self, client: AsioClient, site_refs: Sequence[str] = (), *,
                   dry_run: bool = False, progress: Progress | None = None,
                   plan: Plan | None = None) -> PushReport:
        plan = plan or await self.plan(client, site_refs)
        report = PushReport(plan)
        if not dry_run:
            if plan.links_found:
                self._save(plan.links_found)
            state = self._push_state(plan)
            todo = [i for i in plan.items if i.action != "skip"]
            confirmed: list[Link] = []
            try:
                for done, item in enumerate(todo):
                    if progress is not None:
                        progress(done, len(todo), f"{item.action} {item.entity} '{item.name}'")
                    await asyncio.sleep(0)  # a Cancel lands between two objects
                    confirmed.append(await self._push_one(client, item, state, report))
                    if len(confirmed) >= LINKS_PER_SAVE:
                        self._save(confirmed)
                        confirmed = []
            finally:  # a failure, a Cancel: what the platform confirmed is kept
                if confirmed:
                    self._save(confirmed)
            if progress is not None:
                progress(len(todo), len(todo), "done")
            with self.db.write() as s:
                Repository(s).set_info("asio.last_push", now_iso())
        report.requests, report.writes = client.requests, client.writes
        return report

    def _push_state(self, plan: Plan) -> _PushState:
        with self.db.read() as s:
            asio, repo = AsioRepository(s), Repository(s)
            return _PushState(
                {k: v.remote_id for k, v in asio.links("company").items()},
                {k: (v.remote_id, v.remote_parent_id) for k, v in asio.links("site").items()},
                {site.id: site.name for site in repo.sites()},
                {k: dict(zip(PROFILE_FIELDS, v[0].values, strict=True))
                 for k, v in ProfileRepository(s).states(
                     [i.id for i in plan.items
                      if i.entity == "contact" and i.action == "create"]).items()},
                repo.get_info("asio.time_zone") or DEFAULT_TIME_ZONE)

    async def _push_one(self, client: AsioClient, item: PlanItem, state: _PushState,
                        report: PushReport) -> Link:
        """Create or change one object; the link the platform confirmed."""
        instance = client.instance
        if item.entity == "company":
            company = await client.create_company(company_create(item.name, item.id, instance))
            state.companies[item.id] = company.id
            report.created["company"] += 1
            return Link("company", item.id, company.id, "", company.name)
        if item.entity == "site":
            parent = state.companies.get(item.parent or "")
            if not parent:
                raise AsioError(f"site '{item.name}': its company has no platform id")
            if item.action == "create":
                site = await client.create_site(parent, site_create(
                    item.name, item.id, instance, state.time_zone))
                state.sites[item.id] = (site.id, parent)
                report.created["site"] += 1
                return Link("site", item.id, site.id, parent, site.name)
            remote_id, remote_parent = state.sites[item.id]
            name = state.site_names[item.id]
            changed = await client.patch_site(remote_parent or parent, remote_id,
                                              site_rename(name))
            report.updated += 1
            return Link("site", item.id, remote_id, remote_parent or parent, changed.name or name)
        remote_site, remote_company = state.sites.get(item.parent or "", ("", ""))
        values = state.profiles.get(item.id)
        if not remote_site or values is None:
            raise AsioError(f"contact '{item.name}': its site has no platform id")
        contact_id = await client.create_contact(contact_request(
            values, item.id, instance, remote_company, remote_site))
        report.created["contact"] += 1
        return Link("contact", item.id, contact_id, remote_site, item.name)

    def _save(self, links: list[Link]) -> None:
        with self.db.write() as s:
            AsioRepository(s).save_links(links)


@dataclass
class _PushState:
    companies: dict[str, str]  # our id → platform id
    sites: dict[str, tuple[str, str]]  # our id → (platform id, platform company id)
    site_names: dict[str, str]
    profiles: dict[str, dict[str, Any]]  # our id → values by field id
    time_zone: str = DEFAULT_TIME_ZONE


def _let_go(*lists: list[Any]) -> None:
    """Empty these lists a piece at a time. Freeing a pull's lists of 50,000 in one go is one
    C call holding the GIL for tens of ms (a frozen window, when the GUI pulls); between two
    pieces the GUI thread gets it."""
    for items in lists:
        while items:
            del items[-SAVE_CHUNK:]


class _Stepper:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self, what: str) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total, what)
        self.done += 1




__all__ = ["Ambiguity", "AsioService", "DriftRecord", "Plan", "PlanItem", "PullReport",
           "PushReport"]
