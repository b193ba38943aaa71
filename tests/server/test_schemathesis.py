"""Schemathesis against the server's own OpenAPI document (issue 7): the real server on
127.0.0.1, its `/openapi.json`, a bearer token of one partner, every operation.

Each operation gets its examples, the coverage phase (boundary values, missing and malformed
parameters, undeclared methods such as OPTIONS) and bounded, derandomized fuzzing; every response
must pass the checks below: no server error, a declared status code, content type, body schema
and headers, the `Allow` header of a 405, and negative/positive data handled as declared.
Idempotency-Keys get a fresh value per call (tests/server/st_hooks.py, registered on import).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from pydantic import TypeAdapter
from schemathesis import checks as core_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Err
from schemathesis.specs.openapi import checks as openapi_checks

from server.app import create_app
from server.schemas import BatchResponse, ChangePage, ContactOut, SiteOut
from tests.server import st_hooks
from tests.server.live import LiveServer
from tests.server.postgres import DATABASES, database_url

assert st_hooks.before_call  # importing it registered the hook: a fresh Idempotency-Key per call

CHECKS = [
    core_checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.negative_data_rejection,
    openapi_checks.positive_data_acceptance,
    openapi_checks.missing_required_header,
    openapi_checks.unsupported_method,
    openapi_checks.allow_header_conformance,
]


SEED = [  # one object of each kind, so that lists answer with real bodies to check
    ("company", "c1", {"name": "Acme"}),
    ("site", "s1", {"companyId": "c1", "name": "HQ", "packageId": "p1"}),
    ("device", "d1", {"siteId": "s1", "name": "PC-1"}),
    ("policy", "pol1", {"type": "patching", "name": "Patch", "settings": {"day": "Sun"}}),
    ("package", "p1", {"name": "Standard", "policies": ["pol1"]}),
    ("device_override", "o1", {"deviceId": "d1", "type": "patching", "key": "day",
                               "value": "Mon"}),
    ("client_profile", "cp1", {"site_id": "s1", "first_name": "Ada", "last_name": "L",
                               "email": "ada@example.com", "mobile_phone": "5550100"}),
    ("vault_item", "v1", {"kind": "password", "password_ct": "AAAA"}),
    ("helpdesk_section", "h1", {"site_id": "s1", "section": "hours"}),
]


def seeded(server: LiveServer) -> LiveServer:
    ops = [{"entity": e, "id": i, "op": "upsert", "base_version": 0, "payload": p}
           for e, i, p in SEED]
    with server.client() as client:
        answer = client.post("/v1/batch", json={"ops": ops}, headers={"Idempotency-Key": "seed"})
        assert [r["status"] for r in answer.json()["results"]] == ["applied"] * len(SEED)
    return server


@pytest.fixture(scope="module", params=DATABASES)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[LiveServer]:
    """One seeded server per database for the module's tests (SQLite, then PostgreSQL)."""
    with database_url(request.param, tmp_path_factory.mktemp("schemathesis")) as url:
        server = LiveServer(url).start()
        yield seeded(server)
        server.stop()


@pytest.fixture(scope="module")
def token(live: LiveServer) -> str:
    return live.token("alpha")


def _document() -> dict[str, Any]:
    """The OpenAPI document the server publishes, from the real app (no server needed to
    collect the tests; `test_the_live_server_publishes_this_document` checks it is the same)."""
    app = create_app("sqlite://", {})
    try:
        return app.openapi()
    finally:
        app.state.store.close()


DOCUMENT = _document()
# No NUL in generated text: the server refuses it anywhere in a request (PostgreSQL cannot store
# it), a rule JSON Schema cannot state for every string; tests/server/test_hostile_input.py
# checks that refusal (422) on both databases.
schema = schemathesis.openapi.from_dict(
    DOCUMENT, config=SchemathesisConfig.from_dict({"generation": {"allow-x00": False}}))


def test_the_live_server_publishes_this_document(live: LiveServer) -> None:
    assert httpx.get(f"{live.url}/openapi.json").json() == DOCUMENT


# Bounded (about 10 s on 2 cores) and derandomized: the same cases on every run, in CI too.
@settings(max_examples=20, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def conforms(case: Any, live: LiveServer, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    case.call_and_validate(base_url=live.url, headers=headers, checks=CHECKS)


def _conformance_tests() -> dict[str, Any]:
    """One test per operation of the document, `test_conforms__<METHOD>_<path>`.

    Not one `@schema.parametrize()` test: its per-operation items all get the same node id
    under pytest 9.2 (schemathesis 4.32 builds them with `originalname` and no callspec), so
    pytest-xdist reports them as one test. `schema.parametrize()` of a schema filtered to one
    operation, under a name of its own, runs exactly what the single test ran for it.
    """
    tests: dict[str, Any] = {}
    for result in schema.get_all_operations():
        if isinstance(result, Err):  # an operation schemathesis cannot test: fail, as it would
            error = result.err()
            label, test = error.label, _failing(error)
        else:
            label = result.ok().label
            one = schema.include(name=label)
            assert [r.ok().label for r in one.get_all_operations()] == [label]
            test = one.parametrize()(conforms)
        name = "test_conforms__" + re.sub(r"[^0-9A-Za-z]+", "_", label).strip("_")
        assert name not in tests, f"two operations would share the test name {name}"
        tests[name] = test
    assert len(tests) == len(schema), "every operation of the document has its test"
    return tests


def _failing(error: Exception) -> Any:
    def test() -> None:
        raise error
    return test


globals().update(_conformance_tests())


def test_conflicts_rejections_and_feed_pages_match_their_schemas(server: LiveServer) -> None:
    """The answers random data rarely reaches, against the same models the document shows."""
    with seeded(server).client() as client:
        ops = [{"entity": "company", "id": "c1", "op": "upsert", "base_version": 0,
                "payload": {"name": "Stale"}},  # conflict: the server has version 1
               {"entity": "company", "id": "new", "op": "upsert", "base_version": 3,
                "payload": {"name": "X"}},  # conflict with no server copy
               {"entity": "nope", "id": "x", "op": "upsert", "base_version": 0,
                "payload": {}}]  # rejected
        answer = client.post("/v1/batch", json={"ops": ops},
                             headers={"Idempotency-Key": "conflicts"})
        results = BatchResponse.model_validate(answer.json()).results
        assert [r.status for r in results] == ["conflict", "conflict", "rejected"]
        assert results[0].server is not None
        assert results[0].server.version == 1
        replay = client.post("/v1/batch", json={"ops": ops},
                             headers={"Idempotency-Key": "conflicts"})
        assert replay.headers["idempotent-replayed"] == "true"
        page = ChangePage.model_validate(client.get("/v1/changes", params={"limit": 2}).json())
        assert page.has_more
        assert page.counts is None
        last = ChangePage.model_validate(client.get("/v1/changes").json())
        assert last.counts is not None
        assert last.counts["company"] == 1
        TypeAdapter(list[SiteOut]).validate_python(
            client.get("/api/platform/v1/company/companies/c1/sites").json())
        TypeAdapter(list[ContactOut]).validate_python(
            client.get("/api/platform/v1/contact/contacts").json())
        policy = client.get("/api/platform/v1/policy/clients/c1/sites/s1/endpoints/d1/"
                            "effective-policy")
        assert policy.status_code == 200
