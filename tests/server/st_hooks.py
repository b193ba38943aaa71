"""Schemathesis hooks for runs against the reference server: the test
(tests/server/test_schemathesis.py imports this module) and a hand run with the CLI:

    SCHEMATHESIS_HOOKS=tests.server.st_hooks .venv/bin/st run http://127.0.0.1:8765/openapi.json \
        -H "Authorization: Bearer $TOKEN" --checks all

Importing it registers the hooks globally (schemathesis' only scope for `before_call`): a
fresh Idempotency-Key per call, and attachment uploads named by their body's SHA-256.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any

import schemathesis
from schemathesis.transport.serialization import serialize_binary

MAX_KEY = 200  # the Idempotency-Key header's maxLength in the OpenAPI document
ATTACHMENT_PATH = "/v1/attachments/{sha256}"
SHA256 = re.compile(r"[0-9a-f]{64}")


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


def matching_attachment_hash(case: schemathesis.Case) -> None:
    """Give a PUT of an attachment the SHA-256 of its generated body.

    The path names the file by the hash of its bytes and the server refuses (422) a body whose
    hash is another: a generated hash and a generated body never match, so every valid upload
    would read as "valid data refused". A valid generated hash is replaced by the body's; an
    invalid one (a negative case, answered 422 by the path's pattern) is sent as generated.
    """
    if case.method.upper() != "PUT" or case.operation.path != ATTACHMENT_PATH:
        return
    params = case.path_parameters or {}
    current = params.get("sha256")
    if isinstance(current, str) and SHA256.fullmatch(current):
        # The bytes schemathesis will send for this body (its own octet-stream serializer).
        params["sha256"] = hashlib.sha256(serialize_binary(case.body)).hexdigest()


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case,
                kwargs: dict[str, Any]) -> None:
    fresh_idempotency_key(case)
    matching_attachment_hash(case)
