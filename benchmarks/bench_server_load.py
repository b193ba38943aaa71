"""Server load figures (issue 17): 4, 16 and 64 concurrent clients pushing and pulling against
`python -m server --workers 1` and `--workers 2`, on SQLite and on PostgreSQL; then the single
client's push of 10,000 ops through the sync engine beside raw httpx round trips of the same
requests (benchmarks/bench_sync.py's figure).

    .venv/bin/python benchmarks/bench_server_load.py [--rounds 4] [--batch 25] [--push 10000]

Each client: `rounds` × (push a batch of `batch` new companies with op keys, then pull the feed
from its cursor). Loopback only; bounded loops. After each run the feed is read whole: every
op must be there exactly once (lost and duplicated ops are counted, and must be 0). PostgreSQL
is a throw-away cluster (tests/server/postgres.py); skipped when its binaries are missing.
Nothing is asserted (docs/architecture.md §11).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.server.live import free_port, wait_until_serving  # noqa: E402
from tests.server.postgres import Cluster, bin_dir  # noqa: E402

CLIENT, SECRET, PARTNER = "load", "load-secret", "partner-load"


@contextlib.contextmanager
def serve(db_url: str, workers: int) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PREFLIGHT_SERVER_CLIENTS": f"{CLIENT}:{SECRET}:{PARTNER}",
           "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "--port", str(port), "--db", db_url,
         "--workers", str(workers)], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(30)


async def token(client: httpx.AsyncClient) -> str:
    answer = await client.post("/v1/token", json={"grant_type": "client_credentials",
                                                  "client_id": CLIENT, "client_secret": SECRET})
    answer.raise_for_status()
    return str(answer.json()["access_token"])


async def one_client(url: str, n: int, *, rounds: int, batch: int, latencies: list[float],
                     errors: list[str], applied: list[str]) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        headers = {"Authorization": f"Bearer {await token(client)}"}
        cursor = 0
        for r in range(rounds):
            ops = [{"entity": "company", "id": f"c{n}-{r}-{i}", "op": "upsert",
                    "base_version": 0, "payload": {"name": f"Load {n}-{r}-{i}"},
                    "op_key": f"k{n}-{r}-{i}"} for i in range(batch)]
            start = time.perf_counter()
            try:
                answer = await client.post("/v1/batch", json={"ops": ops}, headers={
                    **headers, "Idempotency-Key": str(uuid.uuid4())})
                latencies.append(time.perf_counter() - start)
                if answer.status_code != 200:
                    errors.append(f"push {answer.status_code}")
                else:
                    applied += [x["id"] for x in answer.json()["results"]
                                if x["status"] == "applied"]
            except httpx.HTTPError as exc:
                errors.append(f"push {type(exc).__name__}")
            while True:
                start = time.perf_counter()
                try:
                    page = await client.get("/v1/changes", params={"since": cursor,
                                                                   "limit": 1000},
                                            headers=headers)
                    latencies.append(time.perf_counter() - start)
                except httpx.HTTPError as exc:
                    errors.append(f"pull {type(exc).__name__}")
                    break
                if page.status_code != 200:
                    errors.append(f"pull {page.status_code}")
                    break
                body = page.json()
                cursor = body["next_cursor"]
                if not body["has_more"]:
                    break


async def feed_ids(url: str) -> list[tuple[str, int]]:
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        headers = {"Authorization": f"Bearer {await token(client)}"}
        since, out = 0, []
        while True:
            body = (await client.get("/v1/changes", params={"since": since, "limit": 5000},
                                     headers=headers)).json()
            out += [(c["id"], c["version"]) for c in body["changes"]]
            since = body["next_cursor"]
            if not body["has_more"]:
                return out


async def load(url: str, clients: int, rounds: int, batch: int) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    applied: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(*(one_client(url, n, rounds=rounds, batch=batch, latencies=latencies,
                                      errors=errors, applied=applied)
                           for n in range(clients)))
    wall = time.perf_counter() - start
    expected = {f"c{n}-{r}-{i}" for n in range(clients) for r in range(rounds)
                for i in range(batch)}
    seen = await feed_ids(url)
    ids = [i for i, _ in seen if i in expected]
    latencies.sort()
    return {
        "ops/s": len(applied) / wall,
        "p50 ms": statistics.median(latencies) * 1000,
        "p99 ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": len(errors),
        "lost": len(expected - set(ids)),
        "duplicated": len(ids) - len(set(ids)) + sum(1 for i, v in seen
                                                     if i in expected and v != 1),
    }


def row(*cells: str) -> str:
    widths = (28, 10, 10, 10, 8, 6, 11)
    return " ".join(f"{c:>{w}}" if k else f"{c:<{w}}" for k, (c, w) in
                    enumerate(zip(cells, widths, strict=True)))


def databases(tmp: Path) -> Iterator[tuple[str, str]]:
    yield "SQLite", f"sqlite:///{tmp / 'load.db'}"
    binaries = bin_dir()
    if binaries is None:
        print("PostgreSQL: skipped (no initdb/pg_ctl; install Debian's postgresql)")
        return
    cluster = Cluster(binaries)
    try:
        with cluster.database() as url:
            yield "PostgreSQL", url
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--clients", default="4,16,64")
    parser.add_argument("--push", type=int, default=10_000,
                        help="the single client's push (0: skip)")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.platform()}, "
          f"{os.cpu_count()} cores")
    print(row("database, workers, clients", "ops/s", "p50 ms", "p99 ms", "errors", "lost",
              "duplicated"))
    with tempfile.TemporaryDirectory() as folder:
        for name, url in databases(Path(folder)):
            for workers in (1, 2):
                for clients in (int(c) for c in args.clients.split(",")):
                    with serve(url, workers) as base:
                        # A fresh partner's data each run: ids differ per run by the prefix.
                        result = asyncio.run(load(base, clients, args.rounds, args.batch))
                    print(row(f"{name}, {workers}, {clients}", f"{result['ops/s']:,.0f}",
                              f"{result['p50 ms']:.1f}", f"{result['p99 ms']:.1f}",
                              str(int(result["errors"])), str(int(result["lost"])),
                              str(int(result["duplicated"]))), flush=True)
                    reset(url)
    if args.push:
        print()
        print("single client (benchmarks/bench_sync.py, push only):")
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_sync.py"),
                        "--push", str(args.push), "--pull", "0"], check=False, cwd=ROOT)


def reset(url: str) -> None:
    """Empty the database between runs (the schema stays)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        for table in ("objects", "object_versions", "changes", "applied_ops", "idempotency",
                      "object_names", "tokens"):
            conn.execute(text(f"DELETE FROM {table}"))
    engine.dispose()


if __name__ == "__main__":
    main()
