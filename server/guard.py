"""Hostile input stops at the door: a body size cap checked before the body is read (and before
authentication), strict JSON (no NaN or Infinity), and text without NUL or lone surrogates.

Each is refused with a 4xx and a `detail` that names what and where; none reaches the database,
where they would fail (PostgreSQL refuses NUL in text, SQLite cannot encode a lone surrogate)
or be stored as something no JSON reader accepts (NaN).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 48 * 1024 * 1024  # the client's batch of 500 ops of up to 64 KiB each fits
MAX_TOKEN_BODY_BYTES = 16 * 1024  # client credentials are a few hundred bytes
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class BadInput(HTTPException):
    """A 4xx with its own error code (server/errors.py writes `{"error": code, ...}`)."""

    def __init__(self, status: int, detail: str, code: str) -> None:
        super().__init__(status, detail)
        self.code = code


def _refuse_constant(name: str) -> Any:
    raise BadInput(422, f"{name} is not JSON: numbers must be finite", "invalid_json")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadInput(422, f"the number {text[:40]} is out of range: numbers must be finite",
                       "invalid_json")
    return value


def _where(path: Sequence[str | int]) -> str:
    out = "body"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def bad_text(value: Any, path: tuple[str | int, ...] = ()) -> str | None:
    """Where (`body.ops[3].payload.name`) a string or key holds a NUL or a lone surrogate,
    and which; None when every string is clean."""
    if isinstance(value, str):
        if "\x00" in value:
            return f"{_where(path)} contains a NUL character (\\u0000)"
        if _LONE_SURROGATE.search(value):
            return f"{_where(path)} contains a lone surrogate (an unpaired \\ud800-\\udfff)"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = bad_text(key, (*path, "(key)")) or bad_text(item, (*path, key))
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = bad_text(item, (*path, index))
            if found:
                return found
    return None


def strict_loads(body: bytes) -> Any:
    """The body as JSON, or BadInput (422) naming the problem."""
    try:
        value = json.loads(body, parse_constant=_refuse_constant, parse_float=_finite)
    except json.JSONDecodeError:
        raise  # FastAPI answers these with its validation error (422, with the position)
    except UnicodeDecodeError:
        raise BadInput(422, "the body is not UTF-8 text", "invalid_json") from None
    except RecursionError:
        raise BadInput(422, "the body is nested too deeply", "invalid_json") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise BadInput(422, f"the body is not usable JSON: {exc}", "invalid_json") from None
    # NUL and lone surrogates can only come in as \u escapes (raw ones are invalid JSON or
    # invalid UTF-8), so a body without any skips the walk.
    if b"\\u" in body:
        problem = bad_text(value)
        if problem:
            raise BadInput(422, f"{problem}; text must not hold NUL or unpaired surrogates",
                           "invalid_text")
    return value


class StrictRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_loads(await self.body())
        return self._json


class StrictRoute(APIRoute):
    """Every route parses its JSON body with `strict_loads`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(StrictRequest(request.scope, request.receive))

        return strict


async def _answer(send: Send, status: int, code: str, detail: str) -> None:
    body = json.dumps({"error": code, "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class InputGuard:
    """ASGI middleware, outermost: URLs without NUL, and bodies within their cap.

    A declared Content-Length over the cap is refused from the headers alone; a chunked body
    is read up to the cap and refused there, so no request costs more memory than its cap.
    `caps` maps a path prefix to (bytes, error code); other paths get `default_cap`."""

    def __init__(self, app: ASGIApp, default_cap: int,
                 caps: Sequence[tuple[str, int, str]] = ()) -> None:
        self.app = app
        self.default_cap = default_cap
        self.caps = tuple(caps)

    def _cap(self, path: str) -> tuple[int, str]:
        for prefix, cap, code in self.caps:
            if path.startswith(prefix):
                return cap, code
        return self.default_cap, "body_too_large"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope["path"])
        query = bytes(scope.get("query_string", b""))
        if "\x00" in path or b"%00" in query or b"\x00" in query:
            await _answer(send, 422, "invalid_text",
                          "the URL contains a NUL character (%00); no id or parameter may "
                          "hold one")
            return
        cap, code = self._cap(path)
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None:
            if declared.isdigit() and int(declared) > cap:
                await _answer(send, 413, code, f"the body is {int(declared)} bytes; at most "
                                               f"{cap} are accepted on {path}")
                return
            await self.app(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD", "DELETE", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        # Chunked (no Content-Length): read it here, up to the cap, then hand it on.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = bytes(message.get("body", b""))
            size += len(chunk)
            if size > cap:
                await _answer(send, 413, code, f"the body is over {cap} bytes, the most "
                                               f"accepted on {path}")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
