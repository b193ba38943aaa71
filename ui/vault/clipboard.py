"""Copy a secret to the clipboard, marked so clipboard managers skip it, and clear it again.

The copy carries `x-kde-passwordManagerHint: secret` (Klipper and other managers skip it) and,
on Windows, the formats that keep it out of clipboard monitors, the Win+V history and the cloud
clipboard (docs/architecture.md §6). After the delay (10 s) and on quit the clipboard is cleared,
but only when it still holds our copy: something the user copied meanwhile is left alone. What is
kept to recognise our copy is a keyed hash of it, not the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sys

from PySide6.QtCore import QByteArray, QCoreApplication, QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

CLEAR_AFTER_MS = 10_000
KDE_HINT = "x-kde-passwordManagerHint"
ZERO_DWORD = b"\x00\x00\x00\x00"
WINDOWS_FORMATS = {  # application/x-qt-windows-mime;value="<name>" names a native format
    "ExcludeClipboardContentFromMonitorProcessing": ZERO_DWORD,
    "CanIncludeInClipboardHistory": ZERO_DWORD,
    "CanUploadToCloudClipboard": ZERO_DWORD,
}


def windows_mime(name: str) -> str:
    return f'application/x-qt-windows-mime;value="{name}"'


def secret_mime(text: str, *, windows: bool | None = None) -> QMimeData:
    """The clipboard content for a secret: its text and the "do not keep this" hints."""
    mime = QMimeData()
    mime.setText(text)
    mime.setData(KDE_HINT, QByteArray(b"secret"))
    on_windows = sys.platform == "win32" if windows is None else windows
    if on_windows:
        for name, value in WINDOWS_FORMATS.items():
            mime.setData(windows_mime(name), QByteArray(value))
    return mime


class SecretClipboard(QObject):
    """One per application window: `copy(text)`; `clear_now()` also runs on quit."""

    def __init__(self, parent: QObject | None = None, clear_after_ms: int = CLEAR_AFTER_MS,
                 clipboard: QClipboard | None = None) -> None:
        super().__init__(parent)
        self.clear_after_ms = clear_after_ms
        self._clipboard = clipboard or QGuiApplication.clipboard()
        self._salt = os.urandom(16)
        self._ours: bytes | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.clear_now)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.clear_now)

    def _digest(self, text: str) -> bytes:
        return hmac.new(self._salt, text.encode("utf-8"), hashlib.sha256).digest()

    def copy(self, text: str) -> None:
        self._clipboard.setMimeData(secret_mime(text))
        self._ours = self._digest(text)
        self.timer.start(self.clear_after_ms)

    def holds_ours(self) -> bool:
        if self._ours is None:
            return False
        return hmac.compare_digest(self._digest(self._clipboard.text()), self._ours)

    @property
    def pending(self) -> bool:
        """True while a copy of ours may still be on the clipboard."""
        return self._ours is not None

    def clear_now(self) -> None:
        """Clear the clipboard if it still holds our copy; forget it either way."""
        self.timer.stop()
        if self.holds_ours():
            self._clipboard.clear()
        self._ours = None


__all__ = ["CLEAR_AFTER_MS", "KDE_HINT", "SecretClipboard", "secret_mime", "windows_mime"]
