"""A recorded go-live step travels through the real server (issue 19): site steps and the
partner-wide ones, their dates, who and note, and a reopen, pulled into another workspace."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.domain.helpdesk.journey import StepStatus
from app.services.sample import HELPDESK_SITE, populate_sample
from app.services.workspace import Workspace
from tests.server.live import LiveServer, sync
from tests.sync.helpers import open_ws, outbox, snapshot


def _steps(ws: Workspace, site: str) -> dict[str, tuple[str, str | None, str, str]]:
    j = ws.golive.journey(site)
    return {s.id: (s.status.value, s.date.isoformat() if s.date else None, s.by, s.note)
            for s in j.steps if s.source == "manual"}


def test_a_recorded_step_round_trips_through_the_server(server: LiveServer,
                                                        tmp_path: Path) -> None:
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        populate_sample(a)
        a.golive.set(HELPDESK_SITE, "internal-review", StepStatus.DONE,
                     when=date.today(), note="reviewed with the team")
        assert sync(a, server).conflicts == 0
        assert outbox(a) == 0
        sync(b, server)
        assert _steps(b, HELPDESK_SITE) == _steps(a, HELPDESK_SITE)
        assert _steps(b, HELPDESK_SITE)["internal-review"][3] == "reviewed with the team"
        # The partner-wide steps arrive once and show on every site of the other workspace.
        assert _steps(b, "Lab")["interest"][0] == "done"
        assert snapshot(a) == snapshot(b)

        # A change made on b (reopening it) comes back to a.
        b.golive.set(HELPDESK_SITE, "internal-review", StepStatus.OPEN)
        sync(b, server)
        sync(a, server)
        assert _steps(a, HELPDESK_SITE)["internal-review"][0] == "open"
        assert snapshot(a) == snapshot(b)
    finally:
        a.close()
        b.close()
