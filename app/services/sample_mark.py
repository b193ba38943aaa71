"""The sample workspace is marked as one, so its fake companies are not pushed to a real server
by a first sync nobody meant: the desktop app asks first (`preflight sync`, typed by the user,
is asking). Sending it once, on purpose, clears the mark."""

from __future__ import annotations

from typing import Any

from storage.repository import Repository

SAMPLE_KEY = "sample_workspace"


def mark_sample(workspace: Any) -> None:
    with workspace.db.write() as s:
        Repository(s).set_info(SAMPLE_KEY, "1")


def is_sample(workspace: Any) -> bool:
    with workspace.db.read() as s:
        return Repository(s).get_info(SAMPLE_KEY) == "1"


def clear_sample_mark(workspace: Any) -> None:
    with workspace.db.write() as s:
        Repository(s).set_info(SAMPLE_KEY, "0")


__all__ = ["SAMPLE_KEY", "clear_sample_mark", "is_sample", "mark_sample"]
