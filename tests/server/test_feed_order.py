"""The change feed never lets a reader pass a change that commits later. On PostgreSQL
concurrent transactions take cursors from one sequence and commit in any order; the feed's
writes of a partner are serialised (server/store.py `_hold_feed`), so a cursor a reader has
seen is never followed by an earlier one committing."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.store import Store
from tests.server.live import LiveServer
from tests.server.postgres import database_url


def company(obj_id: str) -> dict[str, Any]:
    return {"entity": "company", "id": obj_id, "op": "upsert", "base_version": 0,
            "payload": {"name": obj_id}}


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    """PostgreSQL only: on SQLite a write transaction holds every other one off (BEGIN
    IMMEDIATE), readers included, so no change can commit out of order there."""
    with database_url("postgresql", tmp_path) as url:
        yield url


def test_a_change_that_commits_late_is_not_skipped(pg_url: str) -> None:
    store = Store(pg_url)
    store.register_client("c", "s", "p")
    written, release = threading.Event(), threading.Event()

    def slow_writer() -> None:  # takes its cursor first, commits last
        with store.tx() as conn:
            store.apply_ops(conn, "p", [company("early")])
            written.set()
            assert release.wait(30)

    def quick_writer() -> None:
        with store.tx() as conn:
            store.apply_ops(conn, "p", [company("late")])

    slow = threading.Thread(target=slow_writer)
    slow.start()
    assert written.wait(30)
    quick = threading.Thread(target=quick_writer)
    quick.start()
    quick.join(1.0)  # unserialised, it would have committed by now, past the open one
    try:
        items, cursor, _, _ = store.feed("p", 0, 100)
        seen = [str(i) for i in items]
    finally:
        release.set()
        slow.join(30)
        quick.join(30)
    rest, _, _, _ = store.feed("p", cursor, 100)
    names = {text.split('"id":"')[1].split('"')[0] for text in [*seen, *map(str, rest)]}
    store.close()
    assert names == {"early", "late"}


def tail(server: LiveServer, done: threading.Event, seen: dict[str, int]) -> None:
    """Follow the feed like a client: apply each page, move the cursor to its next_cursor."""
    cursor = 0
    with server.client() as client:
        while True:
            finished = done.is_set()  # read before the page: one more page after the writers
            page = client.get("/v1/changes", params={"since": cursor, "limit": 50}).json()
            for change in page["changes"]:
                seen[change["id"]] = change["version"]
            cursor = page["next_cursor"]
            if finished and not page["has_more"]:
                return


def test_concurrent_writers_and_a_tailing_reader_agree(server: LiveServer) -> None:
    writers, batches, per_batch = 4, 12, 5
    done = threading.Event()
    seen: dict[str, int] = {}
    errors: list[str] = []

    def write(n: int) -> None:
        with server.client() as client:
            for b in range(batches):
                ops = [company(f"w{n}-{b}-{i}") for i in range(per_batch)]
                # every object is written twice: the feed must show its newest version
                ops += [{**company(f"w{n}-{b}-0"), "base_version": 1}]
                answer = client.post("/v1/batch", json={"ops": ops},
                                     headers={"Idempotency-Key": str(uuid.uuid4())})
                statuses = {r["status"] for r in answer.json()["results"]}
                if answer.status_code != 200 or statuses != {"applied"}:
                    errors.append(answer.text)

    reader = threading.Thread(target=tail, args=(server, done, seen))
    reader.start()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    done.set()
    reader.join(120)
    assert errors == []
    expected = {f"w{n}-{b}-{i}": 2 if i == 0 else 1 for n in range(writers)
                for b in range(batches) for i in range(per_batch)}
    assert seen == expected


def _ids(pages: Iterator[dict[str, Any]]) -> set[str]:
    return {c["id"] for page in pages for c in page["changes"]}


def test_a_reader_of_another_partner_sees_none_of_it(server: LiveServer) -> None:
    with server.client("alpha") as alpha, server.client("beta") as beta:
        alpha.post("/v1/batch", json={"ops": [company("a1")]},
                   headers={"Idempotency-Key": "k"}).raise_for_status()
        page = beta.get("/v1/changes").json()
        assert page["changes"] == []
        assert _ids(iter([alpha.get("/v1/changes").json()])) == {"a1"}
        assert httpx.get(f"{server.url}/v1/changes").status_code == 401
