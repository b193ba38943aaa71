"""What a cold start loads: `preflight gui --screenshot` in a new process shows its page
without the libraries only later actions need (sync's HTTP client, the XLSX writer, the
calendar writer, the OS keyring, the vault's crypto, the client profiles' readers and
validators, the migration tool when the file is current, the other commands of the command
line, the pages not shown). Loading them at start is what made the first page slow
(issue 18)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.services.workspace import Workspace
from tests.cli.helpers import REPO_ROOT, TIMEOUT, cli_env

# the OS keyring: asked by the vault's unlock flow; the vault's crypto: by its first key (the
# status bar's lock state needs none); the client profiles: by their tab; the Help Desk checks:
# by its tabs and links; Alembic: by a file older than this version; the command modules: by
# the other commands' parser; the pages not shown: built when first shown
LATER_ONLY = ("httpx", "xlsxwriter", "icalendar", "keyring", "cryptography", "argon2",
              "app.profiles", "app.services.profiles", "app.domain.helpdesk", "alembic",
              "app.cli.golive_commands",
              "app.cli.vault_commands", "app.cli.asio_commands", "app.cli.sync_commands",
              "app.cli.profiles_commands", "app.cli.rule_commands",
              "app.cli.helpdesk_setup_commands", "app.cli.helpdesk_commands",
              "ui.pages.policies_page", "ui.pages.packages_page", "ui.pages.assignments_page",
              "ui.helpdesk.golive_page", "ui.sync.conflicts_page")

CHILD = """
import json, os, sys
from preflight.main import main
code = main(["gui", "--workspace", sys.argv[1], "--screenshot", sys.argv[2], "--page", sys.argv[3]])
loaded = sorted(name for name in json.loads(sys.argv[4]) if name in sys.modules)
print(json.dumps({"code": code, "loaded": loaded}), flush=True)
os._exit(0)
"""


def test_the_first_page_loads_without_later_only_libraries(
        tmp_path: Path, sample_workspace: Workspace, workspace_path: Path) -> None:
    sample_workspace.close()
    shot = tmp_path / "shot.png"
    env = dict(cli_env(), XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(workspace_path), str(shot), "companies",
         json.dumps(LATER_ONLY)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, done.stderr
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert result["loaded"] == []
