"""Password generation and strength, as the front ends ask for them (no key, no database)."""

from __future__ import annotations

from collections.abc import Iterable

from app.vault.passwords import (
    DEFAULT_CLASSES,
    Strength,
    estimate_strength,
    generate_password,
    generated_entropy,
)


class PasswordGenerator:
    @staticmethod
    def generate_password(length: int = 20, classes: Iterable[str] = DEFAULT_CLASSES, *,
                          avoid_ambiguous: bool = False) -> str:
        return generate_password(length, classes, avoid_ambiguous=avoid_ambiguous)

    @staticmethod
    def generated_strength(length: int = 20,
                           classes: Iterable[str] = DEFAULT_CLASSES) -> Strength:
        """The strength of any password this generator makes with these settings."""
        return generated_entropy(length, classes)

    @staticmethod
    def password_strength(password: str) -> Strength:
        return estimate_strength(password)


__all__ = ["PasswordGenerator"]
