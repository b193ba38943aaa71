"""The connector's local records (docs/asio.md): links to the platform's objects, its
ticketing lookups and the drift report. Local to the workspace: nothing here is synced."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from storage.database import now_iso
from storage.tables import AsioDriftRow, AsioLinkRow, AsioLookupRow, DeviceRow


class Link(NamedTuple):  # a tuple: a pull makes tens of thousands
    entity: str
    local_id: str
    remote_id: str
    remote_parent_id: str = ""
    remote_name: str = ""
    state: str = "linked"


@dataclass(frozen=True)
class DriftRecord:
    site_id: str
    device_id: str
    domain: str
    key: str
    planned: Any  # None: we plan no such setting
    applied: Any  # None: the platform applies no such setting
    mapping: dict[str, Any]


# Rows per fetch: one fetchall of 50k rows is one C call holding the GIL for ~0.3 s, which
# the GUI thread would wait out (the dialog pulls in a worker thread).
_FETCH_ROWS = 2_000
LINKS: Table = AsioLinkRow.__table__  # type: ignore[assignment]  # Core: no ORM bookkeeping
_SAVE_LINKS = ("INSERT OR REPLACE INTO asio_links (entity, local_id, remote_id, remote_parent_id, "
               "remote_name, state, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
_READ_LINKS = ("SELECT entity, local_id, remote_id, remote_parent_id, remote_name, state "
               "FROM asio_links WHERE entity = ?")


class AsioRepository:
    """One transaction's view of the connector's records."""

    def __init__(self, session: Session) -> None:
        self.s = session

    # --- links --------------------------------------------------------------------------------

    def links(self, entity: str) -> dict[str, Link]:
        """Our id → its link, for one kind of object (the driver's rows as they come: a pull
        reads tens of thousands, and the ORM's result layer would cost more than SQLite)."""
        rows = self.s.connection().exec_driver_sql(_READ_LINKS, (entity,))
        return {r[1]: Link._make(r) for part in rows.partitions(_FETCH_ROWS) for r in part}

    def unlinked_devices(self, site_ids: Sequence[str] | None
                         ) -> dict[str, list[tuple[str, str]]]:
        """(id, name) of the live devices of these sites (None: of every site) that no
        device link names, by site: those a pull may match to an endpoint by name."""
        linked = select(AsioLinkRow.local_id).where(AsioLinkRow.entity == "device",
                                                    AsioLinkRow.local_id == DeviceRow.id)
        query = select(DeviceRow.site_id, DeviceRow.id, DeviceRow.name).where(
            DeviceRow.deleted_at.is_(None), ~linked.exists())
        out: dict[str, list[tuple[str, str]]] = {}
        if site_ids is None:
            chunks: list[Sequence[str] | None] = [None]
        else:
            ids = list(site_ids)
            chunks = [ids[i:i + 900] for i in range(0, len(ids), 900)]
        for chunk in chunks:
            part = query if chunk is None else query.where(DeviceRow.site_id.in_(chunk))
            for rows in self.s.execute(part).partitions(_FETCH_ROWS):
                for site_id, device_id, name in rows:
                    out.setdefault(site_id, []).append((device_id, name))
        return out

    def save_links(self, links: Iterable[Link]) -> None:
        """Keep these links (in place of any of the same objects): one executemany of plain
        tuples, since a pull may link tens of thousands of endpoints."""
        at = now_iso()
        rows = [(*x, at) for x in links]
        if rows:
            connection = self.s.connection()
            connection.exec_driver_sql(_SAVE_LINKS, rows)

    # --- lookups ------------------------------------------------------------------------------

    def replace_lookups(self, lookups: Mapping[str, Sequence[tuple[str, str]]]) -> None:
        """Keep these (id, name) lists, per kind, in place of the ones kept before."""
        at = now_iso()
        for kind, items in lookups.items():
            self.s.execute(delete(AsioLookupRow).where(AsioLookupRow.kind == kind))
            seen: set[str] = set()
            for position, (remote_id, name) in enumerate(items):
                if remote_id in seen:
                    continue
                seen.add(remote_id)
                self.s.add(AsioLookupRow(kind=kind, remote_id=remote_id, name=name,
                                         position=position, fetched_at=at))
        self.s.flush()

    def lookups(self) -> dict[str, list[tuple[str, str]]]:
        rows = self.s.scalars(select(AsioLookupRow).order_by(AsioLookupRow.kind,
                                                             AsioLookupRow.position))
        out: dict[str, list[tuple[str, str]]] = {}
        for r in rows:
            out.setdefault(r.kind, []).append((r.remote_id, r.name))
        return out

    def lookups_fetched_at(self) -> str | None:
        return self.s.scalar(select(AsioLookupRow.fetched_at).limit(1))

    # --- drift --------------------------------------------------------------------------------

    def replace_drift(self, site_ids: Iterable[str], records: Sequence[DriftRecord]) -> None:
        ids = list(site_ids)
        for start in range(0, len(ids), 900):
            self.s.execute(delete(AsioDriftRow).where(
                AsioDriftRow.site_id.in_(ids[start:start + 900])))
        at = now_iso()
        self.s.add_all(AsioDriftRow(
            site_id=r.site_id, device_id=r.device_id, domain=r.domain, key=r.key,
            planned_json=None if r.planned is None else json.dumps(r.planned),
            applied_json=None if r.applied is None else json.dumps(r.applied),
            mapping_json=json.dumps(r.mapping), pulled_at=at) for r in records)
        self.s.flush()

    def drift(self, site_id: str) -> list[DriftRecord]:
        rows = self.s.scalars(select(AsioDriftRow).where(AsioDriftRow.site_id == site_id)
                              .order_by(AsioDriftRow.seq))
        return [DriftRecord(r.site_id, r.device_id, r.domain, r.key,
                            None if r.planned_json is None else json.loads(r.planned_json),
                            None if r.applied_json is None else json.loads(r.applied_json),
                            json.loads(r.mapping_json)) for r in rows]
