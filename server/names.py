"""One name, one object: the server refuses a second live company (site of one company, policy,
package) of the same name, compared as the app compares names (`app.domain.names.name_key`:
case, width and invisible characters folded). Otherwise another API client could create
duplicates that every workspace then refuses on pull, one conflict each.

The slots are kept in their own table (the SHA-256 of the name key, so any name length indexes
on PostgreSQL); the partner's feed lock (`Store._hold_feed`) serialises check and write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Index,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
    insert,
    select,
)

from app.domain.names import name_key

# entity -> the payload field that scopes its names (sites are unique within their company)
UNIQUE_NAMES: dict[str, str | None] = {"company": None, "site": "companyId", "policy": None,
                                       "package": None}
LABEL = {"company": "company", "site": "site", "policy": "policy", "package": "package"}

names_metadata = MetaData()
object_names = Table(
    "object_names", names_metadata,
    Column("partner_id", String(64), primary_key=True),
    Column("entity", String(40), primary_key=True),
    Column("obj_id", String(64), primary_key=True),
    Column("scope", String(64), nullable=False),
    Column("name_hash", String(64), nullable=False),
    Index("ix_object_names_slot", "partner_id", "entity", "scope", "name_hash"),
)
Slot = tuple[str, str]  # (scope, hash of the name key)


def slot(entity: str, payload: Mapping[str, Any] | None) -> Slot | None:
    """The name slot a live object of this payload takes; None when names of this entity are
    not unique or the payload has no usable name (validation refuses that separately)."""
    if entity not in UNIQUE_NAMES or payload is None:
        return None
    name = payload.get("name")
    if not isinstance(name, str):
        return None
    field = UNIQUE_NAMES[entity]
    scope = payload.get(field) if field else ""
    if not isinstance(scope, str) or len(scope) > 64:
        return None
    return scope, hashlib.sha256(name_key(name).encode()).hexdigest()


class Names:
    """The name slots one batch touches: the database's, with the batch's own writes on top.
    `wanted`: (entity, id, slot) of each op, computed once (`slots`)."""

    def __init__(self, conn: Connection, partner_id: str,
                 wanted: Sequence[tuple[str, str, Slot | None]]) -> None:
        self.partner_id = partner_id
        self.holders: dict[tuple[str, Slot], set[str]] = {}
        self.slot_of: dict[tuple[str, str], Slot | None] = {}
        self.stored: dict[tuple[str, str], Slot] = {}  # as the table has them
        hashes: dict[str, set[str]] = {}
        ids: dict[str, set[str]] = {}
        for entity, obj_id, taken in wanted:
            if entity not in UNIQUE_NAMES:
                continue
            ids.setdefault(entity, set()).add(obj_id)
            if taken is not None:
                hashes.setdefault(entity, set()).add(taken[1])
        for entity, id_set in ids.items():
            for column, values in ((object_names.c.name_hash, sorted(hashes.get(entity, ()))),
                                   (object_names.c.obj_id, sorted(id_set))):
                for start in range(0, len(values), 500):
                    self._load(conn, entity, column, values[start:start + 500])

    def _load(self, conn: Connection, entity: str, column: Any, values: Sequence[str]) -> None:
        if not values:
            return
        rows = conn.execute(select(object_names.c.obj_id, object_names.c.scope,
                                   object_names.c.name_hash).where(
            object_names.c.partner_id == self.partner_id, object_names.c.entity == entity,
            column.in_(values)))
        for obj_id, scope, name_hash in rows:
            self.holders.setdefault((entity, (scope, name_hash)), set()).add(obj_id)
            self.slot_of[(entity, obj_id)] = self.stored[(entity, obj_id)] = (scope, name_hash)

    def clash(self, entity: str, obj_id: str, wanted: Slot | None, name: Any) -> str | None:
        """Why this upsert may not take its name (another live object has it), or None. An
        object keeping the name it has is never refused (duplicates stored before this rule
        stay editable)."""
        if wanted is None or self.slot_of.get((entity, obj_id)) == wanted:
            return None
        others = sorted(self.holders.get((entity, wanted), set()) - {obj_id})
        if not others:
            return None
        where = f" in company {wanted[0]}" if UNIQUE_NAMES[entity] else ""
        return (f"a {LABEL[entity]} named {name!r} already exists{where} "
                f"(id {others[0]}); names are compared ignoring case, width and invisible "
                "characters: rename one")

    def take(self, entity: str, obj_id: str, new: Slot | None) -> None:
        """Record a write: the object's slot now (None: deleted, or no name)."""
        if entity not in UNIQUE_NAMES:
            return
        old = self.slot_of.get((entity, obj_id))
        if old is not None:
            self.holders.get((entity, old), set()).discard(obj_id)
        self.slot_of[(entity, obj_id)] = new
        if new is not None:
            self.holders.setdefault((entity, new), set()).add(obj_id)

    def flush(self, conn: Connection) -> None:
        """Write the slots that changed (most writes keep their name: nothing to write)."""
        changed = [(key, taken) for key, taken in self.slot_of.items()
                   if self.stored.get(key) != taken]
        gone = [{"b_entity": e, "b_id": i} for (e, i), _ in changed if (e, i) in self.stored]
        if gone:
            conn.execute(delete(object_names).where(
                object_names.c.partner_id == self.partner_id,
                object_names.c.entity == bindparam("b_entity"),
                object_names.c.obj_id == bindparam("b_id")), gone)
        rows = [{"partner_id": self.partner_id, "entity": e, "obj_id": i, "scope": taken[0],
                 "name_hash": taken[1]} for (e, i), taken in changed if taken is not None]
        if rows:
            conn.execute(insert(object_names), rows)
        self.stored = {key: taken for key, taken in self.slot_of.items() if taken is not None}


def slots(ops: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, Slot | None]]:
    """(entity, id, the slot its upsert takes; None for a delete or an unnamed entity) of each
    well-formed op, in order; ("", "", None) for the others."""
    out: list[tuple[str, str, Slot | None]] = []
    for op in ops:
        entity, obj_id, payload = op.get("entity"), op.get("id"), op.get("payload")
        if not isinstance(entity, str) or not isinstance(obj_id, str):
            out.append(("", "", None))
            continue
        upsert = op.get("op") == "upsert" and isinstance(payload, dict)
        out.append((entity, obj_id, slot(entity, payload) if upsert else None))
    return out


def backfill(conn: Connection, live: Iterable[tuple[str, str, str, Mapping[str, Any]]]) -> None:
    """Fill the table from the live objects (partner, entity, id, payload) of a database made
    before it existed."""
    rows = [{"partner_id": p, "entity": e, "obj_id": i, "scope": taken[0],
             "name_hash": taken[1]}
            for p, e, i, payload in live if (taken := slot(e, payload)) is not None]
    for start in range(0, len(rows), 1000):
        conn.execute(insert(object_names), rows[start:start + 1000])
