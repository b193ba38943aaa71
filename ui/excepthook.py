"""The GUI's `sys.excepthook`: every uncaught exception is logged and shown, never lost.

qasync routes exceptions of async slots here, and `ui.background.run_blocking` sends failures
that have no `on_error` here too (docs/architecture.md §5). Errors meant for the user
(`PreflightError`: a refused rule, a locked or damaged workspace) get a plain message; anything
else is a bug and gets the traceback under "Show Details", a pointer to the log file and "Copy
Report" (the versions and the traceback, secrets redacted by the log's own filter) (qutebrowser,
vorta).

The dialog itself is an `ErrorDialogService` that tests replace with `set_dialog_service(...)`
so that nothing modal pops up in a test run (picard's `user_dialog_service.py`).
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PreflightError
from app.logs import redact

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


@dataclass(frozen=True)
class ErrorReport:
    title: str
    text: str
    details: str  # the traceback for bugs (secrets redacted); empty for user-facing errors
    is_bug: bool
    report: str = ""  # what "Copy Report" copies: versions and traceback, secrets redacted
    log_path: str = ""


class ErrorDialog(QDialog):
    """A bug's dialog: what happened, where the log is, the traceback under Show Details, and
    Copy Report (versions + traceback, redacted like the log) for a support request."""

    def __init__(self, report: ErrorReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(report.title)
        self.report = report
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(32, 32))
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(report.text, self)
        self.message.setObjectName("errorMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.message, 1)
        layout.addLayout(top)
        self.log_label = QLabel(f"Log file: {report.log_path}" if report.log_path else "", self)
        self.log_label.setObjectName("errorLogPath")
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # the path, once: in the message already (describe() puts it there) or on its own line
        self.log_label.setVisible(bool(report.log_path) and report.log_path not in report.text)
        layout.addWidget(self.log_label)
        self.details = QPlainTextEdit(report.report or report.details, self)
        self.details.setObjectName("errorDetails")
        self.details.setAccessibleName("Error report")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setMinimumSize(560, 220)
        self.details.hide()
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy Report", self)
        self.copy_button.setObjectName("errorCopyReport")
        self.copy_button.setToolTip("Copy the versions and the traceback (secrets removed) "
                                    "to paste into a support request")
        self.details_button = QPushButton("Show &Details", self)
        self.details_button.setObjectName("errorShowDetails")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(lambda _c=False: self.copy_report())
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()

    def _toggle_details(self, on: bool) -> None:
        self.details.setVisible(on)
        self.details_button.setText("Hide &Details" if on else "Show &Details")
        self.adjustSize()

    def copy_report(self) -> str:
        text = self.report.report or self.report.details or self.report.text
        QGuiApplication.clipboard().setText(text)
        return text


class ErrorDialogService:
    """Shows an `ErrorReport` over the active window: a bug in an `ErrorDialog`, a user-facing
    error in a plain message box."""

    def show_error(self, report: ErrorReport) -> None:
        parent: QWidget | None = QApplication.activeWindow()
        if report.is_bug:
            ErrorDialog(report, parent).exec()
            return
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(report.title)
        box.setText(report.text)
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.exec()


class RecordingDialogService(ErrorDialogService):
    """Collects reports instead of showing them (tests; headless runs)."""

    def __init__(self) -> None:
        self.reports: list[ErrorReport] = []

    def show_error(self, report: ErrorReport) -> None:
        self.reports.append(report)


def _no_versions() -> str:
    return ""


class _State:
    service: ErrorDialogService = ErrorDialogService()
    log_hint = ""
    showing = False
    versions: Callable[[], str] = _no_versions


def set_dialog_service(service: ErrorDialogService) -> ErrorDialogService:
    """Replace the dialog service; returns the previous one (to put it back)."""
    previous, _State.service = _State.service, service
    return previous


def dialog_service() -> ErrorDialogService:
    return _State.service


def describe(exc_type: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> ErrorReport:
    if isinstance(exc, PreflightError):
        text = str(exc) or type(exc).__name__
        return ErrorReport("Preflight", text[:1].upper() + text[1:], "", False)
    details = redact("".join(traceback.format_exception(exc_type, exc, tb)))
    text = redact(f"Something went wrong inside Preflight ({exc_type.__name__}: {exc}).")
    if _State.log_hint:
        text += f"\n\nThe details are also in the log file: {_State.log_hint}"
    return ErrorReport("Preflight — unexpected error", text, details, True,
                       report=_report(details), log_path=_State.log_hint)


def _report(details: str) -> str:
    """The copyable report: when, the versions, the log file, the traceback; redacted."""
    try:
        versions = _State.versions()
    except Exception:  # the report must be made even when the versions cannot be read
        log.exception("could not read the versions for the error report")
        versions = ""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    parts = [f"Preflight error report ({stamp})", versions.strip()]
    if _State.log_hint:
        parts.append(f"Log file: {_State.log_hint}")
    parts.append(details.rstrip())
    return redact("\n\n".join(p for p in parts if p)) + "\n"


def handle(exc_type: type[BaseException], exc: BaseException,
           tb: TracebackType | None) -> None:
    """The excepthook: log, then show (one dialog at a time; a failing dialog only logs)."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    report = describe(exc_type, exc, tb)
    if report.is_bug:
        log.error("unhandled exception", exc_info=(exc_type, exc, tb))
    else:
        log.warning("error shown to the user: %s", report.text)
    if _State.showing or QApplication.instance() is None:
        return
    _State.showing = True
    try:
        _State.service.show_error(report)
    except Exception:
        log.exception("could not show the error dialog")
    finally:
        _State.showing = False


def install(log_file: str = "", versions: Callable[[], str] | None = None) -> None:
    """Make `handle` the process's excepthook; `log_file` is named in bug reports and
    `versions()` (Help → About's lines) heads their copyable report."""
    _State.log_hint = log_file
    _State.versions = versions or _no_versions
    sys.excepthook = handle


def uninstall() -> None:
    if sys.excepthook is handle:
        sys.excepthook = sys.__excepthook__
    _State.versions = _no_versions


__all__ = [
    "ErrorDialog",
    "ErrorDialogService",
    "ErrorReport",
    "RecordingDialogService",
    "dialog_service",
    "handle",
    "install",
    "set_dialog_service",
    "uninstall",
]
