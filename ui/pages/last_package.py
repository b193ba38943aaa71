"""The package the user saved last in this window, so Assign Package… offers it first (not
whichever package sorts first). Kept on the window's shared undo stack: one per window, gone
with it, nothing global."""

from __future__ import annotations

from PySide6.QtCore import QObject

PROPERTY = "lastSavedPackage"


def remember(holder: QObject, package_id: str) -> None:
    holder.setProperty(PROPERTY, package_id)


def recall(holder: QObject) -> str | None:
    value = holder.property(PROPERTY)
    return value if isinstance(value, str) and value else None


__all__ = ["recall", "remember"]
