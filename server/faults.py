"""A fault switch for tests of the real server (never on unless `create_app(faults=True)` or
`preflight server --faults`): queue failures for a path and the server serves them.

Modes: `status` answers `status` (with `Retry-After`) without running the request; `delay`
sleeps before running it; `after_status` runs the request (it is applied) and then answers
`status` instead of its result; `after_delay` runs it and stalls so the client times out — both
are "the answer was lost after the server applied the change".
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MODES = ("status", "delay", "after_status", "after_delay")


@dataclass
class Fault:
    path: str
    mode: str = "status"
    status: int = 503
    times: int = 1
    retry_after: float | None = None
    delay: float = 0.0


class FaultInjector:
    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        if fault.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        with self.lock:
            self.faults.append(fault)

    def take(self, path: str) -> Fault | None:
        with self.lock:
            self.hits[path] += 1
            for fault in self.faults:
                if fault.path == path and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def install(self, app: FastAPI) -> None:
        app.add_middleware(_FaultMiddleware, injector=self)

        @app.post("/_test/faults", include_in_schema=False)
        def add_fault(body: dict[str, Any]) -> dict[str, str]:
            self.add(Fault(**body))
            return {"status": "queued"}

        @app.get("/_test/faults", include_in_schema=False)
        def state() -> dict[str, Any]:
            with self.lock:
                return {"hits": dict(self.hits),
                        "pending": [f.__dict__ for f in self.faults if f.times > 0]}

        @app.delete("/_test/faults", include_in_schema=False)
        def clear() -> dict[str, str]:
            with self.lock:
                self.faults.clear()
                self.hits.clear()
            return {"status": "cleared"}

        @app.post("/_test/purge/{partner_id}", include_in_schema=False)
        def purge(partner_id: str) -> dict[str, int]:
            return {"purged": app.state.store.purge_tombstones(partner_id)}


class _FaultMiddleware:
    def __init__(self, app: ASGIApp, injector: FaultInjector) -> None:
        self.app = app
        self.injector = injector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope["path"]).startswith("/_test/"):
            await self.app(scope, receive, send)
            return
        fault = self.injector.take(str(scope["path"]))
        if fault is None:
            await self.app(scope, receive, send)
            return
        if fault.mode == "delay":
            await asyncio.sleep(fault.delay)
            await self.app(scope, receive, send)
            return
        if fault.mode in ("after_status", "after_delay"):
            async def swallow(_message: Message) -> None:
                return None

            await self.app(scope, receive, swallow)
            if fault.mode == "after_delay":
                await asyncio.sleep(fault.delay)
        await _respond(send, fault)


async def _respond(send: Send, fault: Fault) -> None:
    body = json.dumps({"error": f"injected fault ({fault.mode})"}).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
    if fault.retry_after is not None:
        headers.append((b"retry-after", str(fault.retry_after).encode()))
    await send({"type": "http.response.start", "status": fault.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
