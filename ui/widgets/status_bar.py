"""The status bar: workspace, connection, vault and background-work indicators."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from ui import background


class WorkspaceStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(12)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Working")
        self.busy.hide()
        self.workspace = QLabel(self)
        self.workspace.setObjectName("workspaceStatus")
        self.connection = QLabel("Offline", self)
        self.connection.setObjectName("connectionStatus")
        self.connection.setToolTip("No sync server is configured: changes are kept in this "
                                   "workspace until one is.")
        self.vault: QWidget = QLabel("Vault: not set up", self)
        self.vault.setObjectName("vaultStatus")
        self.vault.setToolTip("The password vault of this workspace has not been set up yet.")
        self.addPermanentWidget(self.busy)
        for label in (self.workspace, self.connection, self.vault):
            label.setContentsMargins(8, 0, 8, 0)
            self.addPermanentWidget(label)
        monitor = background.monitor()
        monitor.busy.connect(self.busy.show)
        monitor.idle.connect(self.busy.hide)

    def attach_vault(self, control: QWidget) -> None:
        """Show the vault's lock/unlock control (ui.vault) in place of the vault label, or of
        the previous workspace's control."""
        self.removeWidget(self.vault)
        self.vault.hide()
        self.vault.deleteLater()
        self.vault = control
        self.addPermanentWidget(control)

    def attach_sync(self, control: QWidget) -> None:
        """Show the sync area (ui.sync: online/offline, last sync, pending, the Sync button)
        where the connection label was; the label stays, hidden, for `set_pending`."""
        self.removeWidget(self.connection)
        self.connection.hide()
        self.insertPermanentWidget(2, control)  # after the busy bar and the workspace name

    def set_workspace(self, name: str, path: Path) -> None:
        self.workspace.setText(f"Workspace: {name}")
        self.workspace.setToolTip(str(path))

    def set_pending(self, count: int) -> None:
        if count:
            self.connection.setText(f"Offline · {count} change{'s' if count != 1 else ''} "
                                    "not synced")
        else:
            self.connection.setText("Offline")
