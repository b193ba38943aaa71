"""Typed models of the Asio requests and answers the connector uses (resources/asio/
asio-openapi.yaml, v2.2.8; a test checks each builder's output against the document).

Answers are read tolerantly: real tenants differ between endpoints and versions (`id` /
`companyId` / `clientId`, `name` / `friendlyName`), extra fields are ignored and optional ones
may be missing. What cannot be read raises `AsioShapeError` naming the request, the field and
the shape that arrived.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from app.asio.errors import AsioShapeError

PRODUCT_ID = "preflight"  # our `productId` in every `externalIds` entry we create

ID_KEYS = ("id", "companyId", "clientId", "companyID", "clientID")
SITE_ID_KEYS = ("id", "siteId", "siteID")
ENDPOINT_ID_KEYS = ("endpointID", "endpointId", "id")
NAME_KEYS = ("name", "friendlyName")
ENDPOINT_NAME_KEYS = ("friendlyName", "deviceName", "name")
LOOKUP_KINDS = ("service_boards", "priorities", "statuses", "types", "sources")


def describe_shape(value: Any) -> str:
    """A short description of what arrived (keys of an object, type of anything else)."""
    if isinstance(value, Mapping):
        keys = sorted(str(k) for k in value)
        return "an object with " + (", ".join(keys[:12]) + ("…" if len(keys) > 12 else "")
                                    if keys else "no fields")
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return f"{type(value).__name__} {str(value)[:40]!r}"


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise AsioShapeError(f"{where}: expected an object, got {describe_shape(value)}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise AsioShapeError(f"{where}: expected a list, got {describe_shape(value)}")
    return value


def _first_text(obj: Mapping[str, Any], keys: Sequence[str], where: str, *,
                required: bool = True) -> str:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    if required:
        raise AsioShapeError(f"{where}: no {' / '.join(keys)} in {describe_shape(obj)}")
    return ""


def _our_ids(obj: Mapping[str, Any], instance: str) -> tuple[str, ...]:
    """The ids we stored in the object's `externalIds` (ours: our product and workspace)."""
    found = []
    for item in obj.get("externalIds") or ():
        if (isinstance(item, Mapping) and item.get("productId") == PRODUCT_ID
                and item.get("productInstanceId") in (instance, None, "")
                and isinstance(item.get("externalId"), str)):
            found.append(item["externalId"])
    return tuple(found)


# --- answers ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RemoteCompany:
    id: str
    name: str
    our_ids: tuple[str, ...] = ()

    @classmethod
    def parse(cls, value: Any, where: str, instance: str) -> RemoteCompany:
        obj = _object(value, where)
        return cls(_first_text(obj, ID_KEYS, where), _first_text(obj, NAME_KEYS, where),
                   _our_ids(obj, instance))


@dataclass(frozen=True)
class RemoteSite:
    id: str
    company_id: str
    name: str
    our_ids: tuple[str, ...] = ()

    @classmethod
    def parse(cls, value: Any, where: str, instance: str, company_id: str = "") -> RemoteSite:
        obj = _object(value, where)
        company = obj.get("company")
        parent = ""
        if isinstance(company, Mapping):
            parent = _first_text(company, ID_KEYS, f"{where}.company", required=False)
        parent = parent or _first_text(obj, ("companyId", "clientId", "companyID", "clientID"),
                                       where, required=False) or company_id
        if not parent:
            raise AsioShapeError(f"{where}: no company reference in {describe_shape(obj)}")
        return cls(_first_text(obj, SITE_ID_KEYS, where), parent,
                   _first_text(obj, NAME_KEYS, where), _our_ids(obj, instance))


class RemoteEndpoint(NamedTuple):  # a tuple: a pull reads tens of thousands
    id: str
    company_id: str
    site_id: str
    name: str
    kind: str = "desktop"  # desktop | server (our device kinds)
    os: str = ""

    @classmethod
    def parse(cls, value: Any, where: str, company_id: str, site_id: str) -> RemoteEndpoint:
        return _endpoint(value, where, None, company_id, site_id)


KIND_KEYS = ("type", "endpointType", "resourceType")


