"""Reads and writes of the Help Desk setup sections (table `helpdesk_sections`, issue 8).

A section travels as its JSON document (`app.domain.helpdesk.section_document`); this layer
neither parses nor checks it. Every change records its outbox and audit rows in the same
transaction; a save that changes nothing records nothing.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from storage.changes import Change, record
from storage.database import now_iso
from storage.tables import DeviceOverrideRow, DeviceRow, HelpDeskSectionRow, VaultItemRow

ENTITY = "helpdesk_section"
SECTIONS_TABLE: Table = HelpDeskSectionRow.__table__  # type: ignore[assignment]
VAULT_ITEMS: Table = VaultItemRow.__table__  # type: ignore[assignment]
DEVICES: Table = DeviceRow.__table__  # type: ignore[assignment]
OVERRIDES: Table = DeviceOverrideRow.__table__  # type: ignore[assignment]


def _dump(document: Any) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False)


class HelpDeskRepository:
    """One transaction's view of the Help Desk sections (`with db.write() as s: …(s)`)."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def documents(self, site_id: str) -> dict[str, Any]:
        """Section name → its JSON document, for the site's live sections."""
        t = SECTIONS_TABLE
        rows = self.s.execute(select(t.c.section, t.c.document_json).where(
            t.c.site_id == site_id, t.c.deleted_at.is_(None)))
        return {section: json.loads(text) for section, text in rows}

    def save(self, site_id: str, section: str, document: Any, action: str) -> bool:
        """Store a section's document; False (and nothing recorded) when it is unchanged."""
        t = SECTIONS_TABLE
        text = _dump(document)
        row = self.s.execute(select(t.c.id, t.c.version, t.c.document_json).where(
            t.c.site_id == site_id, t.c.section == section, t.c.deleted_at.is_(None))).first()
        if row is not None and row.document_json == text:
            return False
        at = now_iso()
        if row is None:
            section_id, version, before = str(uuid.uuid4()), 0, None
            self.s.execute(insert(t).values(id=section_id, version=0, updated_at=at,
                                            site_id=site_id, section=section,
                                            document_json=text))
        else:
            section_id, version = str(row.id), int(row.version)
            before = self._payload(section_id, site_id, section, json.loads(row.document_json))
            self.s.execute(update(t).where(t.c.id == section_id)
                           .values(document_json=text, updated_at=at))
        after = self._payload(section_id, site_id, section, document)
        record(self.s, [Change(ENTITY, section_id, action, before, after, version)])
        return True

    @staticmethod
    def _payload(section_id: str, site_id: str, section: str, document: Any) -> dict[str, Any]:
        return {"id": section_id, "site_id": site_id, "section": section, "document": document}

    def documents_of_every_site(self, section: str) -> dict[str, Any]:
        """Site id → the live document of one section, for every site that has it."""
        t = SECTIONS_TABLE
        rows = self.s.execute(select(t.c.site_id, t.c.document_json).where(
            t.c.section == section, t.c.deleted_at.is_(None)))
        return {str(site_id): json.loads(text) for site_id, text in rows}

    def device_overrides(self, site_id: str, type_id: str) -> list[tuple[str, str, Any]]:
        """(device name, key, value) of the live overrides of one policy type that the site's
        live devices set, by device name and key."""
        d, o = DEVICES, OVERRIDES
        rows = self.s.execute(
            select(d.c.name, o.c.key, o.c.value_json).join(o, o.c.device_id == d.c.id)
            .where(d.c.site_id == site_id, d.c.deleted_at.is_(None), o.c.deleted_at.is_(None),
                   o.c.type_id == type_id)
            .order_by(d.c.name, o.c.key))
        return [(str(name), str(key), json.loads(value)) for name, key, value in rows]

    def app_secret_titles(self) -> frozenset[str]:
        """The titles of the vault's live application secrets (plain columns: no key needed)."""
        v = VAULT_ITEMS
        rows = self.s.execute(select(v.c.title).where(
            v.c.site_id.is_(None), v.c.deleted_at.is_(None)))
        return frozenset(str(title) for (title,) in rows)

    def vault_summary(self, site_id: str) -> tuple[dict[str, int], frozenset[str]]:
        """The site's live vault items: how many of each kind, and their ids (no secrets are
        read: kind and id are plain columns)."""
        v = VAULT_ITEMS
        rows = self.s.execute(select(v.c.id, v.c.kind).where(
            v.c.site_id == site_id, v.c.deleted_at.is_(None))).all()
        return dict(Counter(str(kind) for _id, kind in rows)), frozenset(str(i) for i, _ in rows)
