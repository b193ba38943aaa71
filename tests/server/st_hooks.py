"""Schemathesis hooks for runs against the reference server: the test
(tests/server/test_schemathesis.py imports this module) and a hand run with the CLI:

    SCHEMATHESIS_HOOKS=tests.server.st_hooks .venv/bin/st run http://127.0.0.1:8765/openapi.json \
        -H "Authorization: Bearer $TOKEN" --checks all

Importing it registers the hooks globally (schemathesis' only scope for `before_call`).
"""

from __future__ import annotations

import uuid
from typing import Any

import schemathesis

MAX_KEY = 200  # the Idempotency-Key header's maxLength in the OpenAPI document


def fresh_idempotency_key(case: schemathesis.Case) -> None:
    """Give a valid generated Idempotency-Key a fresh value.

    Generated keys repeat across calls with other bodies, and the server then answers 422, as
    the IETF draft asks (draft-ietf-httpapi-idempotency-key-header §2.7: a key reused with a
    different payload) — a correct answer that schemathesis' positive_data_acceptance would
    report. A fresh key per call tests the batch itself; missing or invalid keys (negative
    cases, answered 400) are sent as generated.
    """
    for name, value in list((case.headers or {}).items()):
        if (name.lower() == "idempotency-key" and isinstance(value, str)
                and 1 <= len(value) <= MAX_KEY):
            case.headers[name] = str(uuid.uuid4())


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case,
                kwargs: dict[str, Any]) -> None:
    fresh_idempotency_key(case)
