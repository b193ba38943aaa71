"""The reference backend over real HTTP on 127.0.0.1: tokens, tenancy, idempotency, conflicts,
the delta feed, Asio-shaped paths, OpenAPI, rate limits."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.app import BatchRequest
from server.entities import ENTITIES
from server.store import canonical
from tests.server.live import CLIENTS, LiveServer


def op(entity: str, obj_id: str, payload: dict[str, Any] | None = None, *, base: int = 0,
       kind: str = "upsert", op_key: str | None = None) -> dict[str, Any]:
    return {"entity": entity, "id": obj_id, "op": kind, "base_version": base,
            "payload": payload, "op_key": op_key}


def batch(client: httpx.Client, ops: list[dict[str, Any]], key: str | None = None
          ) -> httpx.Response:
    headers = {"Idempotency-Key": key or str(uuid.uuid4())}
    return client.post("/v1/batch", json={"ops": ops}, headers=headers)


# --- tokens -------------------------------------------------------------------------------------

def test_token_is_issued_for_good_credentials_only(server: LiveServer) -> None:
    url = f"{server.url}/v1/token"
    good = httpx.post(url, json={"grant_type": "client_credentials", "client_id": "alpha",
                                 "client_secret": "alpha-secret", "scope": "platform.all"})
    assert good.status_code == 200
    body = good.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    wrong = httpx.post(url, json={"grant_type": "client_credentials", "client_id": "alpha",
                                  "client_secret": "beta-secret"})
    assert wrong.status_code == 401
    unknown = httpx.post(url, json={"grant_type": "client_credentials", "client_id": "nobody",
                                    "client_secret": "x"})
    assert unknown.status_code == 401
    grant = httpx.post(url, json={"grant_type": "password", "client_id": "alpha",
                                  "client_secret": "alpha-secret"})
    assert grant.status_code == 400


def test_requests_without_a_valid_token_are_refused(server: LiveServer) -> None:
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic x"}):
        response = httpx.get(f"{server.url}/v1/counts", headers=headers)
        assert response.status_code == 401
        assert "Bearer" in response.headers["www-authenticate"]


def test_a_token_expires(tmp_path: Path) -> None:
    # 2 s: long enough for the first call on a busy CI machine, short enough to wait out.
    live = LiveServer(tmp_path / "s.db", token_ttl=2.0).start()
    try:
        with live.client() as client:
            assert client.get("/v1/counts").status_code == 200
            time.sleep(2.1)
            assert client.get("/v1/counts").status_code == 401
    finally:
        live.stop()


def test_the_request_id_is_echoed(server: LiveServer) -> None:
    with server.client() as client:
        response = client.get("/v1/counts", headers={"X-Request-ID": "abc-123"})
        assert response.headers["x-request-id"] == "abc-123"
        assert client.get("/v1/counts").headers["x-request-id"]


# --- tenancy ------------------------------------------------------------------------------------

def test_a_partner_reads_and_writes_nothing_of_another(server: LiveServer) -> None:
    with server.client("alpha") as alpha, server.client("beta") as beta:
        company = alpha.post("/api/platform/v1/company/companies", json={"name": "Acme"}).json()
        cid = company["id"]
        site = alpha.post(f"/api/platform/v1/company/companies/{cid}/sites",
                          json={"name": "HQ"}).json()
        assert batch(alpha, [op("policy", "pol-1", {"type": "communicator", "name": "C",
                                                    "settings": {"enabled": True}})]
                     ).status_code == 200
        # Reads: nothing of alpha's is visible to beta, by list, id, feed or count.
        assert beta.get("/api/platform/v1/company/companies").json() == []
        assert beta.get(f"/api/platform/v1/company/companies/{cid}").status_code == 404
        assert beta.get(f"/api/platform/v1/company/companies/{cid}/sites").status_code == 404
        assert beta.get(f"/api/platform/v1/company/companies/{cid}/sites/{site['id']}"
                        ).status_code == 404
        assert beta.get("/api/preflight/v1/policies/pol-1").status_code == 404
        assert beta.get("/api/preflight/v1/policies").json() == []
        assert beta.get("/v1/changes", params={"since": 0}).json()["changes"] == []
        assert set(beta.get("/v1/counts").json().values()) == {0}
        # Writes: beta's delete of alpha's id finds nothing to delete; its upsert of the same
        # id makes beta's own object and leaves alpha's alone.
        result = batch(beta, [op("company", cid, kind="delete", base=1)]).json()["results"][0]
        assert result["status"] == "conflict"
        assert result["server"] is None
        result = batch(beta, [op("company", cid, {"name": "Hijacked"})]).json()["results"][0]
        assert result["status"] == "applied"
        assert beta.post(f"/api/platform/v1/company/companies/{cid}/sites",
                         json={"name": "X"}).status_code == 201  # beta's own company now
        mine = alpha.get(f"/api/platform/v1/company/companies/{cid}").json()
        assert mine["name"] == "Acme"
        assert mine["version"] == 1
        alpha_sites = alpha.get(f"/api/platform/v1/company/companies/{cid}/sites").json()
        assert [s["name"] for s in alpha_sites] == ["HQ"]
        assert alpha.get("/v1/counts").json()["company"] == 1


# --- idempotency --------------------------------------------------------------------------------

def test_batch_idempotency_rules(server: LiveServer) -> None:
    ops = [op("company", "c-1", {"name": "Acme"})]
    with server.client() as client:
        missing = client.post("/v1/batch", json={"ops": ops})
        assert missing.status_code == 400
        first = batch(client, ops, "key-1")
        assert first.status_code == 200
        assert first.json()["results"][0]["status"] == "applied"
        replay = batch(client, ops, "key-1")
        assert replay.status_code == 200
        assert replay.json() == first.json()
        assert replay.headers["idempotent-replayed"] == "true"
        other = batch(client, [op("company", "c-1", {"name": "Other"}, base=1)], "key-1")
        assert other.status_code == 422
        # Applied once: still version 1, one change in the feed.
        assert client.get("/api/preflight/v1/companies/c-1").json()["version"] == 1
        assert len(client.get("/v1/changes").json()["changes"]) == 1


def test_a_concurrent_duplicate_is_refused_with_409(server: LiveServer) -> None:
    ops = [op("company", "c-2", {"name": "Busy"})]
    request_hash = __import__("hashlib").sha256(canonical(
        [o.model_dump() for o in BatchRequest(ops=ops).ops]).encode()).hexdigest()
    store = server.app.state.store
    # The first request holds the key (it is being processed)...
    assert store.begin_batch("partner-a", "key-busy", request_hash) is None
    with server.client() as client:
        # ...so the same request again is a concurrent duplicate.
        assert batch(client, ops, "key-busy").status_code == 409
        # Another partner's key space is its own.
        with server.client("beta") as beta:
            assert batch(beta, ops, "key-busy").status_code == 200
    store.run_batch("partner-a", "key-busy", [o.model_dump() for o in BatchRequest(ops=ops).ops])
    with server.client() as client:
        assert batch(client, ops, "key-busy").headers["idempotent-replayed"] == "true"


def test_finished_idempotency_keys_expire_after_a_day(server: LiveServer) -> None:
    from server.store import IDEMPOTENCY_TTL_S, PURGE_EVERY_S, idempotency

    store = server.app.state.store
    ops = [op("company", "c-old", {"name": "Old"})]
    with server.client() as client:
        assert batch(client, ops, "key-old").status_code == 200
    request_hash = __import__("hashlib").sha256(canonical(
        [o.model_dump() for o in BatchRequest(ops=ops).ops]).encode()).hexdigest()
    assert store.begin_batch("partner-a", "key-pending", request_hash) is None  # in flight

    def keys() -> set[str]:
        with store.engine.connect() as conn:
            return {r.key for r in conn.execute(idempotency.select())}

    later = time.time() + IDEMPOTENCY_TTL_S - 60
    assert store.purge_expired_keys(now=later, force=True) == 0  # a day is not over yet
    assert {"key-old", "key-pending"} <= keys()
    expired = time.time() + IDEMPOTENCY_TTL_S + 60
    assert store.purge_expired_keys(now=expired, force=True) == 1
    assert "key-old" not in keys()
    assert "key-pending" in keys()  # a batch in flight is never purged
    # Throttled: right after a purge, the next call does nothing until PURGE_EVERY_S passed.
    assert store.purge_expired_keys(now=expired + PURGE_EVERY_S / 2) == 0


def test_an_op_key_applies_once_even_in_another_batch(server: LiveServer) -> None:
    with server.client() as client:
        ops = [op("company", "c-3", {"name": "Once"}, op_key="op-1")]
        assert batch(client, ops, "k-a").json()["results"][0]["version"] == 1
        again = batch(client, [*ops, op("company", "c-4", {"name": "Two"})], "k-b").json()
        assert [r["status"] for r in again["results"]] == ["applied", "applied"]
        assert again["results"][0]["version"] == 1
        assert client.get("/api/preflight/v1/companies/c-3").json()["version"] == 1


# --- conflicts and rejections -------------------------------------------------------------------

def test_a_stale_base_version_is_a_conflict_with_the_server_copy(server: LiveServer) -> None:
    with server.client() as client:
        batch(client, [op("company", "c-5", {"name": "V1"})])
        applied = batch(client, [op("company", "c-5", {"name": "V2"}, base=1)]).json()
        assert applied["results"][0] == {**applied["results"][0], "status": "applied",
                                         "version": 2}
        stale = batch(client, [op("company", "c-5", {"name": "Mine"}, base=1)]).json()
        result = stale["results"][0]
        assert result["status"] == "conflict"
        assert result["http_status"] == 412
        assert result["server"]["version"] == 2
        assert result["server"]["payload"]["name"] == "V2"
        assert result["base"]["payload"]["name"] == "V1"  # the merge base
        assert client.get("/api/preflight/v1/companies/c-5").json()["payload"]["name"] == "V2"
        gone = batch(client, [op("company", "c-5", kind="delete", base=2)]).json()
        assert gone["results"][0]["status"] == "applied"
        assert client.get("/api/preflight/v1/companies/c-5").status_code == 404


def test_bad_ops_are_rejected_with_reasons_and_the_rest_applied(server: LiveServer) -> None:
    with server.client() as client:
        body = batch(client, [
            op("spaceship", "x-1", {"name": "?"}),
            op("company", "c-6", {"title": "no name"}),
            op("vault_item", "v-1", {"site_id": "s", "kind": "server", "password": "hunter2"}),
            op("package", "p-1", {"name": "P", "policies": "not-a-list"}),
            op("company", "c-7", {"name": "Fine"}),
            op("company", "c-8", {"id": "other", "name": "Mismatch"}),
        ]).json()["results"]
        assert [r["status"] for r in body] == ["rejected"] * 4 + ["applied", "rejected"]
        assert "unknown entity" in body[0]["reasons"][0]
        assert "name is required" in body[1]["reasons"][0]
        assert "ciphertext only" in body[2]["reasons"][0]
        assert "policies" in body[3]["reasons"][0]
        assert "differs" in body[5]["reasons"][0]
        assert client.get("/v1/counts").json()["company"] == 1
        too_many = batch(client, [op("company", f"c{i}", {"name": str(i)}) for i in range(1001)])
        assert too_many.status_code == 413


def test_vault_items_are_stored_as_the_opaque_blobs_sent(server: LiveServer) -> None:
    payload = {"site_id": "s-1", "kind": "server", "title": "DC01",
               "password_ct": "AQIDBAUGBwgJCgsMDQ4PEA==", "notes_ct": None}
    with server.client() as client:
        assert batch(client, [op("vault_item", "v-2", payload)]).json()["results"][0][
            "status"] == "applied"
        stored = client.get("/api/preflight/v1/vault-items/v-2").json()["payload"]
        assert stored == {**payload, "id": "v-2"}


# --- the delta feed -----------------------------------------------------------------------------

def test_the_feed_pages_with_tombstones_and_a_link_header(server: LiveServer) -> None:
    with server.client() as client:
        batch(client, [op("company", f"c-{i:02d}", {"name": f"Co {i}"}) for i in range(25)])
        batch(client, [op("company", f"c-{i:02d}", kind="delete", base=1) for i in range(3)])
        batch(client, [op("company", f"c-{i:02d}", {"name": f"New {i}"}, base=1)
                       for i in (10, 11)])
        seen: list[dict[str, Any]] = []
        since, pages = 0, 0
        while True:
            response = client.get("/v1/changes", params={"since": since, "limit": 10})
            body = response.json()
            pages += 1
            seen += body["changes"]
            since = body["next_cursor"]
            if not body["has_more"]:
                assert "link" not in response.headers
                break
            assert 'rel="next"' in response.headers["link"]
            assert f"since={since}" in response.headers["link"]
        assert pages == 3
        cursors = [c["cursor"] for c in seen]
        assert cursors == sorted(cursors)
        assert len(set(cursors)) == len(cursors)
        by_id = {c["id"]: c for c in seen}
        assert len(by_id) == 25 == len(seen)  # one entry per object: its newest state
        assert [by_id[f"c-{i:02d}"]["deleted"] for i in range(3)] == [True] * 3
        assert by_id["c-10"]["payload"]["name"] == "New 10"
        assert by_id["c-10"]["version"] == 2
        tail = client.get("/v1/changes", params={"since": since}).json()
        assert tail == {"changes": [], "next_cursor": since, "has_more": False,
                        "counts": {**dict.fromkeys(ENTITIES, 0), "company": 22}}


def test_a_cursor_older_than_purged_tombstones_expires(server: LiveServer) -> None:
    with server.client() as client:
        batch(client, [op("company", "c-a", {"name": "A"}), op("company", "c-b", {"name": "B"})])
        old = client.get("/v1/changes").json()["next_cursor"]
        batch(client, [op("company", "c-a", kind="delete", base=1)])
        httpx.post(f"{server.url}/_test/purge/partner-a").raise_for_status()
        assert client.get("/v1/changes", params={"since": old}).status_code == 410
        full = client.get("/v1/changes", params={"since": 0}).json()
        assert [c["id"] for c in full["changes"]] == ["c-b"]


# --- Asio-shaped paths --------------------------------------------------------------------------

def test_asio_companies_page_with_limit_cursor_and_link(server: LiveServer) -> None:
    with server.client() as client:
        for name in ("A", "B", "C", "D", "E"):
            client.post("/api/platform/v1/company/companies", json={"name": name})
        names: list[str] = []
        url: str | None = "/api/platform/v1/company/companies?limit=2"
        while url:
            response = client.get(url)
            names += [c["name"] for c in response.json()]
            link = response.headers.get("link")
            url = link.split(">")[0].lstrip("<") if link else None
        assert sorted(names) == ["A", "B", "C", "D", "E"]
        assert client.get("/api/platform/v1/company/companies?limit=501").status_code == 422


def test_asio_contacts_are_client_profiles(server: LiveServer) -> None:
    with server.client() as client:
        cid = client.post("/api/platform/v1/company/companies", json={"name": "Co"}).json()["id"]
        sid = client.post(f"/api/platform/v1/company/companies/{cid}/sites",
                          json={"name": "HQ"}).json()["id"]
        created = client.post("/api/platform/v1/contact/contacts", json={
            "firstName": "Ada", "lastName": "Lovelace",
            "emails": [{"emailAddress": "ada@ex.com"}],
            "phoneNumbers": [{"designation": "Mobile", "countryCode": "GB",
                              "nationalNumber": "7700900123"}],
            "company": {"id": cid, "site": {"id": sid}}})
        assert created.status_code == 201
        listed = client.get("/api/platform/v1/contact/contacts").json()
        assert listed[0]["firstName"] == "Ada"
        assert listed[0]["phoneNumbers"] == [{"designation": "Mobile", "countryCode": "GB",
                                              "nationalNumber": "7700900123"}]
        profile = client.get("/api/preflight/v1/client-profiles").json()[0]["payload"]
        assert profile["site_id"] == sid
        assert profile["mobile_phone"] == "7700900123"


def test_effective_policy_has_the_asio_shape(server: LiveServer) -> None:
    with server.client() as client:
        results = batch(client, [
            op("company", "co", {"name": "Co"}),
            op("policy", "pol-ra", {"type": "remote-access", "name": "RA",
                                    "settings": {"notification_balloon": True}}),
            op("policy", "pol-rmm", {"type": "rmm-site-configuration", "name": "RMM",
                                     "settings": {"rmm_enabled": True,
                                                  "notification_rule": "Std"}}),
            op("package", "pkg", {"name": "Base", "is_default": True, "policies": ["pol-ra"]}),
            op("package", "pkg2", {"name": "Site", "policies": ["pol-rmm"]}),
            op("site", "site", {"companyId": "co", "name": "HQ", "packageId": "pkg2"}),
            op("device", "dev", {"siteId": "site", "name": "WS-1"}),
            op("device_override", "ov", {"deviceId": "dev", "type": "remote-access",
                                         "key": "auto_update_agent", "value": False}),
        ]).json()["results"]
        assert {r["status"] for r in results} == {"applied"}
        url = "/api/platform/v1/policy/clients/co/sites/site/endpoints/dev/effective-policy"
        body = client.get(url).json()
        assert body["settings"]["remote-access"]["notification_balloon"] is True
        assert body["settings"]["remote-access"]["auto_update_agent"] is False
        assert body["settings"]["rmm-site-configuration"]["rmm_enabled"] is True
        mapping = body["mapping"]
        assert mapping["remote-access"]["notification_balloon"]["package"]["id"] == "pkg"
        assert mapping["remote-access"]["auto_update_agent"]["level"] == "device-override"
        assert mapping["rmm-site-configuration"]["rmm_enabled"]["policy"]["id"] == "pol-rmm"
        assert client.get(url.replace("/co/", "/nope/")).status_code == 404
    with server.client("beta") as beta:
        assert beta.get(url).status_code == 404


# --- OpenAPI and rate limits --------------------------------------------------------------------

def test_the_openapi_document_marks_the_extensions(server: LiveServer) -> None:
    doc = httpx.get(f"{server.url}/openapi.json").json()
    paths = doc["paths"]
    for asio in ("/v1/token", "/v1/rate_limits", "/api/platform/v1/company/companies",
                 "/api/platform/v1/company/companies/{companyId}/sites"):
        assert asio in paths
        assert not any(o.get("x-preflight-extension") for o in paths[asio].values())
    for ext in ("/v1/batch", "/v1/changes", "/v1/counts", "/api/preflight/v1/{collection}"):
        assert all(o.get("x-preflight-extension") for o in paths[ext].values())
    assert not any(p.startswith("/_test") for p in paths)


def test_rate_limits_answer_429_with_retry_after(tmp_path: Path) -> None:
    live = LiveServer(tmp_path / "s.db", rate_limit=3).start()
    try:
        with live.client() as client:
            limits = client.get("/v1/rate_limits").json()["resources"]["preflight"]
            assert limits["read"]["limit"] == 3
            assert limits["read"]["remaining"] == 3
            for _ in range(3):
                assert client.get("/v1/counts").status_code == 200
            refused = client.get("/v1/counts")
            assert refused.status_code == 429
            assert 1 <= int(refused.headers["retry-after"]) <= 60
    finally:
        live.stop()


@pytest.mark.parametrize("client_id", sorted(CLIENTS))
def test_every_registered_client_gets_a_token(server: LiveServer, client_id: str) -> None:
    assert server.token(client_id)
