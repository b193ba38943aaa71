"""Shared fixtures. Qt runs offscreen; every test gets its own real SQLite workspace file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

from app.services.sample import populate_sample
from app.services.workspace import Workspace


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