def _endpoint(value: Any, at: str, index: int | None, company_id: str,
              site_id: str) -> RemoteEndpoint:
    """One endpoint, the `index`-th of the list at `at`. Its position is formatted only for
    an error: a pull reads 50,000 of them, and that would cost more than reading them."""
    if not isinstance(value, dict):
        raise AsioShapeError(f"{_at(at, index)}: expected an object, got "
                             f"{describe_shape(value)}")
    get = value.get
    endpoint_id = get("endpointID")  # the document's names first: the common case
    if not (isinstance(endpoint_id, str) and (endpoint_id := endpoint_id.strip())):
        endpoint_id = _first_text(value, ENDPOINT_ID_KEYS, _at(at, index))
    name = get("friendlyName")
    if not (isinstance(name, str) and (name := name.strip())):
        name = _first_text(value, ENDPOINT_NAME_KEYS, "", required=False) or endpoint_id
    kind = "desktop"
    for key in KIND_KEYS:
        text = get(key)
        if text and "server" in str(text).casefold():
            kind = "server"
            break
    os_value = get("os")
    os_name = ""
    if isinstance(os_value, str):
        os_name = os_value
    elif isinstance(os_value, Mapping):
        os_name = _first_text(os_value, ("product", "name", "type"), "", required=False)
    return RemoteEndpoint(endpoint_id, company_id, site_id, name, kind, os_name)


def _at(at: str, index: int | None) -> str:
    return at if index is None else f"{at}[{index}]"


def parse_endpoint_page(value: Any, where: str) -> list[RemoteEndpoint]:
    """The `endpoints` answer: per category a list of {companyID, siteID, endpoints}."""
    obj = _object(value, where)
    found: list[RemoteEndpoint] = []
    for category in ("platform", "network", "cloud"):
        groups = obj.get(category)
        if groups is None:
            continue
        for g, group in enumerate(_list(groups, f"{where}.{category}")):
            at = f"{where}.{category}[{g}]"
            group_obj = _object(group, at)
            company = _first_text(group_obj, ("companyID", "companyId", "clientID", "clientId"),
                                  at)
            site = _first_text(group_obj, ("siteID", "siteId"), at)
            items = _list(group_obj.get("endpoints") or [], f"{at}.endpoints")
            found += _group_endpoints(items, f"{at}.endpoints", company, site)
    return found


# a NamedTuple made without its Python-level __new__ (a pull makes tens of thousands)
new_tuple = tuple.__new__


def _group_endpoints(items: list[Any], at: str, company_id: str,
                     site_id: str) -> list[RemoteEndpoint]:
    """The endpoints of one group. An item in the document's own shape (text endpointID,
    friendlyName and type; os text or absent; no other kind field) is read here, in line: a
    pull reads 50,000 and a call each costs as much as reading them. Any other item goes to
    `_endpoint`, which reads every accepted shape and words the error; both read the same
    item alike."""
    found: list[RemoteEndpoint] = []
    append = found.append
    for index, item in enumerate(items):
        if type(item) is dict:
            get = item.get
            endpoint_id, name, kind, os_name = (get("endpointID"), get("friendlyName"),
                                                get("type"), get("os"))
            if (type(endpoint_id) is str and type(name) is str and type(kind) is str
                    and (os_name is None or type(os_name) is str)
                    and get("endpointType") is None and get("resourceType") is None
                    and (endpoint_id := endpoint_id.strip()) and (name := name.strip())):
                append(new_tuple(RemoteEndpoint, (
                    endpoint_id, company_id, site_id, name,
                    "server" if "server" in kind.casefold() else "desktop", os_name or "")))
                continue
        append(_endpoint(item, at, index, company_id, site_id))
    return found


@dataclass(frozen=True)
class LookupItem:
    kind: str  # one of LOOKUP_KINDS
    id: str
    name: str

    @classmethod
    def parse(cls, kind: str, value: Any, where: str) -> LookupItem:
        obj = _object(value, where)
        name = _first_text(obj, NAME_KEYS, where)
        return cls(kind, _first_text(obj, ("id",), where, required=False) or name, name)


