"""Formula-injection guard for exported cells (OWASP "CSV injection", ASVS 5.0 §1.2.10).

A cell whose text starts with = + - @ tab CR or LF is run as a formula by a spreadsheet program
that opens a CSV file. Export neutralises such a value by prefixing one apostrophe, the way Excel
itself marks "text, not a formula". The CSV reader removes that one apostrophe again, so values
round-trip unchanged.

To keep this a bijection, a value whose text after its leading apostrophes starts with a trigger
character gets one more apostrophe: "'=x" is written "''=x" and reads back as "'=x". Values that
do not start (after apostrophes) with a trigger are written and read as they are.

XLSX export does not alter the text: it writes such cells as strings with Excel's quote-prefix
style (what typing '=x in Excel stores), so they show and stay as text even when edited.
"""

from __future__ import annotations

TRIGGERS = frozenset("=+-@\t\r\n")


def needs_guard(text: str) -> bool:
    """True when `text` would be (or would be mistaken for) a formula-like value."""
    stripped = text.lstrip("'")
    return bool(stripped) and stripped[0] in TRIGGERS


def neutralise(text: str) -> str:
    """The CSV form of a value: one apostrophe in front when `needs_guard`."""
    return "'" + text if needs_guard(text) else text


def unneutralise(text: str) -> str:
    """Inverse of `neutralise`: drop the one guarding apostrophe, if this value has it."""
    if text.startswith("'") and needs_guard(text):
        return text[1:]
    return text
