"""Seed 001's advice for the Remote Access (ScreenConnect) policy: warnings, never refusals."""

from __future__ import annotations

import pytest

from app.domain.helpdesk import remote_access_advice

from .builders import codes, remote_settings


def test_the_defaults_follow_the_advice() -> None:
    assert remote_access_advice(remote_settings()) == []
    assert remote_access_advice({}) == []  # missing keys take the defaults


@pytest.mark.parametrize(("key", "value", "code", "fix", "words"), [
    ("auto_update_agent", False, "remote.auto_update_off", "true", "on, always"),
    ("allow_require_consent", False, "remote.require_consent_off", "true", "XML configuration"),
    ("notification_balloon", True, "remote.notification_balloon_on", "false", "system tray"),
])
def test_each_setting_against_the_advice(key: str, value: bool, code: str, fix: str,
                                         words: str) -> None:
    found = remote_access_advice(remote_settings(**{key: value}))
    assert codes(found) == [code]
    assert found[0].severity == "warning"
    assert found[0].field == key
    assert found[0].fix == fix
    assert words in found[0].message


def test_all_three_at_once_in_setting_order() -> None:
    found = remote_access_advice(remote_settings(auto_update_agent=False,
                                                 allow_require_consent=False,
                                                 notification_balloon=True))
    assert codes(found) == ["remote.auto_update_off", "remote.require_consent_off",
                            "remote.notification_balloon_on"]
