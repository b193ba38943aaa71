"""A push button made the way every page makes its toolbar buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QPushButton, QStyle, QWidget


def push_button(parent: QWidget, text: str, name: str, icon: QStyle.StandardPixmap | None,
                slot: Callable[[], Any] | None = None) -> QPushButton:
    """A button with an object name (tests and accessibility find it by that), an optional
    standard icon, and `slot` called with no arguments when clicked."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    if icon is not None:
        button.setIcon(parent.style().standardIcon(icon))
    if slot is not None:
        button.clicked.connect(lambda _checked=False: slot())
    return button
