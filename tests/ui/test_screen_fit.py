"""Dialogs fit their text and the screen (ui.screen_fit)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

from ui import screen_fit
from ui.main_window import MainWindow

AREA = QRect(0, 0, 1024, 700)


@pytest.mark.parametrize(("frame", "centre", "expected"), [
    (QRect(0, 0, 1092, 732), None, QRect(0, 0, 1024, 700)),  # the wizard on a small screen
    (QRect(900, 650, 400, 300), None, QRect(624, 400, 400, 300)),  # moved back on screen
    (QRect(0, 0, 400, 300), QPoint(512, 350), QRect(312, 200, 400, 300)),  # centred
    (QRect(0, 0, 400, 300), QPoint(1000, 10), QRect(624, 0, 400, 300)),  # yet inside
])
def test_a_window_is_shrunk_and_placed_inside_the_screen(frame: QRect, centre: QPoint | None,
                                                         expected: QRect) -> None:
    assert screen_fit.placed(frame, AREA, centre) == expected


def test_a_dialog_is_wide_enough_for_its_text_and_high_enough_for_its_lines(
        qtbot: Any, window: MainWindow) -> None:
    dialog = QDialog(window)
    layout = QVBoxLayout(dialog)
    note = QLabel("No client secret stored yet. This workspace has no vault (and there is no "
                  "secure keychain here): a secret typed above is kept for this session only.",
                  dialog)
    note.setWordWrap(True)
    layout.addWidget(note)
    dialog.open()
    qtbot.waitExposed(dialog)
    least = dialog.fontMetrics().averageCharWidth() * screen_fit.DIALOG_MIN_CHARS
    assert dialog.width() >= least
    assert note.height() >= note.heightForWidth(note.width())  # every line shows
    dialog.reject()


def test_preferences_show_the_whole_server_url_hint(qtbot: Any, window: MainWindow) -> None:
    dialog = window.show_preferences()
    qtbot.waitExposed(dialog)
    from ui.sync.prefs_group import SyncPreferencesGroup

    group = dialog.findChild(SyncPreferencesGroup)
    assert group is not None
    qtbot.waitUntil(lambda: group.loaded)
    hint = group.server.fontMetrics().horizontalAdvance(group.server.placeholderText())
    assert group.server.width() > hint
    assert group.secret.placeholderText() == "not stored yet"  # not "unchanged"
    dialog.reject()


def test_the_secret_note_that_arrives_later_gets_its_lines(qtbot: Any,
                                                           window: MainWindow) -> None:
    dialog = window.show_preferences()
    qtbot.waitExposed(dialog)
    from ui.sync.prefs_group import SyncPreferencesGroup

    group = dialog.findChild(SyncPreferencesGroup)
    assert group is not None
    qtbot.waitUntil(lambda: group.loaded)
    qtbot.wait(20)
    note = group.note
    assert note.text().startswith("No client secret stored yet.")
    assert note.height() >= note.heightForWidth(note.width())
    dialog.reject()
