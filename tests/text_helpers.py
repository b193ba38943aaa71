"""Text for the name tests that ruff would flag if typed literally."""

from __future__ import annotations


def wide(text: str) -> str:
    """The text in full-width forms ("A" -> U+FF21), as East Asian keyboards type it."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
