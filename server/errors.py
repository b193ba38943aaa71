"""Error answers: one body shape for every error the server gives, declared in the OpenAPI
document with the status codes each operation really answers (checked by schemathesis,
tests/server/test_schemathesis.py).

Every error body is `{"error": code, "detail": text}` — `error` is a short machine-readable code
(OAuth 2's `invalid_client` / `unsupported_grant_type` for the token endpoint, RFC 6749 §5.2),
`detail` a sentence, or for a malformed request (422) the list of the validation errors.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

ERROR_CODES = {401: "invalid_token", 404: "not_found", 405: "method_not_allowed",
               410: "cursor_expired", 413: "too_many_ops", 422: "invalid_request",
               429: "rate_limited"}


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Error(BaseModel):
    error: str = Field(description="a short machine-readable code, e.g. `invalid_client`, "
                                   "`not_found`, `idempotency_key_reused`")
    detail: str | list[ValidationIssue] = Field(
        default="", description="what went wrong: a sentence, or the validation errors")


_TEXT = {
    400: "Bad request (the reason is in the body)",
    401: "Missing, unknown or expired bearer token (or bad client credentials)",
    404: "No such object for this partner",
    409: "Already exists / a request with this Idempotency-Key is still being processed",
    410: "The cursor expired: resync from 0",
    413: "The body is over the size cap (or, on /v1/batch, too many ops)",
    422: "The request does not match its schema (or, on /v1/batch, the Idempotency-Key was "
         "used with another request body)",
    429: "Rate limited: wait `Retry-After` seconds",
}
_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "`Bearer error=\"invalid_token\"`",
                               "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "seconds to wait before trying again",
                          "schema": {"type": "string", "pattern": "^[0-9]+$"}}},
}


def error_responses(*codes: int, text: dict[int, str] | None = None
                    ) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error codes, each with the `Error` body."""
    out: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        doc: dict[str, Any] = {"model": Error,
                               "description": (text or {}).get(code, _TEXT[code])}
        if code in _HEADERS:
            doc["headers"] = _HEADERS[code]
        out[code] = doc
    return out


def error(status: int, detail: str, code: str | None = None, *,
          headers: dict[str, str] | None = None) -> JSONResponse:
    code = code or ERROR_CODES.get(status) or HTTPStatus(status).phrase.lower().replace(" ", "_")
    return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (RFC 9110 §15.5.6: a 405's `Allow` lists
    them all; Starlette names only the methods of the first route that matched the path)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match in (Match.FULL, Match.PARTIAL):
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return error(exc.status_code, str(exc.detail), getattr(exc, "code", None), headers=headers)


async def validation_error(request: Request, exc: Exception) -> Response:
    """422 with the validation errors, except where a standard names another answer."""
    assert isinstance(exc, RequestValidationError)
    issues = exc.errors()
    where = {tuple(e.get("loc", ()))[:2] for e in issues}
    if ("header", "idempotency-key") in where:  # the IETF idempotency draft: 400
        return error(400, "an Idempotency-Key header (1 to 200 characters) is required",
                     "idempotency_key_required")
    if ("body", "grant_type") in where:  # OAuth 2 (RFC 6749 §5.2)
        return error(400, "grant_type must be client_credentials", "unsupported_grant_type")
    detail = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")),
               "type": str(e.get("type", ""))} for e in issues]
    return JSONResponse(jsonable_encoder({"error": "invalid_request", "detail": detail}),
                        status_code=422)
