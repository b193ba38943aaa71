"""Sealing and opening the secret fields of vault items, and the checks of their plain fields.

Each ciphertext's associated data names the vault, the item and the field
(app/vault/FORMAT.md), so a ciphertext moved to another item or field fails to open. Shared by
the item, application-secret and exchange services; none of them touches a cipher itself.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from app.domain.errors import NotFound, RuleViolation
from app.domain.model import new_id
from app.vault import crypto
from app.vault.crypto import FIELD, VaultKey, associated_data
from app.vault.items import (
    APP_SECRET,
    KINDS,
    LIMITS,
    MAX_SECRET_CHARS,
    ItemView,
    Property,
    PropertyView,
)
from storage.database import now_iso
from storage.vault_items import properties_of


def clean(name: str, value: str | None, limit: int) -> str:
    """A plain field with its whitespace collapsed, refused when longer than `limit`."""
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise RuleViolation(f"{name} is {len(text)} characters; at most {limit}")
    return text


def check_secret(name: str, value: str) -> None:
    if len(value) > MAX_SECRET_CHARS:
        raise RuleViolation(f"{name} is longer than {MAX_SECRET_CHARS} characters")


def clean_title(title: str) -> str:
    text = clean("the title", title, LIMITS["title"])
    if not text:
        raise RuleViolation("a vault item needs a title")
    return text


def item_view(row: Any) -> ItemView:
    """A row (ORM object, or Core row with has_password/has_notes or the *_ct columns)."""
    props = tuple(
        PropertyView(p["id"], p["name"], bool(p.get("secret")),
                     None if p.get("secret") else str(p.get("value", "")))
        for p in properties_of(row.properties_json)
    )
    has_password = getattr(row, "has_password", None)
    if has_password is None:
        has_password = row.password_ct is not None
        has_notes = row.notes_ct is not None
    else:
        has_notes = row.has_notes
    return ItemView(row.id, row.site_id, row.kind, row.title, row.username, row.url,
                    row.application, bool(has_password), bool(has_notes), props,
                    row.updated_at, row.version)


class Sealer:
    """Seals with one vault key for one vault id (`VaultKeySession.workspace_id`)."""

    def __init__(self, key: VaultKey, vault_id: str) -> None:
        self.key = key
        self.vault_id = vault_id

    def _ad(self, item_id: str, field: str) -> bytes:
        return associated_data(FIELD, self.vault_id, item_id, field)

    def seal(self, item_id: str, field: str, value: str) -> str | None:
        """The ciphertext of `value` ("" is stored as no ciphertext)."""
        if value == "":
            return None
        return crypto.seal(self.key.aead, value, self._ad(item_id, field))

    def open(self, text: str, item_id: str, field: str, title: str) -> str:
        return crypto.open_text(self.key.aead, text, self._ad(item_id, field),
                                what=f"the {field} of vault item '{title}' ({item_id})")

    def seal_properties(self, item_id: str, props: Iterable[Property],
                        old: Sequence[dict[str, Any]] = ()) -> str:
        """The properties column: a kept property (its id among `old`) keeps its id."""
        out: list[dict[str, Any]] = []
        names: set[str] = set()
        old_ids = {p["id"] for p in old}
        for prop in props:
            name = clean("a property name", prop.name, LIMITS["property"])
            if not name:
                raise RuleViolation("a custom property needs a name")
            if name.casefold() in names:
                raise RuleViolation(f"two custom properties are named '{name}'")
            names.add(name.casefold())
            pid = prop.id if prop.id is not None and prop.id in old_ids else uuid.uuid4().hex[:12]
            if prop.secret:
                check_secret(f"property '{name}'", prop.value)
                out.append({"id": pid, "name": name, "secret": True,
                            "value_ct": crypto.seal(self.key.aead, prop.value,
                                                    self._ad(item_id, f"property:{pid}"))})
            else:
                out.append({"id": pid, "name": name, "secret": False,
                            "value": clean(f"property '{name}'", prop.value, 2000)})
        return json.dumps(out, ensure_ascii=False)

    def new_values(self, site_id: str | None, kind: str, title: str, *, username: str,
                   password: str, url: str, notes: str, application: str,
                   properties: Iterable[Property], at: str | None = None) -> dict[str, Any]:
        """The columns of a new item, its secrets sealed under its new id."""
        if kind not in KINDS and kind != APP_SECRET:
            raise RuleViolation(f"kind '{kind}' must be one of {', '.join(KINDS)}")
        title_text = clean_title(title)
        check_secret("the password", password)
        check_secret("the notes", notes)
        item_id = new_id()
        return {
            "id": item_id, "site_id": site_id, "kind": kind, "title": title_text,
            "username": clean("the username", username, LIMITS["username"]),
            "url": clean("the URL", url, LIMITS["url"]),
            "application": clean("the application", application, LIMITS["application"]),
            "password_ct": self.seal(item_id, "password", password),
            "notes_ct": self.seal(item_id, "notes", notes),
            "properties_json": self.seal_properties(item_id, properties),
            "version": 0, "updated_at": at or now_iso(), "deleted_at": None,
        }

    def reveal(self, row: Any, field: str) -> str:
        """The plaintext of one field of `row`: "password", "notes" or "property:<id or
        name>"."""
        if field in ("password", "notes"):
            text = row.password_ct if field == "password" else row.notes_ct
            return "" if text is None else self.open(text, row.id, field, row.title)
        if field.startswith("property:"):
            ref = field.split(":", 1)[1]
            for prop in properties_of(row.properties_json):
                if ref in (prop["id"], prop["name"]):
                    if not prop.get("secret"):
                        return str(prop.get("value", ""))
                    return self.open(prop["value_ct"], row.id, f"property:{prop['id']}",
                                     row.title)
            raise NotFound(f"vault item '{row.title}' has no property '{ref}'")
        raise RuleViolation(f"field '{field}' must be password, notes or property:<name>")

    def plain(self, row: Any) -> dict[str, Any]:
        """An item with its secrets in clear (exports only)."""
        props = [{"name": p["name"], "secret": bool(p.get("secret")),
                  "value": self.reveal(row, f"property:{p['id']}")}
                 for p in properties_of(row.properties_json)]
        return {"kind": row.kind, "title": row.title, "username": row.username, "url": row.url,
                "application": row.application, "password": self.reveal(row, "password"),
                "notes": self.reveal(row, "notes"), "properties": props}


__all__ = ["Sealer", "check_secret", "clean", "clean_title", "item_view"]
