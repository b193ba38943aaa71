from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.live import LiveServer
from tests.server.postgres import DATABASES, database_url


@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh server database: SQLite, then PostgreSQL (tests/server/postgres.py)."""
    with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def server(db_url: str) -> Iterator[LiveServer]:
    live = LiveServer(db_url).start()
    yield live
    live.stop()
