"""Faults from the real server's fault switch: after recovery every op is applied exactly once.

429 with Retry-After, 503s, answers lost after the server applied the batch (500 / a client
timeout), a sync that gave up in the middle, a token that expired, a server killed mid-push."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from app.sync import HttpTransport, RetryPolicy, SyncEngine, SyncError
from server.store import object_versions
from tests.server.live import CLIENTS, LiveServer, free_port, sync
from tests.sync.helpers import live, open_ws, outbox


def versions_on_server(server: LiveServer) -> int:
    """Every version the server ever stored: an op applied twice would add one."""
    store = server.app.state.store
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(object_versions)).scalar()
                   or 0)


def test_429_with_retry_after_is_honoured(server: LiveServer, tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        a.companies.create("Acme")
        server.fault("/v1/batch", status=429, retry_after=1, times=1)
        retry = RetryPolicy(base=0.01, cap=0.05)
        report = sync(a, server, retry=retry)
        assert report.applied == 1
        assert retry.waits == [1.0]  # exactly what the server asked for
        assert server.hits("/v1/batch") == 2
        assert versions_on_server(server) == 1
    finally:
        a.close()


def test_503s_and_500s_are_retried_with_jittered_backoff(server: LiveServer,
                                                         tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        for i in range(5):
            a.companies.create(f"Co {i}")
        server.fault("/v1/batch", status=503, times=2)
        server.fault("/v1/changes", status=500, times=1)
        server.fault("/v1/token", status=502, times=1)
        retry = RetryPolicy(base=0.01, cap=0.05)
        report = sync(a, server, retry=retry)
        assert report.applied == 5
        assert report.count_check == "ok"
        assert len(retry.waits) == 4
        assert all(0 <= w <= 0.05 for w in retry.waits)
        assert versions_on_server(server) == 5
    finally:
        a.close()


def test_an_answer_lost_after_the_server_applied_is_not_applied_twice(
        server: LiveServer, tmp_path: Path) -> None:
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        for i in range(3):
            a.companies.create(f"Co {i}")
        server.fault("/v1/batch", mode="after_status", status=500, times=1)
        report = sync(a, server)
        assert report.applied == 3
        assert report.conflicts == 0
        assert server.hits("/v1/batch") == 2  # the retry was answered from the stored response
        assert versions_on_server(server) == 3
        assert outbox(a) == 0
        sync(b, server)
        assert live(b) == live(a)
    finally:
        a.close()
        b.close()


def test_a_timeout_after_the_server_applied_is_not_applied_twice(server: LiveServer,
                                                                 tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        a.companies.create("Slow")
        server.fault("/v1/batch", mode="after_delay", delay=1.0, status=504, times=1)
        report = sync(a, server, timeout=0.3)
        assert report.applied == 1
        assert versions_on_server(server) == 1
    finally:
        a.close()


def test_a_sync_that_gave_up_after_the_server_applied_resumes_exactly_once(
        server: LiveServer, tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        a.companies.create("Acme")
        a.sites.create("Acme", "HQ")
        server.fault("/v1/batch", mode="after_status", status=500, times=5)
        with pytest.raises(SyncError):
            sync(a, server, retry=RetryPolicy(attempts=2, base=0.01, cap=0.02))
        assert outbox(a) == 2  # nothing confirmed, nothing lost
        assert versions_on_server(server) == 2  # ...though the server has it
        httpx.delete(f"{server.url}/_test/faults").raise_for_status()
        a.sites.rename("HQ", "Head Office")  # more work on the same record meanwhile
        report = sync(a, server)
        assert report.conflicts == 0
        assert outbox(a) == 0
        assert versions_on_server(server) == 3  # company once, site twice (create, rename)
        assert live(a)["sites"] == ["Acme/Head Office:None"]
    finally:
        a.close()


def test_one_token_is_reused_and_every_request_has_its_own_id(server: LiveServer,
                                                              tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        async def go() -> HttpTransport:
            transport = server.transport()
            engine = SyncEngine(a.db, transport, batch_size=2)
            for i in range(3):
                a.companies.create(f"Co {i}")
                await engine.sync()
            await transport.aclose()
            return transport

        transport = asyncio.run(go())
        assert transport.tokens_fetched == 1
        assert transport.requests == 7  # token once; per sync one batch and one feed page
        assert len(set(transport.request_ids)) == len(transport.request_ids)
    finally:
        a.close()


def test_an_expired_token_is_replaced(tmp_path: Path) -> None:
    live_server = LiveServer(tmp_path / "s.db", token_ttl=0.5).start()
    a = open_ws(tmp_path, "a")
    try:
        async def go() -> HttpTransport:
            # The client believes the token lives an hour; the server says 401 after 0.5 s.
            transport = live_server.transport()
            engine = SyncEngine(a.db, transport)
            a.companies.create("One")
            await engine.sync()
            await asyncio.sleep(0.6)
            a.companies.create("Two")
            await engine.sync()
            await transport.aclose()
            return transport

        transport = asyncio.run(go())
        assert transport.tokens_fetched >= 2
        assert outbox(a) == 0
    finally:
        a.close()
        live_server.stop()


def test_wrong_credentials_fail_clearly(server: LiveServer, tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        a.companies.create("Acme")

        async def go() -> None:
            transport = HttpTransport(server.url, "alpha", "wrong")
            try:
                await SyncEngine(a.db, transport).sync()
            finally:
                await transport.aclose()

        with pytest.raises(SyncError, match="refused client id 'alpha'"):
            asyncio.run(go())
        assert outbox(a) == 1
    finally:
        a.close()


def _start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    spec = ",".join(f"{cid}:{secret}:{partner}" for cid, (secret, partner) in CLIENTS.items())
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "--port", str(port), "--db", f"sqlite:///{db}",
         "--faults"],
        env={**os.environ, "PREFLIGHT_SERVER_CLIENTS": spec},
        cwd=Path(__file__).resolve().parents[2], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


@pytest.mark.slow
def test_a_server_killed_mid_push_and_restarted(tmp_path: Path) -> None:
    db, port = tmp_path / "server.db", free_port()
    url = f"http://127.0.0.1:{port}"
    process = _start_server(db, port)
    a = open_ws(tmp_path, "a")
    try:
        for i in range(50):
            a.companies.create(f"Co {i:02d}")
        # The batch stalls in the server before it is applied; the server dies meanwhile.
        httpx.post(f"{url}/_test/faults", json={"path": "/v1/batch", "mode": "delay",
                                                 "delay": 5, "times": 1}).raise_for_status()

        async def go() -> int:
            transport = HttpTransport(url, "alpha", CLIENTS["alpha"][0], timeout=10,
                                      retry=RetryPolicy(attempts=40, base=0.1, cap=0.3))
            try:
                report = await SyncEngine(a.db, transport, batch_size=20).sync()
                return report.applied
            finally:
                await transport.aclose()

        def kill_and_restart() -> subprocess.Popen[bytes]:
            time.sleep(1.0)
            process.send_signal(signal.SIGKILL)
            process.wait(10)
            return _start_server(db, port)

        async def scenario() -> tuple[int, subprocess.Popen[bytes]]:
            restarted = asyncio.create_task(asyncio.to_thread(kill_and_restart))
            applied = await go()
            return applied, await restarted

        applied, process = asyncio.run(scenario())
        assert applied == 50
        assert outbox(a) == 0
        with httpx.Client(base_url=url) as client:
            token = client.post("/v1/token", json={
                "grant_type": "client_credentials", "client_id": "alpha",
                "client_secret": CLIENTS["alpha"][0]}).json()["access_token"]
            counts = client.get("/v1/counts", headers={"Authorization": f"Bearer {token}"})
            feed = client.get("/v1/changes", params={"limit": 5000},
                              headers={"Authorization": f"Bearer {token}"}).json()
        assert counts.json()["company"] == 50
        assert {c["version"] for c in feed["changes"]} == {1}  # none applied twice
    finally:
        a.close()
        process.kill()
        process.wait(10)
