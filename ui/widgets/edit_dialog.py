"""A dialog that holds edits (a profile, a vault item, the preferences).

It answers the quit guard's "dirty?" (`ui.unsaved.HoldsEdits`): its fields are compared with
what they held when it opened. Closing it with edits (Esc, Cancel, the window's close button)
asks Discard / Keep Editing, and Ctrl+Q typed in it quits the app through the main window, whose
guard then lists the dialog's edits with the pages' (a modal dialog otherwise keeps the Quit
shortcut from reaching the window).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

NOT_AN_EDIT = "notAnEdit"  # a dynamic property: a checkable control that only changes the view


def field_values(root: QWidget) -> dict[int, object]:
    """What each editable field under `root` holds, by widget."""
    values: dict[int, object] = {}
    for widget in root.findChildren(QWidget):
        if QObject.property(widget, NOT_AN_EDIT):  # unbound: some widgets shadow property()
            continue
        value: object
        if isinstance(widget, QLineEdit):
            if widget.isReadOnly():
                continue
            value = widget.text()
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            if widget.isReadOnly():
                continue
            value = widget.toPlainText()
        elif isinstance(widget, QAbstractButton):
            if not widget.isCheckable():
                continue
            value = widget.isChecked()
        elif isinstance(widget, QComboBox):
            value = (widget.currentIndex(), widget.currentText())
        elif isinstance(widget, QAbstractSpinBox):
            value = widget.text()
        else:
            continue
        values[id(widget)] = value
    return values


class EditDialog(QDialog):
    """Subclasses name their edits (`edits_label`) and may say how to save them
    (`save_edits`: the default is the dialog's OK)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clean: dict[int, object] | None = None
        self._asking_nothing = False  # closing after a save or a discard
        self.discard_box: QMessageBox | None = None
        quit_ = QAction("Quit", self)
        quit_.setObjectName("dialogQuit")
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        quit_.setShortcuts([*keys, *([] if QKeySequence("Ctrl+Q") in keys
                                     else [QKeySequence("Ctrl+Q")])])
        quit_.triggered.connect(lambda _c=False: self.quit_app())
        self.addAction(quit_)

    # dirty?
    def mark_clean(self) -> None:
        """What the fields hold now is what "no edits" means (taken when the dialog opens)."""
        self._clean = field_values(self)

    def is_dirty(self) -> bool:
        return self._clean is not None and field_values(self) != self._clean

    def edits_label(self) -> str:
        return self.windowTitle()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._clean is None:
            self.mark_clean()

    # ui.unsaved.HoldsEdits
    def unsaved_edits(self) -> list[str]:
        if not self.isVisible() or not self.is_dirty():
            return []
        return [f"{self.edits_label()} (open dialog)"]

    def save_edits(self) -> bool:
        self.accept()
        return not self.isVisible()

    def discard_edits(self) -> None:
        self._asking_nothing = True
        self.done(QDialog.DialogCode.Rejected)

    # closing
    def reject(self) -> None:
        """Esc, Cancel and the window's close button: with edits, ask first."""
        if self._asking_nothing or not self.is_dirty():
            super().reject()
            return
        if self.discard_box is None:
            self.discard_box = self._discard_question()
            self.discard_box.open()  # window-modal over the dialog; the answer comes back

    def _discard_question(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("discardEdits")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Discard changes?")
        box.setText(f"Discard your changes in “{self.edits_label()}”?")
        box.setInformativeText("They have not been saved.")
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        discard.setObjectName("discard")
        keep = box.addButton("Keep Editing", QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepEditing")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.finished.connect(lambda _r: self._answered(box, box.clickedButton() is discard))
        return box

    def _answered(self, box: QMessageBox, discard: bool) -> None:
        self.discard_box = None
        box.deleteLater()
        if discard:
            self.discard_edits()

    def quit_app(self) -> None:
        """Ctrl+Q in the dialog: close the main window, whose guard asks about these edits."""
        parent = self.parentWidget()
        if parent is not None:
            parent.window().close()
        else:
            QApplication.closeAllWindows()


@contextmanager
def loading_into(widget: QWidget) -> Iterator[None]:
    """Fields filled by a load that ends after the dialog opened are not edits (the user's
    own typing before it still is)."""
    dialog = widget.window()
    clean = isinstance(dialog, EditDialog) and not dialog.is_dirty()
    yield
    if clean and isinstance(dialog, EditDialog):
        dialog.mark_clean()


__all__ = ["NOT_AN_EDIT", "EditDialog", "field_values", "loading_into"]
