"""The reference backend (docs/architecture.md §8): Asio-shaped paths where Asio has the resource,
marked extensions where it has not, a delta feed and an idempotent batch write endpoint.

`create_app(db_url, clients)` builds it; `clients` maps client id → (secret, partner id).
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any, Literal

from fastapi import (
    APIRouter,
    Depends,
    FastAPI,
    Header,
    HTTPException,
    Path,
    Query,
    Request,
    Response,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.domain.helpdesk.references import MAX_ATTACHMENT_BYTES, SHA256_HEX
from server.entities import COLLECTIONS, ENTITIES, VISIBLE_PATTERN, validate_payload
from server.errors import error, error_responses, http_error, validation_error
from server.faults import FaultInjector
from server.guard import (
    MAX_BODY_BYTES,
    MAX_TOKEN_BODY_BYTES,
    BadInput,
    InputGuard,
    StrictRoute,
)
from server.schemas import (
    Assignment,
    AttachmentOut,
    BatchResponse,
    ChangePage,
    CompanyOut,
    ContactOut,
    ObjectOut,
    RateLimits,
    SiteOut,
)
from server.store import (
    CursorExpired,
    IdempotencyConflict,
    Store,
    StoredObject,
    TokenInfo,
    canonical,
    feed_body,
)

log = logging.getLogger("preflight.server")

EXTENSION: dict[str, Any] = {"x-preflight-extension": True}
EXT_TAG = "Preflight extensions"
MAX_BATCH_OPS = 1000
MAX_PAGE = 500  # Asio's bulk endpoints page at most 500 items
MAX_FEED_PAGE = 5000
Clients = Mapping[str, tuple[str, str]]


class Strict(BaseModel):
    """A request body: JSON types as declared (no `false` for 0, no `"1"` for 1), so what the
    OpenAPI document calls invalid is refused (422), not coerced."""

    model_config = ConfigDict(strict=True)


class TokenRequest(Strict):
    grant_type: Literal["client_credentials"] = "client_credentials"
    client_id: str = Field("", max_length=100)
    client_secret: str = Field("", max_length=1000)
    scope: str = Field("", max_length=200)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    scope: str


class BatchOp(Strict):
    entity: str
    id: str = Field(description="the object's id (1 to 64 characters; others are rejected)")
    op: str = "upsert"
    base_version: int = 0
    payload: dict[str, Any] | None = None
    op_key: str | None = Field(default=None, description="the client's key of this one op")


class BatchRequest(Strict):
    ops: list[BatchOp]


Name = Annotated[str, Field(min_length=1, max_length=200, pattern=VISIBLE_PATTERN)]
ObjectId = Annotated[str, Field(min_length=1, max_length=64)]


class CompanyCreateRequest(Strict):
    name: Name
    id: ObjectId | None = None


class SiteCreateRequest(Strict):
    name: Name
    id: ObjectId | None = None


class ContactRef(Strict):
    id: str


class ContactCompanyRef(Strict):
    """The vendor's `ContactCompanyReference`: the company, and the site under it (which
    this server requires: a contact is a site's client profile)."""

    id: str = ""
    site: ContactRef


class ContactEmail(Strict):
    """The vendor's `EmailCreateRequest`."""

    emailAddress: str


class ContactPhone(Strict):
    """The vendor's `PhoneNumberCreateRequest`: ISO country code and national number."""

    countryCode: str
    nationalNumber: str
    extension: str = ""
    designation: str = "Mobile"  # Mobile | Office | Home (our profile's three numbers)


class ContactCreateRequest(Strict):
    """The vendor's `ContactCreateRequest`; `company.site`, optional there, is required here."""

    firstName: str
    lastName: str
    title: str = ""
    emails: list[ContactEmail] = []
    phoneNumbers: list[ContactPhone] = []
    company: ContactCompanyRef = Field(
        description="Preflight extension: required, with the site the contact belongs to")
    id: ObjectId | None = None


