"""Names are stored NFC, counted after NFC, refuse invisible and control characters, and two
names that differ only by case, width or invisible characters are the same name (docs/rules.md,
"Names")."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import RuleViolation
from app.domain.names import MAX_NAME_LENGTH, clean_name, name_key, name_length
from tests.text_helpers import wide

DECOMPOSED_E = "e\u0301"  # e + combining acute: one "é" on screen, two code points


def test_a_name_typed_decomposed_is_stored_composed_and_counted_as_seen() -> None:
    raw = DECOMPOSED_E * MAX_NAME_LENGTH
    assert len(raw) == 2 * MAX_NAME_LENGTH
    name = clean_name("site", raw)
    assert name == "\u00e9" * MAX_NAME_LENGTH
    assert name_length(raw) == MAX_NAME_LENGTH


def test_one_character_over_the_limit_after_nfc_is_refused_with_its_count() -> None:
    with pytest.raises(RuleViolation, match=r"at most 200 characters; this one has 201"):
        clean_name("site", DECOMPOSED_E * (MAX_NAME_LENGTH + 1))


@pytest.mark.parametrize(("raw", "shown"), [
    ("Help Desk Ready\u200b", "U+200B ZERO WIDTH SPACE"),
    ("\u200b", "U+200B ZERO WIDTH SPACE"),
    ("Main\u202eOffice", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("Lab\u200d", "U+200D ZERO WIDTH JOINER"),
    ("Lab\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("Lab\u00ad", "U+00AD SOFT HYPHEN"),
    ("A\u2060B", "U+2060 WORD JOINER"),
    ("A\u3164B", "U+3164 HANGUL FILLER"),
])
def test_invisible_characters_are_refused_naming_the_character(raw: str, shown: str) -> None:
    with pytest.raises(RuleViolation, match="invisible characters") as caught:
        clean_name("package", raw)
    assert shown in str(caught.value)
    assert str(caught.value).startswith("package name must not contain")


@pytest.mark.parametrize("raw", ["A\x00B", "A\tB", "A\nB", "A\x7fB", "A\x85B"])
def test_control_characters_are_refused(raw: str) -> None:
    with pytest.raises(RuleViolation, match="control characters"):
        clean_name("company", raw)


@pytest.mark.parametrize(("a", "b"), [
    ("Help Desk Ready", "help desk ready"),
    ("Help Desk Ready", "Help Desk Ready\u200b"),
    ("Ärzte Müller", "ÄRZTE MÜLLER"),
    (wide("Acme"), "acme"),
    ("caf\u00e9", "cafe\u0301"),
    ("Straße", "STRASSE"),
    ("ﬁnance", "finance"),
])
def test_look_alikes_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [("Main", "Main 2"), ("Lab", "Lap"), ("café", "cafe")])
def test_different_names_have_different_keys(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


visible_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")),
    min_size=1, max_size=60).filter(lambda s: s.strip())


@given(visible_text)
def test_a_clean_name_is_nfc_stripped_and_its_own_key_is_stable(raw: str) -> None:
    if any(ch in "\u115f\u1160\u3164\uffa0\u2800" for ch in raw):  # blank look-alikes
        with pytest.raises(RuleViolation, match="invisible"):
            clean_name("policy", raw)
        return
    name = clean_name("policy", raw)
    assert unicodedata.is_normalized("NFC", name)
    assert name == name.strip()
    assert name_key(name) == name_key(name_key(name))
    assert name_key(name) == name_key(name.casefold())
