"""A progress bar with a Cancel button for one `Job` at a time (reading, validating,
importing): busy (indeterminate) until the first progress report, hidden when done. In a
layout, or over the bottom edge of a table (`float_over`) where it must move no row."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ui.profiles.jobs import Job
from ui.widgets.edge_overlay import EdgeOverlay


class ProgressPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressPanel")
        self._layout = layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMinimumWidth(220)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelJob")
        self.cancel_button.setToolTip("Stop; nothing is changed")
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.job: Job | None = None
        self._overlay: EdgeOverlay | None = None
        self.cancel_button.clicked.connect(self._cancel)
        self.hide()

    def float_over(self, anchor: QWidget) -> None:
        """Show on `anchor`'s bottom edge (a table, in this panel's parent) instead of taking
        a place in the layout: the table's rows stay where they are while work runs."""
        self._overlay = EdgeOverlay(self, anchor, "bottom")
        self._layout.setContentsMargins(8, 4, 4, 4)
        self.setAutoFillBackground(True)  # over the rows: opaque

    def attach(self, job: Job, text: str) -> None:
        self.job = job
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        job.progressed.connect(self._progress)
        job.finished.connect(self._finished)
        if self._overlay is not None:
            self._overlay.place()
        self.show()

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.bar.setFormat(f"{done:,} of {total:,} rows")

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText("Cancelling…")

    def _finished(self) -> None:
        self.job = None
        self.hide()
