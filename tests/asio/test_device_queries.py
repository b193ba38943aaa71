"""Which device queries a pull sends (`app.asio.device_queries`): a company whose every
platform site is pulled is asked whole, 4 companies a query, once it has 3 sites or more;
every other site pulled is asked 10 a query. The platform's quota counts requests."""

from __future__ import annotations

import json
import random

import httpx
from hypothesis import given
from hypothesis import strategies as st

from app.asio.client import AsioClient
from app.asio.device_queries import DeviceQuery, device_queries
from app.asio.models import RemoteSite
from app.asio.service import AsioService
from app.services.workspace import Workspace
from app.sync.retry import RetryPolicy
from tests.asio.conftest import Waits, run
from tests.asio.fake_asio import FakeAsio

ENDPOINTS = "/api/platform/v2/device/categories/platform/endpoints"


def _sites(counts: list[int]) -> list[RemoteSite]:
    return [RemoteSite(f"s{c}-{n}", f"c{c}", f"Site {c}-{n}")
            for c, count in enumerate(counts) for n in range(count)]


def test_companies_pulled_whole_are_asked_four_a_query() -> None:
    remote = _sites([3, 5, 20, 4, 7])
    queries = device_queries({s.id for s in remote}, remote)
    assert queries == [DeviceQuery("company", ("c0", "c1", "c2", "c3")),
                       DeviceQuery("company", ("c4",))]


def test_small_companies_and_partly_pulled_ones_are_asked_by_site() -> None:
    remote = _sites([1, 2, 5, 3])
    wanted = {s.id for s in remote} - {"s2-4"}  # c2 has a site not pulled (not ours, say)
    queries = device_queries(wanted, remote)
    assert queries[0] == DeviceQuery("company", ("c3",))
    by_site = [s for q in queries[1:] for s in q.ids]
    assert [q.resource_type for q in queries[1:]] == ["site"] * 1
    assert sorted(by_site) == sorted(["s0-0", "s1-0", "s1-1", "s2-0", "s2-1", "s2-2", "s2-3"])


def test_a_site_without_a_listed_company_is_asked_by_itself() -> None:
    # (a pull wants only listed sites; the rule needs no company to ask for a site)
    assert device_queries({"gone"}, []) == [DeviceQuery("site", ("gone",))]


