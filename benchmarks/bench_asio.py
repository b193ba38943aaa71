"""Asio connector figures (issue 16), against the tests' fake Asio (request validation off:
it is the fake's cost, not ours):

- (in process, httpx MockTransport) requests per pushed contact (goal: 1, plus one mapping
  lookup per 500), and a push with nothing left to do (goal: no write), beside raw httpx
  POSTs of the same contact bodies;
- a pull of S sites (S/20 companies) and E endpoints (companies, sites, the devices of whole
  companies and of other sites, ticketing lookups; drift off: it is one request per endpoint)
  into a workspace holding the same sites, beside raw httpx requests of the same pages (JSON
  read, nothing matched or saved), and beside raw requests of the pages a pull asking for
  every site by itself would read (ten sites a query, as ours did before); and beside the
  floor of any pull that keeps the workspace's guarantees: the raw requests, then the new
  devices written (an outbox row and a link each, one durable transaction) from rows made
  beforehand. For the pull the fake runs in a separate process on 127.0.0.1, as the
  platform would.

    .venv/bin/python benchmarks/bench_asio.py [--sites 5000] [--endpoints 50000] [--contacts 2000]

Nothing is asserted (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from app.asio.client import ENDPOINTS, LOOKUP, TICKETING, AsioClient  # noqa: E402
from app.asio.contacts import contact_request  # noqa: E402
from app.asio.device_queries import DeviceQuery, device_queries  # noqa: E402
from app.asio.models import RemoteSite  # noqa: E402
from app.asio.service import AsioService  # noqa: E402
from app.domain.model import Company, Site  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.sync.retry import RetryPolicy  # noqa: E402
from storage.bulk import insert_companies, insert_sites  # noqa: E402
from storage.changes import IdSeries, record_batch  # noqa: E402
from storage.database import now_iso  # noqa: E402
from storage.pull_stage import (  # noqa: E402
    STAGE_SCHEMA,
    DeviceStage,
    StagedDevice,
    copy_staged_devices,
)
from storage.repository import Repository  # noqa: E402
from tests.asio.fake_asio import FakeAsio  # noqa: E402

CONTACTS = "/api/platform/v1/contact/contacts"
T = TypeVar("T")


def row(figure: str, ours: str, peer: str, ratio: str) -> str:
    return f"{figure:<50} {ours:>14} {peer:>14} {ratio:>8}"


def client_for(fake: FakeAsio, service: AsioService) -> AsioClient:
    return AsioClient(fake.base_url, "cid", "secret", instance=service.instance_id(),
                      client=httpx.AsyncClient(transport=fake.transport()),
                      retry=RetryPolicy())


async def raw_token(http: httpx.AsyncClient, base: str) -> dict[str, str]:
    answer = await http.post(f"{base}/v1/token", json={
        "grant_type": "client_credentials", "client_id": "cid", "client_secret": "secret"})
    return {"Authorization": f"Bearer {answer.json()['access_token']}",
            "X-Request-ID": "1", "User-Agent": "raw", "Origin": base}


# --- push --------------------------------------------------------------------------------

def push_figures(contacts: int, tmp: Path) -> list[str]:
    from app.profiles.profile import Profile

    ws = Workspace.open(tmp / "push.preflight", create=True)
    try:
        company = ws.companies.create("Contoso Dental")
        site = ws.sites.create(company.id, "Main Office")
        for i in range(contacts):
            ws.profiles.add(site.id, Profile(f"First{i}", f"Last{i}",
                                             email=f"p{i}@contoso.example",
                                             mobile_country_code="GB",
                                             mobile_phone=f"074{i:08d}"))
        service = AsioService(ws.db)
        fake = FakeAsio(validate=False)
        fake.seed_lookups()
        client = client_for(fake, service)
        started = time.perf_counter()
        report = asyncio.run(service.push(client))
        ours_s = time.perf_counter() - started
        contact_posts = fake.requests_to("POST", CONTACTS)
        lookups = fake.requests_to("POST", LOOKUP)
        per_contact = (contact_posts + lookups) / max(1, report.created["contact"])
        again = client_for(fake, service)
        asyncio.run(service.push(again))
        bodies = [contact_request({"first_name": f"First{i}", "last_name": f"Last{i}",
                                   "email": f"p{i}@contoso.example",
                                   "mobile_country_code": "GB", "mobile_phone": f"074{i:08d}"},
                                  str(uuid.uuid4()), "ws", "c", next(iter(fake.sites)))
                  for i in range(contacts)]

        async def raw() -> float:
            async with httpx.AsyncClient(transport=fake.transport()) as http:
                headers = await raw_token(http, fake.base_url)
                t0 = time.perf_counter()
                for body in bodies:
                    (await http.post(f"{fake.base_url}{CONTACTS}", json=body,
                                     headers=headers)).json()
                return time.perf_counter() - t0

        peer_s = asyncio.run(raw())
        return [
            row(f"push {contacts} contacts: requests per contact", f"{per_contact:.4f}",
                "1", f"{per_contact:.3f}"),
            row("  of which mapping lookups", str(lookups), "-", ""),
            row(f"push {contacts} contacts: wall time", f"{ours_s:.2f} s", f"{peer_s:.2f} s",
                f"{ours_s / peer_s:.2f}x"),
            row("push with nothing to do: writes sent", str(again.writes), "0", ""),
            row("push with nothing to do: requests (reads)", str(again.requests), "-", ""),
        ]
    finally:
        ws.close()


# --- pull --------------------------------------------------------------------------------

def fake_for(sites: int, endpoints: int) -> FakeAsio:
    """The platform of the pull: sites // 20 companies, `endpoints` spread over the sites."""
    rng = random.Random(16)
    fake = FakeAsio(validate=False)
    fake.seed_lookups()
    remote_sites = []
    companies = max(1, sites // 20)
    for c in range(companies):
        remote_company = fake.add_company(f"Company {c:05d}")
        remote_sites += [fake.add_site(remote_company, f"Site {s:06d}")
                         for s in range(c * sites // companies, (c + 1) * sites // companies)]
    for e in range(endpoints):
        fake.add_endpoint(remote_sites[e % len(remote_sites)], f"EP-{e:07d}",
                          rng.choice(("Desktop", "Server")))
    return fake


def workspace_for(sites: int, path: Path) -> Workspace:
    """A workspace holding the same companies and sites (by name) as `fake_for`."""
    ws = Workspace.open(path, create=True)
    companies = max(1, sites // 20)
    local_companies = [Company(str(uuid.uuid4()), f"Company {c:05d}") for c in range(companies)]
    local_sites = [Site(str(uuid.uuid4()), company.id, f"Site {s:06d}")
                   for c, company in enumerate(local_companies)
                   for s in range(c * sites // companies, (c + 1) * sites // companies)]
    with ws.db.write() as s:
        insert_companies(s, local_companies, Repository(s).partner_id())
        insert_sites(s, local_sites)
    return ws


def pull_fixture(sites: int, endpoints: int, tmp: Path) -> tuple[Workspace, FakeAsio]:
    return workspace_for(sites, tmp / "pull.preflight"), fake_for(sites, endpoints)


def serve_fake(sites: int, endpoints: int) -> None:
    """`--serve`: the fake on 127.0.0.1 (its URL on stdout) until stdin closes."""
    from tests.asio.fake_asio import serve

    with serve(fake_for(sites, endpoints)) as url:
        print(url, flush=True)
        sys.stdin.read()


async def raw_pull(fake: FakeAsio, queries: list[DeviceQuery]) -> tuple[float, int]:
    """The same pages (the same device queries as ours), fetched and parsed as JSON, nothing
    else (over loopback)."""
    async with httpx.AsyncClient(timeout=60) as http:
        t0 = time.perf_counter()
        headers = await raw_token(http, fake.base_url)
        count = 1

        async def pages(method: str, url: str, body: object = None) -> None:
            nonlocal count
            target: str | None = url
            params: dict[str, int] | None = {"limit": 500}
            while target:
                answer = await http.request(method, target, params=params, json=body,
                                            headers=headers)
                count += 1
                if answer.status_code == 404:
                    return
                answer.json()
                following = answer.links.get("next", {}).get("url")
                target = str(answer.url.join(following)) if following else None
                params = None

        await pages("GET", f"{fake.base_url}/api/platform/v1/company/companies")
        await pages("GET", f"{fake.base_url}/api/platform/v1/company/sites")
        for resource_type, ids in queries:
            await pages("POST", f"{fake.base_url}{ENDPOINTS}",
                        {"resourceType": resource_type, "resources": list(ids)})
        for path in TICKETING.values():
            (await http.get(f"{fake.base_url}{path}", headers=headers)).json()
            count += 1
        return time.perf_counter() - t0, count


@contextmanager
def fake_process(sites: int, endpoints: int) -> Iterator[str]:
    """The fake in a separate process on 127.0.0.1, as the platform would be: in this one,
    its own work would compete with ours for the GIL and count as ours."""
    server = subprocess.Popen([sys.executable, __file__, "--serve", "--sites", str(sites),
                               "--endpoints", str(endpoints)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip()
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(60)


async def remote_queries(url: str) -> tuple[list[DeviceQuery], list[DeviceQuery]]:
    """The device queries our pull sends when every site of the platform is ours; and the
    queries of a pull asking every site by itself (ten a query), as it did before."""
    async with httpx.AsyncClient() as http:
        headers = await raw_token(http, url)
        sites: list[RemoteSite] = []
        target: str | None = f"{url}/api/platform/v1/company/sites?limit=500"
        while target:
            answer = await http.get(target, headers=headers)
            sites += [RemoteSite.parse(site, "sites", "") for site in answer.json()]
            following = answer.links.get("next", {}).get("url")
            target = str(answer.url.join(following)) if following else None
        by_site = device_queries({s.id for s in sites}, [])  # no company known: by site
        return device_queries({s.id for s in sites}, sites), by_site


def write_floor(sites: int, endpoints: int, path: Path) -> float:
    """The part of a first pull no pull that keeps the workspace's guarantees can skip: its
    `endpoints` new devices written into a workspace holding the `sites`, each with its outbox
    row and its platform link, in one durable transaction with the batch's audit row — by
    the cheapest way measured (ours: staged, then copied by SQLite), from rows made
    beforehand (nothing read, parsed or matched). Wall time, the log's copy after excluded
    as for ours."""
    ws = workspace_for(sites, path)
    try:
        site_ids = [x.id for x in ws.sites.all()]
        ids, keys = IdSeries().take(endpoints), IdSeries().take(endpoints)
        rows = [StagedDevice(site_ids[e % len(site_ids)], f"EP-{e:07d}", "desktop", "", ids[e],
                             keys[e], f"ep-{e}", f"remote-{e % len(site_ids)}", f"EP-{e:07d}")
                for e in range(endpoints)]
        at = now_iso()
        started = time.perf_counter()
        with ws.db.with_scratch(STAGE_SCHEMA) as scratch:
            stage = DeviceStage(scratch)
            for start in range(0, len(rows), 500):  # a page's worth at a time, as ours
                stage.add(rows[start:start + 500])
            with scratch.write() as s:
                copy_staged_devices(s, at)
                record_batch(s, "device.asio_pull", {"entity": "device", "created": ids}, {},
                             at)
        spent = time.perf_counter() - started
        settle()
        return spent
    finally:
        ws.close()


def settle() -> None:
    """Wait for the workspace's background checkpoints (storage.database)."""
    for thread in threading.enumerate():
        if thread.name == "wal-checkpoint":
            thread.join()


def timed_cpu(run: Callable[[], T]) -> tuple[T, float]:
    """`run()`'s result and the CPU time this process spent on it (the fake serves from
    another process, so its work is not counted; on a busy machine CPU time varies less
    than wall time)."""
    started = time.process_time()
    result = run()
    return result, time.process_time() - started


def pull_round(sites: int, url: str, queries: list[DeviceQuery], by_site: list[DeviceQuery],
               path: Path) -> dict[str, float]:
    """One round: the peer, our first pull into a fresh workspace, our pull again, the peer
    again; wall and CPU time of each."""
    ws = workspace_for(sites, path)
    try:
        fake = FakeAsio(base_url=url)  # only its address: the one serving is elsewhere
        service = AsioService(ws.db)
        (peer_s, peer_requests), peer_cpu = timed_cpu(lambda: asyncio.run(
            raw_pull(fake, queries)))
        client = AsioClient(url, "cid", "secret", instance=service.instance_id())
        started, cpu_started = time.perf_counter(), time.process_time()
        report = asyncio.run(service.pull(client, with_drift=False))
        ours_s = time.perf_counter() - started
        # the copy of the log into the database file, after the pull returned, is the first
        # pull's work too: counted in its CPU time (not in its wall time: nobody waits for it)
        settle()
        ours_cpu = time.process_time() - cpu_started
        again = AsioClient(url, "cid", "secret", instance=service.instance_id())
        started = time.perf_counter()
        _, again_cpu = timed_cpu(lambda: asyncio.run(service.pull(again, with_drift=False)))
        again_s = time.perf_counter() - started
        settle()
        (peer2_s, _), peer2_cpu = timed_cpu(lambda: asyncio.run(raw_pull(fake, queries)))
        (sited_s, sited_requests), _ = timed_cpu(lambda: asyncio.run(raw_pull(fake, by_site)))
        floor_write = write_floor(sites, int(report.devices_added), path.with_suffix(".floor"))
        return {"ours": ours_s, "ours_cpu": ours_cpu, "peer": peer_s, "peer_cpu": peer_cpu,
                "again": again_s, "again_cpu": again_cpu, "peer2": peer2_s,
                "peer2_cpu": peer2_cpu, "requests": client.requests, "sited": sited_s,
                "sited_requests": sited_requests,
                "peer_requests": peer_requests, "added": report.devices_added,
                "linked": report.sites_linked, "floor_write": floor_write,
                "floor": peer_s + floor_write}
    finally:
        ws.close()


def pull_figures(sites: int, endpoints: int, tmp: Path, rounds: int) -> list[str]:
    """Each figure as the median over `rounds` rounds (the machine may be shared: one run
    says little), with the range of the ratio."""
    with fake_process(sites, endpoints) as url:
        queries, by_site = asyncio.run(remote_queries(url))
        done = [pull_round(sites, url, queries, by_site, tmp / f"pull{n}.preflight")
                for n in range(rounds)]

    def figure(name: str, ours: str, peer: str, unit: str = " s") -> list[str]:
        ratios = [r[ours] / r[peer] for r in done]
        return [row(name, f"{statistics.median(r[ours] for r in done):.2f}{unit}",
                    f"{statistics.median(r[peer] for r in done):.2f}{unit}",
                    f"{statistics.median(ratios):.2f}x"),
                row(f"  ratio over {rounds} rounds: lowest - highest", "", "",
                    f"{min(ratios):.2f}-{max(ratios):.2f}")]

    first = done[0]
    return [
        *figure(f"pull {sites} sites + {endpoints} endpoints (first)", "ours", "peer"),
        *figure("  CPU time of this process", "ours_cpu", "peer_cpu"),
        row("  requests", str(int(first["requests"])), str(int(first["peer_requests"])), ""),
        row("  devices added / sites linked", f"{first['added']:.0f}/{first['linked']:.0f}",
            "-", ""),
        *figure("  the floor: raw GETs + the new devices' writes", "floor", "peer"),
        row("    of which the writes", f"{statistics.median(r['floor_write'] for r in done):.2f} s",
            "", ""),
        *figure("  ours beside that floor", "ours", "floor"),
        *figure("  beside raw GETs of a pull site by site", "ours", "sited"),
        row("    (its requests)", "", str(int(first["sited_requests"])), ""),
        *figure("pull again (all linked, nothing new)", "again", "peer2"),
        *figure("  CPU time of this process", "again_cpu", "peer2_cpu"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=5000)
    parser.add_argument("--endpoints", type=int, default=50000)
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--only", choices=("push", "pull"), help="one half of the figures")
    parser.add_argument("--rounds", type=int, default=5, help="pull rounds (median shown)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_fake(args.sites, args.endpoints)
        return
    print(f"Python {platform.python_version()} on {platform.platform()}")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        lines = [row("figure", "ours", "raw httpx", "ratio")]
        if args.only != "pull":
            lines += push_figures(args.contacts, tmp)
        if args.only != "push":
            lines += pull_figures(args.sites, args.endpoints, tmp, args.rounds)
        print("\n".join(lines))


if __name__ == "__main__":
    main()
