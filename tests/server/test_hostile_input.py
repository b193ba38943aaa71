"""Input an attacker (or a broken client) sends, on both databases: each refused with a 4xx and a
`detail` that says what and where, nothing stored, and the tenant's data still served after.
Big numbers (64-bit cursors and versions) are accepted where they are valid."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from server.store import MAX_INT64, objects
from tests.server.live import LiveServer

JSON = {"Content-Type": "application/json"}


def raw_batch(client: httpx.Client, body: str) -> httpx.Response:
    return client.post("/v1/batch", content=body.encode(),
                       headers={**JSON, "Idempotency-Key": str(uuid.uuid4())})


def company_op(obj_id: str, name: str, base: int = 0) -> dict[str, Any]:
    return {"entity": "company", "id": obj_id, "op": "upsert", "base_version": base,
            "payload": {"name": name}}


def batch(client: httpx.Client, ops: list[dict[str, Any]]) -> httpx.Response:
    return client.post("/v1/batch", json={"ops": ops},
                       headers={"Idempotency-Key": str(uuid.uuid4())})


def still_serves(client: httpx.Client) -> None:
    """The tenant's lists and feed answer, and the feed is JSON without NaN."""
    assert client.get("/api/platform/v1/company/companies").status_code == 200
    feed = client.get("/v1/changes")
    assert feed.status_code == 200
    json.loads(feed.text, parse_constant=lambda name: pytest.fail(f"{name} in the feed"))


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "-1e999"])
def test_non_finite_numbers_are_refused(server: LiveServer, number: str) -> None:
    with server.client() as client:
        body = ('{"ops": [{"entity": "company", "id": "c1", "op": "upsert", "base_version": 0,'
                f' "payload": {{"name": "Acme", "score": {number}}}}}]}}')
        answer = raw_batch(client, body)
        assert answer.status_code == 422
        assert answer.json()["error"] == "invalid_json"
        assert "finite" in answer.json()["detail"]
        assert client.get("/api/preflight/v1/companies/c1").status_code == 404
        still_serves(client)


@pytest.mark.parametrize(("escaped", "what"), [("\\u0000", "NUL"),
                                               ("\\ud800", "lone surrogate"),
                                               ("\\udc00x", "lone surrogate")])
def test_nul_and_lone_surrogates_are_refused_where_they_are(server: LiveServer, escaped: str,
                                                            what: str) -> None:
    with server.client() as client:
        for body, where in [
            (f'{{"ops": [{{"entity": "company", "id": "a{escaped}b", "payload": '
             '{"name": "Acme"}}]}', "body.ops[0].id"),
            ('{"ops": [{"entity": "company", "id": "c1", "payload": '
             f'{{"name": "Ac{escaped}me"}}}}]}}', "body.ops[0].payload.name"),
            ('{"ops": [{"entity": "company", "id": "c1", "payload": '
             f'{{"name": "Acme", "k{escaped}": 1}}}}]}}', "body.ops[0].payload.(key)"),
        ]:
            answer = raw_batch(client, body)
            assert answer.status_code == 422, body
            assert answer.json()["error"] == "invalid_text"
            assert where in answer.json()["detail"]
            assert what in answer.json()["detail"]
        created = client.post("/api/platform/v1/company/companies", content=(
            f'{{"name": "Ac{escaped}me"}}').encode(), headers=JSON)
        assert created.status_code == 422
        assert client.get("/api/platform/v1/company/companies").json() == []
        still_serves(client)
        # A paired surrogate (an emoji) is text like any other.
        ok = raw_batch(client, '{"ops": [{"entity": "company", "id": "c2", "payload": '
                               '{"name": "Acme \\ud83d\\ude00"}}]}')
        assert ok.json()["results"][0]["status"] == "applied"
        assert client.get("/api/preflight/v1/companies/c2").json()["payload"]["name"] == \
            "Acme \U0001f600"


def test_a_nul_in_the_url_is_refused(server: LiveServer) -> None:
    with server.client() as client:
        for url in ("/api/preflight/v1/companies/a%00b", "/api/platform/v1/company/companies"
                    "?cursor=a%00b", "/api/platform/v1/company/companies/a%00b/sites"):
            answer = client.get(url)
            assert answer.status_code == 422, url
            assert "NUL" in answer.json()["detail"]
        still_serves(client)


