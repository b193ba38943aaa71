"""Names for screen readers: every interactive widget has an accessible name, its own text or a
label that is its buddy (which is also what Alt+letter in that label focuses).

`name_form_fields` fixes the common gap: a QFormLayout row whose field is a container (a field
with its findings under it) leaves the label's buddy on the container, so the line edit inside
has no name. `unnamed_widgets` lists what is still missing one (the accessibility test walks
every page with it).
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE: tuple[type[QWidget], ...] = (
    QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox, QPlainTextEdit,
    QTextEdit, QAbstractSlider,
)
# parts of a composite widget that the composite itself names (a combo's line edit, a spin
# box's, a table's header and corner button, a tab bar's scroll arrows, a line edit's clear
# button, scroll bars)
_COMPOSITES: tuple[type[QWidget], ...] = (QComboBox, QAbstractSpinBox, QTabBar, QHeaderView,
                                          QScrollBar)


def is_interactive(widget: QWidget) -> bool:
    return isinstance(widget, INTERACTIVE) and not is_part_of_composite(widget)


def is_part_of_composite(widget: QWidget) -> bool:
    if isinstance(widget, QScrollBar | QHeaderView):
        return True
    if widget.objectName().startswith("qt_"):  # Qt's own parts: a table's corner button,
        return True  # the menu bar's overflow arrow, a scroll area's viewport
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, _COMPOSITES):
            return True
        if isinstance(parent, QLineEdit) and isinstance(widget, QAbstractButton):
            return True
        parent = parent.parentWidget()
    return False


def label_text(label: QLabel) -> str:
    return label.text().replace("&", "").strip().rstrip(":").strip()


def has_name(widget: QWidget, labels: list[QLabel]) -> bool:
    """An accessible name, a button's own text, or a label whose buddy it is."""
    if widget.accessibleName().strip():
        return True
    if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
        return True
    return any(label.buddy() is widget and label_text(label) for label in labels)


def unnamed_widgets(root: QWidget) -> list[QWidget]:
    """The interactive widgets under `root` (shown or not) that have no name."""
    labels = root.window().findChildren(QLabel)
    return [w for w in root.findChildren(QWidget)
            if is_interactive(w) and not has_name(w, labels)]


def _first_input(widget: QWidget) -> QWidget | None:
    if is_interactive(widget):
        return widget
    for child in widget.findChildren(QWidget):
        if is_interactive(child) and child.focusPolicy() != Qt.FocusPolicy.NoFocus:
            return child
    return None


def name_form_fields(root: QWidget) -> None:
    """In every QFormLayout under `root`: the row's label becomes the buddy of the first input
    of its field, and names it when it has no name of its own."""
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label = label_item.widget() if label_item is not None else None
            field = field_item.widget() if field_item is not None else None
            if not isinstance(label, QLabel) or field is None or not label_text(label):
                continue
            target = _first_input(field)
            if target is None:
                continue
            if label.buddy() is not target:
                label.setBuddy(target)
            if not target.accessibleName():
                target.setAccessibleName(label_text(label))


def tab_in_tree_order(root: QWidget) -> None:
    """Tab through `root`'s focusable widgets in the order of its widget tree (top to bottom
    for a form built top-down), from `root`'s first one on. For parts built later than their
    neighbours (a form rebuilt for another policy type), which Qt would put at the end of the
    window's chain, after the status bar."""
    chain = [w for w in root.findChildren(QWidget)
             if w.focusPolicy() & Qt.FocusPolicy.TabFocus and not is_part_of_composite(w)
             and w.window() is root.window()]
    for before, after in itertools.pairwise(chain):
        QWidget.setTabOrder(before, after)


__all__ = ["INTERACTIVE", "has_name", "is_interactive", "is_part_of_composite",
           "name_form_fields", "tab_in_tree_order", "unnamed_widgets"]
