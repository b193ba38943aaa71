"""`preflight gui`: the window paints first, then the workspace opens; `--screenshot` renders a
page offscreen to a PNG and exits."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QPaintEvent

from app.services.workspace import Workspace
from ui import launcher
from ui.launcher import run
from ui.main_window import MainWindow
from ui.ui_settings import UiSettings

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
@pytest.mark.parametrize(("size", "expected"), [("1024x700", (1024, 700)),
                                                ("1920X1080", (1920, 1080))])
def test_screenshot_at_a_size(tmp_path: Path, sample_workspace: Workspace,
                              workspace_path: Path, size: str, expected: tuple[int, int]) -> None:
    shot = tmp_path / "sized.png"
    assert run(workspace_path, screenshot=shot, page="packages", size=size) == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == expected


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("size", ["1024", "1024x", "wide x tall", "100x100", "1024x700x3"])
def test_a_bad_size_is_refused_naming_the_form(tmp_path: Path, workspace_path: Path,
                                                capsys: Any, size: str) -> None:
    shot = tmp_path / "x.png"
    assert run(workspace_path, screenshot=shot, size=size) == 2
    err = capsys.readouterr().err
    assert f"--size '{size}' is not WIDTHxHEIGHT in pixels, e.g. 1024x700" in err
    assert not shot.exists()


@pytest.mark.usefixtures("qapp")
def test_size_without_screenshot_is_refused(workspace_path: Path, capsys: Any) -> None:
    assert run(workspace_path, size="1024x700") == 2
    assert "use it with --screenshot FILE" in capsys.readouterr().err


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
    from preflight.main import run as cli

    shot = tmp_path / "effective.png"
    assert cli(["gui", "--workspace", str(workspace_path), "--screenshot", str(shot),
                "--page", "effective"]) == 0
    assert shot.read_bytes().startswith(PNG_MAGIC)


@pytest.mark.usefixtures("qapp")
def test_screenshot_of_a_site_tab_for_a_named_site(tmp_path: Path, sample_workspace: Workspace,
                                                   workspace_path: Path, capsys: Any) -> None:
    from preflight.main import run as cli

    shot = tmp_path / "profiles.png"
    assert cli(["gui", "--workspace", str(workspace_path), "--screenshot", str(shot),
                "--page", "client-profiles", "--site", "Northside Clinic"]) == 0
    assert shot.read_bytes().startswith(PNG_MAGIC)
    missing = tmp_path / "missing.png"
    assert cli(["gui", "--workspace", str(workspace_path), "--screenshot", str(missing),
                "--page", "client-profiles", "--site", "No Such Site"]) == 2
    assert "no site with id or name 'No Such Site'" in capsys.readouterr().err
    assert not missing.exists()


class _GrabRecordingWindow(MainWindow):
    """The screenshot's window, recording what the policies page shows when it is grabbed."""

    grabbed: ClassVar[list[dict[str, Any]]] = []

    def grab(self, *args: Any) -> Any:
        page = self.page("policies")
        editor = page.editor  # type: ignore[attr-defined]
        policy = editor.policy()
        box = editor.keys_box
        _GrabRecordingWindow.grabbed.append({
            "page": self.stack.currentWidget() is page,
            "policy": policy.name if policy else None,
            "editing": page.side.currentWidget() is editor,  # type: ignore[attr-defined]
            "advice": editor.advice_text("sync_communicator_tickets")
            if policy and policy.type == "psa-integration" else "",
            "keys_box_shown": box.isVisible() and not box.visibleRegion().isEmpty(),
        })
        return super().grab(*args)


