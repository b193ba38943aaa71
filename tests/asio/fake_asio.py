"""A fake ConnectWise Asio partner API for the tests: in process (`httpx.MockTransport`) or on
127.0.0.1 (`serve()`, for the CLI in a subprocess). Every request is validated against the
vendor's document (path, method, parameters and required headers, body schema) and every 2xx
answer it gives is validated too; a request the document does not allow is answered 400 and
kept in `invalid`, which the tests assert is empty.

Knobs for the bad days: `faults` (answers injected before handling: 429 with Retry-After,
423 on the token, 500 …), `die_after_writes` (a write is done here, then the "process" dies
before it hears the answer), `page_size`, `variant` ("alt": companyId/friendlyName instead of
id/name), `extra_fields`.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from tests.asio.vendor import NA, request_problems, response_problems

PRODUCT = "preflight"


class Killed(BaseException):
    """The run is killed between the platform's commit and the client hearing of it."""


@dataclass
class Fault:
    method: str
    path: str  # a regular expression matched against the path
    status: int
    retry_after: str | None = None
    body: Any = None
    times: int = 1
    after: int = 0  # matching requests let through before the fault starts
    applied: bool = False  # the platform does the work, then answers with the fault instead

    def response(self) -> httpx.Response:
        headers = {"Retry-After": self.retry_after} if self.retry_after else {}
        return httpx.Response(self.status, json=self.body if self.body is not None else {
            "message": f"injected {self.status}"}, headers=headers)


