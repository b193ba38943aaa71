from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import httpx
import pytest

from app.asio.client import AsioClient
from app.asio.service import AsioService
from app.services.workspace import Workspace
from app.sync.retry import RetryPolicy
from tests.asio.fake_asio import FakeAsio

T = TypeVar("T")


@pytest.fixture
def fake() -> FakeAsio:
    made = FakeAsio()
    made.seed_lookups()
    return made


@pytest.fixture
def asio(workspace: Workspace) -> AsioService:
    return AsioService(workspace.db)


class Waits:
    """The retry policy's sleeps, recorded instead of slept."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


def make_client(fake: FakeAsio, service: AsioService, *, secret: str = "secret",
                clock: Callable[[], float] | None = None,
                waits: Waits | None = None) -> AsioClient:
    kwargs: dict[str, Any] = {} if clock is None else {"clock": clock}
    return AsioClient(fake.base_url, "cid", secret, instance=service.instance_id(),
                      client=httpx.AsyncClient(transport=fake.transport()),
                      retry=RetryPolicy(sleep=waits or Waits(), rng=random.Random(7)), **kwargs)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)
