# ruff: noqa: F811  (the shared fixtures are imported, then named as parameters)
"""`preflight gui --screenshot F --page P` renders the Pending Changes and Sync Conflicts pages
of a workspace that has both (a separate process: the launcher makes its own qasync loop)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from app.services.sample import populate_sample
from tests.server.live import LiveServer, sync
from tests.sync.helpers import open_ws
from tests.ui.test_sync_support import server  # noqa: F401 (fixture)
from ui.pages.registry import PAGE_NAMES


def test_the_sync_pages_render_to_png(server: LiveServer, tmp_path: Path) -> None:
    mine, theirs = open_ws(tmp_path, "mine"), open_ws(tmp_path, "theirs")
    try:
        populate_sample(mine)
        for name in ("Server Rule", "Local Rule"):  # partner rules (ids read as names)
            mine.rules.create(name, rule_id=name)
        sync(mine, server)
        sync(theirs, server)
        theirs.policies.update("RMM Standard", {"notification_rule": "Server Rule"})
        sync(theirs, server)
        mine.policies.update("RMM Standard", {"notification_rule": "Local Rule"})
        assert sync(mine, server).conflicts == 1
        mine.companies.create("Umbrella Health")
    finally:
        mine.close()
        theirs.close()
    assert {"pending-changes", "conflicts"} <= set(PAGE_NAMES)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for page in ("pending-changes", "conflicts"):
        shot = tmp_path / f"{page}.png"
        done = subprocess.run(
            [sys.executable, "-m", "preflight", "--workspace", str(tmp_path / "mine.preflight"),
             "gui", "--screenshot", str(shot), "--page", page],
            capture_output=True, text=True, env=env, check=False, timeout=120)
        assert done.returncode == 0, done.stderr
        image = QImage(str(shot))
        assert (image.width(), image.height()) == (1280, 800)
