"""A pull that fails or is cancelled half-way — many endpoint pages read, or the endpoints'
effective policies being fetched — leaves the workspace exactly as it was (every row of every
table), and the next run resumes."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from app.asio.client import AsioClient
from app.asio.errors import AsioError
from app.asio.service import AsioService
from app.services.workspace import Workspace
from app.sync.retry import RetryPolicy
from tests.asio.conftest import Waits, make_client, run
from tests.asio.fake_asio import FakeAsio, Fault

ENDPOINTS = "/api/platform/v2/device/categories/platform/endpoints"
# two endpoint queries (10 sites each), three pages a site
SITES, PER_SITE, PAGE = 12, 300, 100
HALF_WAY = 30  # endpoint pages answered before the fault or the cancel (3,000 endpoints)


class Cancelled(Exception):
    """What the dialog's progress callback raises on Cancel."""


def _seed(ws: Workspace, fake: FakeAsio) -> None:
    company = ws.companies.create("Contoso Dental")
    remote = fake.add_company("Contoso Dental")
    for n in range(SITES):
        ws.sites.create(company.id, f"Site {n:02}")
        site = fake.add_site(remote, f"Site {n:02}")
        for k in range(PER_SITE):
            fake.add_endpoint(site, f"WS-{n:02}-{k}")
    fake.page_size = PAGE


def _dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def _client(fake: FakeAsio, service: AsioService,
            handle: Callable[[httpx.Request], httpx.Response]) -> AsioClient:
    return AsioClient(fake.base_url, "cid", "secret", instance=service.instance_id(),
                      client=httpx.AsyncClient(transport=httpx.MockTransport(handle)),
                      retry=RetryPolicy(sleep=Waits(), rng=random.Random(7)))


def _resumes(ws: Workspace, fake: FakeAsio, service: AsioService) -> None:
    fake.faults.clear()
    report = run(service.pull(make_client(fake, service)))
    assert (report.sites_linked, report.devices_added) == (SITES, SITES * PER_SITE)
    assert len(ws.devices.all()) == SITES * PER_SITE
    assert fake.invalid == []


def test_a_pull_failing_half_way_through_the_endpoints_changes_nothing(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    _seed(workspace, fake)
    fake.faults.append(Fault("POST", ENDPOINTS, 500, after=HALF_WAY, times=99))
    client = make_client(fake, asio)
    before = _dump(workspace.path)
    with pytest.raises(AsioError, match=f"POST {ENDPOINTS} .*answered 500 after 6 tries"):
        run(asio.pull(client))
    assert sum(1 for m, p, status in fake.log if p == ENDPOINTS and status == 200) >= HALF_WAY
    assert _dump(workspace.path) == before
    _resumes(workspace, fake, asio)


def test_a_cancel_while_the_effective_policies_are_read_changes_nothing(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    _seed(workspace, fake)
    client = make_client(fake, asio)
    before = _dump(workspace.path)
    steps: list[str] = []

    def progress(done: int, total: int, what: str) -> None:
        steps.append(what)
        if what == "effective policies":  # every endpoint read and matched
            raise Cancelled

    with pytest.raises(Cancelled):
        run(asio.pull(client, with_drift=True, progress=progress))
    assert steps[-2:] == ["endpoints", "effective policies"]
    assert _dump(workspace.path) == before
    _resumes(workspace, fake, asio)


def test_a_pull_cancelled_while_pages_arrive_changes_nothing(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    _seed(workspace, fake)
    asio.instance_id()
    before = _dump(workspace.path)

    async def scenario() -> None:
        task: asyncio.Task[object] | None = None
        seen = [0]

        def handle(request: httpx.Request) -> httpx.Response:
            if request.url.path == ENDPOINTS:
                seen[0] += 1
                if seen[0] == HALF_WAY + 1:
                    assert task is not None
                    task.cancel()  # as the loop's owner cancels a running pull
            return fake.handle(request)

        task = asyncio.create_task(asio.pull(_client(fake, asio, handle)))
        with pytest.raises(asyncio.CancelledError):
            await task

    run(scenario())
    assert _dump(workspace.path) == before
    _resumes(workspace, fake, asio)
