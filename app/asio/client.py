"""The Asio partner API over one `httpx.AsyncClient` (docs/asio.md).

One token per run: fetched once, reused, refreshed shortly before it expires (a key that asks
for many tokens at once is locked with 423, so every caller shares this one). Every request
carries the headers the document requires (Authorization, Origin, User-Agent, X-Request-ID;
httpx sets Host) and goes through the one `RetryPolicy` (429/423/5xx with Retry-After and
full-jitter backoff). The token and the sending are the plumbing our sync client uses too
(`app.sync.http.BearerClient`); this module words its errors in the platform's terms.
Lists are paged with `limit`/`cursor` and `Link: rel="next"`; a 404 "resource not found" for
an empty device list or a cursor past the end is an empty page, as real tenants answer.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

from app import __version__
from app.asio.device_queries import DeviceQuery
from app.asio.errors import AsioAuthError, AsioError, AsioShapeError
from app.asio.models import (
    LookupItem,
    RemoteCompany,
    RemoteEffectivePolicy,
    RemoteEndpoint,
    RemoteSite,
    Token,
    describe_shape,
    endpoints_request,
    mapping_lookup,
    parse_endpoint_page,
    parse_lookup,
)
from app.gcpause import collect_young
from app.sync.http import BearerClient
from app.sync.retry import RetryPolicy

log = logging.getLogger("preflight.asio")

# The document's three servers (a test holds them equal to resources/asio/asio-openapi.yaml).
REGIONS = {
    "na": "https://openapi.service.itsupport247.net",
    "eu": "https://openapi.service.euplatform.connectwise.com",
    "au": "https://openapi.service.auplatform.connectwise.com",
}
READ_SCOPES = ("platform.companies.read", "platform.sites.read", "platform.devices.read",
               "platform.contacts.read", "platform.policies.read", "platform.tickets.read")
WRITE_SCOPES = ("platform.companies.create", "platform.sites.create", "platform.sites.update",
                "platform.contacts.create", "platform.mappings.read")
PAGE_LIMIT = 500  # the document's maximum page
QUERIES_IN_FLIGHT = 4  # endpoint queries sent at once (one token, the same request count)
LOOKUP_BATCH = 500  # our ids per mapping lookup
TOKEN_MARGIN_S = 60.0  # refresh this long before the token's stated expiry
USER_AGENT = f"Preflight/{__version__} (+asio-connector)"

COMPANIES = "/api/platform/v1/company/companies"
SITES = "/api/platform/v1/company/sites"
CONTACTS = "/api/platform/v1/contact/contacts"
LOOKUP = "/api/platform/v1/mapping/mappings/lookup"
ENDPOINTS = "/api/platform/v2/device/categories/platform/endpoints"
TICKETING = {
    "service_boards": "/api/platform/v1/service/ticketing/service-boards",
    "priorities": "/api/platform/v1/service/ticketing/priorities",
    "statuses": "/api/platform/v1/service/ticketing/statuses",
    "types": "/api/platform/v1/service/ticketing/types",
    "sources": "/api/platform/v1/service/ticketing/sources",
}


def resolve_base_url(region: str | None, url: str | None) -> str:
    """The API's base URL from a region (na, eu, au) or a URL; refuse anything else."""
    if url:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise AsioError(f"--url {url!r} is not an http(s) URL of the Asio API "
                            "(e.g. https://openapi.service.itsupport247.net)")
        if parts.path.strip("/") or parts.query:
            raise AsioError(f"--url {url!r}: give the API's base URL only (no path); "
                            "Preflight adds /v1/token and /api/platform/… itself")
        return f"{parts.scheme}://{parts.netloc}"
    key = (region or "na").strip().casefold()
    if key not in REGIONS:
        raise AsioError(f"--region {region!r} is not an Asio region: use "
                        f"{', '.join(REGIONS)} or --url")
    return REGIONS[key]


