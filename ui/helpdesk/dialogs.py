"""The file questions of the Help Desk tabs, with the same interface as `ui.dialogs`'
DialogService (tests answer them with their scripted service)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from ui.dialogs import DialogService

REPORT_FILTER = "Web page (*.html);;All files (*)"


class HelpDeskDialogs(DialogService):
    def save_path(self, title: str, start: Path) -> Path | None:
        """Where to write the go-live report (.html added when no suffix is given)."""
        name, _ = QFileDialog.getSaveFileName(self.parent, title, str(start), REPORT_FILTER)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".html")

    def save_file_path(self, title: str, start: Path) -> Path | None:
        """Where to write a reference's attached file (any kind; the name is kept as typed)."""
        name, _ = QFileDialog.getSaveFileName(self.parent, title, str(start), "All files (*)")
        return Path(name) if name else None

    def open_path(self, title: str, start: Path) -> Path | None:
        """A file to attach to a reference (any kind)."""
        name, _ = QFileDialog.getOpenFileName(self.parent, title, str(start), "All files (*)")
        return Path(name) if name else None
