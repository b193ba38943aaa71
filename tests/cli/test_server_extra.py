"""`preflight server` from an install without the [server] extra says which extra to install,
before it prints anything else (no 'listening on …' followed by a traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Runs the real CLI in a Python where uvicorn cannot be imported (as in the app's own install).
WITHOUT_UVICORN = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "uvicorn" or name.startswith("uvicorn."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
import importlib.util
real = importlib.util.find_spec
importlib.util.find_spec = lambda name, *a: None if name == "uvicorn" else real(name, *a)
from preflight.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_server_without_the_extra_names_it_first(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_UVICORN, "server", "--port", "0",
         "--db", f"sqlite:///{tmp_path / 'server.db'}"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("preflight: error: the server needs the [server] extra "
                               "(uvicorn is missing from ")
    assert "-m pip install \"preflight[server]\"" in lines[0]
    assert "listening" not in done.stderr
