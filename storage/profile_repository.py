"""Reads and writes of Help Desk client profiles (table `client_profiles`, docs/architecture.md §4).

Profiles travel as plain values here: a `StoredProfile` holds the 16 template fields as a tuple
in `PROFILE_FIELDS` order (text, `vip` a bool) plus its id, site, server version and match key
(the caller's `profile_key` as JSON, see `match_key_json`). Every write records its outbox and
audit rows in the same transaction. The import path (`import_rows`) writes many profiles with
one executemany per table (SQLAlchemy Core `insert()`/`update()` compiled once, rows as tuples)
and outbox rows without payloads (the push reads the profile as it is then); the whole import
gets one audit row (`audit_batch`). Undo and redo of an import (`tombstone_many`,
`restore_many`, `apply_updates`) take the same path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from json.encoder import encode_basestring
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, bindparam, func, null, select, update
from sqlalchemy.orm import Session

from storage.changes import (
    AUDIT,
    insert_many,
    record_batch,
    record_bulk,
    record_new_outbox,
    record_outbox,
    time_ordered_ids,
)
from storage.database import now_iso
from storage.tables import ClientProfileRow

ENTITY = "client_profile"
PROFILES: Table = ClientProfileRow.__table__  # type: ignore[assignment]
# The template's field ids in template order (app.profiles.FIELDS; a test holds them equal).
PROFILE_FIELDS: tuple[str, ...] = (
    "first_name", "last_name", "email", "title", "vip", "mobile_country_code", "mobile_phone",
    "mobile_provider", "mobile_sms_gateway", "office_country_code", "office_phone",
    "office_extension", "home_country_code", "home_phone", "computer_name", "notes",
)
VIP = PROFILE_FIELDS.index("vip")
Values = tuple[Any, ...]  # one value per PROFILE_FIELDS entry: str, and bool for vip
NewProfile = tuple[str, Values]  # (match key JSON, values)
ProfileUpdate = tuple["StoredProfile", str, Values]  # (the profile as stored, new key, values)

# in the table's column order, which is the order Core's compiled INSERT binds them in
INSERT_COLUMNS = ("site_id", "match_key", *PROFILE_FIELDS, "id", "version", "updated_at")
_UPDATE_COLUMNS = ("match_key", *PROFILE_FIELDS, "updated_at")
_SELECT = (PROFILES.c.id, PROFILES.c.site_id, PROFILES.c.version, PROFILES.c.match_key,
           PROFILES.c.deleted_at, *(PROFILES.c[f] for f in PROFILE_FIELDS))
_STATES_SQL = (f"SELECT id, site_id, version, match_key, deleted_at, {', '.join(PROFILE_FIELDS)}, "
               "updated_at FROM client_profiles WHERE id IN ")
# The template's text of a site's live profiles (VIP as "Yes"/"No"), in id order: an export
_TEXTS_SQL = ("SELECT " + ", ".join("CASE WHEN vip THEN 'Yes' ELSE 'No' END" if f == "vip" else f
                                    for f in PROFILE_FIELDS)
              + " FROM client_profiles WHERE site_id = ? AND deleted_at IS NULL ORDER BY id")
_IN_CHUNK = 5_000  # ids per `IN (…)` query (SQLite allows 32,766 parameters a statement)
_FETCH_ROWS = 2_000  # rows per fetch when reading a whole site (see `live`)
_BULK_CACHE_KIB = 16_384  # SQLite page cache while a bulk import runs (default is 2 MB;
# 64 MB measured no faster and put a 100k-row import at 300 MB resident instead of 250)


@dataclass(frozen=True, slots=True)
class StoredProfile:
    id: str
    site_id: str
    version: int
    match_key: str
    values: Values
    deleted: bool = False


def match_key_json(key: Sequence[str]) -> str:
    """A profile key as the `match_key` column holds it: a compact JSON array
    (== json.dumps(list(key), ensure_ascii=False, separators=(",", ":")))."""
    return "[" + ",".join(map(encode_basestring, key)) + "]"


# The outbox/audit payload: the field ids plus id and site_id, keys sorted, as `changes._dump`
# writes JSON (json.dumps(payload, sort_keys=True, ensure_ascii=False)); built from a format
# string because json.dumps of a dict costs about twice as much per row.
_PAYLOAD_KEYS = sorted(("id", "site_id", *PROFILE_FIELDS))
_PAYLOAD_FORMAT = "{{" + ", ".join(encode_basestring(k) + ": {}" for k in _PAYLOAD_KEYS) + "}}"
_PAYLOAD_SOURCE = [0 if k == "id" else 1 if k == "site_id" else 2 + PROFILE_FIELDS.index(k)
                   for k in _PAYLOAD_KEYS]
_PAYLOAD_VIP = _PAYLOAD_KEYS.index("vip")
_PAYLOAD_GET = itemgetter(*[0 if k == "vip" else i
                            for k, i in zip(_PAYLOAD_KEYS, _PAYLOAD_SOURCE, strict=True)])


def profile_payload(profile_id: str, site_id: str, values: Values) -> dict[str, Any]:
    return {"id": profile_id, "site_id": site_id, **dict(zip(PROFILE_FIELDS, values,
                                                             strict=True))}


def payload_json(profile_id: str, site_id: str, values: Values) -> str:
    """json.dumps(profile_payload(…), sort_keys=True, ensure_ascii=False), faster."""
    texts = list(map(encode_basestring, _PAYLOAD_GET((profile_id, site_id, *values))))
    texts[_PAYLOAD_VIP] = "true" if values[VIP] else "false"
    return _PAYLOAD_FORMAT.format(*texts)


def _execute_many(session: Session, statement: Any, names: Sequence[str],
                  rows: Sequence[Sequence[Any]]) -> None:
    """Run a Core statement whose parameters are `bindparam("b_<name>")` once per row (rows in
    `names` order) through the driver's executemany, in the order the compiled SQL binds them."""
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect)
    where = [list(names).index(n.removeprefix("b_")) for n in compiled.positiontup or ()]
    connection.exec_driver_sql(compiled.string, [tuple(row[i] for i in where) for row in rows])


