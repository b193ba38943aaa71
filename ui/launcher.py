"""Start the desktop app (`preflight gui`), or render one page to a PNG and exit.

Qt runs with one asyncio loop inside it (qasync), so later network work has a home and
`ui.background.run_blocking` uses `asyncio.to_thread`. The window paints first; the workspace is
then opened (and migrated) in a worker thread and the pages are built when it arrives
(`ui.startup`); on first run, when the workspace file does not exist yet, it is created with the
sample data. A screenshot waits for the page's data before it grabs the window; with a policy
(`--policy`) it opens that policy in the Policies page's editor first. Environment
problems (no display, an unusable workspace, an unwritable screenshot path) are one line on
stderr and exit code 2, as in the CLI.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.errors import PreflightError
from app.logs import LOG_FILE_NAME, disable_crash_log, enable_crash_log, log_dir
from ui import background, excepthook, qt_libs
from ui.about import app_icon, current_versions, version_text
from ui.collector import Collector
from ui.compat import binding_problem
from ui.main_window import MainWindow
from ui.pages.registry import DEFAULT_PAGE, PAGE_NAMES
from ui.startup import open_after_first_paint
from ui.ui_settings import APPLICATION, ORGANIZATION, UiSettings
from ui.welcome import FileOpenHandler

if TYPE_CHECKING:
    import qasync  # imported when the loop starts (it is a context manager too)

    from app.services.workspace import Workspace

EXIT_OK = 0
EXIT_ENVIRONMENT = 2
SCREENSHOT_SIZE = QSize(1280, 800)
MIN_SIZE = QSize(640, 480)
SETTLE_ROUNDS = 5  # event-loop rounds before the frame is grabbed
POLICIES_PAGE = "policies"


def _fail(message: str) -> int:
    sys.stderr.write(f"preflight: error: {message}\n")
    return EXIT_ENVIRONMENT


def _display_problem() -> str | None:
    """Why Qt could not open a window here (it would abort the process), or None."""
    if QApplication.instance() is not None or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        return ("no display to show the window on (DISPLAY and WAYLAND_DISPLAY are not set); "
                "use --screenshot FILE to render offscreen")
    return None


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "preflight"])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Preflight")
    app.setDesktopFileName("preflight")
    app.setWindowIcon(app_icon())  # every window and dialog; the installers set the file's
    return app


def _choose_workspace(path: Path | None, settings: UiSettings) -> Path | None:
    if path is not None or not settings.reopen_last_workspace:
        return path
    recent = settings.recent()
    return recent[0] if recent and recent[0].is_file() else None


def parse_size(text: str) -> QSize | None:
    """"1024x700" → QSize(1024, 700); None when it is not WIDTHxHEIGHT in pixels."""
    width, sep, height = text.lower().replace("×", "x").partition("x")
    if not sep or not width.strip().isdigit() or not height.strip().isdigit():
        return None
    size = QSize(int(width), int(height))
    return size if MIN_SIZE.width() <= size.width() <= 10_000 and \
        MIN_SIZE.height() <= size.height() <= 10_000 else None


def run(workspace: Path | None, *, screenshot: Path | None = None, page: str | None = None,
        site: str | None = None, policy: str | None = None, size: str | None = None) -> int:
    window_size = SCREENSHOT_SIZE
    if size is not None:
        if screenshot is None:
            return _fail("--size sets the screenshot's window size; use it with --screenshot FILE")
        parsed = parse_size(size)
        if parsed is None:
            return _fail(f"--size '{size}' is not WIDTHxHEIGHT in pixels, e.g. 1024x700 "
                         f"(at least {MIN_SIZE.width()}x{MIN_SIZE.height()})")
        window_size = parsed
    if page is not None and page not in PAGE_NAMES:
        return _fail(f"unknown page '{page}'; choose one of: {', '.join(PAGE_NAMES)}")
    if policy is not None and page not in (None, POLICIES_PAGE):
        return _fail(f"--policy opens a policy on the {POLICIES_PAGE} page, not on '{page}'; "
                     f"use --page {POLICIES_PAGE} or leave --page out")
    if screenshot is not None:
        if QApplication.instance() is None and not os.environ.get("QT_QPA_PLATFORM"):
            # offscreen unless a platform is given: under Xvfb + a window manager
            # (QT_QPA_PLATFORM=xcb) the shot shows what the window manager does
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        folder = screenshot.expanduser().resolve().parent
        if not folder.is_dir():
            return _fail(f"cannot write the screenshot: folder {folder} does not exist")
    else:
        problem = _display_problem()
        if problem:
            return _fail(problem)
    if QApplication.instance() is None:
        missing = qt_libs.problem()  # Qt would abort without a word: say which packages
        if missing:
            return _fail(missing)
    app = application()
    problem = binding_problem()
    if problem:
        sys.stderr.write(f"preflight: warning: {problem}\n")
    loop = _event_loop(app)
    try:
        if screenshot is not None:
            if policy is not None:
                page = POLICIES_PAGE
            return _screenshot(app, loop, workspace, screenshot, page or DEFAULT_PAGE, site=site,
                               policy=policy, size=window_size)
        settings = UiSettings()
        return _interactive(app, loop, _choose_workspace(workspace, settings), settings,
                            page=page)
    finally:
        asyncio.set_event_loop(None)


def _event_loop(app: QApplication) -> qasync.QEventLoop:
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    return loop


async def _open(window: MainWindow, path: Path | None) -> tuple[Workspace, bool] | int:
    """The workspace, opened once the window has painted; or, when it cannot be used, the exit
    code after one line on stderr."""
    try:
        return await open_after_first_paint(window, path)
    except PreflightError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))


def _show_policy(window: MainWindow, ref: str) -> str | None:
    """Open a policy (id or exact name) in the Policies page's editor; or say why not."""
    # imported here: the page module brings the services, which the window paints before
    from ui.pages.policies_page import PoliciesPage

    page = window.find_page(POLICIES_PAGE)
    if not isinstance(page, PoliciesPage):
        return f"the {POLICIES_PAGE} page is not there to show policy '{ref}'"
    rows = page.model.rows()
    found = next((r for r in rows if r.id == ref), None) or next(
        (r for r in rows if r.name == ref), None)
    if found is None or not page.select_policy(found.id):
        return f"no policy with id or name '{ref}' to show"
    return None


