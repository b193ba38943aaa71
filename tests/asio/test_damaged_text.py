"""JSON may escape a character as `\\uXXXX`, and a character beyond the BMP as a pair of
surrogates. A pair is text (an emoji in a device's name arrives as the emoji); a lone surrogate
is not text at all — nothing can store it — so an answer holding one is refused as an answer
that does not fit, naming the request and the field, and the pull changes nothing."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from app.asio.client import AsioClient
from app.asio.errors import AsioShapeError
from app.asio.service import AsioService
from app.services.workspace import Workspace
from app.sync.retry import RetryPolicy
from tests.asio.conftest import Waits, run
from tests.asio.fake_asio import FakeAsio

ENDPOINTS = "/api/platform/v2/device/categories/platform/endpoints"


def _dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def _seeded_client(workspace: Workspace, fake: FakeAsio, asio: AsioService,
                   escaped_name: str) -> AsioClient:
    """One site to pull, whose one endpoint's name is `escaped_name` as JSON text escapes it."""
    company = workspace.companies.create("Contoso Dental")
    workspace.sites.create(company.id, "Main Office")
    remote = fake.add_company("Contoso Dental")
    site = fake.add_site(remote, "Main Office")
    fake.add_endpoint(site, "PLACEHOLDER")

    def handle(request: httpx.Request) -> httpx.Response:
        answer = fake.handle(request)
        if request.url.path != ENDPOINTS or answer.status_code != 200:
            return answer
        body = answer.content.replace(b'"PLACEHOLDER"', f'"{escaped_name}"'.encode("ascii"))
        return httpx.Response(200, headers={"content-type": "application/json"}, content=body)

    return AsioClient(fake.base_url, "cid", "secret", instance=asio.instance_id(),
                      client=httpx.AsyncClient(transport=httpx.MockTransport(handle)),
                      retry=RetryPolicy(sleep=Waits(), rng=random.Random(7)))


def test_an_escaped_pair_is_the_character_it_stands_for(workspace: Workspace, fake: FakeAsio,
                                                         asio: AsioService) -> None:
    client = _seeded_client(workspace, fake, asio, "Front Desk \\ud83d\\ude00 \\u00e9")
    run(asio.pull(client))
    assert [d.name for d in workspace.devices.all()] == ["Front Desk 😀 é"]


@pytest.mark.parametrize("escaped", ["PC-\\ud800-7", "PC-\\udc00", "\\ude00\\ud83d"])
def test_a_lone_surrogate_is_refused_naming_the_field_and_nothing_changes(
        workspace: Workspace, fake: FakeAsio, asio: AsioService, escaped: str) -> None:
    client = _seeded_client(workspace, fake, asio, escaped)
    before = _dump(workspace.path)
    with pytest.raises(AsioShapeError) as caught:
        run(asio.pull(client))
    message = str(caught.value)
    assert message.startswith(f"POST {ENDPOINTS}: platform[0].endpoints[0].friendlyName is "
                              "not valid text (a lone surrogate \\ud")
    assert message.endswith("nothing was saved")
    assert _dump(workspace.path) == before
