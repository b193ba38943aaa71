"""A site's vault items: add, edit, delete (a tombstone), list without secrets, reveal one field.

Every method that needs the key raises `VaultLocked` when the vault is locked. Outbox and audit
rows carry ciphertexts only; sync ships them as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy.orm import Session

from app.domain.errors import RuleViolation
from app.services.hierarchy import resolve_site
from app.services.vault.sealing import Sealer, check_secret, clean, clean_title, item_view
from app.services.vault.session import VaultKeySession
from app.vault.items import APP_SECRET, KINDS, LIMITS, ItemView, Property
from storage.repository import Repository
from storage.tables import VaultItemRow
from storage.vault_item_repository import VaultItemRepository
from storage.vault_items import properties_of, vault_item_payload

log = logging.getLogger(__name__)


def site_id_of(s: Session, site: str) -> str:
    """A site's id from its id or exact name (NotFound otherwise)."""
    return resolve_site(Repository(s), site).id


class VaultItemService:
    def __init__(self, session: VaultKeySession) -> None:
        self.session = session
        self.db = session.db

    def _sealer(self, what: str) -> Sealer:
        return Sealer(self.session.require_key(what), self.session.workspace_id)

    def add(self, site: str, kind: str, title: str, *, username: str = "", password: str = "",
            url: str = "", notes: str = "", application: str = "",
            properties: Iterable[Property] = ()) -> ItemView:
        sealer = self._sealer("add an item")
        if kind == APP_SECRET:
            raise RuleViolation("application secrets are added with set_app_secret")
        with self.db.write() as s:
            row = VaultItemRow(**sealer.new_values(
                site_id_of(s, site), kind, title, username=username, password=password,
                url=url, notes=notes, application=application, properties=properties))
            VaultItemRepository(s).add(row, "vault.add")
            log.info("vault item %s added (%s)", row.id, kind)
            return item_view(row)

    def get(self, item: str) -> ItemView:
        """An item by id, or by exact title when exactly one live item has it."""
        with self.db.read() as s:
            return item_view(VaultItemRepository(s).find(item))

    def update(self, item: str, *, title: str | None = None, username: str | None = None,
               password: str | None = None, url: str | None = None, notes: str | None = None,
               application: str | None = None, kind: str | None = None,
               properties: Iterable[Property] | None = None) -> ItemView:
        """Change fields; None keeps a field, "" clears it. `properties` replaces the item's
        properties (pass each kept one with its `id`, and its value: a secret one is re-sealed
        with the value given, so reveal it first to keep it)."""
        sealer = self._sealer("edit an item")
        with self.db.write() as s:
            repo = VaultItemRepository(s)
            row = repo.find(item)
            before = vault_item_payload(row)
            if kind is not None:
                if kind not in KINDS or row.kind == APP_SECRET:
                    raise RuleViolation(f"kind '{kind}' must be one of {', '.join(KINDS)}")
                row.kind = kind
            if title is not None:
                row.title = clean_title(title)
            if username is not None:
                row.username = clean("the username", username, LIMITS["username"])
            if url is not None:
                row.url = clean("the URL", url, LIMITS["url"])
            if application is not None:
                row.application = clean("the application", application,
                                        LIMITS["application"])
            if password is not None:
                check_secret("the password", password)
                row.password_ct = sealer.seal(row.id, "password", password)
            if notes is not None:
                check_secret("the notes", notes)
                row.notes_ct = sealer.seal(row.id, "notes", notes)
            if properties is not None:
                row.properties_json = sealer.seal_properties(
                    row.id, properties, properties_of(row.properties_json))
            repo.changed(row, before, "vault.update")
            log.info("vault item %s updated", row.id)
            return item_view(row)

    def delete(self, item: str) -> ItemView:
        """Tombstone an item (its ciphertexts stay until the server knows)."""
        self.session.require_key("delete an item")
        with self.db.write() as s:
            repo = VaultItemRepository(s)
            row = repo.tombstone(repo.find(item), "vault.delete")
            log.info("vault item %s deleted", row.id)
            return item_view(row)

    def list(self, site: str, kind: str | None = None,
             search: str | None = None) -> list[ItemView]:
        """A site's items without secrets, by kind then title. `search` matches title,
        username, URL, application and non-secret properties (case-insensitive)."""
        if kind is not None and kind not in KINDS:
            raise RuleViolation(f"kind '{kind}' must be one of {', '.join(KINDS)}")
        self.session.touch()
        with self.db.read() as s:
            rows = VaultItemRepository(s).summaries(site_id_of(s, site), kind)
        views = [item_view(r) for r in rows]
        if search and search.strip():
            needle = search.strip().casefold()
            views = [v for v in views if needle in " ".join(
                [v.title, v.username, v.url, v.application,
                 *(f"{p.name} {p.value or ''}" for p in v.properties)]).casefold()]
        order = {k: i for i, k in enumerate(KINDS)}
        return sorted(views, key=lambda v: (order.get(v.kind, 99), v.title.casefold(), v.id))

    def reveal(self, item: str, field: str = "password") -> str:
        """The plaintext of one secret field: "password", "notes" or "property:<id or name>"."""
        sealer = self._sealer("reveal a secret")
        with self.db.read() as s:
            row = VaultItemRepository(s).find(item)
        return sealer.reveal(row, field)


__all__ = ["VaultItemService", "site_id_of"]
