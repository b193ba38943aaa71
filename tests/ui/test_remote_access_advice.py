"""Seed 001's advice for the Remote Access policy, live under its fields in the policy editor
(real page, real workspace file): a warning that follows the check box, never a refusal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel

from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, shown_page, wait_idle
from tests.ui.context_support import make_context
from tests.ui.policies_support import open_policy, toggle
from ui import theme
from ui.pages.policies_page import PoliciesPage

KEYS = ("allow_require_consent", "auto_update_agent", "notification_balloon")


@pytest.fixture
def page(qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack,
         dialogs: ScriptedDialogs) -> Iterator[PoliciesPage]:
    context = make_context(sample_workspace, qtbot, undo_stack)
    yield from shown_page(qtbot, PoliciesPage(context), dialogs)


def test_auto_update_off_is_advised_against_live(qtbot: Any, page: PoliciesPage,
                                                 sample_workspace: Workspace) -> None:
    open_policy(qtbot, page, "Remote Access Default")
    editor = page.editor
    assert [editor.advice_text(k) for k in KEYS] == ["", "", ""]
    toggle(qtbot, page, "auto_update_agent")
    assert editor.settings()["auto_update_agent"] is False
    text = editor.advice_text("auto_update_agent")
    assert "Keep Automatically Update Agent Version on, always" in text
    label = editor.findChild(QLabel, "advice:auto_update_agent")
    assert isinstance(label, QLabel)
    assert label.isVisible()
    assert theme.color_name("warning_text") in label.styleSheet()
    assert editor.problems() == {}
    assert editor.save_button.isEnabled()  # advice never blocks a save
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)  # the save runs on the write queue, off the GUI thread
    assert sample_workspace.policies.get("Remote Access Default").settings[
        "auto_update_agent"] is False
    assert "Keep Automatically Update" in editor.advice_text("auto_update_agent")
    toggle(qtbot, page, "auto_update_agent")  # back on: the warning goes
    assert editor.advice_text("auto_update_agent") == ""
    assert not label.isVisible()


def test_the_other_remote_access_advice(qtbot: Any, page: PoliciesPage) -> None:
    open_policy(qtbot, page, "Remote Access Quiet")  # consent off in the sample
    editor = page.editor
    assert "XML configuration" in editor.advice_text("allow_require_consent")
    toggle(qtbot, page, "notification_balloon")
    assert "system tray" in editor.advice_text("notification_balloon")
    toggle(qtbot, page, "allow_require_consent")
    toggle(qtbot, page, "notification_balloon")
    assert [editor.advice_text(k) for k in KEYS] == ["", "", ""]
