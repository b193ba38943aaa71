"""Run `preflight` as a user would (a subprocess) and look at a workspace file without the app."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


@dataclass(frozen=True)
class Result:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        assert self.stdout.strip(), f"no JSON on stdout; stderr: {self.stderr!r}"
        return json.loads(self.stdout)

    def __str__(self) -> str:  # shown by failing asserts
        return (f"preflight {' '.join(self.args)}\n  exit {self.code}\n"
                f"  stdout: {self.stdout!r}\n  stderr: {self.stderr!r}")


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PREFLIGHT_VAULT_PASSWORD", None)
    return env


def run_raw(*args: str) -> Result:
    """`python -m preflight ARGS` exactly as given (no --workspace added)."""
    done = subprocess.run(
        [sys.executable, "-m", "preflight", *args],
        capture_output=True, text=True, timeout=TIMEOUT, env=cli_env(), cwd=REPO_ROOT,
        check=False,
    )
    result = Result(tuple(args), done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr, str(result)
    return result


def run_cli(workspace: Path | str, *args: str) -> Result:
    """`python -m preflight ARGS --workspace PATH`."""
    return run_raw(*args, "--workspace", str(workspace))


def ok_json(workspace: Path | str, *args: str) -> Any:
    """Run a command that must succeed with --json and return its parsed stdout."""
    result = run_cli(workspace, *args, "--json")
    assert result.code == 0, str(result)
    return result.json()


def copy_workspace(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{source}{suffix}")
        if side.exists():
            shutil.copy(side, Path(f"{target}{suffix}"))
    return target


def snapshot(path: Path) -> dict[str, Any]:
    """Every row of every table, plus the schema version: the whole state of a workspace."""
    with closing(sqlite3.connect(path)) as db:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        state: dict[str, Any] = {"user_version": db.execute("PRAGMA user_version").fetchone()[0]}
        for table in tables:
            rows = db.execute(f'SELECT * FROM "{table}"').fetchall()
            state[table] = sorted(rows, key=repr)
    return state


def outbox_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute("SELECT count(*) FROM outbox").fetchone()[0])


def assert_unchanged(before: dict[str, Any], after: dict[str, Any]) -> None:
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"the workspace changed in: {changed}"


def assert_one_line(result: Result, prefix: str, *needles: str) -> str:
    """stdout empty, stderr exactly one line starting with `prefix` and naming every needle."""
    assert result.stdout == "", str(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr\n{result}"
    line = lines[0]
    assert line.startswith(prefix), str(result)
    for needle in needles:
        assert needle.casefold() in line.casefold(), f"{needle!r} not in {line!r}"
    return line
