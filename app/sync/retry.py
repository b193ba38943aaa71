"""The one retry policy of the sync client: full-jitter exponential backoff (AWS "Exponential
Backoff and Jitter") on timeouts, connection errors, 429/423 (honouring `Retry-After`), 409 (the
same Idempotency-Key still in flight) and 5xx. httpx's own `retries=` covers failed connects only,
without jitter (docs/architecture.md §8), so it is not used."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

RETRY_STATUSES = frozenset({409, 423, 429, 500, 502, 503, 504})
Sleep = Callable[[float], Awaitable[None]]


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass
class RetryPolicy:
    attempts: int = 6  # tries in all, the first one included
    base: float = 0.25  # seconds
    cap: float = 20.0  # longest backoff between two tries
    max_retry_after: float = 120.0  # a longer Retry-After is not waited for: give up
    sleep: Sleep = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)
    waits: list[float] = field(default_factory=list)  # what was slept (tests, logs)

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base·2^attempt)] (attempt counts from 0)."""
        return self.rng.uniform(0.0, min(self.cap, self.base * (2 ** attempt)))

    @staticmethod
    def retryable(status: int) -> bool:
        return status in RETRY_STATUSES or 500 <= status < 600

    async def wait(self, attempt: int, response: httpx.Response | None) -> bool:
        """Sleep before the next try; False when there is none left (or too long to wait)."""
        if attempt + 1 >= self.attempts:
            return False
        delay = self.backoff(attempt)
        if response is not None:
            hinted = retry_after_seconds(response.headers.get("retry-after"))
            if hinted is not None:
                if hinted > self.max_retry_after:
                    return False
                delay = hinted  # the server said when; jitter is its business then
        self.waits.append(delay)
        del self.waits[:-100]  # a long session keeps only the latest
        await self.sleep(delay)
        return True
