"""The real reference server on 127.0.0.1 for tests: uvicorn in a thread on a free port, with
its fault switch on (`/_test/faults`)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import httpx
import uvicorn

from app.services.workspace import Workspace
from app.sync import HttpTransport, RetryPolicy, SyncEngine, SyncReport
from server.app import create_app

T = TypeVar("T")
CLIENTS = {"alpha": ("alpha-secret", "partner-a"), "beta": ("beta-secret", "partner-b")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    def __init__(self, db: Path | str, **options: Any) -> None:
        url = db if isinstance(db, str) else f"sqlite:///{db}"
        self.app = create_app(url, CLIENTS, faults=True, **options)
        self.port = free_port()
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="error",
                                ws="none", lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)
        self.app.state.store.close()

    # --- helpers for tests --------------------------------------------------------------------

    def token(self, client: str = "alpha") -> str:
        response = httpx.post(f"{self.url}/v1/token", json={
            "grant_type": "client_credentials", "client_id": client,
            "client_secret": CLIENTS[client][0], "scope": "platform.all"})
        response.raise_for_status()
        return str(response.json()["access_token"])

    def client(self, client: str = "alpha") -> httpx.Client:
        return httpx.Client(base_url=self.url,
                            headers={"Authorization": f"Bearer {self.token(client)}"})

    def fault(self, path: str, **spec: Any) -> None:
        httpx.post(f"{self.url}/_test/faults", json={"path": path, **spec}).raise_for_status()

    def hits(self, path: str) -> int:
        data = httpx.get(f"{self.url}/_test/faults").json()
        return int(data["hits"].get(path, 0))

    def transport(self, client: str = "alpha", **options: Any) -> HttpTransport:
        retry = options.pop("retry", None) or RetryPolicy(base=0.01, cap=0.05)
        return HttpTransport(self.url, client, CLIENTS[client][0], retry=retry, **options)


def run(coro_fn: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(coro_fn())


def sync(ws: Workspace, server: LiveServer, *, dry_run: bool = False, client: str = "alpha",
         **options: Any) -> SyncReport:
    """One `preflight sync` of a workspace, with its own transport and loop."""
    batch_size = options.pop("batch_size", 500)
    page_size = options.pop("page_size", 2000)

    async def go() -> SyncReport:
        transport = server.transport(client, **options)
        try:
            engine = SyncEngine(ws.db, transport, batch_size=batch_size, page_size=page_size)
            return await engine.sync(dry_run=dry_run)
        finally:
            await transport.aclose()

    return asyncio.run(go())


def wait_until_serving(url: str, process: Any, *, seconds: float = 60) -> None:
    """Wait for a `python -m server` subprocess at `url` to answer; RuntimeError if it stops
    or does not answer within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.get(f"{url}/openapi.json", timeout=2).raise_for_status()
            return
        except httpx.HTTPError:
            if process.poll() is not None:
                raise RuntimeError("the server stopped") from None
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.1)
