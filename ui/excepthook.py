"""The GUI's `sys.excepthook`: every uncaught exception is logged and shown, never lost.

qasync routes exceptions of async slots here, and `ui.background.run_blocking` sends failures
that have no `on_error` here too (DESIGN.md §5). Errors meant for the user (`PreflightError`:
a refused rule, a locked or damaged workspace) get a plain message; anything else is a bug and
gets the traceback under "Show Details" and a pointer to the log file (qutebrowser, vorta).

The dialog itself is an `ErrorDialogService` that tests replace with `set_dialog_service(...)`
so that nothing modal pops up in a test run (picard's `user_dialog_service.py`).
"""

from __future__ import annotations

import logging
import sys
import traceback
from dataclasses import dataclass
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.domain.errors import PreflightError

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


@dataclass(frozen=True)
class ErrorReport:
    title: str
    text: str
    details: str  # the traceback for bugs; empty for user-facing errors
    is_bug: bool


class ErrorDialogService:
    """Shows an `ErrorReport` in a message box over the active window."""

    def show_error(self, report: ErrorReport) -> None:
        parent: QWidget | None = QApplication.activeWindow()
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Critical if report.is_bug else QMessageBox.Icon.Warning)
        box.setWindowTitle(report.title)
        box.setText(report.text)
        if report.details:
            box.setDetailedText(report.details)
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.exec()


class RecordingDialogService(ErrorDialogService):
    """Collects reports instead of showing them (tests; headless runs)."""

    def __init__(self) -> None:
        self.reports: list[ErrorReport] = []

    def show_error(self, report: ErrorReport) -> None:
        self.reports.append(report)


class _State:
    service: ErrorDialogService = ErrorDialogService()
    log_hint = ""
    showing = False


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
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    text = f"Something went wrong inside Preflight ({exc_type.__name__}: {exc})."
    if _State.log_hint:
        text += f"\n\nThe details are also in the log file: {_State.log_hint}"
    return ErrorReport("Preflight — unexpected error", text, details, True)


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


def install(log_file: str = "") -> None:
    """Make `handle` the process's excepthook; `log_file` is named in bug reports."""
    _State.log_hint = log_file
    sys.excepthook = handle


def uninstall() -> None:
    if sys.excepthook is handle:
        sys.excepthook = sys.__excepthook__


__all__ = [
    "ErrorDialogService",
    "ErrorReport",
    "RecordingDialogService",
    "dialog_service",
    "handle",
    "install",
    "set_dialog_service",
    "uninstall",
]
