"""The reference server's transport over one shared `httpx.AsyncClient` (docs/architecture.md §5,
§8), and the plumbing it shares with the Asio connector (`BearerClient`).

One token is reused until shortly before it expires (or a 401 says it is gone); every request
carries a fresh `X-Request-ID`; every failure goes through the one `RetryPolicy`.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from app.sync.retry import RetryPolicy
from app.sync.transport import (
    AttachmentRefused,
    AuthError,
    ChangePage,
    CursorExpired,
    Op,
    OpResult,
    RemoteChange,
    SyncError,
)

_PARSED_URLS = 64  # paths whose parsed URL is kept
log = logging.getLogger("preflight.sync")


class BearerClient(ABC):
    """The plumbing every client of an API with OAuth2 client credentials shares (our server
    and ConnectWise Asio): one `httpx.AsyncClient`; one token (`POST /v1/token`, a JSON body)
    reused until `token_margin_s` before its stated expiry, or until a 401 says it is gone;
    a fresh `X-Request-ID` on every request; every failure through the one `RetryPolicy`.
    A subclass reads the token's answer and words its errors (`_read_token`, `_unreachable`,
    `_gave_up`, `_lost`)."""

    token_margin_s = 30.0  # refresh this long before the token's stated expiry
    logger = log

    def __init__(self, base_url: str, client_id: str, client_secret: str, *, scope: str,
                 client: httpx.AsyncClient | None = None, retry: RetryPolicy | None = None,
                 timeout: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.base_url = base_url.rstrip("/")
        self._client_id = client_id
        self._secret = client_secret
        self._scope = scope
        self._own_client = client is None
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._timeout = timeout
        self.retry = retry or RetryPolicy()
        self._clock = clock
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()  # binds to a loop only when a request waits on it
        self._urls: dict[str, httpx.URL] = {}
        self.requests = 0  # every request sent, retries and token requests included
        self.tokens_fetched = 0
        self.request_ids: deque[str] = deque(maxlen=1000)  # the latest, for logs and tests

    def __repr__(self) -> str:  # never the secret
        return f"{type(self).__name__}({self.base_url!r}, client_id={self._client_id!r})"

    async def aclose(self) -> None:
        if self._own_client:
            await self._client.aclose()

    def _fresh_token(self) -> str | None:
        if self._token is not None and self._clock() < self._token_expires - self.token_margin_s:
            return self._token
        return None

    async def _token_value(self) -> str:
        token = self._fresh_token()
        if token is not None:
            return token
        # requests sent at once (a pull's first ones) wait for one token: a key that asks
        # for several at once is locked out (423)
        async with self._token_lock:
            token = self._fresh_token()
            if token is not None:
                return token
            response = await self._send("POST", "/v1/token", authorized=False, json={
                "grant_type": "client_credentials", "client_id": self._client_id,
                "client_secret": self._secret, "scope": self._scope})
            token, expires_in = self._read_token(response)
            self.tokens_fetched += 1
            self._token = token
            self._token_expires = self._clock() + expires_in
            return token

    def _parsed_url(self, path: str) -> httpx.URL:
        """The URL of a path under the base URL, parsed once: httpx parses a text URL on
        every request, which for a pull's 500 device queries was a few % of its CPU."""
        url = self._urls.get(path)
        if url is None:
            if len(self._urls) >= _PARSED_URLS:  # per-object paths (drift) come once each
                self._urls.clear()
            url = self._urls[path] = httpx.URL(self.base_url + path)
        return url

    def _headers(self) -> dict[str, str]:
        """Headers of every request (besides X-Request-ID and Authorization)."""
        return {"Accept": "application/json"}

    async def _send(self, method: str, target: str, *, authorized: bool = True,
                    creates: bool = False, headers: dict[str, str] | None = None,
                    **kwargs: Any) -> httpx.Response:
        """Send with the retry policy; `target` is a path under the base URL, or a URL (a
        `Link` to the next page). `creates`: a request that makes an object without an
        idempotency key; after a lost answer it is not sent again (the object may exist)."""
        absolute = target.startswith(("http://", "https://"))
        url = target if absolute else self._parsed_url(target)
        where = f"{method} {urlsplit(target).path if absolute else target.partition('?')[0]}"
        attempt, refreshed = 0, False
        while True:
            request_id = str(uuid.uuid4())
            sent = {"X-Request-ID": request_id, **self._headers(), **(headers or {})}
            if authorized:
                sent["Authorization"] = f"Bearer {await self._token_value()}"
            self.requests += 1
            self.request_ids.append(request_id)
            try:
                response = await self._client.request(method, url, headers=sent,
                                                      timeout=self._timeout, **kwargs)
            except httpx.TransportError as exc:  # timeouts, refused connections, dropped ones
                self.logger.info("%s failed (%s), request %s", where, type(exc).__name__,
                              request_id)
                if creates and not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
                    raise self._lost(where, exc) from None
                if await self.retry.wait(attempt, None):
                    attempt += 1
                    continue
                raise self._unreachable(where, exc) from None
            if response.status_code == 401 and authorized and not refreshed:
                self._token, refreshed = None, True  # expired early or revoked: one new token
                continue
            if self.retry.retryable(response.status_code):
                self.logger.info("%s answered %s (try %d), request %s", where,
                              response.status_code, attempt + 1, request_id)
                if await self.retry.wait(attempt, response):
                    attempt += 1
                    continue
                raise self._gave_up(where, response, attempt + 1)
            return response

    # --- what differs between APIs ----------------------------------------------------------------

    @abstractmethod
    def _read_token(self, response: httpx.Response) -> tuple[str, float]:
        """The token and its lifetime in seconds, from the answer to `POST /v1/token`."""

    @abstractmethod
    def _unreachable(self, where: str, exc: httpx.TransportError) -> Exception:
        """The error when every try failed to reach the API."""

    @abstractmethod
    def _gave_up(self, where: str, response: httpx.Response, tries: int) -> Exception:
        """The error when the API still answered a retryable status after the last try."""

    def _lost(self, where: str, exc: httpx.TransportError) -> Exception:
        """A request sent with `creates` whose answer was lost."""
        return self._unreachable(where, exc)


