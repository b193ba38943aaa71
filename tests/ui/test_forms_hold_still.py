"""Forms as a user meets them: time fields take typed digits, and no field moves under the
pointer when a validation message appears or goes (policy form, Basic Info)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QRect, Qt, QTime
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QVBoxLayout, QWidget

from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, shown_page
from tests.ui.context_support import make_context
from tests.ui.helpdesk_support import open_tab, type_into
from tests.ui.test_policies_page import click_row
from ui.helpdesk.basic_info_tab import BasicInfoTab
from ui.pages.policies_page import PoliciesPage
from ui.widgets.cells import ELLIPSIS, MessageLine, error_line
from ui.widgets.policy_editor import SettingField, WindowField
from ui.widgets.time_edit import TimeEdit


@pytest.fixture
def page(qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack,
         dialogs: ScriptedDialogs) -> Iterator[PoliciesPage]:
    context = make_context(sample_workspace, qtbot, undo_stack)
    yield from shown_page(qtbot, PoliciesPage(context), dialogs)


def top_of(widget: QWidget) -> int:
    return widget.mapTo(widget.window(), QPoint(0, 0)).y()


def click_and_type(qtbot: Any, edit: TimeEdit, text: str) -> None:
    """Click into the field (no selection, as a mouse leaves it) and type."""
    line = edit.findChild(QLineEdit)
    assert line is not None
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(line.width() - 4,
                                                                  line.height() // 2))
    qtbot.keyClicks(edit, text)


def test_typed_digits_set_the_install_window(qtbot: Any, page: PoliciesPage) -> None:
    click_row(qtbot, page, "Desktop Patching Weekly")
    window = page.editor.field("install_window")
    assert isinstance(window, WindowField)
    click_and_type(qtbot, window.end, "0130")
    assert window.value() == "22:00-01:30"
    assert "at least 4 h" in page.editor.error_text("install_window")
    click_and_type(qtbot, window.end, "2:15")
    assert window.value() == "22:00-02:15"
    assert page.editor.error_text("install_window") == ""
    assert page.editor.save_button.isEnabled()


def test_typed_digits_set_the_reboot_window(qtbot: Any, page: PoliciesPage) -> None:
    click_row(qtbot, page, "Server Patching Approved")
    reboot = page.editor.field("reboot_window")
    assert isinstance(reboot, WindowField)
    reboot.set_window(QTime(5, 0), QTime(7, 0))
    click_and_type(qtbot, reboot.start, "630")
    assert reboot.value() == "06:30-07:00"
    assert "at least 1 h; this one is 30 min" in page.editor.error_text("reboot_window")
    qtbot.keyClick(reboot.start, Qt.Key.Key_Up)  # the arrows still step the section
    assert reboot.value() == "06:31-07:00"


@pytest.mark.usefixtures("qapp")
@given(hour=st.integers(0, 23), minute=st.integers(0, 59), colon=st.booleans())
def test_any_typed_time_is_taken(hour: int, minute: int, colon: bool) -> None:
    edit = TimeEdit()
    try:
        edit.setTime(QTime(22, 0))
        edit.show()
        edit.setFocus()
        QTest.keyClicks(edit, f"{hour:02d}{':' if colon else ''}{minute:02d}")
        assert edit.time() == QTime(hour, minute)
    finally:
        edit.close()
        edit.deleteLater()


def test_the_policy_form_does_not_move_when_a_message_comes_and_goes(
        qtbot: Any, page: PoliciesPage) -> None:
    click_row(qtbot, page, "Desktop Patching Weekly")
    window = page.editor.field("install_window")
    assert isinstance(window, WindowField)
    content = page.editor.scroll_area.widget()  # the form may scroll to show the message
    rows = [f for f in page.editor.findChildren(SettingField) if f is not window]
    assert len(rows) > 2

    def tops() -> list[int]:
        return [w.mapTo(content, QPoint(0, 0)).y() for w in rows]

    qtbot.waitUntil(lambda: len(set(tops())) == len(rows) or len(rows) == 1)  # laid out
    qtbot.wait(20)
    before = tops()
    window.end.setTime(QTime(1, 30))  # the message appears
    qtbot.wait(10)
    assert page.editor.error_text("install_window")
    assert tops() == before
    window.end.setTime(QTime(2, 0))  # and goes
    qtbot.wait(10)
    assert tops() == before


def test_basic_info_does_not_move_when_a_message_comes_and_goes(
        qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack) -> None:
    tab = open_tab(qtbot, BasicInfoTab, sample_workspace, undo_stack, site="Lab")
    fields = [tab.domain, tab.greeting]
    type_into(qtbot, tab.domain, "example.com")
    type_into(qtbot, tab.greeting, "Contoso")
    qtbot.wait(10)
    before = [top_of(f) for f in fields]
    type_into(qtbot, tab.domain, "not a domain")  # a message under the domain
    qtbot.wait(10)
    assert [top_of(f) for f in fields] == before
    type_into(qtbot, tab.domain, "example.com")
    qtbot.wait(10)
    assert [top_of(f) for f in fields] == before


def frame_of(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


LONG = ("'not a domain' is not a valid email domain: the part after the @ holds a space. "
        "Type the domain the client's mail uses, such as example.com, without spaces. ") * 3


def test_a_long_message_keeps_its_room_and_reads_whole_in_its_tooltip(qtbot: Any) -> None:
    form = QWidget()
    qtbot.addWidget(form)
    column = QVBoxLayout(form)
    above, below = QLineEdit(form), QLineEdit(form)
    message = error_line(form, "message", lines=2)
    column.addWidget(above)
    column.addWidget(message)
    column.addWidget(below)
    column.addStretch(1)
    form.resize(360, 300)
    form.show()
    qtbot.waitExposed(form)
    before = [frame_of(w) for w in (above, message, below)]
    message.setText(LONG)  # five lines at this width: it appears...
    message.show()
    qtbot.wait(10)
    assert [frame_of(w) for w in (above, message, below)] == before
    assert message.text() == LONG  # the whole message for whoever reads it
    assert message.is_cut()
    assert message.shown_text().endswith(ELLIPSIS)
    assert message.toolTip() == LONG.strip()
    form.resize(2400, 300)  # wide enough: all of it, no tooltip
    qtbot.waitUntil(lambda: not message.is_cut())
    assert message.toolTip() == ""
    form.resize(360, 300)
    qtbot.waitUntil(message.is_cut)
    message.clear()  # ...and goes
    message.hide()
    qtbot.wait(10)
    assert [frame_of(w) for w in (above, message, below)] == before


def test_basic_info_holds_still_when_a_message_wraps_past_its_room(
        qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack) -> None:
    tab = open_tab(qtbot, BasicInfoTab, sample_workspace, undo_stack, site="Lab")
    tab.resize(520, 800)  # narrow: the domain's message needs more lines than its room
    type_into(qtbot, tab.domain, "example.com")
    type_into(qtbot, tab.greeting, "Contoso")
    qtbot.wait(20)
    fields = [tab.domain, tab.greeting, tab.save_button,
              *tab.findChildren(QLineEdit), *tab.findChildren(QComboBox)]
    before = [frame_of(f) for f in fields]
    type_into(qtbot, tab.domain, "not a domain at all, it has spaces")
    qtbot.wait(20)
    label = tab.findChild(MessageLine, "findings:email_domain")
    assert label is not None
    assert label.isVisible()
    assert "is not a valid email domain" in label.toolTip()
    assert label.is_cut()
    assert [frame_of(f) for f in fields] == before
    type_into(qtbot, tab.domain, "example.com")
    qtbot.wait(20)
    assert not label.isVisible()
    assert [frame_of(f) for f in fields] == before
