"""Files attached to Help Desk references: `workspace.attachments`.

`attach(path)` reads a file, refuses what cannot be a reference's attachment (missing,
unreadable, a folder, over `MAX_ATTACHMENT_BYTES`) with a message naming the file, and stores
its bytes once under their SHA-256; the caller puts the returned (sha256, size, name) on the
`Reference` and saves the references section as usual. `attachment_bytes(sha)` and
`save_attachment(sha, dest)` give them back. Blocking I/O (file and SQLite): front ends run
these off their GUI thread.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import NamedTuple

from app.domain.errors import NotFound, RuleViolation
from app.domain.helpdesk.references import MAX_ATTACHMENT_BYTES, format_size, is_sha256
from storage.attachments import AttachmentRepository, StoredFile, media_type_of
from storage.database import Database

CHUNK = 1024 * 1024


class AttachedFile(NamedTuple):
    """A stored file, as a reference names it."""

    sha256: str
    size: int
    name: str


def too_large_message(name: str, size: int, limit: int = MAX_ATTACHMENT_BYTES) -> str:
    return (f"cannot attach '{name}': it is {format_size(size)} ({size:,} bytes), over the "
            f"{format_size(limit)} limit for a reference's file")


class AttachmentService:
    def __init__(self, db: Database, *, limit: int = MAX_ATTACHMENT_BYTES) -> None:
        self.db = db
        self.limit = limit

    def attach(self, path: str | os.PathLike[str]) -> AttachedFile:
        """Store the file at `path` (once per content) and return what names it."""
        source = Path(path)
        name = source.name
        try:
            info = source.stat()
        except FileNotFoundError:
            raise RuleViolation(f"cannot attach '{source}': there is no such file") from None
        except OSError as exc:
            raise RuleViolation(f"cannot attach '{source}': {exc.strerror or exc}") from None
        if source.is_dir():
            raise RuleViolation(f"cannot attach '{source}': it is a folder; attach a file "
                                "(or a .zip of the folder)")
        if info.st_size > self.limit:
            raise RuleViolation(too_large_message(name, info.st_size, self.limit))
        digest = hashlib.sha256()
        chunks: list[bytes] = []
        size = 0
        try:
            with source.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    size += len(chunk)
                    if size > self.limit:  # it grew while we read it
                        raise RuleViolation(too_large_message(name, size, self.limit))
                    digest.update(chunk)
                    chunks.append(chunk)
        except PermissionError:
            raise RuleViolation(f"cannot attach '{source}': permission denied (is it open "
                                "in another program, or not yours to read?)") from None
        except OSError as exc:
            raise RuleViolation(f"cannot attach '{source}': cannot read it "
                                f"({exc.strerror or exc})") from None
        sha = digest.hexdigest()
        with self.db.write() as s:
            AttachmentRepository(s).put(sha, b"".join(chunks), media_type_of(name))
        return AttachedFile(sha, size, name)

    def has(self, sha256: str) -> bool:
        with self.db.read() as s:
            return bool(AttachmentRepository(s).present([sha256]))

    def info(self, sha256: str) -> StoredFile | None:
        with self.db.read() as s:
            return AttachmentRepository(s).info(sha256)

    def attachment_bytes(self, sha256: str) -> bytes:
        if not is_sha256(sha256):
            raise RuleViolation(f"'{sha256}' is not a SHA-256 (64 lowercase hex digits)")
        with self.db.read() as s:
            data = AttachmentRepository(s).data(sha256)
        if data is None:
            raise NotFound(f"the file {sha256[:12]}… is not in this workspace yet; sync to "
                           "fetch it from the server")
        return data

    def save_attachment(self, sha256: str, dest: str | os.PathLike[str]) -> Path:
        """Write the stored file to `dest` (replacing it whole, never half-written)."""
        data = self.attachment_bytes(sha256)
        target = Path(dest)
        if target.is_dir():
            raise RuleViolation(f"cannot save to '{target}': it is a folder")
        try:
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".part")
        except OSError as exc:
            raise RuleViolation(f"cannot save '{target.name}' in '{target.parent}': "
                                f"{exc.strerror or exc}") from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, 0o644)  # mkstemp makes 0600; a saved document is an ordinary file
            os.replace(temp, target)
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise RuleViolation(f"cannot save '{target}': {exc.strerror or exc}") from None
        return target
