"""Which device queries a pull sends (docs/asio.md).

`POST …/endpoints` takes up to 4 companies or up to 10 sites a query (the document's
validation rules), and the platform's quota counts requests (about 500 per five minutes). A
company whose every platform site is pulled is asked as a whole, 4 a query, once it has
enough sites for that to cost fewer queries than asking its sites 10 a query (3 or more: a
quarter of a query against three tenths); every other site pulled is asked by itself.
A company query may answer for a site created on the platform since its sites were listed;
the pull keeps only the endpoints of the sites it pulls (`DeviceMatcher`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import NamedTuple

from app.asio.models import RemoteSite

COMPANIES_PER_QUERY = 4  # the document allows 4 ids per `company` query
SITES_PER_QUERY = 10  # and 10 per `site` query
WHOLE_COMPANY_FROM = 3  # sites: from this many, a quarter query beats n tenths


class DeviceQuery(NamedTuple):
    resource_type: str  # "company" | "site" (singular: real tenants refuse plural types)
    ids: tuple[str, ...]


def device_queries(wanted: Collection[str],
                   remote_sites: Iterable[RemoteSite]) -> list[DeviceQuery]:
    """The queries asking for the endpoints of the `wanted` platform sites: whole companies
    first, then the other sites, each in id order (the same pull asks the same queries)."""
    sites_of: dict[str, list[str]] = {}
    for site in remote_sites:
        sites_of.setdefault(site.company_id, []).append(site.id)
    whole = sorted(company for company, sites in sites_of.items()
                   if company and len(sites) >= WHOLE_COMPANY_FROM
                   and all(s in wanted for s in sites))
    asked = {s for company in whole for s in sites_of[company]}
    alone = sorted(s for s in wanted if s not in asked)
    return ([DeviceQuery("company", tuple(whole[i:i + COMPANIES_PER_QUERY]))
             for i in range(0, len(whole), COMPANIES_PER_QUERY)]
            + [DeviceQuery("site", tuple(alone[i:i + SITES_PER_QUERY]))
               for i in range(0, len(alone), SITES_PER_QUERY)])
