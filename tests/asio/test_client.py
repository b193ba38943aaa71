"""The connector's client against the fake Asio: regions from the vendor's document, one token
per run (reused, refreshed before expiry, 423 waited out), paging, retries with Retry-After,
and clear errors for refused credentials, a URL that is not Asio and answers that do not fit."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from app.asio.client import REGIONS, AsioClient, resolve_base_url
from app.asio.errors import AsioAuthError, AsioError, AsioShapeError
from app.asio.service import AsioService
from app.sync.retry import RetryPolicy
from tests.asio.conftest import Waits, make_client, run
from tests.asio.fake_asio import FakeAsio, Fault
from tests.asio.vendor import document


def test_regions_are_the_documents_servers() -> None:
    assert sorted(REGIONS.values()) == sorted(s["url"] for s in document()["servers"])
    assert document()["info"]["version"] == "2.2.8"


@pytest.mark.parametrize(("region", "url", "expected"), [
    (None, None, REGIONS["na"]),
    ("EU", None, REGIONS["eu"]),
    ("au", None, REGIONS["au"]),
    (None, "https://asio.example.test/", "https://asio.example.test"),
    (None, "http://127.0.0.1:8080", "http://127.0.0.1:8080"),
])
def test_base_url_from_region_or_url(region: str | None, url: str | None,
                                     expected: str) -> None:
    assert resolve_base_url(region, url) == expected


@pytest.mark.parametrize(("region", "url", "message"), [
    ("us", None, "--region 'us' is not an Asio region: use na, eu, au or --url"),
    (None, "ftp://example.test", "is not an http(s) URL"),
    (None, "openapi.service.itsupport247.net", "is not an http(s) URL"),
    (None, "https://example.test/api/platform", "give the API's base URL only"),
])
def test_bad_region_or_url_is_refused(region: str | None, url: str | None,
                                      message: str) -> None:
    with pytest.raises(AsioError, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve_base_url(region, url)


def test_one_token_for_the_whole_run(fake: FakeAsio, asio: AsioService) -> None:
    company = fake.add_company("Acme")
    fake.add_site(company, "HQ")
    client = make_client(fake, asio)
    run(client.companies())
    run(client.sites())
    run(client.lookups())
    assert client.tokens_fetched == 1
    assert fake.requests_to("POST", "/v1/token") == 1
    assert client.requests == 1 + 2 + 5
    assert fake.invalid == []


def test_requests_sent_at_once_share_one_token(fake: FakeAsio, asio: AsioService) -> None:
    """A pull asks for the lookups while it lists companies and sites: the first requests
    go out together, and wait for one token (a key asking for several at once is locked)."""
    fake.add_site(fake.add_company("Acme"), "HQ")

    async def handle(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.01)  # an answer takes a moment: the others are sent meanwhile
        return fake.handle(request)

    client = AsioClient(fake.base_url, "cid", "secret", instance=asio.instance_id(),
                        client=httpx.AsyncClient(transport=httpx.MockTransport(handle)),
                        retry=RetryPolicy(sleep=Waits(), rng=random.Random(7)))

    async def at_once() -> None:
        await asyncio.gather(client.companies(), client.sites(), client.lookups())

    run(at_once())
    assert fake.requests_to("POST", "/v1/token") == 1
    assert client.tokens_fetched == 1
    assert client.requests == 1 + 2 + 5
    assert fake.invalid == []


def test_token_refreshed_shortly_before_it_expires(fake: FakeAsio, asio: AsioService) -> None:
    now = [1000.0]
    client = make_client(fake, asio, clock=lambda: now[0])
    run(client.companies())
    now[0] += 3599 - 61  # still a minute and a second left: reused
    run(client.companies())
    assert fake.requests_to("POST", "/v1/token") == 1
    now[0] += 2  # less than a minute left: a new one before the request
    run(client.companies())
    assert fake.requests_to("POST", "/v1/token") == 2
    assert [s for m, p, s in fake.log if p != "/v1/token"] == [200, 200, 200]


def test_423_on_the_token_is_waited_out(fake: FakeAsio, asio: AsioService) -> None:
    fake.faults.append(Fault("POST", "/v1/token", 423, retry_after="45", times=2))
    waits = Waits()
    client = make_client(fake, asio, waits=waits)
    assert run(client.companies()) == []
    assert waits.slept == [45.0, 45.0]
    assert client.tokens_fetched == 1
    assert [s for m, p, s in fake.log] == [423, 423, 200, 200]


def test_429_with_retry_after_then_success(fake: FakeAsio, asio: AsioService) -> None:
    fake.add_company("Acme")
    fake.faults.append(Fault("GET", "/api/platform/v1/company/companies", 429,
                             retry_after="3"))
    waits = Waits()
    client = make_client(fake, asio, waits=waits)
    assert [c.name for c in run(client.companies())] == ["Acme"]
    assert waits.slept == [3.0]


def test_5xx_backs_off_with_full_jitter_then_gives_up_clearly(fake: FakeAsio,
                                                              asio: AsioService) -> None:
    fake.faults.append(Fault("GET", "/api/platform/v1/company/sites", 503, times=99))
    waits = Waits()
    client = make_client(fake, asio, waits=waits)
    with pytest.raises(AsioError) as caught:
        run(client.sites())
    assert str(caught.value).startswith(
        "GET /api/platform/v1/company/sites answered 503 after 6 tries")
    assert "run again to resume" in str(caught.value)
    policy = RetryPolicy()
    assert len(waits.slept) == 5
    assert all(0 <= w <= min(policy.cap, policy.base * 2 ** i)
               for i, w in enumerate(waits.slept))


def test_paging_follows_link_over_several_pages(fake: FakeAsio, asio: AsioService) -> None:
    fake.page_size = 3
    for i in range(10):
        company = fake.add_company(f"Company {i:02}")
        for j in range(2):
            fake.add_site(company, f"Site {i}-{j}")
    client = make_client(fake, asio)
    assert sorted(c.name for c in run(client.companies())) == [f"Company {i:02}"
                                                               for i in range(10)]
    assert len(run(client.sites())) == 20
    assert fake.requests_to("GET", "/api/platform/v1/company/companies") == 4
    assert fake.requests_to("GET", "/api/platform/v1/company/sites") == 7
    assert fake.invalid == []


def test_a_cursor_past_the_end_answered_404_ends_the_list(fake: FakeAsio,
                                                          asio: AsioService) -> None:
    for i in range(4):
        fake.add_company(f"C{i}")
    fake.page_size = 2
    # a server that promises a next page and then says "resource not found" for it
    fake.faults.append(Fault("GET", "/api/platform/v1/company/companies", 404,
                             body={"message": "resource not found"}, after=1))
    client = make_client(fake, asio)
    assert len(run(client.companies())) == 2


def test_long_pages_and_empty_lists(fake: FakeAsio, asio: AsioService) -> None:
    for i in range(1200):
        fake.add_company(f"C{i:04}")
    client = make_client(fake, asio)
    assert len(run(client.companies())) == 1200
    assert fake.requests_to("GET", "/api/platform/v1/company/companies") == 3
    assert run(client.sites()) == []
    assert run(client.endpoints([])) == []


def test_refused_credentials_name_the_client_and_the_region(fake: FakeAsio,
                                                           asio: AsioService) -> None:
    client = make_client(fake, asio, secret="wrong")
    with pytest.raises(AsioAuthError) as caught:
        run(client.companies())
    assert str(caught.value) == (
        f"{fake.base_url} refused client id 'cid' (401 to POST /v1/token): check the client "
        "id and secret, and the region (--region na|eu|au) the account lives in")
    assert "wrong" not in repr(client) + str(caught.value)


def test_an_account_of_another_region_is_refused_and_the_region_named(
        asio: AsioService) -> None:
    """The region chosen is not the account's: that region's platform refuses the client id,
    and the error says to check the region; the account's own region accepts it."""
    def client_of(fake: FakeAsio) -> AsioClient:
        return AsioClient(fake.base_url, "eu-cid", "s3cret", instance=asio.instance_id(),
                          client=httpx.AsyncClient(transport=fake.transport()),
                          retry=RetryPolicy(sleep=Waits()))

    accounts = {"eu-cid": "s3cret"}
    na = FakeAsio(base_url=resolve_base_url("na", None), clients={})
    eu = FakeAsio(base_url=resolve_base_url("eu", None), clients=accounts)
    with pytest.raises(AsioAuthError) as caught:
        run(client_of(na).check())
    assert str(caught.value) == (
        f"{REGIONS['na']} refused client id 'eu-cid' (401 to POST /v1/token): check the "
        "client id and secret, and the region (--region na|eu|au) the account lives in")
    run(client_of(eu).check())
    assert (na.invalid, eu.invalid) == ([], [])


