"""References: titled free-text documents, optionally with a file."""

from __future__ import annotations

from app.domain.helpdesk import Reference, validate_references

from .builders import codes


def test_references() -> None:
    assert validate_references([Reference("Wi-Fi", "SSID"), Reference("Map", "",
                                                                      "floor-plan.pdf")]) == []
    assert codes(validate_references([Reference("", "text")])) == ["reference.title_required"]
    assert codes(validate_references([Reference("Empty")])) == ["reference.empty"]
    found = validate_references([Reference("A", "x", "../etc/passwd")])
    assert codes(found) == ["reference.attachment_name_invalid"]
    assert found[0].field == "references[0].attachment_name"
    assert codes(validate_references([Reference("A", "x", "")])) == [
        "reference.attachment_name_invalid"]
    found = validate_references([Reference("Wi-Fi", "a"), Reference("wi-fi", "b")])
    assert codes(found) == ["reference.duplicate_title"]
    assert found[0].severity == "warning"
