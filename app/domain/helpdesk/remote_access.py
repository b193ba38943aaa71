"""The seed's advice for the Remote Access (ScreenConnect) policy (seed 001, "Important Details
about the ScreenConnect Integration").

Advice, not rules of the policy type, so warnings only, over a policy being edited or a site's
effective settings alike (none of it depends on the site):
- Automatically Update Agent Version on, always: otherwise agents stay on old versions, which
  is a security risk and causes connectivity issues;
- Is User Allowed to Require Consent on: the task that updates the agents' XML configuration
  can run only with it;
- Notification Balloon off: it shows the system tray icon, which partners then have to explain.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.helpdesk.findings import Finding
from app.domain.policy_types import REMOTE_ACCESS
from app.domain.settings import SettingValue

SECTION = "remote-access"

# (setting, the value advised against, code, message)
_ADVICE: tuple[tuple[str, bool, str, str], ...] = (
    ("auto_update_agent", False, "remote.auto_update_off",
     "Keep Automatically Update Agent Version on, always: without it the ScreenConnect agents "
     "stay on their version until upgraded by hand, a security risk that also causes "
     "connectivity issues."),
    ("allow_require_consent", False, "remote.require_consent_off",
     "Keep Is User Allowed to Require Consent on: the task that updates the agents' XML "
     "configuration files can run only with it, and it lets you require consent per endpoint."),
    ("notification_balloon", True, "remote.notification_balloon_on",
     "Recommended off: the Notification Balloon shows the system tray icon, which you then have "
     "to explain to the client's users."),
)


def remote_access_advice(settings: Mapping[str, SettingValue]) -> list[Finding]:
    """Warnings where the Remote Access settings differ from the seed's advice (missing keys
    take the type's defaults, which follow it)."""
    defaults = REMOTE_ACCESS.defaults()
    out: list[Finding] = []
    for key, against, code, message in _ADVICE:
        if bool(settings.get(key, defaults[key])) == against:
            out.append(Finding(SECTION, key, "warning", code, message,
                               "false" if against else "true"))
    return out
