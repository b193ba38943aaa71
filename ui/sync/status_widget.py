"""The status bar's sync area: online/offline, last sync, pending changes and conflicts, the
Sync button, and while a sync runs its progress and Cancel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from ui.sync.controller import DONE, Outcome, Status, SyncController

PHASES = {"push": "Sending changes", "pull": "Receiving changes"}


def local_time(stamp: str | None) -> str:
    """An ISO UTC stamp as local time: "14:05" today, else "2026-11-20 14:05"."""
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    if when.date() == datetime.now().astimezone().date():
        return when.strftime("%H:%M")
    return when.strftime("%Y-%m-%d %H:%M")


def status_text(status: Status) -> str:
    parts = ["Not connected" if status.online is None
             else "Online" if status.online else "Offline"]
    if status.last_sync:
        parts.append(f"synced {local_time(status.last_sync)}")
    else:
        parts.append("never synced")
    if status.pending:
        parts.append(f"{status.pending} change{'s' if status.pending != 1 else ''} pending")
    if status.conflicts:
        parts.append(f"{status.conflicts} conflict{'s' if status.conflicts != 1 else ''}")
    return " · ".join(parts)


def status_tip(status: Status) -> str:
    if status.online is None:
        where = (f"Sync server: {status.server}. Not contacted yet in this session."
                 if status.server else "No sync server is set: choose one in Preferences.")
    elif status.online:
        where = f"The last request to {status.server} succeeded."
    else:
        where = f"{status.server or 'The server'} could not be reached: changes are kept here."
    return f"{where} Pending changes: {status.pending}. Open conflicts: {status.conflicts}."


class SyncStatusWidget(QWidget):
    def __init__(self, action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.setSpacing(6)
        self.label = QLabel("Not connected", self)
        self.label.setObjectName("syncStatusText")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("syncProgress")
        self.progress.setMaximumWidth(160)
        self.progress.setMaximumHeight(14)
        self.progress.setAccessibleName("Sync progress")
        self.progress.hide()
        self.cancel_button = QToolButton(self)
        self.cancel_button.setObjectName("cancelSync")
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop the sync; changes not yet confirmed stay pending")
        self.cancel_button.hide()
        self.sync_button = QToolButton(self)
        self.sync_button.setObjectName("syncButton")
        self.sync_button.setDefaultAction(action)
        self.sync_button.setAutoRaise(True)
        self.sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for widget in (self.label, self.progress, self.cancel_button, self.sync_button):
            layout.addWidget(widget)
        self.controller: SyncController | None = None

    def attach(self, controller: SyncController) -> None:
        if self.controller is not None:
            for signal, slot in self._links(self.controller):
                signal.disconnect(slot)
            self.cancel_button.clicked.disconnect()
        self.controller = controller
        for signal, slot in self._links(controller):
            signal.connect(slot)
        self.cancel_button.clicked.connect(lambda _c=False: self._cancel())
        self.show_status(controller.status)
        self._running(controller.running)

    def _links(self, controller: SyncController) -> list[tuple[Any, Any]]:
        return [(controller.status_changed, self.show_status),
                (controller.started, self._started),
                (controller.progressed, self.show_progress),
                (controller.finished, self.show_outcome)]

    def show_status(self, status: Status) -> None:
        self.label.setText(status_text(status))
        self.label.setToolTip(status_tip(status))
        self.label.setAccessibleName(status_text(status))

    def _started(self) -> None:
        self._running(True)

    def _running(self, on: bool) -> None:
        self.progress.setVisible(on)
        self.cancel_button.setVisible(on)
        self.cancel_button.setEnabled(on)
        if on:
            self.progress.setRange(0, 0)
            self.progress.setFormat("Connecting…")
            self.progress.setTextVisible(False)

    def show_progress(self, phase: str, done: int, total: int) -> None:
        name = PHASES.get(phase, phase)
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            text = f"{name}: {done:,} of {total:,}"
        else:
            self.progress.setRange(0, 0)
            text = f"{name}: {done:,}"
        self.progress.setToolTip(text)
        self.progress.setFormat(text)

    def _cancel(self) -> None:
        if self.controller is not None:
            self.controller.cancel()
            self.cancel_button.setEnabled(False)

    def show_outcome(self, outcome: Outcome) -> None:
        self._running(False)
        window = self.window()
        bar = window.statusBar() if hasattr(window, "statusBar") else None
        if bar is not None:
            bar.showMessage(outcome.message, 15000 if outcome.kind == DONE else 30000)


__all__ = ["SyncStatusWidget", "local_time", "status_text"]
