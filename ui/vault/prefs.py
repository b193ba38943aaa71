"""The vault's one preference: lock after so many idle minutes (QSettings; never a secret)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

IDLE_KEY = "vault/idle_minutes"
DEFAULT_IDLE_MINUTES = 5
MAX_IDLE_MINUTES = 24 * 60


def idle_minutes(settings: QSettings) -> int:
    """Minutes of inactivity before the vault locks; 0 = never."""
    value = settings.value(IDLE_KEY, DEFAULT_IDLE_MINUTES)
    try:
        minutes = int(str(value))
    except ValueError:
        return DEFAULT_IDLE_MINUTES
    return min(max(minutes, 0), MAX_IDLE_MINUTES)


def set_idle_minutes(settings: QSettings, minutes: int) -> None:
    settings.setValue(IDLE_KEY, min(max(int(minutes), 0), MAX_IDLE_MINUTES))


def idle_seconds(settings: QSettings) -> float | None:
    minutes = idle_minutes(settings)
    return float(minutes * 60) if minutes else None
