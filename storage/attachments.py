"""The bytes of files attached to Help Desk references (table `attachments`, schema 0006).

Content-addressed: a file is stored once under the SHA-256 of its bytes, whatever it is called
and however many references point at it, so storing it again is a no-op. This layer trusts its
caller for the hash and the size limit (the service checks a file before storing it, sync
checks what it downloads); it neither writes outbox nor audit rows: the change a user makes is
the references section that names the file, and that one is recorded as usual.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.database import now_iso
from storage.tables import AttachmentRow, HelpDeskSectionRow

ATTACHMENTS: Table = AttachmentRow.__table__  # type: ignore[assignment]
SECTIONS_TABLE: Table = HelpDeskSectionRow.__table__  # type: ignore[assignment]
DEFAULT_MEDIA_TYPE = "application/octet-stream"


def media_type_of(name: str) -> str:
    """The media type a file name suggests (application/octet-stream when it says nothing)."""
    guessed, _encoding = mimetypes.guess_type(name, strict=False)
    return guessed or DEFAULT_MEDIA_TYPE


@dataclass(frozen=True)
class StoredFile:
    """What is known of a stored file without reading its bytes."""

    sha256: str
    size: int
    media_type: str
    created_at: str
    uploaded_at: str | None


class AttachmentRepository:
    """One transaction's view of the stored files (`with db.write() as s: …(s)`)."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def put(self, sha256: str, data: bytes, media_type: str = DEFAULT_MEDIA_TYPE, *,
            uploaded: bool = False) -> bool:
        """Store `data` under its SHA-256; False (nothing written) when it is there already.
        `uploaded`: the bytes came from the server, which therefore holds them."""
        at = now_iso()
        result = self.s.execute(
            sqlite_insert(ATTACHMENTS).values(
                sha256=sha256, size=len(data), media_type=media_type or DEFAULT_MEDIA_TYPE,
                data=data, created_at=at, uploaded_at=at if uploaded else None)
            .on_conflict_do_nothing(index_elements=["sha256"]))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def info(self, sha256: str) -> StoredFile | None:
        t = ATTACHMENTS
        row = self.s.execute(select(t.c.sha256, t.c.size, t.c.media_type, t.c.created_at,
                                    t.c.uploaded_at).where(t.c.sha256 == sha256)).first()
        return None if row is None else StoredFile(str(row.sha256), int(row.size),
                                                   str(row.media_type), str(row.created_at),
                                                   row.uploaded_at)

    def data(self, sha256: str) -> bytes | None:
        value = self.s.scalar(select(ATTACHMENTS.c.data).where(ATTACHMENTS.c.sha256 == sha256))
        return None if value is None else bytes(value)

    def present(self, shas: Iterable[str]) -> set[str]:
        """Which of `shas` are stored here."""
        wanted = sorted(set(shas))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit
            chunk = wanted[start:start + 500]
            found |= set(self.s.scalars(select(ATTACHMENTS.c.sha256)
                                        .where(ATTACHMENTS.c.sha256.in_(chunk))))
        return found

    def not_uploaded(self, shas: Iterable[str]) -> list[str]:
        """Which of `shas` are stored here and not yet confirmed by the server."""
        wanted = sorted(set(shas))
        out: list[str] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            out += self.s.scalars(select(ATTACHMENTS.c.sha256).where(
                ATTACHMENTS.c.sha256.in_(chunk), ATTACHMENTS.c.uploaded_at.is_(None)))
        return sorted(out)

    def mark_uploaded(self, sha256: str) -> None:
        self.s.execute(update(ATTACHMENTS).where(ATTACHMENTS.c.sha256 == sha256,
                                                 ATTACHMENTS.c.uploaded_at.is_(None))
                       .values(uploaded_at=now_iso()))

    def referenced(self) -> dict[str, str]:
        """SHA-256 → file name of every file a live references section of any site names."""
        # here, not at the top: the Help Desk domain package loads all of its checks, which
        # the sync reader the desktop makes at start-up does not need
        from app.domain.helpdesk.references import REFERENCES, referenced_attachments

        t = SECTIONS_TABLE
        out: dict[str, str] = {}
        for (text,) in self.s.execute(select(t.c.document_json).where(
                t.c.section == REFERENCES, t.c.deleted_at.is_(None))):
            for sha, name in referenced_attachments(json.loads(text)).items():
                out.setdefault(sha, name)
        return out

    def missing(self) -> dict[str, str]:
        """The files live references name and this workspace does not hold (a pull brought
        the section; the bytes are still to be downloaded)."""
        named = self.referenced()
        held = self.present(named)
        return {sha: name for sha, name in sorted(named.items()) if sha not in held}

    def count(self) -> int:
        return int(self.s.scalar(select(func.count()).select_from(ATTACHMENTS)) or 0)
