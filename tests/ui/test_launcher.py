"""`preflight gui --screenshot`: the launcher renders a page offscreen to a PNG and exits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from app.services.workspace import Workspace
from ui.launcher import run

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("page", ["assignments", "companies", "effective"])
def test_screenshot_of_a_page(tmp_path: Path, sample_workspace: Workspace,
                              workspace_path: Path, page: str) -> None:
    shot = tmp_path / f"{page}.png"
    assert run(workspace_path, screenshot=shot, page=page) == 0
    assert shot.read_bytes().startswith(PNG_MAGIC)
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 800)


@pytest.mark.usefixtures("qapp")
def test_first_run_creates_the_sample_workspace(tmp_path: Path) -> None:
    target = tmp_path / "new" / "first.preflight"
    shot = tmp_path / "x.png"
    assert run(target, screenshot=shot) == 0
    assert shot.exists()
    ws = Workspace.open(target)
    try:
        assert len(ws.companies.all()) == 3
    finally:
        ws.close()


@pytest.mark.usefixtures("qapp")
def test_environment_errors_are_one_line_and_exit_2(tmp_path: Path, capsys: Any) -> None:
    bogus = tmp_path / "notes.preflight"
    bogus.write_text("not a database")
    assert run(bogus, screenshot=tmp_path / "x.png") == 2
    assert run(tmp_path / "w.preflight", screenshot=tmp_path / "x.png", page="nope") == 2
    assert run(tmp_path / "w.preflight", screenshot=tmp_path / "missing" / "x.png") == 2
    err = capsys.readouterr().err.strip().splitlines()
    lines = [line for line in err if line.startswith("preflight: error: ")]
    assert len(lines) == 3
    assert "not a Preflight workspace" in lines[0]
    assert "unknown page 'nope'" in lines[1]
    assert "does not exist" in lines[2]
    assert not (tmp_path / "x.png").exists()


@pytest.mark.usefixtures("qapp")
def test_cli_gui_command_renders_a_page(tmp_path: Path, sample_workspace: Workspace,
                                        workspace_path: Path) -> None:
    from app.cli.main import run as cli

    shot = tmp_path / "effective.png"
    assert cli(["gui", "--workspace", str(workspace_path), "--screenshot", str(shot),
                "--page", "effective"]) == 0
    assert shot.read_bytes().startswith(PNG_MAGIC)
