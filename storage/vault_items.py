"""The synced shape of a vault item: what the outbox, the audit trail and the server see.

Ciphertexts only, never plaintext; the encrypted fields keep their `_ct` names (the server
refuses a field named `password`). Shared by the vault service and the site/company cascade.
"""

from __future__ import annotations

import json
from typing import Any

from storage.changes import Payload


def properties_of(row_json: str) -> list[dict[str, Any]]:
    if not row_json or row_json == "[]":
        return []
    data = json.loads(row_json)
    return data if isinstance(data, list) else []


def vault_item_payload(row: Any) -> Payload:
    """`row` is a VaultItemRow, a Core row mapping, or a dict of its columns (the bulk path)."""
    def get(name: str) -> Any:
        return row[name] if isinstance(row, dict) else getattr(row, name)

    return {"id": get("id"), "siteId": get("site_id"), "kind": get("kind"),
            "title": get("title"), "username": get("username"), "url": get("url"),
            "application": get("application"), "password_ct": get("password_ct"),
            "notes_ct": get("notes_ct"), "properties": properties_of(get("properties_json"))}
