"""First run (issue 9): the sample workspace opens with a welcome panel that says what to do
first and where the user guide is; "Don't show this again" is kept in QSettings; a .preflight
opened from Finder (QFileOpenEvent) switches the workspace; the window has the app's icon."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, QSize, Qt
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from app.services.sample import populate_sample
from app.services.sample_mark import is_sample
from app.services.workspace import Workspace
from tests.ui.conftest import wait_idle
from ui import about, background
from ui.main_window import MainWindow
from ui.startup import open_workspace
from ui.ui_settings import UiSettings
from ui.welcome import HIDE_KEY, STEPS, FileOpenHandler

ROOT = Path(__file__).resolve().parents[2]


def background_idle() -> bool:
    return background.pending() == 0


@pytest.fixture(autouse=True)
def opener() -> Iterator[about.RecordingOpener]:
    recorder = about.RecordingOpener()
    previous = about.set_opener(recorder)
    yield recorder
    about.set_opener(previous)


@pytest.fixture
def first_run(qtbot: Any, tmp_path: Path, ui_settings: UiSettings
              ) -> Iterator[tuple[MainWindow, Workspace]]:
    """What `preflight gui` does on first run: no workspace file yet, so the sample is made,
    then the window shows it and the welcome panel."""
    workspace, created = open_workspace(tmp_path / "first" / "workspace.preflight")
    assert created
    window = MainWindow(workspace, ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("companies")
    wait_idle(qtbot)
    assert window.help.at_start(created)
    yield window, workspace
    wait_idle(qtbot)
    workspace.close()


def test_first_run_shows_the_sample_and_what_to_do_first(
        qtbot: Any, first_run: tuple[MainWindow, Workspace]) -> None:
    window, workspace = first_run
    panel = window.help.welcome
    assert panel.isVisible()
    assert panel.is_banner()  # one line at start: "Show me around" opens the steps
    assert "sample workspace" in panel.headline.text()
    qtbot.mouseClick(panel.tour_button, Qt.MouseButton.LeftButton)
    assert not panel.is_banner()
    assert not panel.tour_button.isVisible()
    assert "sample workspace" in panel.intro.text()
    assert str(workspace.path) in panel.intro.text()
    assert [page for _text, page, _button in STEPS] == [
        "packages", "assignments", "effective", "client-profiles"]
    assert "Build a package" in STEPS[0][0]
    assert "dragging policies" in STEPS[0][0]
    assert all(panel.step_buttons[page].isVisible() for page in panel.step_buttons)
    # the panel sits above the pages, which keep working beneath it
    assert panel.geometry().bottom() < window.stack.mapTo(panel.parentWidget(),
                                                          window.stack.rect().topLeft()).y()
    assert len(window.page("companies").model.companies()) == 3  # type: ignore[attr-defined]


def test_the_start_banner_is_one_line_and_leaves_the_page_its_room(
        qtbot: Any, first_run: tuple[MainWindow, Workspace]) -> None:
    window, _ = first_run
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.size() == QSize(1024, 700))
    panel = window.help.welcome
    row = panel.close_button.height()
    qtbot.waitUntil(lambda: panel.height() <= row + 12)  # a button's height, and a margin
    assert panel.tour_button.isVisible()
    assert panel.close_button.isVisible()
    assert panel.tour_button.y() == panel.close_button.y()  # on one line
    assert not panel.details.isVisible()
    stack_top = window.stack.mapTo(window, QPoint(0, 0)).y()
    panel_top = panel.mapTo(window, QPoint(0, 0)).y()
    assert stack_top - panel_top <= row + 12  # the page starts right below that line
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()
    assert window.help.at_start(False) is False  # closed once: not at the next start


def test_each_step_goes_to_its_page(qtbot: Any, first_run: tuple[MainWindow, Workspace]) -> None:
    window, _ = first_run
    panel = window.help.welcome
    qtbot.mouseClick(panel.tour_button, Qt.MouseButton.LeftButton)
    for page in ("packages", "assignments", "effective"):
        qtbot.mouseClick(panel.step_buttons[page], Qt.MouseButton.LeftButton)
        wait_idle(qtbot)
        assert window.current_name() == page
    qtbot.mouseClick(panel.step_buttons["client-profiles"], Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert window.current_name() == "companies"  # the Help Desk tab of a site


def test_the_user_guide_link_opens_the_readme(qtbot: Any, opener: about.RecordingOpener,
                                              first_run: tuple[MainWindow, Workspace]) -> None:
    window, _ = first_run
    panel = window.help.welcome
    qtbot.mouseClick(panel.tour_button, Qt.MouseButton.LeftButton)
    assert "README.md" in panel.docs.text()
    qtbot.mouseClick(panel.guide_button, Qt.MouseButton.LeftButton)
    panel.docs.linkActivated.emit("docs")
    assert [url.toLocalFile() for url in opener.opened] == [str(ROOT / "README.md")] * 2


def test_dont_show_again_is_kept_and_help_welcome_brings_it_back(
        qtbot: Any, tmp_path: Path, first_run: tuple[MainWindow, Workspace],
        sample_workspace: Workspace) -> None:
    window, _ = first_run
    panel = window.help.welcome
    qtbot.mouseClick(panel.tour_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.dont_show, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()
    window.settings.sync()
    stored = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    assert stored.value(HIDE_KEY) in (True, "true")

    # the next start: same settings file, no panel
    again = MainWindow(sample_workspace, UiSettings(stored))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.help.at_start(False) is False
    assert not again.help.welcome.isVisible()
    # Help → Welcome shows it all the same, with the box still ticked
    welcome = next(a for a in again.menuBar().actions() if a.text() == "&Help").menu()
    assert welcome is not None
    next(a for a in welcome.actions() if a.text() == "&Welcome").trigger()
    assert again.help.welcome.isVisible()
    assert not again.help.welcome.is_banner()  # asked for: the whole panel
    assert again.help.welcome.dont_show.isChecked()
    assert "Your workspace" in again.help.welcome.intro.text()
    wait_idle(qtbot)


def test_the_window_has_the_app_icon_from_resources(first_run: tuple[MainWindow, Workspace]
                                                    ) -> None:
    window, _ = first_run
    assert not window.windowIcon().isNull()
    shipped = ROOT / "resources" / "icons" / "preflight.png"
    assert shipped.read_bytes() == (ROOT / "packaging" / "icons" / "preflight.png").read_bytes()
    assert about.resource_path("icons", "preflight.png") == shipped
    # the spec ships resources/ as files, where app_root() looks in a bundle
    spec = (ROOT / "packaging" / "preflight.spec").read_text(encoding="utf-8")
    assert 'rglob("*")' in spec
    assert '(ROOT / "resources")' in spec


def test_the_icon_is_found_inside_a_pyinstaller_bundle(qapp: Any, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "_internal"
    (bundle / "resources" / "icons").mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "icons" / "preflight.png",
                bundle / "resources" / "icons" / "preflight.png")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert about.resource_path("icons", "preflight.png") == (
        bundle / "resources" / "icons" / "preflight.png")
    assert not about.app_icon().isNull()
    (bundle / "resources" / "icons" / "preflight.png").unlink()
    assert about.app_icon().isNull()  # missing: an empty icon, not a crash


def test_a_workspace_opened_from_finder_switches_to_it(
        qtbot: Any, tmp_path: Path, first_run: tuple[MainWindow, Workspace]) -> None:
    window, _ = first_run
    other = tmp_path / "other.preflight"
    Workspace.open(other, create=True).close()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    handler = FileOpenHandler(app, window, install=True)
    try:
        before = window.workspace
        QApplication.sendEvent(app, QFileOpenEvent(str(tmp_path / "notes.txt")))
        assert window.workspace is before
        assert background_idle()
        with qtbot.waitSignal(window.workspace_changed, timeout=10_000):
            QApplication.sendEvent(app, QFileOpenEvent(str(other)))
        wait_idle(qtbot)
        assert window.workspace is not None
        assert window.workspace.path == other
    finally:
        handler.remove()
        handler.deleteLater()
        if window.workspace is not None and window.workspace.path == other:
            window.workspace.close()


def test_a_file_open_during_start_up_waits_for_the_first_workspace(
        qtbot: Any, tmp_path: Path, sample_workspace: Workspace, ui_settings: UiSettings) -> None:
    other = tmp_path / "from-finder.preflight"
    Workspace.open(other, create=True).close()
    window = MainWindow(None, ui_settings, restore=False)
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    handler = FileOpenHandler(app, window, install=True)
    try:
        QApplication.sendEvent(app, QFileOpenEvent(str(other)))
        assert handler.pending == other  # nothing to switch from yet
        with qtbot.waitSignals([window.workspace_changed, window.workspace_changed],
                               timeout=10_000):
            window.install_workspace(sample_workspace)  # start-up's workspace arrives
        wait_idle(qtbot)
        assert window.workspace is not None
        assert window.workspace.path == other
        assert handler.pending is None
    finally:
        handler.remove()
        handler.deleteLater()
        if window.workspace is not None and window.workspace.path == other:
            window.workspace.close()


def test_a_sample_made_by_init_is_named_so_on_its_first_start(
        qtbot: Any, tmp_path: Path, ui_settings: UiSettings) -> None:
    """README's quick start makes the sample with `preflight init --sample`, then opens it:
    not the window's first run, but the banner still says it is the sample; once closed, it
    does not come back."""
    path = tmp_path / "init" / "sample.preflight"
    path.parent.mkdir()
    made = Workspace.open(path, create=True)
    populate_sample(made)
    made.close()
    workspace, created = open_workspace(path)
    assert not created
    window = MainWindow(workspace, ui_settings)
    qtbot.addWidget(window)
    window.show()
    window.show_page("companies")
    wait_idle(qtbot)
    assert window.help.at_start(created, sample=is_sample(workspace))
    panel = window.help.welcome
    assert panel.is_banner()
    assert panel.headline.text() == "This is a sample workspace to explore."
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert window.help.at_start(False, sample=True) is False  # closed once: not again
    wait_idle(qtbot)
    workspace.close()
