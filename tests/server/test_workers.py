"""`preflight server --workers 2` on either database: a token, a rate-limit window and an
Idempotency-Key are the same whichever worker process answers (all are in the database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.cli.helpers import REPO_ROOT, cli_env
from tests.server.live import free_port, wait_until_serving

LIMIT = 40


@pytest.fixture
def workers(db_url: str) -> Iterator[str]:
    port = free_port()
    env = {**cli_env(), "PREFLIGHT_SERVER_CLIENTS": "w:w-secret:partner-w"}
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "--port", str(port), "--db", db_url, "--workers", "2",
         "--rate-limit", str(LIMIT)], env=env, cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process)
        yield url
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert "2 workers" in err.decode()


def test_workers_share_tokens_idempotency_and_rate_limits(workers: str) -> None:
    token = httpx.post(f"{workers}/v1/token", json={
        "grant_type": "client_credentials", "client_id": "w", "client_secret": "w-secret"}
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    ops = {"ops": [{"entity": "company", "id": "c1", "op": "upsert", "base_version": 0,
                    "payload": {"name": "Acme"}}]}
    key = str(uuid.uuid4())

    def post(_n: int) -> tuple[int, str]:
        # A new connection each time: uvicorn's workers share the socket, so calls spread.
        answer = httpx.post(f"{workers}/v1/batch", json=ops,
                            headers={**auth, "Idempotency-Key": key}, timeout=30)
        return answer.status_code, answer.text

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, range(16)))
    assert {status for status, _ in answers} <= {200, 409}
    applied = [body for status, body in answers if status == 200]
    assert applied
    results = [json.loads(body) for body in applied]
    assert all(r == results[0] for r in results)  # applied once, then replayed
    assert results[0]["results"][0]["status"] == "applied"
    page = httpx.get(f"{workers}/v1/changes", headers=auth).json()
    assert [(c["id"], c["version"]) for c in page["changes"]] == [("c1", 1)]

    def read(_n: int) -> int:
        return httpx.get(f"{workers}/v1/counts", headers=auth, timeout=30).status_code

    if time.time() % 60 > 45:  # the burst below stays inside one one-minute window
        time.sleep(61 - time.time() % 60)
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(read, range(LIMIT + 10)))
    # One window for the partner, whichever worker counted: exactly LIMIT calls served.
    assert (statuses.count(200), statuses.count(429)) == (LIMIT, 10)
    assert os.environ.get("PREFLIGHT_SERVER_WORKER_OPTIONS") is None  # the child's only
