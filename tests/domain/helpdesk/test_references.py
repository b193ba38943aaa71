"""References: titled free-text documents, optionally with a file (its name, and since schema
0006 the SHA-256 and size of its stored bytes)."""

from __future__ import annotations

import pytest

from app.domain.helpdesk import Reference, SiteSetup, section_document, section_from_document
from app.domain.helpdesk.references import (
    MAX_ATTACHMENT_BYTES,
    format_size,
    is_sha256,
    referenced_attachments,
    validate_references,
)

from .builders import codes

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"  # sha256(b"test")


def test_references() -> None:
    assert validate_references([Reference("Wi-Fi", "SSID"),
                                Reference("Map", "", "floor-plan.pdf", SHA, 4)]) == []
    assert codes(validate_references([Reference("", "text")])) == ["reference.title_required"]
    assert codes(validate_references([Reference("Empty")])) == ["reference.empty"]
    found = validate_references([Reference("A", "x", "../etc/passwd")])
    assert codes(found) == ["reference.attachment_name_invalid",
                            "reference.attachment_not_stored"]
    assert found[0].field == "references[0].attachment_name"
    assert codes(validate_references([Reference("A", "x", "")])) == [
        "reference.attachment_name_invalid"]
    found = validate_references([Reference("Wi-Fi", "a"), Reference("wi-fi", "b")])
    assert codes(found) == ["reference.duplicate_title"]
    assert found[0].severity == "warning"


def test_a_name_without_its_file_is_a_warning_not_an_error() -> None:
    (finding,) = validate_references([Reference("Map", "", "floor-plan.pdf")])
    assert finding.code == "reference.attachment_not_stored"
    assert finding.severity == "warning"
    assert finding.field == "references[0].attachment_name"
    assert "floor-plan.pdf" in finding.message
    assert "attach the file again" in finding.message


@pytest.mark.parametrize("sha", [SHA.upper(), SHA[:-1], SHA + "0", "g" * 64, ""])
def test_a_sha_must_be_64_lowercase_hex_digits(sha: str) -> None:
    found = validate_references([Reference("Map", "", "map.pdf", sha, 4)])
    assert codes(found) == ["reference.attachment_sha_invalid"]
    assert found[0].field == "references[0].attachment_sha256"
    assert not is_sha256(sha)
    assert is_sha256(SHA)


def test_size_and_sha_need_each_other_and_a_name() -> None:
    assert codes(validate_references([Reference("Map", "x", "map.pdf", None, 4)])) == [
        "reference.attachment_size_invalid"]
    assert codes(validate_references([
        Reference("Map", "", "map.pdf", SHA, MAX_ATTACHMENT_BYTES + 1)])) == [
        "reference.attachment_size_invalid"]
    assert codes(validate_references([Reference("Map", "x", None, SHA, 4)])) == [
        "reference.attachment_name_invalid"]


def test_old_documents_without_the_file_keys_still_read() -> None:
    """A references document saved before schema 0006 has names only."""
    old = [{"title": "Map", "body": "", "attachment_name": "floor-plan.pdf"},
           {"title": "Wi-Fi", "body": "SSID"}]
    assert section_from_document("references", old) == (
        Reference("Map", "", "floor-plan.pdf"), Reference("Wi-Fi", "SSID"))
    new = (Reference("Map", "", "floor-plan.pdf", SHA, 4),)
    document = section_document(SiteSetup(references=new), "references")
    assert document == [{"title": "Map", "body": "", "attachment_name": "floor-plan.pdf",
                         "attachment_sha256": SHA, "attachment_size": 4}]
    assert section_from_document("references", document) == new
    with pytest.raises(ValueError, match=r"attachment_size"):
        section_from_document("references", [{**document[0], "attachment_size": "4"}])


def test_referenced_attachments_reads_any_document_shape() -> None:
    document = [{"attachment_sha256": SHA, "attachment_name": "a.pdf"},
                {"attachment_sha256": SHA, "attachment_name": "b.pdf"},
                {"attachment_sha256": "nope", "attachment_name": "c.pdf"},
                {"attachment_name": "legacy.pdf"}, "junk", None]
    assert referenced_attachments(document) == {SHA: "a.pdf"}
    assert referenced_attachments({"not": "a list"}) == {}
    assert referenced_attachments([{"attachment_sha256": SHA}]) == {SHA: SHA}


def test_sizes_for_people() -> None:
    assert format_size(1) == "1 byte"
    assert format_size(812) == "812 bytes"
    assert format_size(12_595) == "12.3 KB"
    assert format_size(MAX_ATTACHMENT_BYTES) == "25.0 MB"
    assert format_size(3 * 1024**3) == "3.0 GB"
