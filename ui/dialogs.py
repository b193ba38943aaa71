"""The questions the hierarchy and assignment pages ask, behind one replaceable object.

Pages hold a `DialogService` in `self.dialogs`; tests put a scripted one in its place so no
modal box blocks a test run (picard's `user_dialog_service.py`). Dialogs that show a lot (the
assignment preview) are window-modal sheets opened with `open()` and driven by signals instead.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from ui import unsaved

WORKSPACE_FILTER = "Preflight workspaces (*.preflight);;All files (*)"


class DialogService:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def confirm(self, title: str, text: str, accept: str = "OK", *,
                destructive: bool = False, details: str = "") -> bool:
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        if details:
            box.setInformativeText(details)
        role = (QMessageBox.ButtonRole.DestructiveRole if destructive
                else QMessageBox.ButtonRole.AcceptRole)
        ok = box.addButton(accept, role)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel if destructive else ok)
        box.exec()
        return box.clickedButton() is ok

    def ask_unsaved(self, action: str, pending: list[unsaved.Pending]) -> unsaved.Answer:
        """Save / Discard / Cancel before `action` ("quitting"), listing the unsaved edits."""
        return unsaved.ask_unsaved(self.parent, action, pending)

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        """A single line of text, or None when cancelled."""
        value, ok = QInputDialog.getText(self.parent, title, label, QLineEdit.EchoMode.Normal,
                                         text)
        return value if ok else None

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def save_path(self, title: str, start: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, title, str(start), WORKSPACE_FILTER)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".preflight")

    def open_path(self, title: str, start: Path) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, title, str(start), WORKSPACE_FILTER)
        return Path(name) if name else None

    def about(self, title: str, text: str) -> None:
        QMessageBox.about(self.parent, title, text)
