"""The secret clipboard on its own: the "do not keep" hints (KDE, and Windows' history / cloud /
monitor formats), clearing after the delay only when the clipboard still holds our copy, and on
quit."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from ui.vault.clipboard import KDE_HINT, WINDOWS_FORMATS, SecretClipboard, secret_mime, windows_mime


def test_the_mime_data_carries_the_hints() -> None:
    mime = secret_mime("pw", windows=True)
    assert mime.text() == "pw"
    assert bytes(mime.data(KDE_HINT).data()) == b"secret"
    for name in ("ExcludeClipboardContentFromMonitorProcessing",
                 "CanIncludeInClipboardHistory", "CanUploadToCloudClipboard"):
        assert name in WINDOWS_FORMATS
        assert mime.hasFormat(windows_mime(name))
    assert bytes(mime.data(windows_mime("CanIncludeInClipboardHistory")).data()) == b"\0" * 4
    assert bytes(mime.data(windows_mime("CanUploadToCloudClipboard")).data()) == b"\0" * 4
    plain = secret_mime("pw", windows=False)
    assert not plain.hasFormat(windows_mime("CanIncludeInClipboardHistory"))


def test_cleared_after_the_delay(qtbot: Any) -> None:
    copier = SecretClipboard(clear_after_ms=50)
    copier.copy("hunter2-long-secret")
    assert QApplication.clipboard().text() == "hunter2-long-secret"
    assert copier.holds_ours()
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == "")
    assert not copier.pending


def test_left_alone_when_the_user_copied_something_else(qtbot: Any) -> None:
    copier = SecretClipboard(clear_after_ms=50)
    copier.copy("hunter2-long-secret")
    QApplication.clipboard().setText("a note of mine")
    assert not copier.holds_ours()
    qtbot.waitUntil(lambda: not copier.pending)
    assert QApplication.clipboard().text() == "a note of mine"


def test_cleared_on_quit(qtbot: Any) -> None:
    copier = SecretClipboard(clear_after_ms=60_000)
    copier.copy("hunter2-long-secret")
    QApplication.instance().aboutToQuit.emit()  # what QApplication.quit() sends
    assert QApplication.clipboard().text() == ""
    assert not copier.pending


def test_only_a_keyed_hash_of_the_copy_is_kept() -> None:
    copier = SecretClipboard(clear_after_ms=60_000)
    copier.copy("hunter2-long-secret")
    assert all("hunter2" not in repr(value) for value in vars(copier).values())
    copier.clear_now()