def _scroll_to_end_of_editor(window: MainWindow) -> None:
    """Show the end of the open policy's form: the PSA key box, or the last setting."""
    from ui.pages.policies_page import PoliciesPage

    page = window.find_page(POLICIES_PAGE)
    if isinstance(page, PoliciesPage):
        editor = page.editor
        bar = editor.scroll_area.verticalScrollBar()
        bar.setValue(bar.maximum())


def _screenshot(app: QApplication, loop: qasync.QEventLoop, path: Path | None,
                target: Path, page: str, *, site: str | None = None,
                policy: str | None = None, size: QSize = SCREENSHOT_SIZE) -> int:
    window = MainWindow(restore=False)
    window.resize(size)

    async def shoot() -> int:
        window.show()
        opened = await _open(window, path)
        if isinstance(opened, int):
            return opened
        window.install_workspace(opened[0])
        window.show_page(page)
        await background.wait_idle()  # the page's data is loaded and shown
        if site is not None:
            if not window.select_site(site):
                return _fail(f"no site with id or name '{site}' to show")
            window.show_page(page)  # the page's tab again, now for that site
            await background.wait_idle()
        if policy is not None:
            problem = _show_policy(window, policy)
            if problem:
                return _fail(problem)
            await background.wait_idle()  # e.g. the PSA key box asks the vault for its state
            app.processEvents()
            _scroll_to_end_of_editor(window)
        for _ in range(SETTLE_ROUNDS):  # layouts that depend on each other settle in rounds
            app.processEvents()
            # a round, not a pause: measured, 20 ms pauses gave the same pixels in all 21
            # README pictures (under Xvfb + openbox) and cost 0.1 s of every screenshot
            await asyncio.sleep(0)
        if not grab(window).save(str(target), "PNG"):
            return _fail(f"cannot write the screenshot to {target}")
        return EXIT_OK

    try:
        with loop:
            code: int = loop.run_until_complete(shoot())
            return code
    finally:
        _dispose(window)


def grab(window: QWidget) -> QPixmap:
    """The window as the user sees it: with a real platform, its frame from the screen (the
    window manager's decorations and placement); offscreen, the widget itself."""
    screen = window.screen()
    if QGuiApplication.platformName() in ("offscreen", "minimal") or screen is None:
        return window.grab()
    frame = window.frameGeometry()
    return screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())


def _dispose(window: MainWindow) -> None:
    """Delete the window, then close the workspace it ended with (it may have switched)."""
    workspace = window.workspace
    window.close()
    shiboken6.delete(window)
    if workspace is not None:
        workspace.close()


def _interactive(app: QApplication, loop: qasync.QEventLoop, path: Path | None,
                 settings: UiSettings, *, page: str | None) -> int:
    app.setQuitOnLastWindowClosed(False)
    window = MainWindow(settings=settings)
    # issue 9: bug reports carry the versions (About's); native crashes go to crash.log
    excepthook.install(str(log_dir() / LOG_FILE_NAME),
                       versions=lambda: version_text(current_versions(window.workspace)))
    enable_crash_log()
    file_open = FileOpenHandler(app, window)  # macOS: a .preflight opened from Finder
    collector = Collector()
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)

    async def main() -> int:
        window.show()
        opened = await _open(window, path)
        if isinstance(opened, int):
            return opened
        workspace, first_run = opened
        window.install_workspace(workspace)
        window.show_page(page or window.wanted_page())
        await background.wait_idle()
        # Start-up is over: garbage collection from now on runs on the GUI thread's terms.
        collector.start()
        # the sample made by this first run, or by `preflight init --sample` (README's start)
        from app.services.sample_mark import is_sample  # loaded with the workspace by now

        sample = first_run or await asyncio.to_thread(is_sample, workspace)
        if first_run:
            window.statusBar().showMessage(
                f"Welcome: this is a sample workspace ({workspace.path}) to explore.", 15000)
        window.help.at_start(first_run, sample=sample)  # the welcome panel, unless turned off
        await closed.wait()
        await background.aclose()
        return EXIT_OK

    try:
        with loop:
            code: int = loop.run_until_complete(main())
            return code
    finally:
        if collector.active():
            collector.stop()
        excepthook.uninstall()
        file_open.remove()
        _dispose(window)
        disable_crash_log()
