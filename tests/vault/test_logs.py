"""The log file's redaction filter: a second line of defence behind 'the vault never logs a
secret' (the service tests check that first line)."""

from __future__ import annotations

import logging
import sys

import pytest

from app.logs import RedactSecrets, redact


def test_assignments_and_quoted_keys_are_masked() -> None:
    assert redact("login failed password=hunter2 for admin") == (
        "login failed password=*** for admin")
    assert redact('{"password": "hunter2", "psa_private_key": "k3y"}') == (
        "{\"password\": '***', \"psa_private_key\": '***'}")
    assert redact("api_key = abc123") == "api_key = ***"


def test_ordinary_sentences_are_left_alone() -> None:
    for text in ("the password is correct", "wrong master password: the vault was not unlocked",
                 "vault item 42 added (server)"):
        assert redact(text) == text


def test_the_master_password_of_the_environment_is_masked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFLIGHT_VAULT_PASSWORD", "my very own master")
    assert redact("oops my very own master leaked") == "oops *** leaked"


def test_the_filter_redacts_messages_and_tracebacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFLIGHT_VAULT_PASSWORD", "top-secret-master")
    try:
        raise ValueError("bad input top-secret-master")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "args %s", ("password=pw1",),
                                   sys.exc_info())
    assert RedactSecrets().filter(record)
    assert record.getMessage() == "args password=***"
    assert record.exc_text is not None
    assert "top-secret-master" not in record.exc_text
    assert "ValueError: bad input ***" in record.exc_text