# JSON may escape a character beyond the BMP as a pair of surrogates ("\ud83d\ude00" for 😀);
# Python's json module joins a pair but keeps a lone one, which is no text (nothing stores it)
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _check_unicode(value: Any, where: str, path: str = "") -> None:
    """Refuse an answer holding a lone surrogate, naming where it is (JSON allows the escape;
    no text holds it)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise AsioShapeError(
                f"{where}: {path or 'the answer'} is not valid text (a lone surrogate "
                f"\\u{ord(value[exc.start]):04x} at character {exc.start + 1}); the platform "
                "sent a damaged name or value, nothing was saved") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_unicode(key, where, f"a key in {path or 'the answer'}")
            _check_unicode(item, where, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_unicode(item, where, f"{path}[{index}]")


def _is_not_found(response: httpx.Response) -> bool:
    return response.status_code == 404


class AsioClient(BearerClient):
    token_margin_s = TOKEN_MARGIN_S
    logger = log

    def __init__(self, base_url: str, client_id: str, client_secret: str, *,
                 instance: str, scopes: Sequence[str] = READ_SCOPES,
                 client: httpx.AsyncClient | None = None, retry: RetryPolicy | None = None,
                 timeout: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(base_url, client_id, client_secret, scope=" ".join(scopes),
                         client=client, retry=retry, timeout=timeout, clock=clock)
        self.instance = instance  # our workspace id: the productInstanceId of our externalIds
        self.writes = 0  # creating or changing requests (POST/PATCH of companies, sites, …)

    # --- plumbing: the shared BearerClient, in the platform's words ------------------------------

    def _headers(self) -> dict[str, str]:
        return {"Accept": "application/json", "User-Agent": USER_AGENT, "Origin": self.base_url}

    def _read_token(self, response: httpx.Response) -> tuple[str, float]:
        if response.status_code in (400, 401, 403):
            raise AsioAuthError(
                f"{self.base_url} refused client id '{self._client_id}' "
                f"({response.status_code} to POST /v1/token): check the client id and secret, "
                "and the region (--region na|eu|au) the account lives in")
        if response.status_code != 200 or "json" not in response.headers.get(
                "content-type", ""):
            raise AsioError(
                f"{self.base_url} does not look like the Asio partner API: POST /v1/token "
                f"answered {response.status_code} "
                f"({response.headers.get('content-type') or 'no content type'})")
        token = Token.parse(self._json(response, "POST /v1/token"), "POST /v1/token")
        return token.access_token, token.expires_in

    def _unreachable(self, where: str, exc: httpx.TransportError) -> Exception:
        return AsioError(f"cannot reach {self.base_url} ({where}: "
                         f"{type(exc).__name__}: {exc})")

    def _gave_up(self, where: str, response: httpx.Response, tries: int) -> Exception:
        return AsioError(f"{where} answered {response.status_code} after {tries} tries "
                         f"({_detail(response)}); nothing more was sent — run again to resume")

    def _lost(self, where: str, exc: httpx.TransportError) -> Exception:
        return AsioError(f"{where}: the answer was lost ({type(exc).__name__}); run again — "
                         "the push looks our ids up first and creates nothing twice")

    @staticmethod
    def _json(response: httpx.Response, where: str) -> Any:
        try:
            data = response.json()
        except ValueError:
            raise AsioShapeError(f"{where}: the answer is not JSON "
                                 f"({response.headers.get('content-type') or 'no type'}: "
                                 f"{response.text[:80]!r})") from None
        if _SURROGATE_ESCAPE.search(response.content):  # rare: escaped emoji, or worse
            _check_unicode(data, where)
        return data

    def _check(self, response: httpx.Response, where: str, ok: tuple[int, ...] = (200,)) -> Any:
        if response.status_code in (401, 403):
            raise AsioAuthError(f"{where} was refused ({response.status_code}: "
                                f"{_detail(response)}); the client id may lack the scope")
        if response.status_code not in ok:
            raise AsioError(f"{where} answered {response.status_code}: {_detail(response)}")
        return self._json(response, where)

    async def _pages(self, method: str, path: str, *, json: Any = None,
                     empty_on_404: bool = False) -> AsyncIterator[tuple[str, Any]]:
        """Each page's JSON, following `Link: rel="next"`; a 404 past the first page (or on
        the first when `empty_on_404`) ends the list."""
        target: str | None = f"{path}?limit={PAGE_LIMIT}"  # one text: parsed once
        first, seen = True, set[str]()
        while target is not None:
            response = await self._send(method, target, json=json)
            where = f"{method} {path}" + ("" if first else f" (page {len(seen) + 1})")
            if _is_not_found(response) and (empty_on_404 or not first):
                return
            data = self._check(response, where)
            yield where, data
            following = response.links.get("next", {}).get("url")
            if not following:
                return
            target = str(response.url.join(following))
            if target in seen:  # a server that repeats its Link would loop forever
                raise AsioShapeError(f"{where}: the Link header points back to a page "
                                     "already read")
            seen.add(target)
            first = False

    # --- reads --------------------------------------------------------------------------------

    async def check(self) -> None:
        """A token, to check the credentials and the URL (status)."""
        await self._token_value()

    async def companies(self) -> list[RemoteCompany]:
        found: list[RemoteCompany] = []
        async for where, data in self._pages("GET", COMPANIES):
            found += [RemoteCompany.parse(item, f"{where}[{i}]", self.instance)
                      for i, item in enumerate(_items(data, where))]
        return found

    async def sites(self) -> list[RemoteSite]:
        found: list[RemoteSite] = []
        async for where, data in self._pages("GET", SITES):
            found += [RemoteSite.parse(item, f"{where}[{i}]", self.instance)
                      for i, item in enumerate(_items(data, where))]
        return found

    async def endpoints(self, queries: Sequence[DeviceQuery],
                        on_part: Callable[[list[RemoteEndpoint]], None] | None = None,
                        ) -> list[RemoteEndpoint]:
        """The platform endpoints these queries ask for (`device_queries`: whole companies,
        other sites); a few queries in flight at once, so parsing one page overlaps waiting
        for the next — the request count, which the quota counts, is the same. `on_part` gets
        each query's endpoints as soon as it and every query before it are answered: in the
        queries' order, whichever answers first."""
        gate = asyncio.Semaphore(QUERIES_IN_FLIGHT)

        async def query(asked: DeviceQuery) -> list[RemoteEndpoint]:
            async with gate:
                found: list[RemoteEndpoint] = []
                async for where, data in self._pages(
                        "POST", ENDPOINTS, json=endpoints_request(*asked), empty_on_404=True):
                    found += parse_endpoint_page(data, where)
                    collect_young()  # closed connections' cycles (a pull pauses the GC)
                return found

        tasks = [asyncio.ensure_future(query(asked)) for asked in queries]
        endpoints: list[RemoteEndpoint] = []
        failed: asyncio.Future[asyncio.Future[list[RemoteEndpoint]]] = \
            asyncio.get_running_loop().create_future()  # done at the first failure

        def notice(task: asyncio.Future[list[RemoteEndpoint]]) -> None:
            if not failed.done() and not task.cancelled() and task.exception() is not None:
                failed.set_result(task)

        for task in tasks:
            task.add_done_callback(notice)
        try:
            for task in tasks:  # in order; a failure anywhere stops them all at once
                if not task.done():
                    await asyncio.wait((task, failed), return_when=asyncio.FIRST_COMPLETED)
                if failed.done():
                    failed.result().result()  # raises the failure
                part = task.result()
                if on_part is not None:
                    on_part(part)
                endpoints += part
        except BaseException:  # the queries still running stop here: none goes on alone
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        return endpoints

    async def lookups(self) -> dict[str, list[LookupItem]]:
        """The ticketing lookups the PSA Integration policy picks from."""
        result: dict[str, list[LookupItem]] = {}
        for kind, path in TICKETING.items():
            where = f"GET {path}"
            data = self._check(await self._send("GET", path), where)
            result[kind] = [LookupItem.parse(kind, item, f"{where}[{i}]")
                            for i, item in enumerate(_items(data, where))]
        return result

    async def effective_policy(self, company_id: str, site_id: str,
                               endpoint_id: str) -> RemoteEffectivePolicy | None:
        path = (f"/api/platform/v1/policy/clients/{company_id}/sites/{site_id}/endpoints/"
                f"{endpoint_id}/effective-policy")
        response = await self._send("GET", path)
        if _is_not_found(response):
            return None
        where = "GET …/effective-policy of endpoint " + endpoint_id
        return RemoteEffectivePolicy.parse(self._check(response, where), where)

    async def find_ours(self, our_ids: Sequence[str]) -> dict[str, str]:
        """Our id → the platform's id, for the objects that carry our id in `externalIds`
        (the mapping lookup, one request per batch)."""
        found: dict[str, str] = {}
        for start in range(0, len(our_ids), LOOKUP_BATCH):
            batch = list(our_ids[start:start + LOOKUP_BATCH])
            response = await self._send("POST", LOOKUP, params={"all": "true"},
                                        json=mapping_lookup(batch, self.instance))
            if _is_not_found(response):
                continue
            where = f"POST {LOOKUP}"
            wanted = set(batch)
            found.update({k: v for k, v in parse_lookup(self._check(response, where),
                                                        where).items() if k in wanted})
        return found

    # --- writes -------------------------------------------------------------------------------

    async def create_company(self, body: dict[str, Any]) -> RemoteCompany:
        self.writes += 1
        where = f"POST {COMPANIES}"
        response = await self._send("POST", COMPANIES, json=body, creates=True)
        return RemoteCompany.parse(self._check(response, where, (200, 201)), where,
                                   self.instance)

    async def create_site(self, company_id: str, body: dict[str, Any]) -> RemoteSite:
        self.writes += 1
        path = f"{COMPANIES}/{company_id}/sites"
        where = f"POST {path}"
        response = await self._send("POST", path, json=body, creates=True)
        return RemoteSite.parse(self._check(response, where, (200, 201)), where,
                                self.instance, company_id)

    async def patch_site(self, company_id: str, site_id: str,
                         operations: list[dict[str, Any]]) -> RemoteSite:
        self.writes += 1
        path = f"{COMPANIES}/{company_id}/sites/{site_id}"
        where = f"PATCH {path}"
        response = await self._send("PATCH", path, json=operations)
        return RemoteSite.parse(self._check(response, where), where, self.instance, company_id)

    async def create_contact(self, body: dict[str, Any]) -> str:
        self.writes += 1
        where = f"POST {CONTACTS}"
        data = self._check(await self._send("POST", CONTACTS, json=body, creates=True), where,
                           (200, 201))
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
            raise AsioShapeError(f"{where}: no contact id in {describe_shape(data)}")
        return str(data["id"])


def _items(data: Any, where: str) -> list[Any]:
    """A list answer; some endpoints wrap it ({"items"|"data"|"results": [...]})."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("items", "data", "results"):
            if isinstance(data.get(key), list):
                return list(data[key])
    raise AsioShapeError(f"{where}: expected a list, got {describe_shape(data)}")


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or "no body"
    if isinstance(body, dict):
        for key in ("message", "detail", "error"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message")
            if value:
                return str(value)[:200]
    return str(body)[:200]
