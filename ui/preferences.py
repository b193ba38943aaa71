"""Edit → Preferences: the few UI preferences there are (kept in QSettings)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.ui_settings import UiSettings
from ui.vault.prefs import MAX_IDLE_MINUTES, idle_minutes, set_idle_minutes
from ui.widgets.edit_dialog import EditDialog


class PreferencesDialog(EditDialog):
    """Closing it with changed settings asks first; the quit guard lists it."""

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
        vault = QGroupBox("Password vault", self)
        vault_form = QFormLayout(vault)
        self.vault_idle = QSpinBox(vault)
        self.vault_idle.setObjectName("vaultIdleMinutes")
        self.vault_idle.setRange(0, MAX_IDLE_MINUTES)
        self.vault_idle.setSuffix(" min")
        self.vault_idle.setSpecialValueText("Never")
        self.vault_idle.setValue(idle_minutes(settings.qsettings))
        self.vault_idle.setToolTip("Lock the vault after this long without keyboard or mouse "
                                   "use (0: never)")
        vault_form.addRow("Lock when idle for:", self.vault_idle)
        layout.addWidget(vault)
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
        set_idle_minutes(self.settings.qsettings, self.vault_idle.value())
        if self.clear_recent.isChecked():
            self.settings.clear_recent()

    def add_section(self, widget: QWidget, save: Callable[[], None]) -> None:
        """Another part's settings (ui.sync: the server and client id), shown before the
        last option and saved with the rest on OK."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.clear_recent), widget)
        self.accepted.connect(save)
