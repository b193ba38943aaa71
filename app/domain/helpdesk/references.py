"""References (seed 004): titled free-text documents for the Help Desk, optionally with an
attached file (its name here; the bytes are the storage layer's)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.helpdesk.findings import Finding
from app.domain.helpdesk.text import check_text

REFERENCES = "references"
TITLE_MAX = 200
REFERENCE_BODY_MAX = 100_000
FILE_NAME_MAX = 255


@dataclass(frozen=True)
class Reference:
    """A free-text reference document, optionally with an attached file (its name here; the
    bytes are the storage layer's)."""

    title: str
    body: str = ""
    attachment_name: str | None = None


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
        name = ref.attachment_name
        if name is not None and (not name.strip() or len(name) > FILE_NAME_MAX
                                 or any(ch in name for ch in '/\\\x00') or name in (".", "..")):
            found.append(Finding(REFERENCES, "attachment_name", "error",
                                 "reference.attachment_name_invalid",
                                 "The attached file's name must be a plain file name of at most "
                                 f"{FILE_NAME_MAX} characters, without folders."))
        key = ref.title.strip().casefold()
        if key and key in titles:
            found.append(Finding(REFERENCES, "title", "warning", "reference.duplicate_title",
                                 f"Two references are titled '{ref.title.strip()}'; give each a "
                                 "distinct title so the Help Desk finds the right one."))
        titles.add(key)
        out.extend(f.within(prefix) for f in found)
    return out
