"""Seed rules refused while a policy is edited: the error under the field says what to do and
Save stays disabled (real page, real widgets, real workspace file)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack

from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, shown_page, wait_idle
from tests.ui.context_support import make_context
from tests.ui.helpdesk_support import type_into
from tests.ui.policies_support import open_policy
from ui.pages.policies_page import PoliciesPage
from ui.widgets.policy_editor import BoolField, IntField, TextField


@pytest.fixture
def page(qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack,
         dialogs: ScriptedDialogs) -> Iterator[PoliciesPage]:
    context = make_context(sample_workspace, qtbot, undo_stack)
    yield from shown_page(qtbot, PoliciesPage(context), dialogs)


def test_turning_noc_off_under_an_access_level_says_to_set_it_to_0(
        qtbot: Any, page: PoliciesPage, sample_workspace: Workspace) -> None:
    open_policy(qtbot, page, "RMM with NOC")  # NOC on, access level 2
    editor = page.editor
    noc = editor.field("noc_enabled")
    assert isinstance(noc, BoolField)
    qtbot.mouseClick(noc.check, Qt.MouseButton.LeftButton, pos=QPoint(8, noc.check.height() // 2))
    error = editor.error_text("noc_access_level")
    assert "Level 2 gives NOC technicians access, but NOC services are off" in error
    assert "set noc_access_level to 0" in error
    assert not editor.save_button.isEnabled()
    level = editor.field("noc_access_level")
    assert isinstance(level, IntField)
    level.spin.setFocus()
    level.spin.selectAll()
    qtbot.keyClicks(level.spin, "0")
    assert editor.error_text("noc_access_level") == ""
    assert editor.save_button.isEnabled()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)  # the save runs on the write queue, off the GUI thread
    saved = sample_workspace.policies.get("RMM with NOC").settings
    assert (saved["noc_enabled"], saved["noc_access_level"]) == (False, 0)


def test_a_plain_http_psa_url_is_refused_under_the_field(qtbot: Any,
                                                         page: PoliciesPage) -> None:
    open_policy(qtbot, page, "PSA Ticket Sync")
    editor = page.editor
    url = editor.field("psa_url")
    assert isinstance(url, TextField)
    type_into(qtbot, url.edit, "http://psa.example.com")
    error = editor.error_text("psa_url")
    assert "must start with https://" in error
    assert "write it as 'https://psa.example.com'" in error
    assert not editor.save_button.isEnabled()
    type_into(qtbot, url.edit, "https://psa.example.com")
    assert editor.error_text("psa_url") == ""