def _stored(row: Any) -> StoredProfile:
    return StoredProfile(row[0], row[1], int(row[2]), row[3], tuple(row[5:]), row[4] is not None)


class ProfileRepository:
    """One transaction's view of the client profiles (`with db.write() as s: …(s)`)."""

    def __init__(self, session: Session) -> None:
        self.s = session

    # --- reads --------------------------------------------------------------------------------

    def live(self, site_id: str) -> list[StoredProfile]:
        """The site's profiles that are not deleted (in no particular order)."""
        result = self.s.execute(select(*_SELECT).where(PROFILES.c.site_id == site_id,
                                                       PROFILES.c.deleted_at.is_(None)))
        # In pieces: one fetchall of 100k rows is one C call that holds the GIL ~0.4 s, and a
        # GUI thread waiting for it freezes (the Client Profiles tab loads on a worker).
        return [_stored(r) for part in result.partitions(_FETCH_ROWS) for r in part]

    def live_keys(self, site_id: str) -> list[str]:
        return list(self.s.scalars(select(PROFILES.c.match_key).where(
            PROFILES.c.site_id == site_id, PROFILES.c.deleted_at.is_(None))))

    def live_texts(self, site_id: str) -> list[tuple[str, ...]]:
        """The site's live profiles as the template's text (VIP "Yes"/"No"), in id order: what
        an export writes. Plain tuples from the driver, a piece at a time (as `live`): no
        record objects, which cost an export of 100k profiles more than its sort."""
        raw = self.s.connection().connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        try:
            cursor.execute(_TEXTS_SQL, (site_id,))
            texts: list[tuple[str, ...]] = []
            while part := cursor.fetchmany(_FETCH_ROWS):
                texts += part
            return texts
        finally:
            cursor.close()

    def get(self, profile_id: str) -> StoredProfile | None:
        """The profile with this id, deleted or not (`deleted` says which)."""
        row = self.s.execute(select(*_SELECT).where(PROFILES.c.id == profile_id)).first()
        return None if row is None else _stored(row)

    def owner(self, site_id: str, match_key: str) -> StoredProfile | None:
        """The live profile of the site with this match key, if any."""
        row = self.s.execute(select(*_SELECT).where(
            PROFILES.c.site_id == site_id, PROFILES.c.match_key == match_key,
            PROFILES.c.deleted_at.is_(None))).first()
        return None if row is None else _stored(row)

    def states(self, ids: Sequence[str]) -> dict[str, tuple[StoredProfile, str]]:
        """The profiles with these ids, deleted or not, with their `updated_at`, by id; unknown
        ids are left out. One query per `_IN_CHUNK` ids (SQLite's limit on parameters)."""
        found: dict[str, tuple[StoredProfile, str]] = {}
        connection = self.s.connection()
        # Plain SQL through the driver: SQLAlchemy's IN (…) of 5,000 literals costs ~10 µs
        # an id to compile, more than SQLite needs to find the rows.
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = tuple(ids[start:start + _IN_CHUNK])
            sql = f"{_STATES_SQL}({','.join('?' * len(chunk))})"
            for row in connection.exec_driver_sql(sql, chunk).fetchall():
                values = (*row[5:5 + VIP], bool(row[5 + VIP]), *row[6 + VIP:-1])
                found[row[0]] = (StoredProfile(row[0], row[1], int(row[2]), row[3], values,
                                               row[4] is not None), row[-1])
        return found

    def payloads(self, ids: Sequence[str]) -> dict[str, dict[str, Any] | None]:
        """What the push sends for these profiles now, by id: the payload of each live one,
        None for a deleted one; unknown ids are left out."""
        return {i: None if p.deleted else profile_payload(p.id, p.site_id, p.values)
                for i, (p, _at) in self.states(ids).items()}

    def audit_since(self, ids: Sequence[str], after_seq: int
                    ) -> dict[str, list[tuple[int, str | None, str | None]]]:
        """The audit rows of these profiles newer than `after_seq`, oldest first, by id:
        (seq, before JSON, after JSON)."""
        found: dict[str, list[tuple[int, str | None, str | None]]] = {}
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = list(ids[start:start + _IN_CHUNK])
            rows = self.s.execute(
                select(AUDIT.c.entity_id, AUDIT.c.seq, AUDIT.c.before_json, AUDIT.c.after_json)
                .where(AUDIT.c.entity == ENTITY, AUDIT.c.entity_id.in_(chunk),
                       AUDIT.c.seq > after_seq)
                .order_by(AUDIT.c.seq)).all()
            for entity_id, seq, before, after in rows:
                found.setdefault(entity_id, []).append((int(seq), before, after))
        return found

    def audit_mark(self) -> int:
        """The newest audit row's seq (0: none): rows written after it have a higher one."""
        return int(self.s.scalar(select(func.max(AUDIT.c.seq))) or 0)

    def count(self, site_id: str | None = None) -> int:
        """Live profiles (of one site, or of the workspace)."""
        query = select(func.count()).select_from(PROFILES).where(
            PROFILES.c.deleted_at.is_(None))
        if site_id is not None:
            query = query.where(PROFILES.c.site_id == site_id)
        return int(self.s.scalar(query) or 0)

    # --- single writes (the add/edit form, delete, undo) ------------------------------------------

    def create(self, profile_id: str, site_id: str, match_key: str, values: Values,
               action: str) -> StoredProfile:
        stored = StoredProfile(profile_id, site_id, 0, match_key, values)
        insert_many(self.s, PROFILES, INSERT_COLUMNS,
                    [(site_id, match_key, *values, profile_id, 0, now_iso())])
        record_bulk(self.s, ENTITY, action,
                    [(profile_id, None, payload_json(profile_id, site_id, values), 0)])
        return stored

    def update(self, before: StoredProfile, match_key: str, values: Values,
               action: str) -> StoredProfile:
        self.update_many([(before, match_key, values)], action)
        return replace(before, match_key=match_key, values=values)

    def tombstone(self, stored: StoredProfile, action: str) -> None:
        at = now_iso()
        self.s.execute(update(PROFILES).where(PROFILES.c.id == stored.id)
                       .values(deleted_at=at, updated_at=at))
        record_bulk(self.s, ENTITY, action, [
            (stored.id, payload_json(stored.id, stored.site_id, stored.values), None,
             stored.version)])

    def restore(self, stored: StoredProfile, action: str) -> StoredProfile:
        """Clear the tombstone (undo of a delete): an upsert travels to the server again."""
        self.s.execute(update(PROFILES).where(PROFILES.c.id == stored.id)
                       .values(deleted_at=None, updated_at=now_iso()))
        record_bulk(self.s, ENTITY, action, [
            (stored.id, None, payload_json(stored.id, stored.site_id, stored.values),
             stored.version)])
        return replace(stored, deleted=False)

    # --- the import path ------------------------------------------------------------------------

    @contextmanager
    def bulk_mode(self) -> Iterator[None]:
        """A bigger SQLite page cache while many rows go in (the indexes stay in memory);
        the connection's own setting comes back afterwards."""
        connection = self.s.connection()
        previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size = -{_BULK_CACHE_KIB}")
        try:
            yield
        finally:
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")

    def import_rows(self, site_id: str, creates: Sequence[NewProfile],
                    updates: Sequence[ProfileUpdate], at: str) -> list[str]:
        """Insert new profiles and update matched ones (`updated_at` `at`), with an outbox
        row each, without a payload: one executemany per table. The caller writes the one
        audit row of the whole import (`audit_batch`). Returns the new profiles' ids
        (time-ordered UUIDs)."""
        ids = time_ordered_ids(len(creates))
        if creates:
            insert_many(self.s, PROFILES, INSERT_COLUMNS, [
                (site_id, key, *values, profile_id, 0, at)
                for profile_id, (key, values) in zip(ids, creates, strict=True)])
            record_new_outbox(self.s, ENTITY, ids, at)
        self.apply_updates(updates, at)
        return ids

    # --- many at once, as one batch (an import's undo and redo) ---------------------------------
    # Outbox rows without payloads and no audit rows: the caller writes one for the batch.

    def tombstone_many(self, profiles: Sequence[StoredProfile], at: str) -> None:
        """Tombstone many live profiles: a delete each travels to the server."""
        if not profiles:
            return
        _execute_many(self.s, update(PROFILES).where(PROFILES.c.id == bindparam("b_id")).values(
            deleted_at=bindparam("b_at"), updated_at=bindparam("b_at")), ("at", "id"),
            [(at, p.id) for p in profiles])
        record_outbox(self.s, ENTITY, [(p.id, "delete", p.version) for p in profiles], at)

    def restore_many(self, profiles: Sequence[StoredProfile], at: str) -> None:
        """Clear many tombstones: an upsert each travels to the server."""
        if not profiles:
            return
        _execute_many(self.s, update(PROFILES).where(PROFILES.c.id == bindparam("b_id")).values(
            deleted_at=null(), updated_at=bindparam("b_at")), ("at", "id"),
            [(at, p.id) for p in profiles])
        record_outbox(self.s, ENTITY, [(p.id, "upsert", p.version) for p in profiles], at)

    def apply_updates(self, updates: Sequence[ProfileUpdate], at: str) -> None:
        """Set each profile (as stored now) to its new match key and values, with an outbox
        upsert against the stored version."""
        if not updates:
            return
        self._set_values(updates, at)
        record_outbox(self.s, ENTITY, [(before.id, "upsert", before.version)
                                       for before, _key, _values in updates], at)

    def audit_batch(self, action: str, what: dict[str, Any],
                    before: Sequence[StoredProfile], at: str) -> str:
        """The one audit row of a batch (`storage.changes.record_batch`): `what` it was and
        the ids it touched, and the profiles it updated as they were before."""
        return record_batch(self.s, action, {"entity": ENTITY, **what},
                            {p.id: payload_json(p.id, p.site_id, p.values) for p in before}, at)

    def _set_values(self, updates: Sequence[ProfileUpdate], at: str) -> None:
        _execute_many(self.s, update(PROFILES).where(PROFILES.c.id == bindparam("b_id")).values(
            {c: bindparam(f"b_{c}") for c in _UPDATE_COLUMNS}), (*_UPDATE_COLUMNS, "id"),
            [(key, *values, at, before.id) for before, key, values in updates])

    # --- one record's own outbox and audit rows (the add/edit form) -------------------------------

    def update_many(self, updates: Sequence[ProfileUpdate], action: str,
                    at: str | None = None) -> None:
        """Set each profile (as stored now) to its new match key and values (`updated_at`
        `at`, default now), with outbox upserts (against the stored version) and audit rows
        (before = as stored now)."""
        if not updates:
            return
        at = at or now_iso()
        self._set_values(updates, at)
        record_bulk(self.s, ENTITY, action, [
            (before.id, payload_json(before.id, before.site_id, before.values),
             payload_json(before.id, before.site_id, values), before.version)
            for before, _key, values in updates])
