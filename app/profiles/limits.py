"""Limits every reader enforces before or while it reads (docs/architecture.md §4: refuse, never
choke)."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """What a profile file may be. The defaults hold a 200,000-row template with room to spare.

    `max_cell_chars` is Excel's own cell limit; `max_compression_ratio` applies to archive
    entries over 1 MB (small XML parts compress far better than data ever does).
    """

    max_file_bytes: int = 50 * MB
    max_zip_entries: int = 10_000
    max_uncompressed_bytes: int = 300 * MB
    max_compression_ratio: float = 200.0
    max_columns: int = 256
    max_rows: int = 1_048_576
    max_cell_chars: int = 32_767


DEFAULT_LIMITS = Limits()
