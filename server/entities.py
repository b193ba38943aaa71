"""The object kinds the backend stores, and the minimal shape each payload must have.

Payloads are the client's own shapes (storage/repository.py `*_payload`); the server checks what
it needs to serve the Asio-shaped paths and the effective policy, and keeps the rest as given.
Vault items are opaque: ciphertext only, and a payload that carries a plaintext secret field is
refused (the server must never see a secret).
"""

from __future__ import annotations

import re
from typing import Any

from app.domain.errors import RuleViolation
from app.domain.names import clean_name

MAX_PAYLOAD_BYTES = 64 * 1024

# entity -> (required string fields, collection path segment of the extension endpoints)
ENTITIES: dict[str, tuple[tuple[str, ...], str]] = {
    "company": (("name",), "companies"),
    "site": (("companyId", "name"), "sites"),
    "device": (("siteId", "name"), "devices"),
    "policy": (("type", "name"), "policies"),
    "package": (("name",), "packages"),
    "device_override": (("deviceId", "type", "key"), "device-overrides"),
    "client_profile": (("site_id",), "client-profiles"),
    "vault": (("wrappedKey", "keyCheck"), "vaults"),  # the wrapped vault key, never the key
    "vault_item": (("kind",), "vault-items"),
    "helpdesk_section": (("site_id", "section"), "helpdesk-sections"),
    "golive_step": (("step",), "golive-steps"),
    "notification_rule": (("name",), "notification-rules"),
}
COLLECTIONS = {path: entity for entity, (_, path) in ENTITIES.items()}
# Secret fields travel as `<name>_ct` (app/vault/FORMAT.md); their plaintext names are refused.
# "Non-empty": a character that is neither white space nor a control character. The same
# pattern is in the OpenAPI document (Python's \s and JSON Schema's differ on \x1c-\x1f).
VISIBLE_PATTERN = r"[^\s\x00-\x1f]"
VISIBLE = re.compile(VISIBLE_PATTERN)
PLAINTEXT_FIELDS = frozenset({"secret", "password", "notes", "plaintext", "private_key"})
# Entities whose names follow the app's name rule (docs/rules.md, "Names"): a sync batch
# (`/v1/batch`, our protocol) may not store a name the app would refuse. The Asio-shaped creates
# keep the vendor's looser shape: JSON Schema cannot state "NFC, no invisible character", and
# what the document allows must be accepted (tests/server/test_schemathesis.py).
NAMED = {"company": "Company", "site": "Site", "policy": "Policy", "package": "Package",
         "notification_rule": "Notification rule"}


def name_reason(entity: str, name: str) -> str | None:
    """Why `name` is not a name the app stores (invisible characters, over 200 characters,
    not NFC or white space around it), or None."""
    try:
        clean = clean_name(NAMED[entity], name)
    except RuleViolation as exc:
        return str(exc)
    if clean != name:
        return (f"{NAMED[entity]} name must be sent as the app stores it (NFC, no white space "
                f"around it): send {clean!r}")
    return None


def validate_payload(entity: str, payload: dict[str, Any]) -> list[str]:
    import json

    reasons: list[str] = []
    required, _ = ENTITIES[entity]
    for field in required:
        value = payload.get(field)
        if not isinstance(value, str) or not VISIBLE.search(value):
            reasons.append(f"{field} is required (a non-empty string)")
    if len(json.dumps(payload, ensure_ascii=False).encode()) > MAX_PAYLOAD_BYTES:
        reasons.append(f"payload is over {MAX_PAYLOAD_BYTES} bytes")
    if entity == "policy" and not isinstance(payload.get("settings", {}), dict):
        reasons.append("settings must be an object")
    if entity == "package":
        policies = payload.get("policies", [])
        if not isinstance(policies, list) or not all(isinstance(p, str) for p in policies):
            reasons.append("policies must be a list of policy ids")
    if entity == "vault_item":
        leaked = sorted(PLAINTEXT_FIELDS & set(payload))
        if leaked:
            reasons.append(f"vault items travel as ciphertext only; remove {', '.join(leaked)}")
    return reasons