def test_64_bit_cursors_and_versions(server: LiveServer) -> None:
    with server.client() as client:
        for since in (2**31, 2**32, 2**62):  # 2**62: the documented maximum
            page = client.get("/v1/changes", params={"since": since})
            assert page.status_code == 200, page.text
            assert page.json()["changes"] == []
        assert client.get("/v1/changes", params={"since": 2**62 + 1}).status_code == 422
        # A base version past 32 bits is a conflict (no such version), not an error.
        [result] = batch(client, [company_op("c1", "Acme", base=2**31)]).json()["results"]
        assert result["status"] == "conflict"
        [result] = batch(client, [company_op("c1", "Acme", base=MAX_INT64)]).json()["results"]
        assert result["status"] == "conflict"
        for base in (MAX_INT64 + 1, 2**64, -1):
            answer = batch(client, [company_op("c1", "Acme", base=base)])
            assert answer.status_code == 200
            [result] = answer.json()["results"]
            assert result["status"] == "rejected"
            assert f"base_version must be an integer from 0 to {MAX_INT64}" in result["reasons"]
        # A record whose version is past 32 bits goes on counting.
        assert batch(client, [company_op("c1", "Acme")]).json()["results"][0]["status"] == \
            "applied"
        with server.app.state.store.tx() as conn:
            conn.execute(update(objects).where(objects.c.id == "c1").values(version=2**40))
        [result] = batch(client, [company_op("c1", "Acme 2", base=2**40)]).json()["results"]
        assert (result["status"], result["version"]) == ("applied", 2**40 + 1)
        assert client.get("/api/preflight/v1/companies/c1").json()["version"] == 2**40 + 1
        still_serves(client)


def test_overlong_keys_and_fields_are_refused(server: LiveServer) -> None:
    with server.client() as client:
        op = {**company_op("c1", "Acme"), "op_key": "k" * 65}
        [result] = batch(client, [op]).json()["results"]
        assert result["status"] == "rejected"
        assert "op_key must be a string of at most 64 characters" in result["reasons"]
        long_scope = httpx.post(f"{server.url}/v1/token", json={
            "grant_type": "client_credentials", "client_id": "alpha",
            "client_secret": "alpha-secret", "scope": "s" * 201})
        assert long_scope.status_code == 422
        assert long_scope.json()["detail"][0]["loc"] == ["body", "scope"]
        still_serves(client)


@pytest.fixture
def capped(db_url: str) -> Iterator[LiveServer]:
    live = LiveServer(db_url, body_limit=64 * 1024).start()
    yield live
    live.stop()


def declared_only(server: LiveServer, path: str, length: int, token: str | None = None) -> bytes:
    """Send headers announcing `length` bytes and no body at all: the status line."""
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}"
            f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head.encode())
        answer = b""
        while chunk := sock.recv(4096):  # the server answers and closes
            answer += chunk
        return answer


def test_bodies_over_the_cap_are_refused_before_they_are_read(capped: LiveServer) -> None:
    # 300 MB announced to the unauthenticated token endpoint: refused from the headers alone.
    answer = declared_only(capped, "/v1/token", 300 * 1024 * 1024)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b'"body_too_large"' in answer
    # The same on /v1/batch, without and with a token: the cap comes before authentication.
    assert declared_only(capped, "/v1/batch", 300 * 1024 * 1024).startswith(b"HTTP/1.1 413 ")
    assert declared_only(capped, "/v1/batch", 64 * 1024 + 1,
                         capped.token()).startswith(b"HTTP/1.1 413 ")
    # Chunked (no Content-Length): read up to the cap, then refused.
    secret = "x" * (17 * 1024)

    def chunks() -> Iterator[bytes]:
        body = json.dumps({"grant_type": "client_credentials", "client_id": "alpha",
                           "client_secret": secret}).encode()
        for start in range(0, len(body), 4096):
            yield body[start:start + 4096]

    streamed = httpx.post(f"{capped.url}/v1/token", content=chunks(), headers=JSON)
    assert streamed.status_code == 413
    assert "16384" in streamed.json()["detail"]
    with capped.client() as client:
        big = [company_op(f"c{i}", "A" * 1000) for i in range(80)]  # ~90 KB
        answer = batch(client, big)
        assert answer.status_code == 413
        assert answer.json()["error"] == "body_too_large"
        assert client.get("/api/platform/v1/company/companies").json() == []
        # Under the cap, the same kind of request is served.
        assert batch(client, big[:40]).status_code == 200
        still_serves(client)
