# ruff: noqa: F811  (the shared fixtures are imported, then named as parameters)
"""The GUI canary: a unique secret typed into the item form (as password, notes and a secret
property), revealed, copied and exported, never appears in the workspace's SQLite file or its
-wal / -shm / -journal, a log file (every logger at DEBUG, without the redaction filter), the Qt
messages, QSettings' file, the encrypted export, or any message the GUI showed. The plaintext
export, which the user confirmed, is the one place it may be: the grep is checked there."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from app.services.views import SiteView
from app.services.workspace import Workspace
from tests.ui.conftest import wait_idle
from tests.ui.test_vault_support import (  # noqa: F401 (fixtures)
    CANARY,
    add_item,
    cheap_kdf,
    create_vault,
    session,
    site,
    tab,
)
from ui import excepthook
from ui.main_window import MainWindow
from ui.vault.item_form import ItemDialog
from ui.vault.passwords_tab import PasswordsTab
from ui.vault.session import VaultSession


def forms(text: str) -> list[bytes]:
    """The byte forms a string may take in a file: UTF-8, UTF-16 (Qt, Windows), escaped."""
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("unicode_escape")]


def leaks(data: bytes) -> bool:
    return any(form in data for form in forms(CANARY))


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Every log record of every logger, at DEBUG, into a file (no redaction)."""
    path = tmp_path / "logs" / "preflight.log"
    path.parent.mkdir()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield path
    root.removeHandler(handler)
    root.setLevel(level)
    handler.close()


def shown_texts(window: MainWindow) -> str:
    """Every text on screen in the window and its open dialogs."""
    texts = [w.text() for w in window.findChildren(QLabel)]
    for top in QApplication.topLevelWidgets():
        texts += [w.text() for w in top.findChildren(QLabel)]
    return "\n".join(texts)


def test_the_canary_never_leaks(  # noqa: PLR0917
        qtbot: Any, window: MainWindow, tab: PasswordsTab, session: VaultSession,
        sample_workspace: Workspace, site: SiteView, tmp_path: Path, debug_log: Path,
        error_dialogs: excepthook.RecordingDialogService, qtlog: Any) -> None:
    create_vault(qtbot, tab)
    add_item(qtbot, tab, kind="server", title="Canary server", username="admin",
             password=CANARY, notes=f"notes {CANARY}",
             properties=(("Recovery", CANARY, True),))
    item = sample_workspace.vault.items.list(site.id)[0]
    assert sample_workspace.vault.items.reveal(item.id, "password") == CANARY  # it is stored

    # Reveal, hide, copy (the clipboard clears itself), edit and save again.
    secrets = tab.detail.secrets
    for field in ("password", "notes"):
        qtbot.mouseClick(secrets[field].reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: secrets["password"].value.text() == CANARY)
    qtbot.mouseClick(secrets["password"].copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == CANARY)
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == "", timeout=5_000)
    tab.edit_selected()
    qtbot.waitUntil(lambda: tab.item_dialog is not None)
    form = tab.item_dialog
    assert isinstance(form, ItemDialog)
    form.password.setText(CANARY * 400)  # too long: refused, with a message
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "longer than" in form.message.text())
    refused = form.message.text()
    form.password.setText(CANARY)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save),
                         Qt.MouseButton.LeftButton)
    wait_idle(qtbot)

    # A wrong password at the unlock dialog, then unlock again.
    session.lock()
    tab.vault_dialog = None
    tab.open_unlock()
    qtbot.waitUntil(lambda: tab.vault_dialog is not None)  # once the keychain was looked for
    dialog = tab.vault_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.password, "wrong password here")  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dialog.busy)  # type: ignore[attr-defined]
    dialog.reject()
    sample_workspace.vault.session.unlock("correct horse battery staple")
    qtbot.waitUntil(lambda: session.state == "unlocked")

    # Exports: encrypted (must not hold it), plaintext (confirmed: holds it, checks the grep).
    encrypted = tmp_path / "exports" / "site.pfvault"
    encrypted.parent.mkdir()
    tab.dialogs.paths.append(encrypted)
    tab.dialogs.passwords.append("export password 42")
    tab.export_encrypted_action.trigger()
    wait_idle(qtbot)
    plaintext = tmp_path / "exports" / "clear.csv"
    tab.dialogs.confirms.append(True)
    tab.dialogs.paths.append(plaintext)
    tab.export_plaintext_action.trigger()
    wait_idle(qtbot)
    assert encrypted.exists()
    assert leaks(plaintext.read_bytes())  # the grep finds it where it is
    assert not leaks(encrypted.read_bytes())

    window.save_state()
    window.settings.sync()
    ini = tmp_path / "ui.ini"
    assert ini.exists()
    assert not leaks(ini.read_bytes())

    db = Path(sample_workspace.path)
    companions = [db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal"))]
    checked = [p for p in companions if p.exists()]
    assert db in checked
    for path in checked:
        assert not leaks(path.read_bytes()), path.name

    for handler in logging.getLogger().handlers:
        handler.flush()
    log_text = debug_log.read_bytes()
    assert b"vault item" in log_text  # the log did record the work
    assert not leaks(log_text)
    assert all(CANARY not in str(r.message) for r in qtlog.records)

    messages = [refused, tab.notice.text(), shown_texts(window), repr(error_dialogs.__dict__)]
    assert all(CANARY not in m for m in messages)
    for dump in (repr(item), repr(sample_workspace.vault.items.get(item.id))):
        assert CANARY not in dump