@given(st.lists(st.integers(1, 12), max_size=30), st.randoms(use_true_random=False))
def test_every_site_pulled_is_asked_once_and_nothing_else_whole(counts: list[int],
                                                                rng: random.Random) -> None:
    remote = _sites(counts)
    wanted = {s.id for s in remote if rng.random() < 0.8}
    queries = device_queries(wanted, remote)
    sites_of: dict[str, set[str]] = {}
    for s in remote:
        sites_of.setdefault(s.company_id, set()).add(s.id)
    asked: list[str] = []
    for q in queries:
        assert 1 <= len(q.ids) <= {"company": 4, "site": 10}[q.resource_type]
        if q.resource_type == "company":
            for company in q.ids:  # asked whole only when every one of its sites is wanted
                assert sites_of[company] <= wanted
                asked += sites_of[company]
        else:
            asked += q.ids
    assert sorted(asked) == sorted(wanted)  # each once
    by_site = -(-len(wanted) // 10)
    assert len(queries) <= by_site + 1  # never worse than by site, but for rounding


def _client(fake: FakeAsio, service: AsioService, bodies: list[dict[str, object]],
            on_first_query: list[object] | None = None) -> AsioClient:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == ENDPOINTS and "cursor" not in request.url.params:
            bodies.append(json.loads(request.content))
            while on_first_query:
                on_first_query.pop()()  # type: ignore[operator]
        return fake.handle(request)

    return AsioClient(fake.base_url, "cid", "secret", instance=service.instance_id(),
                      client=httpx.AsyncClient(transport=httpx.MockTransport(handle)),
                      retry=RetryPolicy(sleep=Waits(), rng=random.Random(7)))


def _same_here_and_there(ws: Workspace, fake: FakeAsio, sites_per_company: list[int],
                         endpoints_per_site: int = 2) -> dict[str, str]:
    """Companies and sites of the same names here and on the platform; the platform's
    company ids by name."""
    remote: dict[str, str] = {}
    for c, count in enumerate(sites_per_company):
        company = ws.companies.create(f"Company {c}")
        remote[company.name] = fake.add_company(company.name)
        for n in range(count):
            site = ws.sites.create(company.id, f"Site {c}-{n}")
            remote_site = fake.add_site(remote[company.name], site.name)
            for k in range(endpoints_per_site):
                fake.add_endpoint(remote_site, f"WS-{c}-{n}-{k}")
    return remote


def test_a_pull_asks_for_whole_companies_and_gets_every_device(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    remote = _same_here_and_there(workspace, fake, [4, 3, 6, 1, 5, 2])
    bodies: list[dict[str, object]] = []
    report = run(asio.pull(_client(fake, asio, bodies)))
    assert fake.invalid == []
    whole = sorted(remote[f"Company {c}"] for c in (0, 1, 2, 4))
    assert bodies[0] == {"resourceType": "company", "resources": whole}
    assert [b["resourceType"] for b in bodies] == ["company", "site"]
    assert len(bodies[1]["resources"]) == 3  # type: ignore[arg-type]  # companies 3 and 5
    assert report.devices_added == 2 * 21
    names = {d.name for d in workspace.devices.all()}
    assert names == {f"WS-{c}-{n}-{k}" for c, count in enumerate([4, 3, 6, 1, 5, 2])
                     for n in range(count) for k in range(2)}


def test_a_company_with_a_site_not_ours_is_asked_by_site(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    remote = _same_here_and_there(workspace, fake, [3])
    other = fake.add_site(remote["Company 0"], "Their Warehouse")
    fake.add_endpoint(other, "NOT-OURS")
    bodies: list[dict[str, object]] = []
    report = run(asio.pull(_client(fake, asio, bodies)))
    assert [b["resourceType"] for b in bodies] == ["site"]
    assert other not in bodies[0]["resources"]  # type: ignore[operator]
    assert report.sites_remote_only == ["Their Warehouse"]
    assert "NOT-OURS" not in {d.name for d in workspace.devices.all()}


def test_a_site_made_on_the_platform_during_the_pull_is_not_pulled(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    remote = _same_here_and_there(workspace, fake, [3])

    def meanwhile() -> None:  # after the sites were listed, before the company's devices
        fake.add_endpoint(fake.add_site(remote["Company 0"], "Opened Today"), "NEW-SITE-PC")

    bodies: list[dict[str, object]] = []
    report = run(asio.pull(_client(fake, asio, bodies, [meanwhile])))
    assert bodies == [{"resourceType": "company", "resources": [remote["Company 0"]]}]
    assert report.devices_added == 6  # the three sites' own: nothing of the new site's
    assert "NEW-SITE-PC" not in {d.name for d in workspace.devices.all()}
    assert len(workspace.sites.all()) == 3


def test_a_company_without_devices_answers_404_and_that_is_an_empty_list(
        workspace: Workspace, fake: FakeAsio, asio: AsioService) -> None:
    """Real tenants answer 404 "resource not found" for a company with no devices: a whole
    company asked alone, with none, is nothing found, not a failed pull."""
    _same_here_and_there(workspace, fake, [3], endpoints_per_site=0)
    bodies: list[dict[str, object]] = []
    report = run(asio.pull(_client(fake, asio, bodies)))
    assert [b["resourceType"] for b in bodies] == ["company"]
    assert ("POST", ENDPOINTS, 404) in fake.log
    assert (report.sites_linked, report.devices_added, report.devices_vanished) == (3, 0, 0)