class RateLimiter:
    """A fixed one-minute window per partner and resource (Asio's `limit/remaining/reset`),
    counted in the database: every worker process shares it."""

    def __init__(self, store: Store, per_minute: int) -> None:
        self.store = store
        self.per_minute = per_minute

    def hit(self, partner: str, resource: str) -> int | None:
        """Count a call; the seconds to wait when over the limit, else None."""
        now = time.time()
        window = int(now // 60)
        if self.store.hit_rate(partner, resource, self.per_minute, window):
            return None
        return max(1, (window + 1) * 60 - int(now))

    def state(self, partner: str) -> dict[str, dict[str, int]]:
        window = int(time.time() // 60)
        used = self.store.rate_usage(partner, window)
        return {resource: {"limit": self.per_minute,
                           "remaining": max(0, self.per_minute - used.get(resource, 0)),
                           "reset": (window + 1) * 60}
                for resource in ("batch", "changes", "read")}


def _asio_company(obj: StoredObject, partner_id: str) -> dict[str, Any]:
    return {"id": obj.id, "name": _text(obj.payload.get("name")),
            "corpContainer": {"id": obj.id, "name": _text(obj.payload.get("name")),
                              "partnerId": partner_id},
            "version": obj.version, "updatedAt": obj.updated_at}


def _text(value: Any) -> str:
    """A payload field as the Asio shape's string (payloads are the client's, any JSON)."""
    return value if isinstance(value, str) else "" if value is None else str(value)


def _text_or_none(value: Any) -> str | None:
    return None if value is None else _text(value)


def _asio_site(obj: StoredObject) -> dict[str, Any]:
    return {"id": obj.id, "name": _text(obj.payload.get("name")), "activeFlag": True,
            "company": {"id": _text_or_none(obj.payload.get("companyId"))},
            "packageId": _text_or_none(obj.payload.get("packageId")),
            "version": obj.version, "updatedAt": obj.updated_at}


_PHONES = (("Mobile", "mobile_country_code", "mobile_phone"),
           ("Office", "office_country_code", "office_phone"),
           ("Home", "home_country_code", "home_phone"))


def _asio_contact(obj: StoredObject) -> dict[str, Any]:
    p = obj.payload
    return {
        "id": obj.id, "firstName": _text(p.get("first_name")),
        "lastName": _text(p.get("last_name")), "title": _text(p.get("title")),
        "emails": [{"emailAddress": _text(p["email"])}] if p.get("email") else [],
        "phoneNumbers": [{"designation": kind, "countryCode": _text(p.get(cc)),
                          "nationalNumber": _text(p[num])}
                         for kind, cc, num in _PHONES if p.get(num)],
        "site": {"id": _text_or_none(p.get("site_id"))}, "version": obj.version,
        "updatedAt": obj.updated_at,
    }


def _link(request: Request, cursor: str | int | None, limit: int) -> dict[str, str]:
    if cursor is None:
        return {}
    url = request.url.include_query_params(cursor=str(cursor), limit=str(limit))
    return {"Link": f'<{url}>; rel="next"'}


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def auth(request: Request, authorization: Annotated[str | None, Header()] = None) -> TokenInfo:
    scheme, _, token = (authorization or "").partition(" ")
    info = _store(request).check_token(token) if scheme.lower() == "bearer" and token else None
    if info is None:
        raise HTTPException(401, "missing, unknown or expired bearer token",
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return info


Auth = Annotated[TokenInfo, Depends(auth)]
DB = Annotated[Store, Depends(_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]


def throttle(request: Request, who: TokenInfo, resource: str) -> None:
    limiter: RateLimiter = request.app.state.limiter
    wait = limiter.hit(who.partner_id, resource)
    if wait is not None:
        raise HTTPException(429, "rate limit exceeded", headers={"Retry-After": str(wait)})


def _page(request: Request, who: TokenInfo, entity: str, limit: int, cursor: str | None, *,
          where: Mapping[str, str] | None = None) -> tuple[list[StoredObject], str | None]:
    throttle(request, who, "read")
    return _store(request).list_objects(who.partner_id, entity, limit=limit, after=cursor,
                                        where=where)


def _create(request: Request, who: TokenInfo, entity: str, obj_id: str | None,
            payload: dict[str, Any]) -> StoredObject:
    throttle(request, who, "batch")
    reasons = validate_payload(entity, payload)
    if reasons:
        raise HTTPException(400, "; ".join(reasons))
    try:
        return _store(request).create(who.partner_id, entity, obj_id or str(uuid.uuid4()),
                                      payload)
    except IdempotencyConflict as exc:  # already_exists, name_taken
        raise BadInput(exc.status, str(exc), exc.code) from None


def _live(request: Request, who: TokenInfo, entity: str, obj_id: str) -> StoredObject:
    obj = _store(request).get(who.partner_id, entity, obj_id)
    if obj is None or obj.deleted:  # another partner's object is simply not there
        raise HTTPException(404, f"{entity} {obj_id} not found")
    return obj


_doc = error_responses


def _ok(model: Any, **more: Any) -> dict[int | str, dict[str, Any]]:
    """The 200 answer's schema (the handlers return plain dicts; `response_model=None`)."""
    return {200: {"model": model, "description": "Successful Response", **more}}

# Every operation is authorized, may be rate limited and validates its input; the status codes
# particular to one operation are declared on it.
NEXT_LINK = {"Link": {"description": 'the next page: `<url>; rel="next"`',
                      "schema": {"type": "string"}}}
auth_routes = APIRouter(responses=_doc(422), route_class=StrictRoute)
asio = APIRouter(responses=_doc(401, 422, 429), route_class=StrictRoute)
extensions = APIRouter(tags=[EXT_TAG], responses=_doc(401, 422, 429), route_class=StrictRoute)


# --- authorization ----------------------------------------------------------------------------

@auth_routes.post("/v1/token", tags=["Authorization"], response_model=TokenResponse,
                  responses=_doc(400, 401, 413))
def token(request: Request, body: TokenRequest) -> Any:
    ttl: float = request.app.state.token_ttl
    issued = _store(request).issue_token(body.client_id, body.client_secret, body.scope, ttl)
    if issued is None:
        return error(401, "unknown client id or wrong secret", "invalid_client")
    return TokenResponse(access_token=issued[0], expires_in=int(ttl),
                         scope=body.scope or "platform.all")


@auth_routes.get("/v1/rate_limits", tags=["Rate Limits"], response_model=None,
                 responses={**_ok(RateLimits), **_doc(401, 429)})
def rate_limits(request: Request, who: Auth) -> dict[str, Any]:
    limiter: RateLimiter = request.app.state.limiter
    return {"resources": {"preflight": limiter.state(who.partner_id)}}


# --- Asio-shaped paths ------------------------------------------------------------------------

@asio.get("/api/platform/v1/company/companies", tags=["Company"], response_model=None,
          responses=_ok(list[CompanyOut], headers=NEXT_LINK))
def companies(who: Auth, request: Request, response: Response, *, limit: Limit = MAX_PAGE,
              cursor: str | None = None) -> list[dict[str, Any]]:
    items, nxt = _page(request, who, "company", limit, cursor)
    response.headers.update(_link(request, nxt, limit))
    return [_asio_company(o, who.partner_id) for o in items]


@asio.post("/api/platform/v1/company/companies", tags=["Company"], response_model=None,
           responses={**_ok(CompanyOut), **_doc(400, 409, 413)})
def create_company(who: Auth, request: Request, body: CompanyCreateRequest) -> dict[str, Any]:
    obj = _create(request, who, "company", body.id, {"name": body.name})
    return _asio_company(obj, who.partner_id)


@asio.get("/api/platform/v1/company/companies/{companyId}", tags=["Company"],
          response_model=None, responses={**_ok(CompanyOut), **_doc(404)})
def company(who: Auth, request: Request, companyId: str) -> dict[str, Any]:
    return _asio_company(_live(request, who, "company", companyId), who.partner_id)


@asio.get("/api/platform/v1/company/companies/{companyId}/sites", tags=["Company"],
          response_model=None,
          responses={**_ok(list[SiteOut], headers=NEXT_LINK), **_doc(404)})
def company_sites(who: Auth, companyId: str, request: Request, response: Response, *,
                  limit: Limit = MAX_PAGE, cursor: str | None = None) -> list[dict[str, Any]]:
    _live(request, who, "company", companyId)
    items, nxt = _page(request, who, "site", limit, cursor, where={"companyId": companyId})
    response.headers.update(_link(request, nxt, limit))
    return [_asio_site(o) for o in items]


@asio.post("/api/platform/v1/company/companies/{companyId}/sites", tags=["Company"],
           status_code=201, response_model=None,
           responses={201: {"model": SiteOut, "description": "Created"},
                      **_doc(400, 404, 409, 413)})
def create_site(who: Auth, request: Request, companyId: str,
                body: SiteCreateRequest) -> dict[str, Any]:
    _live(request, who, "company", companyId)
    obj = _create(request, who, "site", body.id,
                  {"name": body.name, "companyId": companyId, "packageId": None})
    return _asio_site(obj)


@asio.get("/api/platform/v1/company/companies/{companyId}/sites/{siteId}", tags=["Company"],
          response_model=None, responses={**_ok(SiteOut), **_doc(404)})
def company_site(who: Auth, request: Request, companyId: str, siteId: str) -> dict[str, Any]:
    site = _live(request, who, "site", siteId)
    if site.payload.get("companyId") != companyId:
        raise HTTPException(404, f"site {siteId} not found")
    return _asio_site(site)


@asio.get("/api/platform/v1/contact/contacts", tags=["Company"], openapi_extra=EXTENSION,
          response_model=None, responses=_ok(list[ContactOut], headers=NEXT_LINK))
def contacts(who: Auth, request: Request, response: Response, *, limit: Limit = MAX_PAGE,
             cursor: str | None = None) -> list[dict[str, Any]]:
    items, nxt = _page(request, who, "client_profile", limit, cursor)
    response.headers.update(_link(request, nxt, limit))
    return [_asio_contact(o) for o in items]


@asio.post("/api/platform/v1/contact/contacts", tags=["Company"], status_code=201,
           response_model=None,
           responses={201: {"model": ContactOut, "description": "Created"},
                      **_doc(400, 404, 409, 413, text={404: "No such site for this partner"})})
def create_contact(who: Auth, request: Request, body: ContactCreateRequest) -> dict[str, Any]:
    site_id = body.company.site.id
    _live(request, who, "site", site_id)
    payload: dict[str, Any] = {"site_id": site_id, "first_name": body.firstName,
                               "last_name": body.lastName, "title": body.title,
                               "email": body.emails[0].emailAddress if body.emails else ""}
    for phone in body.phoneNumbers:
        for kind, cc, num in _PHONES:
            if phone.designation.casefold() == kind.casefold():
                payload[cc], payload[num] = phone.countryCode, phone.nationalNumber
                if kind == "Office" and phone.extension:
                    payload["office_extension"] = phone.extension
    return _asio_contact(_create(request, who, "client_profile", body.id, payload))


@asio.get("/api/platform/v1/policy/clients/{clientID}/sites/{siteID}/endpoints/"
          "{endpointID}/effective-policy", tags=["Policy"], responses=_doc(404))
def effective_policy(who: Auth, request: Request, clientID: str, siteID: str,
                     endpointID: str) -> dict[str, Any]:
    from server.effective import effective_policy as compute

    throttle(request, who, "read")
    result = compute(_store(request), who.partner_id, clientID, siteID, endpointID)
    if result is None:
        raise HTTPException(404, "no such client, site and endpoint")
    return result


# --- Preflight extensions: read any collection; write through /v1/batch -----------------------

@extensions.get("/api/preflight/v1/assignments", openapi_extra=EXTENSION, response_model=None,
                responses=_ok(list[Assignment]))
def assignments(who: Auth, request: Request) -> list[dict[str, Any]]:
    throttle(request, who, "read")
    out: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        items, after = _store(request).list_objects(who.partner_id, "site", limit=MAX_PAGE,
                                                    after=after)
        out += [{"siteId": o.id, "packageId": _text(o.payload.get("packageId"))} for o in items
                if o.payload.get("packageId")]
        if after is None:
            return out


@extensions.get("/api/preflight/v1/{collection}", openapi_extra=EXTENSION, response_model=None,
                responses={**_ok(list[ObjectOut], headers=NEXT_LINK),
                           **_doc(404, text={404: "No such collection"})})
def collection(who: Auth, collection: str, request: Request, response: Response, *,
               limit: Limit = MAX_PAGE, cursor: str | None = None) -> list[dict[str, Any]]:
    entity = COLLECTIONS.get(collection)
    if entity is None:
        raise HTTPException(404, f"no collection {collection!r}; known: "
                                 f"{', '.join(sorted(COLLECTIONS))}")
    items, nxt = _page(request, who, entity, limit, cursor)
    response.headers.update(_link(request, nxt, limit))
    return [o.to_json() for o in items]


@extensions.get("/api/preflight/v1/{collection}/{objectId}", openapi_extra=EXTENSION,
                response_model=None,
                responses={**_ok(ObjectOut), **_doc(404, text={
                    404: "No such collection, or no such object for this partner"})})
def collection_item(who: Auth, request: Request, collection: str,
                    objectId: str) -> dict[str, Any]:
    entity = COLLECTIONS.get(collection)
    if entity is None:
        raise HTTPException(404, f"no collection {collection!r}")
    return _live(request, who, entity, objectId).to_json()


@extensions.get("/v1/changes", openapi_extra=EXTENSION, response_model=None,
                responses={**_ok(ChangePage, headers=NEXT_LINK), **_doc(410)})
def feed(who: Auth, request: Request, *,
         since: Annotated[int, Query(ge=0, le=2**62)] = 0,
         limit: Annotated[int, Query(ge=1, le=MAX_FEED_PAGE)] = 1000) -> Any:
    throttle(request, who, "changes")
    try:
        items, nxt, more, counts = _store(request).feed(who.partner_id, since, limit)
    except CursorExpired as exc:
        return error(410, str(exc))
    headers = {}
    if more:
        url = request.url.include_query_params(since=str(nxt), limit=str(limit))
        headers["Link"] = f'<{url}>; rel="next"'
    # {"changes": [...], "next_cursor", "has_more", "counts" (live objects per entity, on the
    # last page only)}, written without re-encoding the stored payloads.
    return Response(feed_body(items, nxt, more, counts), media_type="application/json",
                    headers=headers)


# --- Preflight extensions: the files attached to Help Desk references ---------------------------

Sha256 = Annotated[str, Path(pattern=f"^{SHA256_HEX.pattern}$",
                             description="the SHA-256 of the file's bytes (64 lowercase hex "
                                         "digits)")]
BINARY = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


@extensions.put(
    "/v1/attachments/{sha256}", status_code=201, response_model=None,
    openapi_extra={**EXTENSION, "requestBody": {
        "required": True, "content": BINARY,
        "description": "the file's bytes, as they are; their SHA-256 must be the path's"}},
    responses={201: {"model": AttachmentOut, "description": "Stored"},
               200: {"model": AttachmentOut,
                     "description": "Already stored (a repeat of the same file changes nothing)"},
               **_doc(413, 422, text={
                   413: "The file is over the size limit",
                   422: "The request does not match its schema, or the body's SHA-256 is not "
                        "the one in the path"})})
async def put_attachment(who: Auth, request: Request, sha256: Sha256) -> Any:
    """Store a file attached to a Help Desk reference under the SHA-256 of its bytes. The
    references section names it by that hash; storing it again is a no-op (200)."""
    limit: int = request.app.state.attachment_limit
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:  # refused before a byte is read
        return error(413, f"the file is {declared} bytes; at most {limit} are accepted",
                     "attachment_too_large")
    await run_in_threadpool(throttle, request, who, "batch")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return error(413, f"the file is over {limit} bytes", "attachment_too_large")
    actual = hashlib.sha256(body).hexdigest()
    if actual != sha256:
        return error(422, f"the body's SHA-256 is {actual}, not the {sha256} of the path",
                     "digest_mismatch")
    created = await run_in_threadpool(_store(request).put_attachment, who.partner_id, sha256,
                                      bytes(body))
    return JSONResponse({"sha256": sha256, "size": len(body)}, status_code=201 if created else 200)


@extensions.get(
    "/v1/attachments/{sha256}", openapi_extra=EXTENSION, response_class=Response,
    responses={200: {"content": BINARY, "description": "The file's bytes"},
               **_doc(404, text={404: "No file with this SHA-256 for this partner"})})
def get_attachment(who: Auth, request: Request, sha256: Sha256) -> Response:
    """The bytes of a file stored with `PUT /v1/attachments/{sha256}`."""
    throttle(request, who, "read")
    data = _store(request).get_attachment(who.partner_id, sha256)
    if data is None:  # another partner's file is simply not there
        raise HTTPException(404, f"no file {sha256}")
    return Response(data, media_type="application/octet-stream")


@extensions.get("/v1/counts", openapi_extra=EXTENSION)
def counts(who: Auth, request: Request) -> dict[str, int]:
    throttle(request, who, "read")
    return _store(request).counts(who.partner_id)


@extensions.post("/v1/batch", openapi_extra=EXTENSION, response_model=None, responses={
    200: {"model": BatchResponse, "headers": {"Idempotent-Replayed": {
        "description": "`true` when this is the stored answer to an earlier request with the "
                       "same Idempotency-Key", "schema": {"type": "string", "enum": ["true"]}}}},
    **_doc(400, 409, 413, 422, text={
        400: "The Idempotency-Key header is missing or unusable (IETF idempotency draft)",
        409: "A request with this Idempotency-Key is still being processed",
        422: "The body does not match its schema, or this Idempotency-Key was used with "
             "another body (IETF draft-ietf-httpapi-idempotency-key-header §2.7)"})})
def batch(who: Auth, request: Request, body: BatchRequest,
          idempotency_key: Annotated[str, Header(min_length=1, max_length=200)]) -> Any:
    if len(body.ops) > MAX_BATCH_OPS:
        return error(413, f"at most {MAX_BATCH_OPS} ops per batch")
    throttle(request, who, "batch")
    store = _store(request)
    ops = [op.model_dump() for op in body.ops]
    request_hash = hashlib.sha256(canonical(ops).encode()).hexdigest()
    try:
        stored = store.begin_batch(who.partner_id, idempotency_key, request_hash)
    except IdempotencyConflict as exc:
        return error(exc.status, str(exc), exc.code)
    if stored is not None:
        return JSONResponse(stored[1], status_code=stored[0],
                            headers={"Idempotent-Replayed": "true"})
    return store.run_batch(who.partner_id, idempotency_key, ops)


async def _request_id(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    rid = request.headers.get("x-request-id") or str(uuid.uuid4())
    response = await call_next(request)
    response.headers["X-Request-ID"] = rid
    return response


def create_app(db_url: str = "sqlite:///preflight-server.db", clients: Clients | None = None,
               *, token_ttl: float = 3600.0, rate_limit: int = 100_000,
               faults: bool = False, attachment_limit: int = MAX_ATTACHMENT_BYTES,
               body_limit: int = MAX_BODY_BYTES) -> FastAPI:
    """The app over the database at `db_url`; `clients` maps client id → (secret, partner);
    `attachment_limit`: the largest file `PUT /v1/attachments/{sha256}` takes, in bytes;
    `body_limit`: the largest body of any other request."""
    store = Store(db_url)
    for client_id, (secret, partner_id) in (clients or {}).items():
        store.register_client(client_id, secret, partner_id)
    app = FastAPI(
        title="Preflight reference backend",
        version="1.0.0",
        description="Asio-shaped partner API (v2.2.8 paths) plus Preflight extensions "
                    "(marked `x-preflight-extension: true`) for sync.",
    )
    app.state.store = store
    app.state.body_limit = body_limit
    app.state.limiter = RateLimiter(store, rate_limit)
    app.state.token_ttl = token_ttl
    app.state.attachment_limit = attachment_limit
    app.middleware("http")(_request_id)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    if faults:
        injector = FaultInjector()
        app.state.faults = injector
        injector.install(app)
    for router in (auth_routes, asio, extensions):
        app.include_router(router)
    # Outermost: refused before anything else runs (authentication included).
    app.add_middleware(InputGuard, default_cap=body_limit, caps=(
        ("/v1/token", MAX_TOKEN_BODY_BYTES, "body_too_large"),
        ("/v1/attachments/", attachment_limit, "attachment_too_large")))
    return app


__all__ = ["ENTITIES", "create_app"]
