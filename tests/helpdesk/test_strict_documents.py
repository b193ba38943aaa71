"""A section document a user wrote is read strictly (issue 14): an unknown field anywhere is
refused with its path, while documents from sync keep ignoring fields they do not know."""

from __future__ import annotations

import pytest

from app.domain.helpdesk import SECTIONS, SiteSetup, section_document, section_from_document


def test_unknown_fields_are_refused_with_their_path_only_when_strict() -> None:
    document = [{"title": "Runbook", "body": "", "colour": "red"}]
    assert section_from_document("references", document)[0].title == "Runbook"
    with pytest.raises(ValueError, match=r"references\[0\]\.colour: unknown field; known: "
                                         r"title, body"):
        section_from_document("references", document, strict=True)


def test_nested_unknown_fields_are_named_where_they_are() -> None:
    network = section_document(SiteSetup(), "network-info")
    network["printers"]["items"] = [{"kind": "network", "name": "Front", "modle": "HP"}]
    with pytest.raises(ValueError, match=r"network-info\.printers\.items\[0\]\.modle"):
        section_from_document("network-info", network, strict=True)


@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_empty_document_reads_back_strictly(section: str) -> None:
    document = section_document(SiteSetup(), section)
    assert section_from_document(section, document, strict=True) == getattr(
        SiteSetup(), SECTIONS[section])
