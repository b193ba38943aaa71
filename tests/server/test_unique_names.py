"""The server keeps the app's name rule on both databases: one live company (site of a company,
policy, package) per name, names compared by `name_key` (case, width, invisible characters)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from server.store import Store
from tests.server.live import LiveServer, sync
from tests.sync.helpers import open_ws


def op(entity: str, obj_id: str, payload: dict[str, Any] | None = None, *, base: int = 0,
       kind: str = "upsert") -> dict[str, Any]:
    return {"entity": entity, "id": obj_id, "op": kind, "base_version": base, "payload": payload}


def statuses(client: httpx.Client, ops: list[dict[str, Any]]) -> list[str]:
    answer = client.post("/v1/batch", json={"ops": ops},
                         headers={"Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code == 200
    return [r["status"] for r in answer.json()["results"]]


def test_a_second_company_of_the_same_name_is_rejected(server: LiveServer) -> None:
    with server.client() as client:
        assert statuses(client, [op("company", "c1", {"name": "Acme"})]) == ["applied"]
        for twin in ("ACME", "acme", "\uff21\uff43\uff4d\uff45"):
            answer = client.post("/v1/batch", json={"ops": [op("company", "c2", {"name": twin})]},
                                 headers={"Idempotency-Key": str(uuid.uuid4())})
            [result] = answer.json()["results"]
            assert result["status"] == "rejected", twin
            assert "a company named" in result["reasons"][0]
            assert "already exists (id c1)" in result["reasons"][0]
        # In one batch: the second of two new twins is refused, the first applied.
        assert statuses(client, [op("company", "c3", {"name": "Beta"}),
                                 op("company", "c4", {"name": "beta"})]) == ["applied",
                                                                             "rejected"]
        # A name freed (renamed or deleted) earlier in the batch may be taken.
        assert statuses(client, [op("company", "c1", {"name": "Acme Old"}, base=1),
                                 op("company", "c2", {"name": "Acme"}),
                                 op("company", "c3", None, kind="delete", base=1),
                                 op("company", "c5", {"name": "BETA"})]) == ["applied"] * 4
        # Keeping its own name is no clash; other partners have their own names.
        assert statuses(client, [op("company", "c2", {"name": "ACME", "x": 1}, base=1)]) == \
            ["applied"]
    with server.client("beta") as beta:
        assert statuses(beta, [op("company", "b1", {"name": "Acme"})]) == ["applied"]


def test_a_name_the_app_would_refuse_is_rejected(server: LiveServer) -> None:
    """The app's name rule (docs/rules.md, "Names") holds for every sync client: a name with
    an invisible character, over 200 characters, not NFC or with white space around it is
    rejected with the reason; nothing is stored."""
    with server.client() as client:
        cases = {
            "Ac\u200bme": "invisible characters; this one has U+200B ZERO WIDTH SPACE at "
                          "position 3",
            "Tab\tCo": "control characters (tab, new line)",
            "x" * 201: "at most 200 characters; this one has 201",
            " Acme ": "send 'Acme'",
            "Cafe\u0301": "send 'Caf\u00e9'",
        }
        for entity in ("company", "policy", "package", "notification_rule"):
            for name, reason in cases.items():
                payload: dict[str, Any] = {"name": name, "type": "remote-access"}
                answer = client.post("/v1/batch", json={"ops": [op(entity, "x1", payload)]},
                                     headers={"Idempotency-Key": str(uuid.uuid4())})
                [result] = answer.json()["results"]
                assert result["status"] == "rejected", (entity, name)
                assert any(reason in r for r in result["reasons"]), (entity, result["reasons"])
        # 200 characters after NFC are fine; nothing of the refused ones was stored.
        long_name = "Caf\u00e9 " + "y" * 195
        assert statuses(client, [op("company", "ok", {"name": long_name})]) == ["applied"]
        listed = client.get("/api/platform/v1/company/companies").json()
        assert [c["name"] for c in listed] == [long_name]


def test_sites_are_unique_within_their_company(server: LiveServer) -> None:
    with server.client() as client:
        assert statuses(client, [op("company", "c1", {"name": "One"}),
                                 op("company", "c2", {"name": "Two"}),
                                 op("site", "s1", {"companyId": "c1", "name": "HQ"}),
                                 op("site", "s2", {"companyId": "c2", "name": "HQ"}),
                                 op("site", "s3", {"companyId": "c1", "name": "hq"}),
                                 op("policy", "p1", {"type": "av", "name": "Std"}),
                                 op("policy", "p2", {"type": "fw", "name": "STD"}),
                                 op("package", "k1", {"name": "Gold"}),
                                 op("package", "k2", {"name": "gold "})]) == [
            "applied", "applied", "applied", "applied", "rejected", "applied", "rejected",
            "applied", "rejected"]
        created = client.post("/api/platform/v1/company/companies", json={"name": "one"})
        assert created.status_code == 409
        assert created.json()["error"] == "name_taken"
        site = client.post("/api/platform/v1/company/companies/c2/sites", json={"name": "Hq"})
        assert site.status_code == 409
        assert client.post("/api/platform/v1/company/companies/c2/sites",
                           json={"name": "Branch"}).status_code == 201


def test_a_database_made_before_the_rule_is_filled_in(db_url: str) -> None:
    store = Store(db_url)
    store.register_client("c", "s", "p")
    with store.tx() as conn:
        store.apply_ops(conn, "p", [op("company", "c1", {"name": "Acme"})])
        conn.execute(text("DROP TABLE object_names"))
    store.close()
    reopened = Store(db_url)
    try:
        with reopened.tx() as conn:
            [result] = reopened.apply_ops(conn, "p", [op("company", "c2", {"name": "acme"})])
        assert result["status"] == "rejected"
    finally:
        reopened.close()


def test_an_api_clients_duplicate_never_reaches_a_workspace(server: LiveServer,
                                                            tmp_path: Path) -> None:
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        a.companies.create("Acme")
        sync(a, server)
        with server.client() as api:
            assert api.post("/api/platform/v1/company/companies",
                            json={"name": "ACME"}).status_code == 409
            assert api.post("/api/platform/v1/company/companies",
                            json={"name": "Other"}).status_code == 200
        report = sync(b, server)
        assert report.conflicts == 0
        assert sorted(c.name for c in b.companies.all()) == ["Acme", "Other"]
    finally:
        a.close()
        b.close()
