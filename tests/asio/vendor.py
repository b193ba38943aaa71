"""The vendor's document (resources/asio/asio-openapi.yaml) as an openapi-core validator of
requests and responses, and an adapter from httpx's request and response to openapi-core's
protocols. The document itself does not pass openapi-spec-validator (the mapping lookup's
`all` parameter lacks `in`), so spec validation is off; every request is still checked for its
path, method, parameters (required headers among them) and body schema."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

REPO = Path(__file__).resolve().parents[2]
DOCUMENT = REPO / "resources" / "asio" / "asio-openapi.yaml"
NA = "https://openapi.service.itsupport247.net"


@functools.cache
def document() -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with DOCUMENT.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.load(handle, Loader=loader)
    return data


# Two defects of the vendor's document, mended in the copy the validator reads (the file in
# resources/ stays as the vendor ships it); docs/asio.md lists them:
# - the mapping lookup's `all` parameter has no `in` (openapi-core cannot read it): a query
#   parameter, as its description says;
# - `PatchOperation.value` is `type: object` although its own example is a string and JSON
#   Patch allows any value: any JSON value.
def _mended(data: dict[str, Any]) -> dict[str, Any]:
    mended = copy.deepcopy(data)
    lookup = mended["paths"]["/api/platform/v1/mapping/mappings/lookup"]["post"]
    for parameter in lookup["parameters"]:
        if parameter["name"] == "all":
            parameter.setdefault("in", "query")
            parameter.setdefault("schema", {"type": "boolean"})
    value = mended["components"]["schemas"]["PatchOperation"]["properties"]["value"]
    value.pop("type", None)
    return mended


@functools.cache
def openapi() -> OpenAPI:
    from openapi_core import Config

    return OpenAPI.from_dict(_mended(document()), config=Config(spec_validator_cls=None))


class VendorRequest:
    """An httpx request as openapi-core sees it (on the document's NA server: the fake may
    listen elsewhere; the host is not what is checked)."""

    def __init__(self, request: httpx.Request, *, host_url: str = NA) -> None:
        self._request = request
        self._host_url = host_url
        url = urlsplit(str(request.url))
        self._path = url.path
        query: dict[str, list[str]] = {}
        for key, value in request.url.params.multi_items():
            query.setdefault(key, []).append(value)
        headers = dict(request.headers)
        self.parameters = RequestParameters(query=ImmutableMultiDict(query),
                                            header=Headers(headers),
                                            cookie=ImmutableMultiDict())

    @property
    def host_url(self) -> str:
        return self._host_url

    @property
    def path(self) -> str:
        return self._path

    @property
    def method(self) -> str:
        return self._request.method.lower()

    @property
    def body(self) -> bytes | None:
        content = self._request.content
        return content or None

    @property
    def content_type(self) -> str:
        return self._request.headers.get("content-type", "").lower()


class VendorResponse:
    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def data(self) -> bytes:
        return self._response.content

    @property
    def content_type(self) -> str:
        return self._response.headers.get("content-type", "application/json").lower()

    @property
    def headers(self) -> Headers:
        return Headers(dict(self._response.headers))


def request_problems(request: httpx.Request) -> list[str]:
    """What about this request the document does not allow (empty: it is valid)."""
    try:
        openapi().validate_request(VendorRequest(request))
    except Exception as exc:  # openapi-core's errors: report them, the test fails on them
        return [_describe(exc)]
    return []


def response_problems(request: httpx.Request, response: httpx.Response) -> list[str]:
    try:
        openapi().validate_response(VendorRequest(request), VendorResponse(response))
    except Exception as exc:
        return [_describe(exc)]
    return []


def _describe(exc: Exception) -> str:
    parts = [f"{type(exc).__name__}: {exc}"]
    for inner in getattr(exc, "schema_errors", None) or ():
        parts.append(str(getattr(inner, "message", inner))[:300])
    cause = exc.__cause__
    if cause is not None:
        parts.append(f"{type(cause).__name__}: {str(cause)[:300]}")
        for inner in getattr(cause, "schema_errors", None) or ():
            parts.append(str(getattr(inner, "message", inner))[:300])
    return " | ".join(parts)
