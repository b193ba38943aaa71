"""Edit → Preferences: the few UI preferences there are (kept in QSettings)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QVBoxLayout,
    QWidget,
)

from ui.ui_settings import UiSettings


class PreferencesDialog(QDialog):
    def __init__(self, settings: UiSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.settings = settings
        layout = QVBoxLayout(self)
        group = QGroupBox("At start", self)
        inner = QVBoxLayout(group)
        self.reopen = QCheckBox("Reopen the last workspace", group)
        self.reopen.setChecked(settings.reopen_last_workspace)
        self.restore_page = QCheckBox("Show the page I was on", group)
        self.restore_page.setChecked(settings.restore_last_page)
        inner.addWidget(self.reopen)
        inner.addWidget(self.restore_page)
        layout.addWidget(group)
        self.clear_recent = QCheckBox("Forget the list of recent workspaces", self)
        layout.addWidget(self.clear_recent)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.accepted.connect(self._save)

    def _save(self) -> None:
        self.settings.reopen_last_workspace = self.reopen.isChecked()
        self.settings.restore_last_page = self.restore_page.isChecked()
        if self.clear_recent.isChecked():
            self.settings.clear_recent()
