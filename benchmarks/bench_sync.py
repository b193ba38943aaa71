"""Sync figures (issue 7): push N outbox ops, pull M changes into an empty workspace and a
no-change sync through the real reference server on loopback — beside raw HTTP round trips of
the same requests (httpx straight at the server, nothing read or written locally).

    .venv/bin/python benchmarks/bench_sync.py [--push 10000] [--pull 100000] [--batch 500]

The server runs in this process (uvicorn in a thread, SQLite in a temporary folder). Nothing is
asserted (docs/architecture.md §11).
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from app.domain.model import Company  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.sync import HttpTransport, SyncEngine  # noqa: E402
from storage.bulk import insert_companies  # noqa: E402
from storage.repository import Repository  # noqa: E402
from storage.tables import OutboxRow  # noqa: E402
from tests.server.live import CLIENTS, LiveServer  # noqa: E402

SECRET = CLIENTS["alpha"][0]


def fill_outbox(ws: Workspace, count: int, prefix: str) -> None:
    with ws.db.write() as s:
        partner = Repository(s).partner_id()
        insert_companies(s, [Company(str(uuid.uuid4()), f"{prefix} {i:06d}")
                             for i in range(count)], partner)


def seed_server(server: LiveServer, count: int) -> None:
    """`count` companies straight into the server's store (no HTTP, no workspace)."""
    store = server.app.state.store
    for start in range(0, count, 1000):
        key = str(uuid.uuid4())
        store.begin_batch("partner-a", key, key)
        store.run_batch("partner-a", key, [
            {"entity": "company", "id": str(uuid.uuid4()), "op": "upsert", "base_version": 0,
             "payload": {"name": f"Seeded {i:06d}"}, "op_key": None}
            for i in range(start, min(count, start + 1000))])


async def raw_push(server: LiveServer, ops: list[dict[str, object]], batch: int) -> float:
    async with httpx.AsyncClient(base_url=server.url) as client:
        token = (await client.post("/v1/token", json={
            "grant_type": "client_credentials", "client_id": "alpha",
            "client_secret": SECRET})).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        start = time.perf_counter()
        for i in range(0, len(ops), batch):
            response = await client.post(
                "/v1/batch", json={"ops": ops[i:i + batch]},
                headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
            response.raise_for_status()
        return time.perf_counter() - start


async def raw_pull(server: LiveServer, page: int) -> tuple[float, int, int]:
    async with httpx.AsyncClient(base_url=server.url, timeout=120) as client:
        token = (await client.post("/v1/token", json={
            "grant_type": "client_credentials", "client_id": "alpha",
            "client_secret": SECRET})).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        start = time.perf_counter()
        since, total, requests = 0, 0, 0
        while True:
            body = (await client.get("/v1/changes", params={"since": since, "limit": page},
                                     headers=headers)).json()
            requests += 1
            total += len(body["changes"])
            since = body["next_cursor"]
            if not body["has_more"]:
                return time.perf_counter() - start, total, requests


async def engine_run(ws: Workspace, server: LiveServer, *, batch: int, page: int,
                     what: str) -> tuple[float, int]:
    transport = HttpTransport(server.url, "alpha", SECRET, timeout=300)
    engine = SyncEngine(ws.db, transport, batch_size=batch, page_size=page)
    try:
        await transport.counts()  # the token, outside the timing (the peer does the same)
        before = transport.requests
        start = time.perf_counter()
        if what == "push":
            await engine.push()
        elif what == "pull":
            await engine.pull()
        else:
            await engine.sync()
        return time.perf_counter() - start, transport.requests - before
    finally:
        await transport.aclose()


def row(figure: str, ours: str, peer: str, ratio: str) -> str:
    return f"{figure:<44} {ours:>16} {peer:>16} {ratio:>8}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--push", type=int, default=10_000)
    parser.add_argument("--pull", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--page", type=int, default=5000)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.platform()}")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        server = LiveServer(tmp / "server.db").start()
        try:
            lines = [row("figure", "ours", "raw HTTP", "ratio")]
            # push
            ws = Workspace.open(tmp / "push.preflight", create=True)
            fill_outbox(ws, args.push, "Pushed")
            with ws.db.read() as s:
                ops = [{"entity": r.entity, "id": str(uuid.uuid4()), "op": r.op,
                        "base_version": 0, "payload": {"name": f"Raw {r.seq}"},
                        "op_key": None}
                       for r in s.query(OutboxRow).all()]
            ours, reqs = asyncio.run(engine_run(ws, server, batch=args.batch, page=args.page,
                                                what="push"))
            peer = asyncio.run(raw_push(server, ops, args.batch))
            lines.append(row(f"push {args.push:,} ops ({reqs} requests)",
                             f"{ours:.2f} s", f"{peer:.2f} s", f"{ours / peer:.2f}×"))
            lines.append(row("  push rate", f"{args.push / ours:,.0f} ops/s",
                             f"{args.push / peer:,.0f} ops/s", ""))
            # no-change sync (the first one pulls what was just pushed)
            asyncio.run(engine_run(ws, server, batch=args.batch, page=args.page, what="sync"))
            ours, reqs = asyncio.run(engine_run(ws, server, batch=args.batch, page=args.page,
                                                what="sync"))
            lines.append(row("no-change sync", f"{ours * 1000:.1f} ms", "", ""))
            lines.append(row("  requests (goal: 1)", str(reqs), "", ""))
            ws.close()
            # pull
            seed_server(server, args.pull)
            empty = Workspace.open(tmp / "pull.preflight", create=True)
            ours, reqs = asyncio.run(engine_run(empty, server, batch=args.batch,
                                                page=args.page, what="pull"))
            peer, fetched, peer_reqs = asyncio.run(raw_pull(server, args.page))
            lines.append(row(f"pull {fetched:,} changes into an empty workspace",
                             f"{ours:.2f} s", f"{peer:.2f} s", f"{ours / peer:.2f}×"))
            lines.append(row("  pull rate", f"{fetched / ours:,.0f} /s",
                             f"{fetched / peer:,.0f} /s", ""))
            lines.append(row("  requests", str(reqs), str(peer_reqs), ""))
            empty.close()
            print("\n".join(lines))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
