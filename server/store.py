"""The reference backend's storage: portable SQL (SQLite by default, PostgreSQL by URL).

One table of objects (partner, entity, id, version, updated_at, deleted_at, payload JSON), every
version kept in `object_versions` (the merge base of a conflict), a change log whose `cursor` only
grows (the delta feed keeps the newest change per object), and idempotency records that make a
batch apply exactly once. Every query names the partner: a tenant reads and writes only its own.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    case,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from server import names
from server.entities import ENTITIES, NAMED, VISIBLE, name_reason, validate_payload
from server.names import Names, names_metadata, object_names

metadata = MetaData()
Cursor = BigInteger().with_variant(Integer, "sqlite")
MAX_INT64 = 2**63 - 1  # counters and versions are 64-bit on both databases
MAX_OP_KEY = 64

partners = Table(
    "partners", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("horizon", BigInteger, nullable=False, default=0),  # feed cursors below this expired
)
clients = Table(
    "api_clients", metadata,
    Column("client_id", String(100), primary_key=True),
    Column("secret_hash", String(64), nullable=False),
    Column("partner_id", String(64), nullable=False),
)
tokens = Table(
    "tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("partner_id", String(64), nullable=False),
    Column("client_id", String(100), nullable=False),
    Column("scope", String(200), nullable=False),
    Column("expires_at", Float, nullable=False),
)
objects = Table(
    "objects", metadata,
    Column("partner_id", String(64), primary_key=True),
    Column("entity", String(40), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("version", BigInteger, nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("deleted_at", String(32), nullable=True),
    Column("last_op_key", String(MAX_OP_KEY), nullable=True),
    Column("payload", Text, nullable=False),
)
object_versions = Table(
    "object_versions", metadata,
    Column("partner_id", String(64), primary_key=True),
    Column("entity", String(40), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("version", BigInteger, primary_key=True),
    Column("deleted", Integer, nullable=False),
    Column("payload", Text, nullable=False),
)
changes = Table(
    "changes", metadata,
    # 64-bit on PostgreSQL (BIGSERIAL); SQLite's INTEGER PRIMARY KEY is 64-bit already and must
    # stay spelled INTEGER to be the rowid (AUTOINCREMENT needs it).
    Column("cursor", Cursor, primary_key=True, autoincrement=True),
    Column("partner_id", String(64), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("obj_id", String(64), nullable=False),
    Index("ix_changes_partner_cursor", "partner_id", "cursor"),
    Index("ix_changes_object", "partner_id", "entity", "obj_id"),
    # AUTOINCREMENT: never reuse a deleted row's cursor (plain ROWID would after compaction).
    sqlite_autoincrement=True,
)
applied_ops = Table(
    "applied_ops", metadata,
    Column("partner_id", String(64), primary_key=True),
    Column("op_key", String(MAX_OP_KEY), primary_key=True),
    Column("result", Text, nullable=False),
)
idempotency = Table(
    "idempotency", metadata,
    Column("partner_id", String(64), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("state", String(10), nullable=False),  # pending | done
    Column("started_at", Float, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("response", Text, nullable=True),
)
rate_windows = Table(
    # Asio's fixed one-minute windows, per partner and resource: in the database, so that every
    # worker process counts against the same limit.
    "rate_windows", metadata,
    Column("partner_id", String(64), primary_key=True),
    Column("resource", String(20), primary_key=True),
    Column("window", BigInteger, nullable=False),
    Column("used", BigInteger, nullable=False),
)
RATE_RESOURCES = ("batch", "changes", "read")
attachments = Table(
    # Files attached to Help Desk references, by the SHA-256 of their bytes, per partner: one
    # partner knowing a hash reads nothing of another's.
    "attachments", metadata,
    Column("partner_id", String(64), primary_key=True),
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", String(32), nullable=False),
)

PENDING_LEASE_S = 30.0  # a pending key older than this was abandoned (its batch never applied)
# A finished batch's answer is replayed for a repeated Idempotency-Key this long (the IETF
# draft leaves the expiry to the server; a client retries within minutes), then purged.
IDEMPOTENCY_TTL_S = 24 * 3600.0
PURGE_EVERY_S = 600.0  # at most one purge of expired keys per this many seconds


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class RawJSON(str):
    """A JSON text to be written as it is (see `feed_body`)."""


def feed_body(items: list[RawJSON], next_cursor: int, more: bool,
              counts: dict[str, int] | None) -> bytes:
    tail = {"next_cursor": next_cursor, "has_more": more}
    if counts is not None:
        tail["counts"] = counts  # type: ignore[assignment]
    return ('{"changes":[' + ",".join(items) + "]," + canonical(tail)[1:]).encode()


@dataclass(frozen=True)
class TokenInfo:
    partner_id: str
    client_id: str
    scope: str


@dataclass(frozen=True)
class StoredObject:
    entity: str
    id: str
    version: int
    updated_at: str
    deleted: bool
    payload: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"entity": self.entity, "id": self.id, "version": self.version,
                "updated_at": self.updated_at, "deleted": self.deleted, "payload": self.payload}


class IdempotencyConflict(Exception):
    """A key reused with another payload (422) or still being processed (409)."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class CursorExpired(Exception):
    """The feed no longer reaches back to this cursor (tombstones purged): resync from 0."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _private_sqlite_file(url: str) -> None:
    """Create the database file readable by its owner only (0600), like the app's workspaces;
    SQLite gives its -wal and -shm files the database file's mode."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    fd = os.open(database, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.name == "posix" and os.fstat(fd).st_uid == os.getuid():
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    """All of the server's reads and writes; one transaction per call."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.sqlite = url.startswith("sqlite")
        # SQLite has one writer anyway; serialising here avoids busy retries in the pool.
        self._write_lock = threading.Lock() if self.sqlite else None
        self._purged_at = 0.0
        had_names = inspect(self.engine).has_table(object_names.name)
        metadata.create_all(self.engine)
        names_metadata.create_all(self.engine)
        if not had_names:
            with self.tx() as conn:
                names.backfill(conn, (
                    (r.partner_id, r.entity, r.id, json.loads(r.payload))
                    for r in conn.execute(select(objects).where(
                        objects.c.entity.in_(sorted(names.UNIQUE_NAMES)),
                        objects.c.deleted_at.is_(None)))))

    @contextmanager
    def tx(self) -> Iterator[Connection]:
        if self._write_lock is None:
            with self.engine.begin() as conn:
                yield conn
            return
        with self._write_lock, self.engine.begin() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _snapshot(self) -> Iterator[Connection]:
        """A read-only connection whose statements all see one snapshot (SQLite's transaction
        does already)."""
        with self.engine.connect() as plain:
            conn = plain if self.sqlite else plain.execution_options(
                isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    # --- clients, partners, tokens ------------------------------------------------------------

    def register_client(self, client_id: str, secret: str, partner_id: str,
                        partner_name: str | None = None) -> None:
        with self.tx() as conn:
            if conn.execute(select(partners.c.id).where(partners.c.id == partner_id)).first() \
                    is None:
                conn.execute(insert(partners).values(id=partner_id,
                                                     name=partner_name or partner_id, horizon=0))
            known = set(conn.execute(select(rate_windows.c.resource).where(
                rate_windows.c.partner_id == partner_id)).scalars())
            for resource in sorted(set(RATE_RESOURCES) - known):
                conn.execute(insert(rate_windows).values(partner_id=partner_id,
                                                         resource=resource, window=0, used=0))
            conn.execute(delete(clients).where(clients.c.client_id == client_id))
            conn.execute(insert(clients).values(client_id=client_id, secret_hash=_sha(secret),
                                                partner_id=partner_id))

    def issue_token(self, client_id: str, secret: str, scope: str, ttl: float
                    ) -> tuple[str, str] | None:
        """A bearer token for valid client credentials, with its partner; None if refused."""
        with self.tx() as conn:
            row = conn.execute(select(clients).where(clients.c.client_id == client_id)).first()
            # Compare against a dummy hash for unknown clients too (no timing oracle).
            expected = row.secret_hash if row is not None else _sha(secrets.token_hex(8))
            if not hmac.compare_digest(expected, _sha(secret)) or row is None:
                return None
            token = secrets.token_urlsafe(32)
            now = time.time()
            conn.execute(delete(tokens).where(tokens.c.expires_at < now))
            conn.execute(insert(tokens).values(token_hash=_sha(token), partner_id=row.partner_id,
                                               client_id=client_id, scope=scope,
                                               expires_at=now + ttl))
            return token, str(row.partner_id)

    def check_token(self, token: str) -> TokenInfo | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(tokens).where(tokens.c.token_hash == _sha(token))).first()
        if row is None or row.expires_at <= time.time():
            return None
        return TokenInfo(row.partner_id, row.client_id, row.scope)

    # --- rate limits --------------------------------------------------------------------------

    def hit_rate(self, partner_id: str, resource: str, per_minute: int, window: int) -> bool:
        """Count a call in the partner's current one-minute window; False when over the limit.
        One statement: atomic across worker processes on either database."""
        with self.tx() as conn:
            counted = conn.execute(
                update(rate_windows).where(
                    rate_windows.c.partner_id == partner_id,
                    rate_windows.c.resource == resource,
                    ~((rate_windows.c.window == window) & (rate_windows.c.used >= per_minute)))
                .values(used=case((rate_windows.c.window == window, rate_windows.c.used + 1),
                                  else_=1), window=window)).rowcount
            if counted:
                return True
            if conn.execute(select(rate_windows.c.used).where(
                    rate_windows.c.partner_id == partner_id,
                    rate_windows.c.resource == resource)).first() is not None:
                return False  # over the limit
            try:  # a partner registered before the table existed: its first call
                with conn.begin_nested():
                    conn.execute(insert(rate_windows).values(
                        partner_id=partner_id, resource=resource, window=window, used=1))
            except IntegrityError:  # another worker's first call got there first
                pass
            return True

    def rate_usage(self, partner_id: str, window: int) -> dict[str, int]:
        """Calls counted per resource in this window."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(rate_windows.c.resource, rate_windows.c.window,
                                       rate_windows.c.used).where(
                rate_windows.c.partner_id == partner_id))
            return {r.resource: int(r.used) if r.window == window else 0 for r in rows}

    # --- objects ------------------------------------------------------------------------------

    @staticmethod
    def _object(row: Any) -> StoredObject:
        return StoredObject(row.entity, row.id, row.version, row.updated_at,
                            row.deleted_at is not None, json.loads(row.payload))

    def get(self, partner_id: str, entity: str, obj_id: str) -> StoredObject | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(objects).where(
                objects.c.partner_id == partner_id, objects.c.entity == entity,
                objects.c.id == obj_id)).first()
        return None if row is None else self._object(row)

    def list_objects(self, partner_id: str, entity: str, *, limit: int, after: str | None,
             where: Mapping[str, str] | None = None) -> tuple[list[StoredObject], str | None]:
        """Live objects in id order from `after` (keyset paging); the next cursor or None."""
        query = select(objects).where(objects.c.partner_id == partner_id,
                                      objects.c.entity == entity, objects.c.deleted_at.is_(None))
        if after:
            query = query.where(objects.c.id > after)
        query = query.order_by(objects.c.id)
        out: list[StoredObject] = []
        last: str | None = None
        with self.engine.connect() as conn:
            # Filters on payload fields run here, in Python: JSON operators are not portable.
            for row in conn.execute(query).yield_per(500):
                obj = self._object(row)
                if where and any(obj.payload.get(k) != v for k, v in where.items()):
                    continue
                if len(out) == limit:
                    return out, last
                out.append(obj)
                last = obj.id
        return out, None

    # --- attachments ----------------------------------------------------------------------------

    def put_attachment(self, partner_id: str, sha256: str, data: bytes) -> bool:
        """Store a file's bytes (the caller checked their hash); False when they are there
        already (an idempotent repeat)."""
        try:
            with self.tx() as conn:
                if conn.execute(select(attachments.c.sha256).where(
                        attachments.c.partner_id == partner_id,
                        attachments.c.sha256 == sha256)).first() is not None:
                    return False
                conn.execute(insert(attachments).values(partner_id=partner_id, sha256=sha256,
                                                        size=len(data), data=data,
                                                        created_at=now_iso()))
                return True
        except IntegrityError:  # the same file, stored by a concurrent request (PostgreSQL)
            return False

    def get_attachment(self, partner_id: str, sha256: str) -> bytes | None:
        with self.engine.connect() as conn:
            data = conn.scalar(select(attachments.c.data).where(
                attachments.c.partner_id == partner_id, attachments.c.sha256 == sha256))
        return None if data is None else bytes(data)

    def counts(self, partner_id: str) -> dict[str, int]:
        with self.engine.connect() as conn:
            return self._counts(conn, partner_id)

    @staticmethod
    def _counts(conn: Connection, partner_id: str) -> dict[str, int]:
        rows = conn.execute(
            select(objects.c.entity, func.count()).where(
                objects.c.partner_id == partner_id, objects.c.deleted_at.is_(None))
            .group_by(objects.c.entity))
        found = {str(e): int(n) for e, n in rows}
        return {entity: found.get(entity, 0) for entity in ENTITIES}

    def _write(self, conn: Connection, partner_id: str, entity: str, obj_id: str, *,
               current: Any, payload: dict[str, Any], deleted: bool, op_key: str | None
               ) -> StoredObject:
        version = (current.version if current is not None else 0) + 1
        at = now_iso()
        values = {"version": version, "updated_at": at, "deleted_at": at if deleted else None,
                  "payload": canonical(payload), "last_op_key": op_key}
        key = {"partner_id": partner_id, "entity": entity, "id": obj_id}
        if current is None:
            conn.execute(insert(objects).values(**key, **values))
        else:
            conn.execute(update(objects).where(
                objects.c.partner_id == partner_id, objects.c.entity == entity,
                objects.c.id == obj_id).values(**values))
        conn.execute(insert(object_versions).values(**key, version=version, deleted=int(deleted),
                                                    payload=values["payload"]))
        # The feed keeps one change per object: its newest. The cursor only ever grows.
        conn.execute(delete(changes).where(changes.c.partner_id == partner_id,
                                           changes.c.entity == entity, changes.c.obj_id == obj_id))
        conn.execute(insert(changes).values(partner_id=partner_id, entity=entity, obj_id=obj_id))
        return StoredObject(entity, obj_id, version, at, deleted, payload)

    @staticmethod
    def _hold_feed(conn: Connection, partner_id: str) -> None:
        """Serialise the partner's feed writes until this transaction ends. Cursors come from
        one sequence, and on PostgreSQL concurrent transactions commit out of order: without
        this a reader could see cursor 11 committed while 10 is still open, move past it, and
        never see 10. Under the partner's row lock a transaction takes its cursors only after
        the previous writer committed, so cursors become visible in order. (SQLite has one
        writer at a time already.)"""
        conn.execute(select(partners.c.id).where(partners.c.id == partner_id)
                     .with_for_update())

    def create(self, partner_id: str, entity: str, obj_id: str, payload: dict[str, Any]
               ) -> StoredObject:
        """A write through an Asio-shaped path (no base version: creation only)."""
        with self.tx() as conn:
            self._hold_feed(conn, partner_id)
            current = self._current(conn, partner_id, entity, obj_id)
            if current is not None:
                raise IdempotencyConflict(409, f"{entity} {obj_id} already exists",
                                          "already_exists")
            name_slot = names.slot(entity, payload)
            taken = Names(conn, partner_id, [(entity, obj_id, name_slot)])
            clash = taken.clash(entity, obj_id, name_slot, payload.get("name"))
            if clash:
                raise IdempotencyConflict(409, clash, "name_taken")
            taken.take(entity, obj_id, name_slot)
            taken.flush(conn)
            return self._write(conn, partner_id, entity, obj_id, current=None, payload=payload,
                               deleted=False, op_key=None)

    def _current(self, conn: Connection, partner_id: str, entity: str, obj_id: str) -> Any:
        return conn.execute(select(objects).where(
            objects.c.partner_id == partner_id, objects.c.entity == entity,
            objects.c.id == obj_id).with_for_update()).first()

    def _base(self, conn: Connection, partner_id: str, entity: str, obj_id: str,
              version: int) -> dict[str, Any] | None:
        row = conn.execute(select(object_versions).where(
            object_versions.c.partner_id == partner_id, object_versions.c.entity == entity,
            object_versions.c.id == obj_id, object_versions.c.version == version)).first()
        if row is None:
            return None
        return {"version": version, "deleted": bool(row.deleted),
                "payload": json.loads(row.payload)}

    def apply_ops(self, conn: Connection, partner_id: str, ops: Sequence[Mapping[str, Any]]
                  ) -> list[dict[str, Any]]:
        """Each op → applied / conflict / rejected, in the batch's transaction. Reads the
        records and op keys of the whole batch in a few queries and writes with executemany
        (one statement per table, not per op)."""
        self._hold_feed(conn, partner_id)
        done = self._applied(conn, partner_id, ops)
        new_keys: list[tuple[str, dict[str, Any]]] = []
        current = self._currents(conn, partner_id, ops)  # (entity, id) -> state, kept current
        wanted = names.slots(ops)
        taken = Names(conn, partner_id, wanted)
        writes: list[tuple[str, str, int, str, str | None, str, str | None, bool]] = []
        results: list[dict[str, Any]] = []
        at = now_iso()
        for op, (_, _, name_slot) in zip(ops, wanted, strict=True):
            entity, obj_id, op_key = op.get("entity"), op.get("id"), op.get("op_key")
            key = op_key if isinstance(op_key, str) and op_key else None
            if key is not None and key in done:  # applied before (a lost answer): same result
                results.append(done[key])
                continue
            reasons = validate_op(op)
            if reasons:
                results.append({"entity": entity, "id": obj_id, "status": "rejected",
                                "reasons": reasons})
                continue
            assert isinstance(entity, str)
            assert isinstance(obj_id, str)
            base = int(op.get("base_version") or 0)
            state = current.get((entity, obj_id))
            version = state[0] if state is not None else 0
            if version != base:
                server = None
                if state is not None:
                    server = {"entity": entity, "id": obj_id, "version": version,
                              "updated_at": state[1], "deleted": state[2] is not None,
                              "payload": json.loads(state[3]), "last_op_key": state[4]}
                results.append({
                    "entity": entity, "id": obj_id, "status": "conflict", "http_status": 412,
                    "server": server,
                    "base": self._base(conn, partner_id, entity, obj_id, base) if base else None})
                continue
            deleted = op["op"] == "delete"
            clash = None if deleted else taken.clash(entity, obj_id, name_slot,
                                                     op["payload"].get("name"))
            if clash:
                results.append({"entity": entity, "id": obj_id, "status": "rejected",
                                "reasons": [clash]})
                continue
            taken.take(entity, obj_id, name_slot)
            if deleted:
                payload_text = state[3] if state is not None else canonical({"id": obj_id})
            else:
                payload_text = canonical({**op["payload"], "id": obj_id})
            new_version = version + 1
            current[(entity, obj_id)] = (new_version, at, at if deleted else None,
                                         payload_text, key)
            writes.append((entity, obj_id, new_version, at, at if deleted else None,
                           payload_text, key, state is None))
            answer = {"entity": entity, "id": obj_id, "status": "applied",
                      "version": new_version, "updated_at": at}
            if key is not None:
                done[key] = answer
                new_keys.append((key, answer))
            results.append(answer)
        self._flush(conn, partner_id, writes, new_keys)
        taken.flush(conn)
        return results

    def _applied(self, conn: Connection, partner_id: str, ops: Sequence[Mapping[str, Any]]
                 ) -> dict[str, dict[str, Any]]:
        keys = sorted({k for op in ops if isinstance(k := op.get("op_key"), str) and k})
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(keys), 500):
            for key, result in conn.execute(select(applied_ops.c.op_key, applied_ops.c.result)
                                            .where(applied_ops.c.partner_id == partner_id,
                                                   applied_ops.c.op_key.in_(
                                                       keys[start:start + 500]))):
                found[key] = json.loads(result)
        return found

    def _currents(self, conn: Connection, partner_id: str, ops: Sequence[Mapping[str, Any]]
                  ) -> dict[tuple[str, str], tuple[int, str, str | None, str, str | None]]:
        by_entity: dict[str, set[str]] = {}
        for op in ops:
            entity, obj_id = op.get("entity"), op.get("id")
            if isinstance(entity, str) and isinstance(obj_id, str):
                by_entity.setdefault(entity, set()).add(obj_id)
        out: dict[tuple[str, str], tuple[int, str, str | None, str, str | None]] = {}
        for entity, id_set in by_entity.items():
            ids = sorted(id_set)
            for start in range(0, len(ids), 500):
                rows = conn.execute(select(
                    objects.c.id, objects.c.version, objects.c.updated_at, objects.c.deleted_at,
                    objects.c.payload, objects.c.last_op_key).where(
                    objects.c.partner_id == partner_id, objects.c.entity == entity,
                    objects.c.id.in_(ids[start:start + 500])).with_for_update())
                for r in rows:
                    out[(entity, r.id)] = (r.version, r.updated_at, r.deleted_at, r.payload,
                                           r.last_op_key)
        return out

    def _flush(self, conn: Connection,
               partner_id: str,
               writes: Sequence[tuple[str, str, int, str, str | None, str, str | None, bool]],
               new_keys: Sequence[tuple[str, dict[str, Any]]]) -> None:
        if not writes:
            return
        # The newest write of each record decides its row; every write is a version.
        last: dict[tuple[str, str], tuple[Any, ...]] = {}
        for w in writes:
            last[(w[0], w[1])] = w
        fresh = [w for w in writes if w[7]]
        first_fresh: dict[tuple[str, str], tuple[Any, ...]] = {}
        for w in fresh:
            first_fresh.setdefault((w[0], w[1]), w)
        inserts = [{"partner_id": partner_id, "entity": e, "id": i, "version": v,
                    "updated_at": at, "deleted_at": dead, "payload": text, "last_op_key": k}
                   for (e, i), (_, _, v, at, dead, text, k, _) in last.items()
                   if (e, i) in first_fresh]
        updates = [{"b_entity": e, "b_id": i, "version": v, "updated_at": at,
                    "deleted_at": dead, "payload": text, "last_op_key": k}
                   for (e, i), (_, _, v, at, dead, text, k, _) in last.items()
                   if (e, i) not in first_fresh]
        if inserts:
            conn.execute(insert(objects), inserts)
        if updates:
            conn.execute(update(objects).where(
                objects.c.partner_id == partner_id, objects.c.entity == bindparam("b_entity"),
                objects.c.id == bindparam("b_id")), updates)
        conn.execute(insert(object_versions), [
            {"partner_id": partner_id, "entity": e, "id": i, "version": v,
             "deleted": int(dead is not None), "payload": text}
            for (e, i, v, _at, dead, text, _k, _new) in writes])
        # The feed keeps one change per object: its newest. The cursor only ever grows.
        conn.execute(delete(changes).where(
            changes.c.partner_id == partner_id, changes.c.entity == bindparam("b_entity"),
            changes.c.obj_id == bindparam("b_id")),
            [{"b_entity": e, "b_id": i} for (e, i) in last])
        conn.execute(insert(changes), [{"partner_id": partner_id, "entity": e, "obj_id": i}
                                       for (e, i) in last])
        if new_keys:
            conn.execute(insert(applied_ops), [
                {"partner_id": partner_id, "op_key": k, "result": canonical(r)}
                for k, r in new_keys])

    # --- batches and idempotency --------------------------------------------------------------

    def begin_batch(self, partner_id: str, key: str, request_hash: str
                    ) -> tuple[int, dict[str, Any]] | None:
        """Claim an idempotency key. Returns a stored (status, body) to replay, or None if the
        caller now owns the key; raises IdempotencyConflict for 409/422."""
        self.purge_expired_keys()
        with self.tx() as conn:
            row = conn.execute(select(idempotency).where(
                idempotency.c.partner_id == partner_id, idempotency.c.key == key)).first()
            if row is not None:
                if row.request_hash != request_hash:
                    raise IdempotencyConflict(
                        422, "this Idempotency-Key was used with a different request",
                        "idempotency_key_reused")
                if row.state == "done":
                    return int(row.status_code), json.loads(row.response)
                if time.time() - row.started_at < PENDING_LEASE_S:
                    raise IdempotencyConflict(
                        409, "a request with this Idempotency-Key is being processed",
                        "idempotency_key_in_use")
                # Abandoned (the server died mid-batch; its transaction never committed).
                conn.execute(update(idempotency).where(
                    idempotency.c.partner_id == partner_id, idempotency.c.key == key)
                    .values(started_at=time.time()))
                return None
            try:
                with conn.begin_nested():
                    conn.execute(insert(idempotency).values(
                        partner_id=partner_id, key=key, request_hash=request_hash,
                        state="pending", started_at=time.time()))
            except IntegrityError:  # PostgreSQL: a concurrent duplicate got there first
                raise IdempotencyConflict(
                    409, "a request with this Idempotency-Key is being processed",
                    "idempotency_key_in_use") from None
        return None

    def purge_expired_keys(self, *, now: float | None = None, force: bool = False) -> int:
        """Delete finished idempotency records older than IDEMPOTENCY_TTL_S (every partner);
        at most once per PURGE_EVERY_S unless `force`. Returns how many went."""
        now = time.time() if now is None else now
        if not force and now - self._purged_at < PURGE_EVERY_S:
            return 0
        self._purged_at = now
        with self.tx() as conn:
            gone = conn.execute(delete(idempotency).where(
                idempotency.c.state == "done",
                idempotency.c.started_at < now - IDEMPOTENCY_TTL_S)).rowcount
        return int(gone or 0)

    def run_batch(self, partner_id: str, key: str, ops: list[dict[str, Any]]
                  ) -> dict[str, Any]:
        """Apply the ops and store the answer under the key, in one transaction."""
        try:
            with self.tx() as conn:
                results = self.apply_ops(conn, partner_id, ops)
                body = {"results": results}
                conn.execute(update(idempotency).where(
                    idempotency.c.partner_id == partner_id, idempotency.c.key == key)
                    .values(state="done", status_code=200, response=canonical(body)))
                return body
        except BaseException:
            with self.tx() as conn:
                conn.execute(delete(idempotency).where(
                    idempotency.c.partner_id == partner_id, idempotency.c.key == key,
                    idempotency.c.state == "pending"))
            raise

    # --- the delta feed -----------------------------------------------------------------------

    def feed(self, partner_id: str, since: int, limit: int
             ) -> tuple[list[RawJSON], int, bool, dict[str, int] | None]:
        """A page of changes after `since`; on the last page also the live counts per entity,
        read in the same transaction (the client's count check costs no extra request).
        On PostgreSQL the page, the newest cursor and the counts come from one snapshot
        (REPEATABLE READ): read by separate statements under READ COMMITTED, a commit between
        them would move the cursor past changes the page did not carry."""
        with self._snapshot() as conn:
            horizon = conn.execute(select(partners.c.horizon).where(
                partners.c.id == partner_id)).scalar()
            if since and horizon and since < horizon:
                raise CursorExpired(f"cursor {since} has expired; resync from 0")
            rows = conn.execute(
                select(changes.c.cursor, objects)
                .join(objects, (objects.c.partner_id == changes.c.partner_id)
                      & (objects.c.entity == changes.c.entity)
                      & (objects.c.id == changes.c.obj_id))
                .where(changes.c.partner_id == partner_id, changes.c.cursor > since)
                .order_by(changes.c.cursor).limit(limit + 1)).all()
            last = conn.execute(select(func.max(changes.c.cursor)).where(
                changes.c.partner_id == partner_id)).scalar()
            more = len(rows) > limit
            counts = None if more else self._counts(conn, partner_id)
        rows = rows[:limit]
        # The stored payload is already canonical JSON: splice it in rather than parse and
        # re-encode it (most of a big pull's server time otherwise).
        dumps = json.dumps
        items = [RawJSON(
            f'{{"cursor":{r.cursor},"entity":{dumps(r.entity)},"id":{dumps(r.id)},'
            f'"version":{r.version},"updated_at":{dumps(r.updated_at)},'
            f'"deleted":{"true" if r.deleted_at is not None else "false"},'
            f'"payload":{r.payload}}}') for r in rows]
        next_cursor = rows[-1].cursor if rows else max(since, int(last or 0))
        return items, next_cursor, more, counts

    def purge_tombstones(self, partner_id: str) -> int:
        """Forget tombstones and their feed entries; a cursor older than the newest purged
        tombstone has expired (it may have missed one): its holder must resync from 0."""
        with self.tx() as conn:
            self._hold_feed(conn, partner_id)
            dead = conn.execute(
                select(changes.c.cursor, changes.c.entity, changes.c.obj_id)
                .join(objects, (objects.c.partner_id == changes.c.partner_id)
                      & (objects.c.entity == changes.c.entity)
                      & (objects.c.id == changes.c.obj_id))
                .where(changes.c.partner_id == partner_id, objects.c.deleted_at.is_not(None))
            ).all()
            if not dead:
                return 0
            for _cursor, entity, obj_id in dead:
                conn.execute(delete(changes).where(
                    changes.c.partner_id == partner_id, changes.c.entity == entity,
                    changes.c.obj_id == obj_id))
            conn.execute(delete(objects).where(objects.c.partner_id == partner_id,
                                               objects.c.deleted_at.is_not(None)))
            horizon = max(int(row.cursor) for row in dead)
            conn.execute(update(partners).where(partners.c.id == partner_id)
                         .values(horizon=horizon))
            return len(dead)