class HttpTransport(BearerClient):
    def __init__(self, base_url: str, client_id: str, client_secret: str, *,
                 scope: str = "platform.all", client: httpx.AsyncClient | None = None,
                 retry: RetryPolicy | None = None, timeout: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(base_url, client_id, client_secret, scope=scope, client=client,
                         retry=retry, timeout=timeout, clock=clock)

    def _read_token(self, response: httpx.Response) -> tuple[str, float]:
        if response.status_code in (400, 401, 403):
            raise AuthError(f"the server refused client id '{self._client_id}' "
                            f"({response.status_code}); check the client id and secret")
        data = self._json(response)
        return str(data["access_token"]), float(data.get("expires_in", 300))

    def _unreachable(self, where: str, exc: httpx.TransportError) -> Exception:
        return SyncError(f"cannot reach the server at {self.base_url} "
                         f"({type(exc).__name__}: {exc})")

    def _gave_up(self, where: str, response: httpx.Response, tries: int) -> Exception:
        return SyncError(f"the server answered {response.status_code} to {where} "
                         f"after {tries} tries")

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise SyncError(f"the server answered {response.status_code}: "
                            f"{response.text[:300]}")
        try:
            return response.json()
        except ValueError:
            raise SyncError("the server's answer is not JSON") from None

    # --- the Transport interface ----------------------------------------------------------------

    async def push(self, ops: list[Op], idempotency_key: str) -> list[OpResult]:
        response = await self._send("POST", "/v1/batch",
                                    headers={"Idempotency-Key": idempotency_key},
                                    json={"ops": [op.to_json() for op in ops]})
        data = self._json(response)
        results = [OpResult.from_json(item) for item in data["results"]]
        if len(results) != len(ops):
            raise SyncError("the server answered a batch with the wrong number of results")
        return results

    async def changes(self, since: int, limit: int) -> ChangePage:
        response = await self._send("GET", "/v1/changes",
                                    params={"since": since, "limit": limit})
        if response.status_code == 410:
            raise CursorExpired(f"cursor {since} expired on the server")
        data = self._json(response)
        return ChangePage(
            [RemoteChange(int(c["cursor"]), str(c["entity"]), str(c["id"]), int(c["version"]),
                          str(c["updated_at"]), bool(c["deleted"]), dict(c["payload"]))
             for c in data["changes"]],
            int(data["next_cursor"]), bool(data["has_more"]),
            {str(k): int(v) for k, v in data["counts"].items()} if "counts" in data else None)

    async def counts(self) -> dict[str, int]:
        data = self._json(await self._send("GET", "/v1/counts"))
        return {str(k): int(v) for k, v in data.items()}

    async def put_attachment(self, sha256: str, data: bytes) -> bool:
        response = await self._send("PUT", f"/v1/attachments/{sha256}", content=data,
                                    headers={"Content-Type": "application/octet-stream"})
        if response.status_code in (200, 201):
            return response.status_code == 201
        kind = AttachmentRefused if response.status_code in (400, 413, 422) else SyncError
        raise kind(f"the server refused the file {sha256[:12]}… "
                        f"({response.status_code}: {_detail(response)})")

    async def get_attachment(self, sha256: str) -> bytes | None:
        response = await self._send("GET", f"/v1/attachments/{sha256}",
                                    headers={"Accept": "application/octet-stream"})
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise SyncError(f"the server answered {response.status_code} for the file "
                            f"{sha256[:12]}…: {_detail(response)}")
        return response.content

    async def rate_limits(self) -> dict[str, Any]:
        result: dict[str, Any] = self._json(await self._send("GET", "/v1/rate_limits"))
        return result


def _detail(response: httpx.Response) -> str:
    """The `detail` of the server's error body, else the start of the body."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return str(detail) if detail else response.text[:300]