@pytest.mark.usefixtures("qapp")
def test_screenshot_opens_a_named_policy_in_the_editor(
        tmp_path: Path, sample_workspace: Workspace, workspace_path: Path, capsys: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from preflight.main import run as cli

    monkeypatch.setattr(launcher, "MainWindow", _GrabRecordingWindow)
    _GrabRecordingWindow.grabbed.clear()
    shot = tmp_path / "policies-psa.png"
    assert cli(["gui", "--workspace", str(workspace_path), "--screenshot", str(shot),
                "--page", "policies", "--policy", "PSA Ticket Sync"]) == 0
    assert shot.read_bytes().startswith(PNG_MAGIC)
    (seen,) = _GrabRecordingWindow.grabbed
    assert seen["page"]
    assert seen["editing"]
    assert seen["policy"] == "PSA Ticket Sync"
    assert "Recommended off" in seen["advice"]  # the sample's policy against the seed's advice
    assert seen["keys_box_shown"]  # scrolled so the API key box is in the picture

    # --policy alone implies the policies page; an id works like the name.
    policy_id = sample_workspace.policies.get("RMM with NOC").id
    other = tmp_path / "rmm.png"
    assert cli(["gui", "--workspace", str(workspace_path), "--screenshot", str(other),
                "--policy", policy_id]) == 0
    assert other.read_bytes().startswith(PNG_MAGIC)
    assert _GrabRecordingWindow.grabbed[-1]["page"]
    assert _GrabRecordingWindow.grabbed[-1]["policy"] == "RMM with NOC"
    assert not _GrabRecordingWindow.grabbed[-1]["keys_box_shown"]  # not a PSA policy

    capsys.readouterr()
    missing = tmp_path / "missing.png"
    assert cli(["gui", "--workspace", str(workspace_path), "--screenshot", str(missing),
                "--policy", "No Such Policy"]) == 2
    assert "no policy with id or name 'No Such Policy'" in capsys.readouterr().err
    assert cli(["gui", "--workspace", str(workspace_path), "--screenshot", str(missing),
                "--page", "effective", "--policy", "PSA Ticket Sync"]) == 2
    assert "--policy opens a policy on the policies page, not on 'effective'" in \
        capsys.readouterr().err
    assert not missing.exists()
    assert len(_GrabRecordingWindow.grabbed) == 2

class _RecordingWindow(MainWindow):
    """The launcher's window, recording what it showed before its pages were built, and closing
    itself once they are (as a user quitting would)."""

    states: ClassVar[list[tuple[bool, bool, str]]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.painted = False

    def paintEvent(self, event: QPaintEvent) -> None:
        self.painted = True
        super().paintEvent(event)

    def install_workspace(self, workspace: Workspace) -> None:
        loading = self.stack.currentWidget() is self.loading
        _RecordingWindow.states.append((self.painted, loading, self.loading.text()))
        super().install_workspace(workspace)
        QTimer.singleShot(0, self.close)


@pytest.fixture
def recording_window(monkeypatch: pytest.MonkeyPatch, ui_settings: UiSettings) -> None:
    monkeypatch.setattr(launcher, "MainWindow", _RecordingWindow)
    monkeypatch.setattr(launcher, "UiSettings", lambda: ui_settings)
    _RecordingWindow.states.clear()


@pytest.mark.usefixtures("qapp", "recording_window")
def test_the_window_paints_before_the_workspace_opens(sample_workspace: Workspace,
                                                      workspace_path: Path,
                                                      ui_settings: UiSettings) -> None:
    gc.enable()  # as a process starts (the GUI tests run with it off: tests/ui/conftest.py)
    try:
        assert run(workspace_path, page="assignments") == 0
        assert gc.isenabled()  # the launcher gave garbage collection back
        assert gc.get_freeze_count() == 0
    finally:
        gc.disable()
    assert _RecordingWindow.states == [(True, True, "Opening workspace…")]
    assert ui_settings.recent()[0] == workspace_path
    assert ui_settings.last_page() == "assignments"


@pytest.mark.usefixtures("qapp", "recording_window")
def test_an_unusable_workspace_closes_the_window_with_one_line(tmp_path: Path,
                                                               capsys: Any) -> None:
    bogus = tmp_path / "notes.preflight"
    bogus.write_text("not a database")
    assert run(bogus) == 2
    assert _RecordingWindow.states == []  # no pages were built
    err = capsys.readouterr().err.strip().splitlines()
    assert [line for line in err if line.startswith("preflight: error: ")] == [
        f"preflight: error: {bogus} is not a Preflight workspace (not an SQLite database)"]
