"""Shared fixtures. Qt runs offscreen; every test gets its own real SQLite workspace file.

Each test process (each pytest-xdist worker) keeps QSettings, logs, the default workspace and
any cache in user folders of its own (XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME,
XDG_CACHE_HOME: what platformdirs and Qt read on Linux), removed when it exits; the CLI and GUI
subprocesses of the tests inherit them. Tests never touch the user's real folders.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

from app.services.sample import populate_sample
from app.services.workspace import Workspace

USER_FOLDERS = {"XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data",
                "XDG_STATE_HOME": "state", "XDG_CACHE_HOME": "cache"}
# The one thing read from the user's folders: keyring's choice of backend (keyringrc.cfg), so
# that the keyring the tests see is the one this machine is set up with.
KEYRING_CONFIG = Path("python_keyring") / "keyringrc.cfg"


def isolate_user_folders() -> Path:
    """Point the XDG user folders at a fresh temporary folder of this process (see above)."""
    real_config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    root = Path(tempfile.mkdtemp(prefix="preflight-tests-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    for variable, name in USER_FOLDERS.items():
        (root / name).mkdir()
        os.environ[variable] = str(root / name)
    if (real_config / KEYRING_CONFIG).is_file():
        (root / "config" / KEYRING_CONFIG).parent.mkdir()
        shutil.copy(real_config / KEYRING_CONFIG, root / "config" / KEYRING_CONFIG)
    return root


USER_FOLDERS_ROOT = isolate_user_folders()


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "test.preflight"


@pytest.fixture
def workspace(workspace_path: Path) -> Iterator[Workspace]:
    """An empty, freshly created workspace."""
    ws = Workspace.open(workspace_path, create=True)
    yield ws
    ws.close()


@pytest.fixture
def sample_workspace(workspace_path: Path) -> Iterator[Workspace]:
    """The sample workspace of `preflight init --sample`."""
    ws = Workspace.open(workspace_path, create=True)
    populate_sample(ws)
    yield ws
    ws.close()
