"""The status-bar line a finished sync leaves: counts, conflicts, attached files."""

from __future__ import annotations

from app.sync.engine import SyncReport
from ui.sync.controller import _summary


def test_plain_sync() -> None:
    report = SyncReport(applied=3, merged=1, pulled=2)
    assert _summary(report) == "Synced: sent 4, received 2."


def test_files_and_problems_are_told() -> None:
    report = SyncReport(pulled=1, files_downloaded=2,
                        file_problems=["'map.pdf' is not on the server yet"])
    text = _summary(report)
    assert text.startswith("Synced: sent 0, received 1, 2 attached file(s).")
    assert "1 attached file(s) could not be synced and will be tried again" in text
    assert "'map.pdf' is not on the server yet" in text
