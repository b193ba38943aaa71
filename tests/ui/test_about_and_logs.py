"""Help → About lists the versions (the workspace schema revision through a service, not
storage); Help → Open Logs Folder opens the log folder; native crashes land in crash.log."""

from __future__ import annotations

import platform
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import PySide6
import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QApplication, QMenu

import app
from app.logs import CRASH_FILE_NAME, log_dir, redact
from app.services.about import versions
from storage.schema import HEAD_REVISION
from tests.ui.conftest import wait_idle
from ui import about
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def opener() -> Iterator[about.RecordingOpener]:
    recorder = about.RecordingOpener()
    previous = about.set_opener(recorder)
    yield recorder
    about.set_opener(previous)


@pytest.fixture(autouse=True)
def logs_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs' log folder inside this test's folder (Linux: under XDG_STATE_HOME)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert str(log_dir()).startswith(str(tmp_path))
    return log_dir()


def help_action(window: MainWindow, text: str) -> Any:
    for item in window.menuBar().actions():
        if item.text() == "&Help":
            menu = item.menu()
            assert isinstance(menu, QMenu)
            return next(a for a in menu.actions() if a.text().replace("&", "") == text)
    raise AssertionError("no Help menu")


def test_about_shows_every_version(qtbot: Any, window: MainWindow) -> None:
    help_action(window, "About Preflight").trigger()
    dialog = window.help.about_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    shown = {label: field.text() for label, field in dialog.values.items()}
    assert shown["Preflight"] == app.__version__
    assert shown["Python"].startswith(platform.python_version())
    assert shown["Qt / PySide6"] == f"{qVersion()} / {PySide6.__version__}"
    assert shown["SQLite"] == sqlite3.sqlite_version
    assert shown["Workspace schema"] == HEAD_REVISION  # read from the open workspace's file
    assert dialog.findChild(type(dialog.values["Python"]), "aboutLogs").text() == str(log_dir())
    # Copy Versions: the same lines, ready for a support request
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert f"Preflight: {app.__version__}" in copied
    assert f"SQLite: {sqlite3.sqlite_version}" in copied
    assert f"Workspace schema: {HEAD_REVISION}" in copied
    assert f"Qt / PySide6: {qVersion()}" in copied
    dialog.close()
    wait_idle(qtbot)


def test_the_versions_service_reads_the_workspace_revision(sample_workspace: Any) -> None:
    found = versions(sample_workspace)
    assert found.workspace_schema == HEAD_REVISION == found.schema_head
    assert versions(None).workspace_schema is None
    assert dict(found.lines())["Workspace schema"] == HEAD_REVISION


def test_open_logs_folder(window: MainWindow, opener: about.RecordingOpener,
                          logs_in_tmp: Path) -> None:
    assert not logs_in_tmp.exists()
    help_action(window, "Open Logs Folder").trigger()
    assert [url.toLocalFile() for url in opener.opened] == [str(logs_in_tmp)]
    assert logs_in_tmp.is_dir()  # made, so the file manager has something to show


def test_about_has_an_open_logs_button(qtbot: Any, window: MainWindow,
                                       opener: about.RecordingOpener, logs_in_tmp: Path) -> None:
    dialog = window.help.show_about()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.logs_button, Qt.MouseButton.LeftButton)
    assert [url.toLocalFile() for url in opener.opened] == [str(logs_in_tmp)]
    dialog.close()


def test_a_native_crash_is_written_to_the_crash_log(tmp_path: Path) -> None:
    """faulthandler in a child process that then really segfaults."""
    script = ("import faulthandler\n"
              "from app.logs import enable_crash_log\n"
              "path = enable_crash_log()\n"
              "print(path, flush=True)\n"
              "faulthandler._sigsegv()\n")
    env = {"XDG_STATE_HOME": str(tmp_path / "child-state"), "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    crash_file = Path(done.stdout.strip())
    assert crash_file.name == CRASH_FILE_NAME
    assert crash_file.parent == tmp_path / "child-state" / "Preflight" / "log"
    text = crash_file.read_text(encoding="utf-8")
    assert "Preflight started" in text
    assert "Fatal Python error: Segmentation fault" in text
    assert 'File "<string>", line 5' in text  # the Python stack of the crash


def test_the_log_filter_masks_prefixed_keys_bearer_tokens_and_url_passwords() -> None:
    assert redact("sync: client_secret=abc123 sent") == "sync: client_secret=*** sent"
    assert redact("Authorization: Bearer eyJhbGciOi.payload.sig") == (
        "Authorization: Bearer ***")
    assert redact("GET https://admin:pa55word@rmm.example.com/api") == (
        "GET https://admin:***@rmm.example.com/api")
    # ordinary sentences stay as they were
    for text in ("wrong master password: the vault was not unlocked",
                 "token refresh scheduled", "see https://example.com/docs"):
        assert redact(text) == text
