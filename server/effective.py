"""The Asio `EffectivePolicy` of an endpoint, computed from the partner's stored objects with the
same domain rule the desktop app uses (app.domain.effective): override → site package → default
package, each setting mapped to the container, package and policy it came from."""

from __future__ import annotations

from typing import Any

from app.domain.effective import resolve
from app.domain.model import Company, Device, DeviceOverride, Policy, Site
from app.domain.packages import Package
from server.store import Store, StoredObject


def _all(store: Store, partner_id: str, entity: str) -> list[StoredObject]:
    out: list[StoredObject] = []
    after: str | None = None
    while True:
        items, after = store.list_objects(partner_id, entity, limit=500, after=after)
        out += items
        if after is None:
            return out


def _package(obj: StoredObject, policies: dict[str, Policy]) -> Package:
    ids = [p for p in obj.payload.get("policies", []) if p in policies]
    slots = tuple((policies[p].type_id, p) for p in ids)
    return Package(obj.id, str(obj.payload.get("name", "")), slots,
                   bool(obj.payload.get("is_default")), obj.version)


def effective_policy(store: Store, partner_id: str, client_id: str, site_id: str,
                     endpoint_id: str) -> dict[str, Any] | None:
    company = store.get(partner_id, "company", client_id)
    site = store.get(partner_id, "site", site_id)
    device = store.get(partner_id, "device", endpoint_id)
    if (company is None or site is None or device is None or company.deleted or site.deleted
            or device.deleted or site.payload.get("companyId") != client_id
            or device.payload.get("siteId") != site_id):
        return None
    policies = {
        o.id: Policy(o.id, str(o.payload.get("type")), str(o.payload.get("name", "")),
                     dict(o.payload.get("settings") or {}), o.version)
        for o in _all(store, partner_id, "policy")
    }
    packages = [_package(o, policies) for o in _all(store, partner_id, "package")]
    default = next((p for p in packages if p.is_default), None)
    site_package = next((p for p in packages if p.id == site.payload.get("packageId")), None)
    overrides = [
        DeviceOverride(o.id, endpoint_id, str(o.payload.get("type")), str(o.payload.get("key")),
                       o.payload.get("value"), o.version)
        for o in _all(store, partner_id, "device_override")
        if o.payload.get("deviceId") == endpoint_id
    ]
    result = resolve(
        partner_id=partner_id,
        company=Company(company.id, str(company.payload.get("name", ""))),
        site=Site(site.id, client_id, str(site.payload.get("name", "")),
                  site.payload.get("packageId")),
        site_package=site_package, default_package=default, policies=policies,
        device=Device(device.id, site_id, str(device.payload.get("name", ""))),
        overrides=overrides,
    ).to_json()
    result["updatedAt"] = max([o.updated_at for o in (company, site, device)])
    return result