@dataclass(frozen=True)
class RemoteEffectivePolicy:
    """`EffectivePolicy`: settings domain → key → value; mapping domain → key → link."""

    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    mapping: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def parse(cls, value: Any, where: str) -> RemoteEffectivePolicy:
        obj = _object(value, where)
        settings: dict[str, dict[str, Any]] = {}
        for domain, values in _object(obj.get("settings") or {}, f"{where}.settings").items():
            settings[str(domain)] = {
                str(k): _setting_value(v)
                for k, v in _object(values, f"{where}.settings.{domain}").items()}
        mapping: dict[str, dict[str, dict[str, Any]]] = {}
        for domain, links in _object(obj.get("mapping") or {}, f"{where}.mapping").items():
            mapping[str(domain)] = {
                str(k): dict(_object(v, f"{where}.mapping.{domain}.{k}"))
                for k, v in _object(links, f"{where}.mapping.{domain}").items()}
        return cls(settings, mapping)


def _setting_value(value: Any) -> Any:
    """The document makes each setting an object (its value or definition): `{"value": x}`
    is read as x; a bare value (as some tenants answer) as itself."""
    if isinstance(value, Mapping) and "value" in value:
        return value["value"]
    return value


@dataclass(frozen=True)
class Token:
    access_token: str
    expires_in: float

    @classmethod
    def parse(cls, value: Any, where: str) -> Token:
        obj = _object(value, where)
        token = obj.get("access_token")
        if not isinstance(token, str) or not token:
            raise AsioShapeError(f"{where}: no access_token in {describe_shape(obj)}")
        expires = obj.get("expires_in", 3599)
        try:
            seconds = float(expires)
        except (TypeError, ValueError):
            raise AsioShapeError(f"{where}: expires_in is {describe_shape(expires)}") from None
        return cls(token, seconds)


# --- requests --------------------------------------------------------------------------------

def external_ids(our_id: str, instance: str) -> list[dict[str, str]]:
    """`IdMappingCompany` / `IdMappingContact` / the site's `externalIds` item: our id."""
    return [{"productId": PRODUCT_ID, "productInstanceId": instance, "externalId": our_id}]


def company_create(name: str, our_id: str, instance: str) -> dict[str, Any]:
    """`CompanyCreateRequest`."""
    return {"name": name, "friendlyName": name, "externalIds": external_ids(our_id, instance)}


# `SiteCreateRequest` requires a time zone, which our sites do not have: this one unless the
# workspace names another (workspace info `asio.time_zone`); the admin corrects it on the site.
DEFAULT_TIME_ZONE = "(UTC) Coordinated Universal Time"


def site_create(name: str, our_id: str, instance: str,
                time_zone: str = DEFAULT_TIME_ZONE) -> dict[str, Any]:
    """`SiteCreateRequest` (name and timeZone are required)."""
    return {"name": name, "friendlyName": name, "activeFlag": True, "timeZone": time_zone,
            "externalIds": external_ids(our_id, instance)}


def site_rename(name: str) -> list[dict[str, Any]]:
    """`PatchOperations`: replace the site's name (JSON Patch)."""
    return [{"op": "replace", "path": "/name", "value": name},
            {"op": "replace", "path": "/friendlyName", "value": name}]


def endpoints_request(resource_type: str, ids: Sequence[str]) -> dict[str, Any]:
    """`resourceRequestCompanySiteEndpoint`: singular resource types (real tenants refuse
    plural ones)."""
    return {"resourceType": resource_type, "resources": list(ids)}


def mapping_lookup(our_ids: Sequence[str], instance: str) -> dict[str, Any]:
    """`LookupRequest`: which of our ids already have an object on the platform."""
    return {"schemas": [{"id": MAPPING_SCHEMA_ID}],
            "criteria": {"sourceAttributes": {"productId": PRODUCT_ID,
                                              "productInstanceId": instance,
                                              "externalIds": list(our_ids)},
                         "targetAttributesRequest": ["id"]}}


# The id of the mapping schema that relates our external ids to the platform's ids.
MAPPING_SCHEMA_ID = "5d2b0c1e-7f0a-4f3e-9a57-2f1c0b7e5a11"


def parse_lookup(value: Any, where: str) -> dict[str, str]:
    """`LookupResponse.matchedAttributes`: our id → the platform's id."""
    obj = _object(value, where)
    matched = obj.get("matchedAttributes") or {}
    return {str(k): str(v) for k, v in _object(matched, f"{where}.matchedAttributes").items()
            if isinstance(v, str | int) and str(v)}