_NOT_ASIO = "https://www.example.test does not look like the Asio partner API: POST /v1/token "


@pytest.mark.parametrize(("answer", "expected"), [
    ((404, "text/html", "<html>Not Found</html>"),
     (AsioError, _NOT_ASIO + "answered 404 (text/html)")),
    ((200, "text/html", "<html>Welcome, sign in to the Wi-Fi</html>"),
     (AsioError, _NOT_ASIO + "answered 200 (text/html)")),
    ((405, "application/json", '{"detail": "Method Not Allowed"}'),
     (AsioError, _NOT_ASIO + "answered 405 (application/json)")),
    ((200, "application/json", '{"status": "ok"}'),
     (AsioShapeError, "POST /v1/token: no access_token in an object with status")),
    ((200, "application/json", "[not json"),
     (AsioShapeError, "POST /v1/token: the answer is not JSON (application/json: '[not json')")),
])
def test_a_url_that_is_not_asio(asio: AsioService, answer: tuple[int, str, str],
                                expected: tuple[type[AsioError], str]) -> None:
    status, kind, body = answer
    error, message = expected

    def web_page(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text=body, headers={"content-type": kind})

    client = AsioClient("https://www.example.test", "cid", "secret", instance="i",
                        client=httpx.AsyncClient(transport=httpx.MockTransport(web_page)),
                        retry=RetryPolicy(sleep=Waits()))
    with pytest.raises(error) as caught:
        run(client.check())
    assert str(caught.value) == message
    assert client.tokens_fetched == 0
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(("body", "message"), [
    ({"unexpected": 1}, "GET /api/platform/v1/company/companies: expected a list, got an "
                        "object with unexpected"),
    ([{"id": "c-1"}], r"GET /api/platform/v1/company/companies\[0\]: no name / friendlyName "
                      "in an object with id"),
    ([{"name": "No id"}], r"GET /api/platform/v1/company/companies\[0\]: no id / companyId / "
                          "clientId"),
    ("just text", "expected a list, got str"),
])
def test_an_answer_that_does_not_fit_says_what_and_where(fake: FakeAsio, asio: AsioService,
                                                        body: object, message: str) -> None:
    fake.validate = False  # the fake is made to answer wrongly here
    fake.faults.append(Fault("GET", "/api/platform/v1/company/companies", 200, body=body))
    client = make_client(fake, asio)
    with pytest.raises(AsioShapeError, match=message):
        run(client.companies())


def test_a_connection_that_fails_is_retried_then_reported(asio: AsioService) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    waits = Waits()
    client = AsioClient("https://asio.example.test", "cid", "secret", instance="i",
                        client=httpx.AsyncClient(transport=httpx.MockTransport(down)),
                        retry=RetryPolicy(sleep=waits))
    with pytest.raises(AsioError, match=r"cannot reach https://asio.example.test \(POST "
                                        r"/v1/token: ConnectError: connection refused\)"):
        run(client.check())
    assert len(waits.slept) == 5
