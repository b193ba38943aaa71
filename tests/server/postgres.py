"""A throw-away PostgreSQL for tests: one cluster per test process (per pytest-xdist worker),
started on first use with Debian's `initdb` + `pg_ctl` in a temporary folder, listening on
127.0.0.1 only, and a fresh database for each test that asks.

PostgreSQL refuses to run as root; under root (CI) the cluster belongs to `nobody` and the
commands run through `runuser`. Without PostgreSQL binaries the PostgreSQL variants are
skipped with the reason, except under CI (`CI` set), where that is a failure: CI installs them
(`.ci/run`).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.server.live import free_port

DATABASES = ("sqlite", "postgresql")
UNPRIVILEGED = "nobody"


def bin_dir() -> Path | None:
    """The folder with `initdb` and `pg_ctl`: $PG_BIN, Debian's newest, or the PATH's."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                    key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                    else 0)
    if debian:
        return debian[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class Cluster:
    def __init__(self, binaries: Path) -> None:
        self.bin = binaries
        self.root = Path(tempfile.mkdtemp(prefix="preflight-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, UNPRIVILEGED)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        # Throw-away data: no fsync (the durability under test is the server's, not the disk's).
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w",
                  "-t", "60", "start", "-o",
                  f"-h 127.0.0.1 -p {self.port} -k {self.root} -F "
                  "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200")

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", UNPRIVILEGED, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root,
                              check=False, timeout=120)
        if done.returncode != 0:
            log = self.root / "log"
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr.strip()}\n"
                               + (log.read_text() if log.exists() else ""))

    def admin_url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        """A new, empty database (its SQLAlchemy URL), dropped afterwards."""
        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(self.admin_url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield self.url(name)
        finally:
            with psycopg.connect(self.admin_url(), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


_clusters: list[Cluster] = []  # at most one: this process's


def cluster() -> Cluster:
    """This process's cluster, started on first use and stopped at exit (session-scoped for
    every test folder that uses it)."""
    if not _clusters:
        binaries = bin_dir()
        if binaries is None or not (binaries / "pg_ctl").exists():
            reason = ("no PostgreSQL binaries (initdb, pg_ctl) found; install Debian's "
                      "`postgresql` package or set PG_BIN to run the PostgreSQL variants")
            if os.environ.get("CI"):
                pytest.fail(f"CI is set and {reason}", pytrace=False)
            pytest.skip(reason)
        started = Cluster(binaries)
        atexit.register(started.stop)
        _clusters.append(started)
    return _clusters[0]


@contextlib.contextmanager
def database_url(kind: str, folder: Path) -> Iterator[str]:
    """A fresh database of this kind: a SQLite file in `folder`, or a PostgreSQL database."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'server.db'}"
        return
    with cluster().database() as url:
        yield url
