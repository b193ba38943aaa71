"""Driving the Policies page's real widgets, shared by the policy editor tests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt

from ui.models.policy_models import PolicyTableModel
from ui.pages.policies_page import PoliciesPage
from ui.widgets.policy_editor import BoolField


def open_policy(qtbot: Any, page: PoliciesPage, name: str) -> None:
    """Click the policy's row in the list; its editor opens."""
    row = [r.name for r in page.model.rows()].index(name)
    rect = page.table.visualRect(page.model.index(row, PolicyTableModel.COL_NAME))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened = page.editor.policy()
    assert opened is not None
    assert opened.name == name


def toggle(qtbot: Any, page: PoliciesPage, key: str) -> None:
    """Click the checkbox of the editor's boolean setting `key`."""
    field = page.editor.field(key)
    assert isinstance(field, BoolField)
    qtbot.mouseClick(field.check, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, field.check.height() // 2))
