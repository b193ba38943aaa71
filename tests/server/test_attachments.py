"""`PUT/GET /v1/attachments/{sha256}` over real HTTP on 127.0.0.1: the files attached to Help
Desk references, stored per partner under the SHA-256 of their bytes."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.domain.helpdesk.references import MAX_ATTACHMENT_BYTES
from tests.server.live import LiveServer

DATA = b"%PDF-1.4\n" + bytes(range(256)) * 8
SHA = hashlib.sha256(DATA).hexdigest()
OCTETS = {"Content-Type": "application/octet-stream"}


def put(client: httpx.Client, sha: str, data: bytes) -> httpx.Response:
    return client.put(f"/v1/attachments/{sha}", content=data, headers=OCTETS)


def test_put_then_get_round_trips_and_a_repeat_changes_nothing(server: LiveServer) -> None:
    with server.client() as client:
        created = put(client, SHA, DATA)
        assert created.status_code == 201
        assert created.json() == {"sha256": SHA, "size": len(DATA)}
        again = put(client, SHA, DATA)
        assert again.status_code == 200
        assert again.json() == {"sha256": SHA, "size": len(DATA)}
        got = client.get(f"/v1/attachments/{SHA}")
        assert got.status_code == 200
        assert got.headers["content-type"] == "application/octet-stream"
        assert got.content == DATA
        empty = hashlib.sha256(b"").hexdigest()
        assert put(client, empty, b"").status_code == 201
        assert client.get(f"/v1/attachments/{empty}").content == b""


def test_a_body_that_is_not_the_named_file_is_refused(server: LiveServer) -> None:
    with server.client() as client:
        wrong = put(client, SHA, DATA + b"tampered")
        assert wrong.status_code == 422
        assert wrong.json()["error"] == "digest_mismatch"
        assert SHA in wrong.json()["detail"]
        assert client.get(f"/v1/attachments/{SHA}").status_code == 404  # nothing was stored
        for bad in (SHA.upper(), SHA[:-1], "not-a-hash"):
            answer = put(client, bad, DATA)
            assert answer.status_code == 422, bad
            assert answer.json()["error"] == "invalid_request"
            assert client.get(f"/v1/attachments/{bad}").status_code == 422


def test_an_unknown_file_is_404(server: LiveServer) -> None:
    with server.client() as client:
        answer = client.get(f"/v1/attachments/{hashlib.sha256(b'never').hexdigest()}")
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"


def test_both_need_a_valid_token_and_see_only_their_partners_files(server: LiveServer) -> None:
    for headers in ({}, {"Authorization": "Bearer nonsense"}):
        assert httpx.put(f"{server.url}/v1/attachments/{SHA}", content=DATA,
                         headers={**OCTETS, **headers}).status_code == 401
        refused = httpx.get(f"{server.url}/v1/attachments/{SHA}", headers=headers)
        assert refused.status_code == 401
        assert "Bearer" in refused.headers["www-authenticate"]
    with server.client("alpha") as alpha, server.client("beta") as beta:
        assert put(alpha, SHA, DATA).status_code == 201
        # Knowing the hash of another partner's file reads nothing of it.
        assert beta.get(f"/v1/attachments/{SHA}").status_code == 404
        assert put(beta, SHA, DATA).status_code == 201  # beta's own copy
        assert beta.get(f"/v1/attachments/{SHA}").content == DATA


@pytest.fixture
def small(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path / "small.db", attachment_limit=1024).start()
    yield live
    live.stop()


def test_a_file_over_the_limit_is_413(small: LiveServer) -> None:
    big = b"x" * 1025
    with small.client() as client:
        answer = put(client, hashlib.sha256(big).hexdigest(), big)
        assert answer.status_code == 413
        assert answer.json()["error"] == "attachment_too_large"
        assert client.get(f"/v1/attachments/{hashlib.sha256(big).hexdigest()}"
                          ).status_code == 404

        # Without a Content-Length (chunked), the limit holds while the body is read.
        def chunks() -> Iterator[bytes]:
            yield big[:600]
            yield big[600:]

        streamed = client.put(f"/v1/attachments/{hashlib.sha256(big).hexdigest()}",
                              content=chunks(), headers=OCTETS)
        assert streamed.status_code == 413
        exact = b"y" * 1024
        assert put(client, hashlib.sha256(exact).hexdigest(), exact).status_code == 201


def test_the_default_limit_is_the_apps_and_refused_before_the_body(server: LiveServer) -> None:
    assert server.app.state.attachment_limit == MAX_ATTACHMENT_BYTES == 25 * 1024 * 1024
    # Headers announcing 25 MB + 1 and no body at all: the answer comes from the declared
    # length alone (a client sending a huge file learns at once).
    head = (f"PUT /v1/attachments/{SHA} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {server.token()}\r\n"
            "Content-Type: application/octet-stream\r\n"
            f"Content-Length: {MAX_ATTACHMENT_BYTES + 1}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head.encode())
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 413 ")


def test_the_openapi_document_declares_both_operations(server: LiveServer) -> None:
    document = httpx.get(f"{server.url}/openapi.json").json()
    path = document["paths"]["/v1/attachments/{sha256}"]
    assert path["put"]["x-preflight-extension"] is True
    assert set(path["put"]["requestBody"]["content"]) == {"application/octet-stream"}
    assert {"200", "201", "401", "413", "422", "429"} <= set(path["put"]["responses"])
    assert set(path["get"]["responses"]["200"]["content"]) == {"application/octet-stream"}
    assert {"200", "401", "404", "422", "429"} <= set(path["get"]["responses"])
    (sha_param,) = [p for p in path["get"]["parameters"] if p["name"] == "sha256"]
    assert sha_param["schema"]["pattern"] == "^[0-9a-f]{64}$"
