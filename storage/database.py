"""The workspace file: one SQLite database, opened safely and migrated before use.

Opening checks, in order: the path, the SQLite header (a truncated or foreign file is refused
before SQLite touches it), the application id and schema, then Alembic migrations after a backup
made with SQLite's backup API (docs/architecture.md §3).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import RuleViolation
from app.domain.names import name_key
from storage.errors import WorkspaceError
from storage.paths import (
    DEFAULT_FILE_NAME,
    WORKSPACE_SUFFIX,
    default_workspace_path,
    resolve_workspace_path,
)
from storage.schema import APPLICATION_ID, HEAD_REVISION, SCHEMA_MAJOR, inspect_file

log = logging.getLogger(__name__)

__all__ = ["APPLICATION_ID", "DEFAULT_FILE_NAME", "SCHEMA_MAJOR", "WORKSPACE_SUFFIX", "Database",
           "WorkspaceError", "default_workspace_path", "resolve_workspace_path"]
SQLITE_MAGIC = b"SQLite format 3\x00"
BACKUPS_KEPT = 3
BUSY_TIMEOUT_MS = 5000
WAL_AUTOCHECKPOINT_PAGES = 1000  # SQLite's default
BULK_CACHE_SIZE = -65536  # a bulk write's page cache: 64 MiB (SQLite reads a negative size as KiB)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite, or whose header promises more pages than it has."""
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_MAGIC):
        raise WorkspaceError(f"{path} is not a Preflight workspace (not an SQLite database)")
    if len(header) < 100:
        raise WorkspaceError(f"workspace {path} is damaged: the file is truncated")
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, page_count = struct.unpack(">II", header[24:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    # The in-header page count is only trusted when written by SQLite >= 3.7.0 (valid_for).
    if valid_for == change_counter and page_count and size < page_count * page_size:
        raise WorkspaceError(
            f"workspace {path} is damaged: the file is truncated "
            f"({size} of {page_count * page_size} bytes); restore it from a backup "
            f"({path.name}.backup-*) in the same folder"
        )


def _create_file(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # 0600: a workspace holds client data; only its owner may read it.
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        return
    except OSError as exc:
        raise WorkspaceError(
            f"cannot create workspace {path}: {exc.strerror or exc} "
            "(is the folder read-only? choose another with --workspace)"
        ) from None


NAME_KEY_FUNCTION = "pf_name_key"


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is unreliable).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()
    # NOCASE folds ASCII only; duplicate-name checks compare names by the domain's name_key
    # (case, width and invisible characters folded).
    dbapi_connection.create_function(NAME_KEY_FUNCTION, 1, _name_key, deterministic=True)


def _name_key(value: object) -> object:
    return name_key(value) if isinstance(value, str) else value


def _on_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get("immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite+pysqlite:///{path}", connect_args={"timeout": 5})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def describe_db_error(path: Path, exc: BaseException) -> str:
    message = str(getattr(exc, "orig", exc)) or type(exc).__name__
    lowered = message.lower()
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return (f"cannot write workspace {path}: {message} "
                "(is the file or its folder read-only? choose another with --workspace)")
    if "malformed" in lowered or "not a database" in lowered or "disk image" in lowered:
        return (f"workspace {path} is damaged ({message}); restore it from a backup "
                f"({path.name}.backup-*) in the same folder")
    if "locked" in lowered or "busy" in lowered:
        return f"workspace {path} is busy in another program ({message}); try again"
    if "disk" in lowered and "full" in lowered:
        return f"cannot write workspace {path}: the disk is full"
    return f"workspace {path}: {message}"


class Scratch:
    """A connection with a scratch database attached (`Database.with_scratch`)."""

    def __init__(self, connection: Connection, raw: Any) -> None:
        self.raw = raw  # the driver's connection: executemany into the scratch tables
        self._connection = connection

    @contextmanager
    def write(self) -> Iterator[Session]:
        """`Database.write()` on this connection: the scratch tables can be read in it."""
        with _write_session(self._connection) as session:
            yield session


@contextmanager
def _write_session(connection: Connection) -> Iterator[Session]:
    """A session in one write transaction (BEGIN IMMEDIATE) on this connection."""
    with Session(bind=connection.execution_options(immediate=True),
                 expire_on_commit=False) as session, session.begin():
        yield session


class Database:
    """An open workspace. `read()` and `write()` give sessions in one transaction each."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(immediate=True), expire_on_commit=False
        )
        self._checkpoints: list[threading.Thread] = []

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None, *, create: bool = False) -> Database:
        target = resolve_workspace_path(path)
        if target.exists() and not target.is_file():
            raise WorkspaceError(f"{target} is not a file; give --workspace a .preflight file")
        if not target.exists():
            if not create:
                raise WorkspaceError(
                    f"no workspace at {target}; create one with "
                    f"`preflight init --workspace {target}`"
                )
            _create_file(target)
        _check_header(target)
        try:
            current = inspect_file(target)
        except sqlite3.Error as exc:
            raise WorkspaceError(describe_db_error(target, exc)) from None
        engine = make_engine(target)
        try:
            if current != HEAD_REVISION:
                from storage.migrate import migrate  # Alembic only when there is work for it

                migrate(engine, target, current)
        except WorkspaceError:
            engine.dispose()
            raise
        except (DBAPIError, sqlite3.Error) as exc:
            engine.dispose()
            raise WorkspaceError(describe_db_error(target, exc)) from None
        return cls(target, engine)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._guard(), self._read.begin() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: everything in it lands together, or nothing does."""
        with self._guard(), self._write.begin() as session:
            yield session

    @contextmanager
    def with_scratch(self, schema: str) -> Iterator[Scratch]:
        """One connection of the workspace with a private in-memory database attached as
        `schema`: rows can be gathered there, outside any transaction of the workspace (its
        write lock is not taken), and moved in with one `INSERT … SELECT` in `write()`'s
        transaction (a pull's new devices, storage.pull_stage). SQLite attaches only outside
        a transaction, so the connection attaches first and detaches after."""
        if not schema.isidentifier():
            raise ValueError(f"not a schema name: {schema!r}")
        with self._checkpointing_later() as (connection, raw):
            raw.execute(f"ATTACH DATABASE ':memory:' AS {schema}")
            try:
                yield Scratch(connection, raw)
            finally:
                try:
                    raw.execute(f"DETACH DATABASE {schema}")
                except sqlite3.Error:  # never back to the pool with the scratch attached
                    connection.invalidate()

    @contextmanager
    def bulk_write(self) -> Iterator[Session]:
        """`write()` for many rows at once (an import, a big pull).

        The commit is exactly as durable (WAL, synchronous=FULL: the log is synced before it
        returns). What changes is the checkpoint: with SQLite's automatic one, the commit that
        takes the log past 1,000 pages also copies every new page into the database file before
        it returns, which for a 100k-profile import is ~190 MB written a second time, inside the
        user's wait. Here that copy runs afterwards on a thread of its own
        (`checkpoint_in_background`), and readers see the data from the log meanwhile."""
        with self._checkpointing_later() as (connection, _raw), \
                _write_session(connection) as session:
            yield session

    @contextmanager
    def _checkpointing_later(self) -> Iterator[tuple[Connection, Any]]:
        """A connection (and its driver's) whose commits leave the checkpoint to a thread
        afterwards (`bulk_write`, `with_scratch`)."""
        with self._guard(), self.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            raw.execute("PRAGMA wal_autocheckpoint = 0")
            # Room for the whole change in the page cache: with SQLite's default (2 MiB), a
            # transaction writing tens of MB spills pages to the log mid-way and reads some
            # back for the next index entry (a pull's 50,000 devices: 0.23-0.33 s to copy,
            # 0.17-0.22 s with this). Memory is taken only as pages are used, and given back.
            default_cache = raw.execute("PRAGMA cache_size").fetchone()[0]
            raw.execute(f"PRAGMA cache_size = {BULK_CACHE_SIZE}")
            try:
                yield connection, raw
            finally:
                if not connection.invalidated:
                    raw.execute(f"PRAGMA cache_size = {default_cache}")
                    raw.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        self.checkpoint_in_background()

    def checkpoint_in_background(self) -> threading.Thread:
        """Copy the log into the database file without blocking readers or writers (a
        PASSIVE checkpoint) on a thread; `close()` waits for it."""
        self._checkpoints = [t for t in self._checkpoints if t.is_alive()]
        thread = threading.Thread(target=self._checkpoint, name="wal-checkpoint", daemon=True)
        self._checkpoints.append(thread)
        thread.start()
        return thread

    def _checkpoint(self) -> None:
        try:
            with self.engine.connect() as connection:
                raw = connection.connection.dbapi_connection
                assert raw is not None
                raw.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except (DBAPIError, sqlite3.Error) as exc:
            # Not an error for the user: SQLite checkpoints again at the next commit or close.
            log.warning("background checkpoint of %s failed: %s", self.path, exc)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            if isinstance(exc.orig, sqlite3.IntegrityError):
                # The services check first; this is the database's last word (e.g. a race).
                raise RuleViolation(f"refused by the workspace: {exc.orig}") from None
            raise WorkspaceError(describe_db_error(self.path, exc)) from None

    def info(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                text("SELECT value FROM workspace_info WHERE key = :k"), {"k": key}
            ).first()
        return None if row is None else str(row[0])

    def close(self) -> None:
        for thread in self._checkpoints:
            thread.join()
        self._checkpoints.clear()
        self.engine.dispose()


def backup(path: Path, label: str) -> Path:
    """Copy a live database with SQLite's backup API and keep the newest few copies."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = path.with_name(f"{path.name}.backup-{label}-{stamp}")
    _create_file(target)
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    old = sorted(path.parent.glob(f"{path.name}.backup-*"), key=lambda p: p.stat().st_mtime)
    for stale in old[:-BACKUPS_KEPT]:
        stale.unlink(missing_ok=True)
    log.info("backed up %s to %s", path, target)
    return target
