"""`preflight profiles import` of a large file killed with SIGKILL (kill -9) at random points,
10 times: each time the workspace holds the whole import or nothing of it — profiles, outbox
rows and the import's one audit row together — and SQLite's integrity_check says ok."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from app.profiles import read_sheet
from app.services.workspace import Workspace
from tests.cli.helpers import REPO_ROOT, cli_env, copy_workspace
from tests.profiles.conftest import row, write_csv

SITE = "Main Office"
ROWS = 20_000
ROUNDS = 10


def _state(path: Path) -> dict[str, Any]:
    with closing(sqlite3.connect(path)) as db:
        return {
            "integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
            "profiles": db.execute("SELECT count(*) FROM client_profiles").fetchone()[0],
            "outbox": db.execute("SELECT count(*) FROM outbox WHERE entity = 'client_profile'"
                                 ).fetchone()[0],
            "batches": db.execute("SELECT count(*) FROM audit WHERE entity = 'batch'"
                                  ).fetchone()[0],
        }


def _import(workspace: Path, source: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "preflight", "profiles", "import", str(source), "--site", SITE,
         "--workspace", str(workspace)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cli_env(), cwd=REPO_ROOT)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A closed workspace with the site and no profiles, and a CSV of ROWS valid profiles."""
    folder = tmp_path_factory.mktemp("kill")
    path = folder / "base.preflight"
    ws = Workspace.open(path, create=True)
    ws.companies.create("Contoso")
    ws.sites.create("Contoso", SITE)
    ws.close()
    return path, write_csv(folder / "profiles.csv", [row(n) for n in range(ROWS)])


def test_kill_9_during_a_large_import_leaves_all_or_nothing(base: tuple[Path, Path],
                                                            tmp_path: Path) -> None:
    path, source = base
    # One import run to its end: how long the whole process takes here and now.
    done = copy_workspace(path, tmp_path / "done.preflight")
    start = time.monotonic()
    assert _import(done, source).wait(timeout=600) == 0
    whole = time.monotonic() - start
    complete = _state(done)
    assert complete == {"integrity": "ok", "profiles": ROWS, "outbox": ROWS, "batches": 1}
    nothing = {**_state(path), "integrity": "ok"}
    assert nothing["profiles"] == 0

    chance = random.Random(20)  # seeded: the same kill points every run
    for n in range(ROUNDS):
        work = copy_workspace(path, tmp_path / f"round-{n}.preflight")
        process = _import(work, source)
        time.sleep(chance.uniform(0.15, 1.05) * whole)  # from start-up to just after commit
        process.send_signal(signal.SIGKILL)
        code = process.wait(timeout=60)
        state = _state(work)
        assert state in (nothing, complete), f"round {n}: {state}"
        if code == 0:  # it finished before the kill came
            assert state == complete, f"round {n}"
        elif state == nothing:
            assert code == -signal.SIGKILL, f"round {n}: exit {code}"
        if n < ROUNDS - 1:
            os.remove(work)
    # The last workspace opens as usual and takes the same import in full.
    ws = Workspace.open(work)
    try:
        ws.profiles.import_sheet(SITE, read_sheet(source))
    finally:
        ws.close()
    assert _state(work) == complete
