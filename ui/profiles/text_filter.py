"""Filter records by a substring of their search text, in Python (docs/architecture.md §5).

Typing narrows: when the new text contains the previous one, only the previous matches are
searched again, so every keystroke after the first scans fewer rows. Order is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class TextFilter:
    def __init__(self) -> None:
        self.set([], [])

    def set(self, records: Sequence[Any], haystacks: Sequence[str]) -> None:
        """All records, with their lower-cased search text (same order)."""
        self.records = list(records)
        self.haystacks = list(haystacks)
        self._needle = ""
        self._rows = self.records
        self._hays = self.haystacks

    def matching(self, needle: str) -> list[Any]:
        """The records whose search text contains `needle` (already lower-cased)."""
        if not needle:
            self._needle, self._rows, self._hays = "", self.records, self.haystacks
            return self.records
        if self._needle and self._needle in needle:
            rows, hays = self._rows, self._hays
        else:
            rows, hays = self.records, self.haystacks
        kept = [i for i, h in enumerate(hays) if needle in h]
        self._needle = needle
        self._rows = [rows[i] for i in kept]
        self._hays = [hays[i] for i in kept]
        return self._rows
