"""The excepthook: user errors read as messages, bugs carry their traceback; both are logged."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest

from app.domain.errors import RuleViolation
from ui import excepthook


def raise_and_handle(exc: BaseException) -> None:
    try:
        raise exc
    except BaseException as caught:
        excepthook.handle(type(caught), caught, caught.__traceback__)


@pytest.mark.usefixtures("qapp")
def test_user_errors_and_bugs(error_dialogs: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="ui.excepthook"):
        raise_and_handle(RuleViolation("a company named 'X' already exists"))
        raise_and_handle(KeyError("boom"))
    user, bug = error_dialogs.reports
    assert not user.is_bug
    assert user.text == "A company named 'X' already exists"
    assert user.details == ""
    assert bug.is_bug
    assert "KeyError" in bug.text
    assert "Traceback" in bug.details
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)


def test_install_and_uninstall() -> None:
    previous = sys.excepthook
    try:
        excepthook.install("/tmp/preflight.log")
        assert sys.excepthook is excepthook.handle
        excepthook.uninstall()
        assert sys.excepthook is sys.__excepthook__
    finally:
        sys.excepthook = previous
