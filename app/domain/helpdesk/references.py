"""References (seed 004): titled free-text documents for the Help Desk, optionally with an
attached file. The reference names the file (`attachment_name`) and, since schema 0006, points
at its bytes by their SHA-256 (`attachment_sha256`, `attachment_size`): the bytes themselves
are stored once per content in the workspace (table `attachments`) and on the server
(`/v1/attachments/{sha256}`), never inside the section's JSON document.

A reference saved before 0006 has a name and no SHA-256: it still reads, with a warning that
the file itself is not stored."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.helpdesk.findings import Finding
from app.domain.helpdesk.text import check_text

REFERENCES = "references"
TITLE_MAX = 200
REFERENCE_BODY_MAX = 100_000
FILE_NAME_MAX = 255
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024  # 25 MiB: what a mail system passes on, too
SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def is_sha256(value: object) -> bool:
    """A SHA-256 as we write it: 64 lowercase hex digits."""
    return isinstance(value, str) and SHA256_HEX.fullmatch(value) is not None


def format_size(size: int) -> str:
    """A byte count for people: "812 bytes", "12.3 KB", "25.0 MB" (1 KB = 1024 bytes)."""
    if size < 1024:
        return f"{size} byte{'' if size == 1 else 's'}"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    return f"{value:.1f} {unit}"


@dataclass(frozen=True)
class Reference:
    """A free-text reference document, optionally with an attached file: its name, and the
    SHA-256 and size of its bytes (None for a reference saved before files were stored)."""

    title: str
    body: str = ""
    attachment_name: str | None = None
    attachment_sha256: str | None = None
    attachment_size: int | None = None

    @property
    def has_stored_file(self) -> bool:
        return self.attachment_sha256 is not None


def referenced_attachments(document: Any) -> dict[str, str]:
    """SHA-256 → file name of every stored file a references section document (its JSON, as
    stored and synced) points at. Anything malformed is skipped: this reads documents of other
    clients too, and the codec is where their shape is checked."""
    out: dict[str, str] = {}
    if not isinstance(document, list):
        return out
    for item in document:
        if not isinstance(item, dict):
            continue
        sha, name = item.get("attachment_sha256"), item.get("attachment_name")
        if isinstance(sha, str) and is_sha256(sha):
            out.setdefault(sha, name if isinstance(name, str) and name else sha)
    return out


def validate_references(references: Sequence[Reference]) -> list[Finding]:
    out: list[Finding] = []
    titles: set[str] = set()
    for index, ref in enumerate(references):
        prefix = f"references[{index}]"
        found = check_text(REFERENCES, "title", "reference title", ref.title, max_length=TITLE_MAX,
                           required_code="reference.title_required")
        found += check_text(REFERENCES, "body", "reference text", ref.body,
                            max_length=REFERENCE_BODY_MAX, multiline=True)
        if not ref.body.strip() and not ref.attachment_name:
            found.append(Finding(REFERENCES, "body", "error", "reference.empty",
                                 "Write the reference text or attach a file; an empty reference "
                                 "tells the Help Desk nothing."))
        found += _check_attachment(ref)
        key = ref.title.strip().casefold()
        if key and key in titles:
            found.append(Finding(REFERENCES, "title", "warning", "reference.duplicate_title",
                                 f"Two references are titled '{ref.title.strip()}'; give each a "
                                 "distinct title so the Help Desk finds the right one."))
        titles.add(key)
        out.extend(f.within(prefix) for f in found)
    return out


def _check_attachment(ref: Reference) -> list[Finding]:
    found: list[Finding] = []
    name, sha, size = ref.attachment_name, ref.attachment_sha256, ref.attachment_size
    if (name is not None and (not name.strip() or len(name) > FILE_NAME_MAX
                              or any(ch in name for ch in '/\\\x00') or name in (".", ".."))) \
            or (name is None and (sha is not None or size is not None)):
        found.append(Finding(REFERENCES, "attachment_name", "error",
                             "reference.attachment_name_invalid",
                             "The attached file's name must be a plain file name of at most "
                             f"{FILE_NAME_MAX} characters, without folders."))
    if sha is not None and not is_sha256(sha):
        found.append(Finding(REFERENCES, "attachment_sha256", "error",
                             "reference.attachment_sha_invalid",
                             "The attached file's SHA-256 must be 64 lowercase hexadecimal "
                             "digits; attach the file again."))
    if size is not None and (sha is None or not 0 <= size <= MAX_ATTACHMENT_BYTES):
        found.append(Finding(REFERENCES, "attachment_size", "error",
                             "reference.attachment_size_invalid",
                             "The attached file's size must be given with its SHA-256 and be "
                             f"at most {format_size(MAX_ATTACHMENT_BYTES)}; attach the file "
                             "again."))
    if name and sha is None and size is None:
        found.append(Finding(REFERENCES, "attachment_name", "warning",
                             "reference.attachment_not_stored",
                             f"Only the name of '{name}' is recorded, not the file itself; "
                             "attach the file again so the Help Desk can open it."))
    return found
