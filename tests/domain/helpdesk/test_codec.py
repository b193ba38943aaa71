"""JSON documents of the sections: round trips, unknown and missing keys, bad types."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.helpdesk import (
    SECTIONS,
    BasicInfo,
    NetworkInfo,
    ProductOptions,
    SiteSetup,
    TimeSlot,
    Weekday,
    section_document,
    section_from_document,
    setup_from_documents,
)
from app.domain.helpdesk.codec import from_json, to_json

from .builders import setup


def test_every_section_round_trips_through_json_text() -> None:
    full = setup(rules=())  # the rules are partner objects, not a stored section
    documents = {name: json.loads(json.dumps(section_document(full, name)))
                 for name in SECTIONS}
    assert setup_from_documents(documents) == full
    # A per-site rules document (pulled from an older client) is not part of the setup.
    legacy = {**documents, "notification-rules": [{"id": "r", "name": "Old", "paths": []}]}
    assert setup_from_documents(legacy) == full
    for name in SECTIONS:
        assert section_from_document(name, documents[name]) == getattr(full, SECTIONS[name])


def test_empty_setup_round_trips() -> None:
    empty = SiteSetup()
    assert section_document(empty, "product-options") is None
    documents = {name: section_document(empty, name) for name in SECTIONS}
    assert setup_from_documents(documents) == empty
    assert setup_from_documents({}) == empty


def test_unknown_keys_ignored_missing_keys_default() -> None:
    info: BasicInfo = from_json(BasicInfo, {"main_phone": "4155552671", "added_in_2030": True})
    assert info == BasicInfo(main_phone="4155552671")
    assert from_json(NetworkInfo, {}) == NetworkInfo()


@pytest.mark.parametrize(("data", "where"), [
    ({"noc_services": "yes"}, "$.noc_services"),
    ({"coverage_level": "weekends"}, "$.coverage_level"),
    ({"start_date": "01/12/2026"}, "$.start_date"),
    ({"seat_count": True}, "$.seat_count"),
    ({"contact": []}, "$.contact"),
    ([], "$"),
])
def test_bad_documents_name_the_path(data: object, where: str) -> None:
    with pytest.raises(ValueError, match=rf"^{re.escape(where)}:"):
        from_json(ProductOptions, data)


def test_missing_required_field_and_unknown_section() -> None:
    with pytest.raises(ValueError, match=r"network-info.printers.items\[0\]"):
        section_from_document("network-info", {"printers": {"items": [{"kind": "network"}]}})
    with pytest.raises(ValueError, match="unknown Help Desk section"):
        section_from_document("passwords", {})


def test_dates_and_enums_as_text() -> None:
    data = to_json(ProductOptions(start_date=date(2026, 12, 1)))
    assert data["start_date"] == "2026-12-01"
    assert data["coverage_level"] is None


@given(st.lists(st.builds(TimeSlot, st.sampled_from(list(Weekday)), st.integers(0, 1439),
                          st.integers(0, 1440)), max_size=5).map(tuple))
def test_slots_round_trip(slots: tuple[TimeSlot, ...]) -> None:
    assert from_json(tuple[TimeSlot, ...], json.loads(json.dumps(to_json(slots)))) == slots
