"""Password generator and a strength estimate (for the GUI's generator and the add form)."""

from __future__ import annotations

import math
import secrets
import string
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.errors import RuleViolation

CLASSES: dict[str, str] = {
    "lower": string.ascii_lowercase,
    "upper": string.ascii_uppercase,
    "digits": string.digits,
    "symbols": "!#$%&()*+,-./:;<=>?@[]^_{|}~",
}
AMBIGUOUS = frozenset("Il1O0o|")
DEFAULT_CLASSES = ("lower", "upper", "digits", "symbols")
MIN_LENGTH, MAX_LENGTH = 8, 256
COMMON = frozenset({
    "password", "123456", "12345678", "qwerty", "letmein", "welcome", "admin", "iloveyou",
    "monkey", "dragon", "abc123", "111111", "password1", "passw0rd", "changeme", "secret",
})


def generate_password(length: int = 20, classes: Iterable[str] = DEFAULT_CLASSES, *,
                      avoid_ambiguous: bool = False) -> str:
    """A random password from `secrets`, with at least one character of every chosen class."""
    chosen = list(dict.fromkeys(classes))
    unknown = [c for c in chosen if c not in CLASSES]
    if unknown or not chosen:
        raise RuleViolation(f"character classes must be some of {', '.join(CLASSES)}")
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise RuleViolation(f"password length must be {MIN_LENGTH}–{MAX_LENGTH}")
    pools = [''.join(ch for ch in CLASSES[c] if not (avoid_ambiguous and ch in AMBIGUOUS))
             for c in chosen]
    alphabet = "".join(pools)
    chars = [secrets.choice(pool) for pool in pools]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    # Fisher–Yates with secrets, so the guaranteed characters are not at the front.
    for i in range(len(chars) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


@dataclass(frozen=True)
class Strength:
    bits: float
    label: str  # very weak | weak | fair | strong | very strong

    def to_dict(self) -> dict[str, object]:
        return {"bits": round(self.bits, 1), "label": self.label}


LABELS = ((28, "very weak"), (36, "weak"), (60, "fair"), (80, "strong"))


def label_for(bits: float) -> str:
    return next((label for limit, label in LABELS if bits < limit), "very strong")


def generated_entropy(length: int, classes: Iterable[str] = DEFAULT_CLASSES) -> Strength:
    """The exact entropy of `generate_password(length, classes)` (a uniform choice)."""
    pool = len("".join(CLASSES[c] for c in dict.fromkeys(classes)))
    bits = length * math.log2(pool) if pool else 0.0
    return Strength(bits, label_for(bits))


def estimate_strength(password: str) -> Strength:
    """A conservative estimate for any password: the character pool it draws from times its
    length, with repeats, runs and very common passwords counted down."""
    if not password:
        return Strength(0.0, "very weak")
    if password.casefold() in COMMON:
        return Strength(1.0, "very weak")
    pool = 0
    for chars in CLASSES.values():
        if any(ch in chars for ch in password):
            pool += len(chars)
    if any(not ch.isascii() or (ch not in "".join(CLASSES.values())) for ch in password):
        pool += 32
    # Count a character that repeats or continues a run (abc, 123) as worth a quarter.
    effective = 0.0
    for i, ch in enumerate(password):
        prev = password[i - 1] if i else None
        if prev is not None and (ch == prev or abs(ord(ch) - ord(prev)) == 1):
            effective += 0.25
        else:
            effective += 1.0
    distinct = len(set(password))
    effective = min(effective, distinct * 2.0)
    bits = effective * math.log2(max(pool, 2))
    return Strength(bits, label_for(bits))
