"""Endpoints to devices, a part at a time as the platform's pages arrive (docs/asio.md).

Known endpoints stay linked to their device (renamed or moved ones get their link updated);
an endpoint that is new here matches a device planned under its site before the agent was
installed when exactly one unlinked device there has its name; any other becomes a new
device. Devices whose endpoint the platform no longer reports are marked vanished (kept, with
their overrides), once every part has been seen. The parts are fed in the order the queries
were made (`AsioClient.endpoints`), so the result does not depend on which page came first.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.asio.models import RemoteEndpoint, new_tuple
from storage.asio_repository import Link
from storage.changes import IdSeries
from storage.pull_stage import StagedDevice


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


class DeviceMatcher:
    def __init__(self, site_by_remote: dict[str, str], device_links: dict[str, Link],
                 local_devices: dict[str, list[tuple[str, str]]]) -> None:
        """`site_by_remote`: the platform's site id → ours, for the sites pulled;
        `device_links`: the device links held, by our id; `local_devices`: our live devices
        (id, name) that no link holds, by our site id."""
        self._site_of = site_by_remote
        self._device_links = device_links
        self._held_of = {x.remote_id: x for x in device_links.values()}
        self._seen: set[str] = set()
        self._unlinked: dict[str, dict[str, list[str]]] = {}
        for site_id, devices in local_devices.items():
            for device_id, name in devices:
                if device_id not in device_links:
                    self._unlinked.setdefault(site_id, {}).setdefault(
                        _name_key(name), []).append(device_id)
        self._ids, self._keys = IdSeries(), IdSeries()  # one series each: indexes append
        self.links: list[Link] = []  # the known and name-matched devices' links
        self.new: list[StagedDevice] = []  # the new devices, in the order they came
        self.linked = 0

    def feed(self, endpoints: Sequence[RemoteEndpoint]) -> list[StagedDevice]:
        """Match one part; returns its new devices (also kept in `new`)."""
        held_of, site_of, seen, links = (self._held_of.get, self._site_of.get, self._seen,
                                         self.links)
        fresh: list[RemoteEndpoint] = []
        for e in endpoints:
            endpoint_id, _, site_id, name, _, _ = e
            local_site = site_of(site_id)
            if local_site is None or endpoint_id in seen:
                continue
            seen.add(endpoint_id)
            held = held_of(endpoint_id)
            if held is not None:
                same = held.remote_parent_id == site_id and held.remote_name == name \
                    and held.state == "linked"  # the common case: kept as it is
                links.append(held if same else Link("device", held.local_id, endpoint_id,
                                                    site_id, name))
                self.linked += 1
                continue
            if self._unlinked:
                unlinked = self._unlinked.get(local_site)
                same_name = unlinked.get(_name_key(name), []) if unlinked else []
                if len(same_name) == 1:  # planned here before the agent was installed
                    links.append(Link("device", same_name.pop(), endpoint_id, site_id, name))
                    self.linked += 1
                    continue
            fresh.append(e)
        ids, keys = self._ids.take(len(fresh)), self._keys.take(len(fresh))
        new = [new_tuple(StagedDevice, (site_of(site_id), name[:200], kind, os_name[:100],
                                         device_id, key, endpoint_id, site_id, name))
               for device_id, key, (endpoint_id, _, site_id, name, kind, os_name)
               in zip(ids, keys, fresh, strict=True)]
        self.new += new
        return new

    def vanished(self) -> tuple[list[Link], int]:
        """After the last part: the links of the devices under the pulled sites whose endpoint
        was not reported, marked vanished; and how many of them were not marked before."""
        links: list[Link] = []
        newly = 0
        for x in self._device_links.values():
            if x.remote_id not in self._seen and x.remote_parent_id in self._site_of:
                newly += x.state != "vanished"
                links.append(Link(x.entity, x.local_id, x.remote_id, x.remote_parent_id,
                                  x.remote_name, "vanished"))
        return links, newly

    def local_of(self) -> dict[str, str]:
        """The platform's endpoint id → our device id, of every endpoint linked now."""
        found = {x.remote_id: x.local_id for x in self.links if x.state == "linked"}
        found.update((d.remote_id, d.id) for d in self.new)
        return found

