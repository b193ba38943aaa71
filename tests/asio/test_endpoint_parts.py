"""`AsioClient.endpoints` hands each query's endpoints over as soon as it and every query
before it are answered (a pull matches and stages them while the next pages are read): in
the queries' order, whichever answers first; and the first failure stops every query at once,
even one made before it and still waiting."""

from __future__ import annotations

import asyncio
import json
import random

import httpx
import pytest

from app.asio.client import AsioClient
from app.asio.device_queries import DeviceQuery, device_queries
from app.asio.errors import AsioError
from app.asio.models import RemoteEndpoint
from app.sync.retry import RetryPolicy
from tests.asio.conftest import Waits, run
from tests.asio.fake_asio import FakeAsio

ENDPOINTS = "/api/platform/v2/device/categories/platform/endpoints"


def _platform(sites: int, per_site: int) -> tuple[FakeAsio, list[str]]:
    fake = FakeAsio()
    company = fake.add_company("Contoso Dental")
    site_ids = [fake.add_site(company, f"Site {n:02}") for n in range(sites)]
    for n, site in enumerate(site_ids):
        for k in range(per_site):
            fake.add_endpoint(site, f"WS-{n:02}-{k}")
    return fake, sorted(site_ids)


def _by_site(site_ids: list[str]) -> list[DeviceQuery]:
    return device_queries(site_ids, [])  # no company known: ten sites a query


def _client(fake: FakeAsio, handle: httpx.AsyncBaseTransport) -> AsioClient:
    return AsioClient(fake.base_url, "cid", "secret", instance="ws",
                      client=httpx.AsyncClient(transport=handle),
                      retry=RetryPolicy(sleep=Waits(), rng=random.Random(7)))


def _first_site(request: httpx.Request) -> str | None:
    if request.url.path != ENDPOINTS or "cursor" in request.url.params:
        return None
    return str(json.loads(request.content)["resources"][0])


def test_parts_come_in_the_queries_order_whichever_answers_first() -> None:
    fake, site_ids = _platform(sites=40, per_site=3)  # four queries of ten sites
    answered: list[str] = []
    release = asyncio.Event()

    async def handle(request: httpx.Request) -> httpx.Response:
        first = _first_site(request)
        if first == site_ids[0]:  # the first query waits until a later one has answered
            await release.wait()
        response = fake.handle(request)
        if first is not None:
            answered.append(first)
            release.set()
        return response

    parts: list[list[RemoteEndpoint]] = []
    client = _client(fake, httpx.MockTransport(handle))
    found = run(client.endpoints(_by_site(site_ids), parts.append))

    queries = site_ids[::10]
    assert answered[0] != queries[0]  # a later query answered first...
    assert sorted(answered) == queries
    assert [{e.site_id for e in part} for part in parts] == [  # ...and still came second
        set(site_ids[n:n + 10]) for n in range(0, 40, 10)]
    assert [len(part) for part in parts] == [30] * 4
    assert [e for part in parts for e in part] == found
    assert fake.invalid == []


def test_the_first_failure_stops_the_queries_before_it_too() -> None:
    fake, site_ids = _platform(sites=40, per_site=3)
    waiting_first = asyncio.Event()
    stopped: list[str] = []

    async def handle(request: httpx.Request) -> httpx.Response:
        first = _first_site(request)
        if first == site_ids[0]:  # the first query would wait for ever
            waiting_first.set()
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                stopped.append(first)
                raise
        if first == site_ids[20]:  # the third is refused
            await waiting_first.wait()
            return httpx.Response(403, json={"message": "scope missing"})
        return fake.handle(request)

    parts: list[list[RemoteEndpoint]] = []
    client = _client(fake, httpx.MockTransport(handle))
    with pytest.raises(AsioError, match="refused \\(403"):  # (a hang would time out instead)
        run(asyncio.wait_for(client.endpoints(_by_site(site_ids), parts.append), 30))
    assert stopped == [site_ids[0]]  # cancelled, not awaited to the end
    assert parts == []  # nothing handed over: the first query never answered