def validate_op(op: Mapping[str, Any]) -> list[str]:
    reasons: list[str] = []
    entity, obj_id, kind = op.get("entity"), op.get("id"), op.get("op")
    if entity not in ENTITIES:
        reasons.append(f"unknown entity {entity!r}; known: {', '.join(sorted(ENTITIES))}")
    if not isinstance(obj_id, str) or not 1 <= len(obj_id) <= 64:
        reasons.append("id must be a string of 1 to 64 characters")
    if kind not in ("upsert", "delete"):
        reasons.append("op must be 'upsert' or 'delete'")
    base = op.get("base_version", 0)
    if not isinstance(base, int) or isinstance(base, bool) or not 0 <= base <= MAX_INT64:
        reasons.append(f"base_version must be an integer from 0 to {MAX_INT64}")
    op_key = op.get("op_key")
    if op_key is not None and (not isinstance(op_key, str) or len(op_key) > MAX_OP_KEY):
        reasons.append(f"op_key must be a string of at most {MAX_OP_KEY} characters")
    if kind == "upsert" and isinstance(entity, str) and entity in ENTITIES:
        payload = op.get("payload")
        if not isinstance(payload, dict):
            reasons.append("payload must be an object")
        else:
            if "id" in payload and payload["id"] != obj_id:
                reasons.append("payload id differs from the op's id")
            reasons += validate_payload(entity, payload)
            name = payload.get("name")
            if entity in NAMED and isinstance(name, str) and VISIBLE.search(name):
                why = name_reason(entity, name)
                reasons += [why] if why else []
    return reasons