@dataclass
class FakeAsio:
    base_url: str = NA
    clients: dict[str, str] = field(default_factory=lambda: {"cid": "secret"})
    validate: bool = True
    page_size: int = 500
    variant: str = "default"
    extra_fields: bool = False
    token_ttl: int = 3599
    die_after_writes: int | None = None
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)
    sites: dict[str, dict[str, Any]] = field(default_factory=dict)
    endpoints: dict[str, dict[str, Any]] = field(default_factory=dict)
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    lookups: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    effective: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    log: list[tuple[str, str, int]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    writes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _indexes: dict[str, tuple[int, dict[str, list[str]]]] = field(default_factory=dict)
    # a gate on contact creation: requests wait on it (and say so) until a test opens it
    gate: threading.Event | None = None
    waiting: threading.Event = field(default_factory=threading.Event)

    # --- seeding --------------------------------------------------------------------------

    def add_company(self, name: str, *, ours: str | None = None,
                    instance: str = "") -> str:
        company_id = str(uuid.uuid4())
        self.companies[company_id] = {"name": name, "externalIds": _ext(ours, instance)}
        return company_id

    def add_site(self, company_id: str, name: str, *, ours: str | None = None,
                 instance: str = "") -> str:
        site_id = str(uuid.uuid4())
        self.sites[site_id] = {"companyId": company_id, "name": name,
                               "externalIds": _ext(ours, instance)}
        return site_id

    def add_endpoint(self, site_id: str, name: str, kind: str = "Desktop") -> str:
        endpoint_id = str(uuid.uuid4())
        self.endpoints[endpoint_id] = {"siteId": site_id,
                                       "companyId": self.sites[site_id]["companyId"],
                                       "name": name, "type": kind}
        return endpoint_id

    def seed_lookups(self) -> None:
        def items(*names: str) -> list[dict[str, Any]]:
            return [{"id": str(uuid.uuid4()), "name": n} for n in names]

        self.lookups = {
            "service-boards": [{**b, "defaultPriority": {"id": str(uuid.uuid4()),
                                                         "name": "Priority 3 - Normal"}}
                               for b in items("Help Desk", "NOC Escalations")],
            "priorities": items("Priority 1 - Critical", "Priority 3 - Normal"),
            "statuses": [{**s, "category": "New", "slaStatus": "NotResponded"}
                         for s in items("New", "In Progress")],
            "types": items("Incident", "Service Request"),
            "sources": items("Email", "Phone", "RMM Alert"),
        }

    def requests_to(self, method: str, pattern: str) -> int:
        return sum(1 for m, p, _ in self.log if m == method and re.fullmatch(pattern, p))

    # --- transport ------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.gate is not None and request.method == "POST" and \
                request.url.path == "/api/platform/v1/contact/contacts":
            self.waiting.set()
            self.gate.wait(10)
        with self.lock:
            response = self._handle(request)
        self.log.append((request.method, request.url.path, response.status_code))
        if self.validate and 200 <= response.status_code < 300:
            self.invalid += [f"answer to {request.method} {request.url.path}: {p}"
                             for p in response_problems(request, response)]
        if self.die_after_writes is not None and self.writes >= self.die_after_writes \
                and request.method in ("POST", "PATCH") and _is_write(request.url.path):
            self.die_after_writes = None
            raise Killed(f"killed after {self.writes} writes")
        return response

    def _handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if self.validate:
            problems = request_problems(request)
            if problems:
                self.invalid += [f"{request.method} {path}: {p}" for p in problems]
                return _error(400, "; ".join(problems))
        fault = self._fault(request.method, path)
        if fault is None:
            return self._answer(request, path)
        if fault.applied:
            self._answer(request, path)
        return fault.response()

    def _fault(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.method == method and re.fullmatch(fault.path, path):
                if fault.after > 0:
                    fault.after -= 1
                    continue
                fault.times -= 1
                return fault
        return None

    def _answer(self, request: httpx.Request, path: str) -> httpx.Response:
        if path == "/v1/token":
            return self._token(request)
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            return _error(401, "invalid or missing bearer token")
        for header in ("x-request-id", "user-agent", "origin"):
            if not request.headers.get(header):
                self.invalid.append(f"{request.method} {path}: no {header} header")
                return _error(400, f"missing {header}")
        return self._route(request, path)

    def _token(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        if self.clients.get(body.get("client_id")) != body.get("client_secret") or \
                body.get("grant_type") != "client_credentials":
            return _error(401, "invalid client credentials")
        token = uuid.uuid4().hex
        self.tokens.add(token)
        return httpx.Response(200, json={"access_token": token, "token_type": "Bearer",
                                         "scope": body.get("scope", ""),
                                         "expires_in": self.token_ttl})

    def _route(self, request: httpx.Request, path: str) -> httpx.Response:
        method = request.method
        body = json.loads(request.content) if request.content else None
        if (method, path) == ("GET", "/api/platform/v1/company/companies"):
            return self._page(request, [self._company(i) for i in self.companies])
        if (method, path) == ("POST", "/api/platform/v1/company/companies"):
            return self._create_company(body)
        if (method, path) == ("GET", "/api/platform/v1/company/sites"):
            return self._page(request, [self._site(i) for i in self.sites])
        if m := re.fullmatch(r"/api/platform/v1/company/companies/([^/]+)/sites", path):
            if method == "POST":
                return self._create_site(m.group(1), body)
            return self._page(request, [self._site(i) for i, s in self.sites.items()
                                        if s["companyId"] == m.group(1)])
        if m := re.fullmatch(r"/api/platform/v1/company/companies/([^/]+)/sites/([^/]+)",
                             path):
            return self._patch_site(m.group(1), m.group(2), body)
        if (method, path) == ("POST", "/api/platform/v1/contact/contacts"):
            return self._create_contact(body)
        if (method, path) == ("POST", "/api/platform/v1/mapping/mappings/lookup"):
            return self._lookup(body)
        if (method, path) == ("POST", "/api/platform/v2/device/categories/platform/endpoints"):
            return self._endpoints(request, body)
        if m := re.fullmatch(r"/api/platform/v1/service/ticketing/([a-z-]+)", path):
            return httpx.Response(200, json=self.lookups.get(m.group(1), []))
        if m := re.fullmatch(r"/api/platform/v1/policy/clients/([^/]+)/sites/([^/]+)/"
                             r"endpoints/([^/]+)/effective-policy", path):
            found = self.effective.get(m.group(3))
            if found is None:
                return _error(404, "resource not found")
            return httpx.Response(200, json=found)
        return _error(404, f"no route {method} {path}")

    # --- resources ------------------------------------------------------------------------

    def _company(self, company_id: str) -> dict[str, Any]:
        c = self.companies[company_id]
        if self.variant == "alt":
            out = {"companyId": company_id, "friendlyName": c["name"]}
        else:
            out = {"id": company_id, "name": c["name"]}
        if c["externalIds"]:
            out["externalIds"] = [{**e, "companyId": company_id} for e in c["externalIds"]]
        if self.extra_fields:
            out["someFutureField"] = {"nested": [1, 2]}
            out["partnerId"] = "p-1"
        return out

    def _site(self, site_id: str) -> dict[str, Any]:
        s = self.sites[site_id]
        company = {"id": s["companyId"], "name": self.companies[s["companyId"]]["name"]}
        if self.variant == "alt":
            out: dict[str, Any] = {"id": site_id, "friendlyName": s["name"], "company": company}
        else:
            out = {"id": site_id, "name": s["name"], "company": company}
        if s["externalIds"]:
            out["externalIds"] = [{**e, "siteId": site_id} for e in s["externalIds"]]
        if self.extra_fields:
            out["timeZone"] = "UTC"
            out["somethingNew"] = True
        return out

    def _page(self, request: httpx.Request, items: list[Any]) -> httpx.Response:
        limit = min(int(request.url.params.get("limit", 500)), self.page_size)
        cursor = int(request.url.params.get("cursor", 0))
        if cursor and cursor >= len(items):
            return _error(404, "resource not found")
        page = items[cursor:cursor + limit]
        headers = {}
        if cursor + limit < len(items):
            headers["Link"] = (f'<{self.base_url}{request.url.path}?cursor={cursor + limit}'
                               f'&limit={limit}>; rel="next"')
        return httpx.Response(200, json=page, headers=headers)

    def _by(self, key: str) -> dict[str, list[str]]:
        """The endpoints' ids by their site or company (built again when endpoints came)."""
        held = self._indexes.get(key)
        if held is None or held[0] != len(self.endpoints):
            held = self._indexes[key] = (len(self.endpoints), _index_by(self.endpoints, key))
        return held[1]

    def _write(self) -> None:
        self.writes += 1

    def _create_company(self, body: dict[str, Any]) -> httpx.Response:
        company_id = str(uuid.uuid4())
        self.companies[company_id] = {"name": body["name"],
                                      "externalIds": body.get("externalIds") or []}
        self._write()
        return httpx.Response(200, json=self._company(company_id))

    def _create_site(self, company_id: str, body: dict[str, Any]) -> httpx.Response:
        if company_id not in self.companies:
            return _error(404, "company not found")
        site_id = str(uuid.uuid4())
        self.sites[site_id] = {"companyId": company_id, "name": body["name"],
                               "externalIds": body.get("externalIds") or []}
        self._write()
        return httpx.Response(201, json=self._site(site_id))

    def _patch_site(self, company_id: str, site_id: str, ops: list[Any]) -> httpx.Response:
        site = self.sites.get(site_id)
        if site is None or site["companyId"] != company_id:
            return _error(404, "site not found")
        for op in ops:
            if op["op"] == "replace" and op["path"] == "/name":
                site["name"] = op["value"]
        self._write()
        return httpx.Response(200, json=self._site(site_id))

    def _create_contact(self, body: dict[str, Any]) -> httpx.Response:
        site = (body.get("company") or {}).get("site") or {}
        if site.get("id") not in self.sites:
            return _error(400, "the contact's site is not known")
        contact_id = str(uuid.uuid4())
        self.contacts[contact_id] = body
        self._write()
        answer = {"id": contact_id, **{k: v for k, v in body.items()
                                       if k in ("firstName", "lastName", "title", "company")},
                  "externalIds": [{"externalId": e["externalId"], "productId": e["productId"]}
                                  for e in body.get("externalIds", [])]}
        return httpx.Response(201, json=answer)

    def _lookup(self, body: dict[str, Any]) -> httpx.Response:
        source = body["criteria"]["sourceAttributes"]
        wanted = set(source.get("externalIds") or [])
        instance = source.get("productInstanceId")
        matched: dict[str, str] = {}
        for store in (self.companies, self.sites, self.contacts):
            for remote_id, obj in store.items():
                for e in obj.get("externalIds") or []:
                    if (e.get("productId") == PRODUCT and e.get("productInstanceId") == instance
                            and e.get("externalId") in wanted):
                        matched[e["externalId"]] = remote_id
        return httpx.Response(200, json={"completeMatch": len(matched) == len(wanted),
                                         "matchedSchemaIds": [s["id"] for s in body["schemas"]],
                                         "matchedAttributes": matched})

    def _endpoints(self, request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if body["resourceType"] not in ("company", "site", "endpoint"):
            return _error(400, f"resourceType {body['resourceType']!r} is not supported")
        key = {"company": "companyId", "site": "siteId"}.get(body["resourceType"])
        wanted = set(body["resources"])
        if len(wanted) > {"company": 4, "site": 10, "endpoint": 500}[body["resourceType"]]:
            return _error(400, "too many resources")
        if key is not None and len(self.endpoints) > 1000:  # big fakes (benchmarks): indexed
            index = self._by(key)
            chosen = [(i, self.endpoints[i]) for owner in body["resources"]
                      for i in index.get(owner, [])]
        else:
            chosen = [(i, e) for i, e in self.endpoints.items()
                      if (i in wanted if key is None else e[key] in wanted)]
        limit = min(int(request.url.params.get("limit", 500)), self.page_size)
        cursor = int(request.url.params.get("cursor", 0))
        if not chosen or (cursor and cursor >= len(chosen)):
            return _error(404, "resource not found")
        page = chosen[cursor:cursor + limit]
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for endpoint_id, e in page:
            item = {"endpointID": endpoint_id, "friendlyName": e["name"], "type": e["type"]}
            if self.variant == "alt":
                item = {"endpointID": endpoint_id, "deviceName": e["name"],
                        "endpointType": e["type"]}
            if self.extra_fields:
                item["os"] = {"product": "Windows 11 Pro", "unknownField": 1}
            groups.setdefault((e["companyId"], e["siteId"]), []).append(item)
        headers = {}
        if cursor + limit < len(chosen):
            headers["Link"] = (f"<{request.url.path}?cursor={cursor + limit}&limit={limit}>; "
                               'rel="next"')
        return httpx.Response(200, headers=headers, json={"platform": [
            {"companyID": c, "siteID": s, "endpoints": items}
            for (c, s), items in groups.items()]})


def _index_by(endpoints: dict[str, dict[str, Any]], key: str) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for endpoint_id, e in endpoints.items():
        index.setdefault(e[key], []).append(endpoint_id)
    return index


def _ext(ours: str | None, instance: str) -> list[dict[str, str]]:
    if ours is None:
        return []
    return [{"productId": PRODUCT, "productInstanceId": instance, "externalId": ours}]


def _is_write(path: str) -> bool:
    return not path.endswith(("/lookup", "/endpoints", "/v1/token"))


def _error(status: int, message: str) -> httpx.Response:
    return httpx.Response(status, json={"code": str(status), "message": message})


@contextmanager
def serve(fake: FakeAsio) -> Iterator[str]:
    """The fake on 127.0.0.1 (a thread); yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            content = self.rfile.read(length) if length else b""
            url = f"{fake.base_url}{self.path}"
            request = httpx.Request(self.command, url, headers=list(self.headers.items()),
                                    content=content)
            response = fake.handle(request)
            body = response.content
            try:
                self.send_response(response.status_code)
                for name, value in response.headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client died waiting (a killed run): the platform did the work

        do_GET = do_POST = do_PATCH = do_PUT = _any

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    host, port = server.server_address[:2]
    fake.base_url = f"http://{host!s}:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
