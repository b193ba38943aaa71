"""The password generator and the strength estimate."""

from __future__ import annotations

import string

import pytest

from app.domain.errors import RuleViolation
from app.services.vault import PasswordGenerator
from app.vault.passwords import AMBIGUOUS, CLASSES, label_for


def test_generated_passwords_have_every_class_and_length() -> None:
    seen = set()
    for _ in range(200):
        pw = PasswordGenerator.generate_password(12)
        assert len(pw) == 12
        for chars in CLASSES.values():
            assert any(c in chars for c in pw)
        seen.add(pw)
    assert len(seen) == 200


def test_classes_and_ambiguous_characters() -> None:
    pw = PasswordGenerator.generate_password(64, ["digits"])
    assert set(pw) <= set(string.digits)
    pw = PasswordGenerator.generate_password(200, ["lower", "upper", "digits"],
                                             avoid_ambiguous=True)
    assert not set(pw) & AMBIGUOUS
    with pytest.raises(RuleViolation):
        PasswordGenerator.generate_password(4)
    with pytest.raises(RuleViolation):
        PasswordGenerator.generate_password(20, ["emoji"])
    with pytest.raises(RuleViolation):
        PasswordGenerator.generate_password(20, [])


def test_strength_labels() -> None:
    generated = PasswordGenerator.generated_strength(20)
    assert generated.bits == pytest.approx(20 * 6.4919, rel=1e-3)
    assert generated.label == "very strong"
    assert PasswordGenerator.password_strength("password").label == "very weak"
    assert PasswordGenerator.password_strength("aaaaaaaaaaaa").label == "very weak"
    assert PasswordGenerator.password_strength("abcdefgh").label in ("very weak", "weak")
    assert PasswordGenerator.password_strength("Tr0ub4dor&3").label in ("fair", "strong")
    assert PasswordGenerator.password_strength(PasswordGenerator.generate_password(24)).label == (
        "very strong")
    assert PasswordGenerator.password_strength("").bits == 0
    assert [label_for(b) for b in (10, 30, 50, 70, 90)] == [
        "very weak", "weak", "fair", "strong", "very strong"]
    assert PasswordGenerator.password_strength("x").to_dict()["label"] == "very weak"
