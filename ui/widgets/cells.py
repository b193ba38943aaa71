"""Small pieces of the forms: a form cell stacking a field with its notes and errors, and the
red error line under a field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui import theme


def stacked_cell(parent: QWidget, *widgets: QWidget, spacing: int = 3) -> QWidget:
    """Widgets stacked in one form cell (the field, a note, its errors)."""
    cell = QWidget(parent)
    layout = QVBoxLayout(cell)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget)
    return cell


def reserve_line(label: QLabel, lines: int = 1) -> QLabel:
    """Keep `lines` lines of room for a message even while it is hidden, so the fields below
    do not move under the pointer when it appears or goes."""
    policy = label.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    label.setSizePolicy(policy)
    label.setMinimumHeight(label.fontMetrics().lineSpacing() * lines)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


def error_line(parent: QWidget, name: str = "", lines: int = 2) -> QLabel:
    """A hidden, wrapping, error-coloured line for a field's problem, with room reserved for
    `lines` lines (a policy setting's message is one or two lines at the form's width)."""
    label = QLabel(parent)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    theme.set_style(label, "color: $error")
    label.hide()
    return reserve_line(label, lines)


__all__ = ["error_line", "reserve_line", "stacked_cell"]
