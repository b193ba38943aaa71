"""The encrypted export file of a site's vault: password-protected, the same format family.

    {"format": "preflight-vault-export", "version": 1, "exportId": "<uuid>",
     "createdAt": "<ISO 8601>", "kdf": {algorithm, memory_kib, time_cost, parallelism, salt},
     "wrappedKey": "<record>", "payload": "<record>"}

A fresh 256-bit export key seals the payload (the site name and every item with its secrets,
as JSON) in one record; the export password's Argon2id key wraps the export key exactly like
the master password wraps the vault key (app/vault/FORMAT.md). The clear header says nothing
about the site or its items.
"""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.vault.crypto import (
    EXPORT,
    FORMAT_VERSION,
    KdfParams,
    VaultKey,
    associated_data,
    open_text,
    seal,
    target_kdf,
    unwrap_key,
    wrap_key,
)
from app.vault.errors import FormatError

MAGIC = "preflight-vault-export"
MAX_EXPORT_BYTES = 200 * 1024 * 1024
EXPORT_WORKSPACE = "export"


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (0600 where the platform has modes)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def seal_export(items: list[dict[str, Any]], site: str, password: str,
                params: KdfParams | None = None) -> bytes:
    export_id = str(uuid.uuid4())
    kdf = (params or target_kdf()).with_new_salt()
    key = VaultKey.generate()
    try:
        payload = json.dumps({"site": site, "items": items}, ensure_ascii=False)
        document = {
            "format": MAGIC, "version": FORMAT_VERSION, "exportId": export_id,
            "createdAt": datetime.now(UTC).isoformat(timespec="seconds"),
            "kdf": kdf.to_dict(),
            "wrappedKey": wrap_key(key, password, kdf, EXPORT_WORKSPACE, export_id),
            "payload": seal(key.aead, payload,
                            associated_data(EXPORT, EXPORT_WORKSPACE, export_id, "items")),
        }
    finally:
        key.wipe()
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def open_export(path: Path, password: str) -> dict[str, Any]:
    """The payload {"site", "items"} of an export file; `WrongPassword` on a wrong password."""
    if path.stat().st_size > MAX_EXPORT_BYTES:
        raise FormatError(f"{path.name} is too large to be a vault export")
    try:
        document = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FormatError(f"{path.name} is not a Preflight vault export") from None
    if not isinstance(document, dict) or document.get("format") != MAGIC:
        raise FormatError(f"{path.name} is not a Preflight vault export")
    if document.get("version") != FORMAT_VERSION:
        raise FormatError(f"{path.name} is a vault export of format version "
                          f"{document.get('version')}; this Preflight reads {FORMAT_VERSION}")
    try:
        export_id = str(document["exportId"])
        params = KdfParams.from_dict(document["kdf"])
        wrapped, sealed = str(document["wrappedKey"]), str(document["payload"])
    except (KeyError, TypeError):
        raise FormatError(f"{path.name} is a damaged vault export") from None
    key = unwrap_key(wrapped, password, params, EXPORT_WORKSPACE, export_id,
                     what="export password")
    try:
        text = open_text(key.aead, sealed,
                         associated_data(EXPORT, EXPORT_WORKSPACE, export_id, "items"),
                         what=f"the content of {path.name}")
    finally:
        key.wipe()
    payload = json.loads(text)
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise FormatError(f"{path.name} is a damaged vault export")
    return payload


# The plaintext export (`VaultExchangeService.export_plaintext`): CSV that IT Glue-style
# import reads back.
PLAINTEXT_HEADER = ("Title", "Kind", "Username", "Password", "URL", "Notes", "Application",
                    "Properties")


def plaintext_csv(items: Iterable[dict[str, Any]]) -> bytes:
    """The clear-text CSV of exported items. Every cell that a spreadsheet program would run as
    a formula (starting with = + - @ tab CR LF) gets one guarding apostrophe
    (`app.profiles.injection`); `unguard_plaintext` takes it off again on import, so a
    generated password like "-x=1" round-trips unchanged."""
    # here, not at the top: the `app.profiles` package loads its readers and validators, which
    # a start-up that only asks the vault's lock state does not need
    from app.profiles.injection import neutralise

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(PLAINTEXT_HEADER)
    for item in items:
        props = item.get("properties") or []
        writer.writerow([neutralise(str(cell)) for cell in (
            item["title"], item["kind"], item["username"], item["password"], item["url"],
            item["notes"], item["application"],
            json.dumps(props, ensure_ascii=False) if props else "")])
    return buffer.getvalue().encode("utf-8")


def unguard_plaintext(rows: list[list[str]]) -> list[list[str]]:
    """`rows` of a CSV file with the injection guards of `plaintext_csv` removed, when the file
    is one (its header is exactly ours); any other file is returned as it is, so a value of a
    foreign export that happens to start with an apostrophe is kept."""
    if not rows or tuple(cell.strip() for cell in rows[0]) != PLAINTEXT_HEADER:
        return rows
    from app.profiles.injection import unneutralise  # see plaintext_csv

    return [rows[0], *([unneutralise(cell) for cell in row] for row in rows[1:])]
