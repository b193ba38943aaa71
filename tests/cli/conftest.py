"""Fixtures of the CLI tests: one `init --sample` workspace made once, copied where needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import copy_workspace, run_cli


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A workspace made by `preflight init --sample --json`, and what that command printed.
    Never modified: tests copy it."""
    path = tmp_path_factory.mktemp("template") / "sample.preflight"
    result = run_cli(path, "init", "--sample", "--json")
    assert result.code == 0, str(result)
    return path, result.json()


@pytest.fixture(scope="module")
def shared_ws(sample_template: tuple[Path, dict[str, Any]],
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample workspace shared by the read-only tests of one module."""
    return copy_workspace(sample_template[0],
                          tmp_path_factory.mktemp("shared") / "shared.preflight")


@pytest.fixture
def fresh_ws(sample_template: tuple[Path, dict[str, Any]], tmp_path: Path) -> Path:
    """A sample workspace of this test's own, to change."""
    return copy_workspace(sample_template[0], tmp_path / "work.preflight")
