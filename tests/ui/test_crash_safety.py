"""Crash safety (issue 9): a bug in the middle of a change rolls the transaction back, shows
the error dialog (with a copyable, redacted report and the log path), and leaves the workspace
and the UI as they were."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import storage.repository
from app import __version__
from app.logs import redact
from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, shown_page, wait_idle
from tests.ui.context_support import make_context
from ui import excepthook
from ui.about import current_versions, version_text
from ui.excepthook import ErrorDialog, ErrorReport, RecordingDialogService
from ui.pages.companies_page import CompaniesPage

LOG = "/var/log/preflight/preflight.log"


@pytest.fixture
def hook(error_dialogs: RecordingDialogService) -> Iterator[RecordingDialogService]:
    """Our excepthook, as the launcher installs it (with About's versions in reports)."""
    excepthook.install(LOG, versions=lambda: version_text(current_versions(None)))
    yield error_dialogs
    excepthook.uninstall()


@pytest.fixture
def page(qtbot: Any, sample_workspace: Workspace, undo_stack: Any,
         dialogs: ScriptedDialogs) -> Iterator[CompaniesPage]:
    ws = sample_workspace
    yield from shown_page(qtbot, CompaniesPage(make_context(ws, qtbot, undo_stack)),
                          dialogs)


def raise_and_handle(exc: BaseException) -> None:
    try:
        raise exc
    except BaseException as caught:
        excepthook.handle(type(caught), caught, caught.__traceback__)


@pytest.mark.qt_no_exception_capture
def test_a_bug_during_a_write_rolls_back_and_shows_the_error_dialog(
        qtbot: Any, page: CompaniesPage, sample_workspace: Workspace,
        hook: RecordingDialogService, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = sample_workspace
    dialogs = page.dialogs
    assert isinstance(dialogs, ScriptedDialogs)
    before = [c.name for c in ws.companies.all()]
    pending = ws.pending_changes()
    shown = page.model.companies()
    commands = page.undo_stack.count()

    def broken_record(*_args: object, **_kwargs: object) -> None:
        # after the company row is flushed, before the outbox row: mid-transaction
        raise RuntimeError("disk controller hiccup")

    monkeypatch.setattr(storage.repository, "record", broken_record)
    dialogs.texts.append("Tailspin Toys")
    qtbot.mouseClick(page.new_company_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(hook.reports) == 1, timeout=10_000)
    wait_idle(qtbot)

    report = hook.reports[0]
    assert report.is_bug
    assert "RuntimeError: disk controller hiccup" in report.details
    assert LOG in report.text
    assert report.log_path == LOG
    # the data is as before: no half-made company, nothing queued for the server
    assert [c.name for c in ws.companies.all()] == before
    assert ws.pending_changes() == pending
    # and so is the UI: no undo step for a change that did not happen, no success message
    assert page.undo_stack.count() == commands
    assert page.notice.kind != "success"
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.refresh()
    assert [c.name for c in page.model.companies()] == [c.name for c in shown]

    # the workspace is not left locked or in a transaction: the next write works
    monkeypatch.undo()
    dialogs.texts.append("Tailspin Toys")
    qtbot.mouseClick(page.new_company_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.undo_stack.count() == commands + 1, timeout=10_000)
    wait_idle(qtbot)
    assert "Tailspin Toys" in [c.name for c in ws.companies.all()]
    assert ws.pending_changes() == pending + 1
    assert len(hook.reports) == 1


@pytest.mark.usefixtures("qapp")
def test_the_report_has_versions_and_traceback_with_secrets_redacted(
        hook: RecordingDialogService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFLIGHT_VAULT_PASSWORD", "correct horse battery")
    raise_and_handle(ValueError("sync failed: client_secret=s3cr3t-value token=abc123 "
                                "master was correct horse battery"))
    report = hook.reports[0]
    for text in (report.report, report.details, report.text):
        assert "s3cr3t-value" not in text
        assert "abc123" not in text
        assert "correct horse battery" not in text
    assert "client_secret=***" in report.report
    assert report.report.startswith("Preflight error report (")
    assert f"Preflight: {__version__}" in report.report
    for label in ("Python:", "Qt / PySide6:", "SQLite:", "Workspace schema:"):
        assert label in report.report
    assert f"Log file: {LOG}" in report.report
    assert "Traceback (most recent call last)" in report.report
    assert "ValueError: sync failed" in report.report
    assert redact(report.report) == report.report


def test_copy_report_puts_the_report_on_the_clipboard(qtbot: Any) -> None:
    report = ErrorReport("Preflight — unexpected error", "Something went wrong.",
                         "Traceback …\nKeyError: 'x'", True,
                         report="Preflight error report\n\nPython: 3\n\nTraceback …\n",
                         log_path=LOG)
    dialog = ErrorDialog(report)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.log_label.isVisible()
    assert LOG in dialog.log_label.text()
    assert not dialog.details.isVisible()
    qtbot.mouseClick(dialog.details_button, Qt.MouseButton.LeftButton)
    assert dialog.details.isVisible()
    assert dialog.details.toPlainText() == report.report
    QApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == report.report
    assert dialog.isVisible()  # copying does not close the dialog


def test_user_errors_stay_plain_messages(hook: RecordingDialogService, qapp: Any) -> None:
    from app.domain.errors import RuleViolation

    raise_and_handle(RuleViolation("a company named 'X' already exists"))
    report = hook.reports[0]
    assert not report.is_bug
    assert report.report == ""
    assert report.details == ""

