"""Start the desktop app (`preflight gui`), or render one page to a PNG and exit.

Qt runs with one asyncio loop inside it (qasync), so later network work has a home and
`ui.background.run_blocking` uses `asyncio.to_thread`. The workspace is opened (and migrated)
before the window shows; on first run, when the workspace file does not exist yet, it is
created with the sample data. Environment problems (no display, an unusable workspace, an
unwritable screenshot path) are one line on stderr and exit code 2, as in the CLI.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from app.domain.errors import PreflightError
from app.logs import LOG_FILE_NAME, log_dir
from app.services.sample import populate_sample
from app.services.workspace import Workspace, default_workspace_path, resolve_workspace_path
from ui import background, excepthook
from ui.compat import binding_problem
from ui.main_window import MainWindow
from ui.pages.registry import DEFAULT_PAGE, PAGE_NAMES
from ui.ui_settings import APPLICATION, ORGANIZATION, UiSettings

EXIT_OK = 0
EXIT_ENVIRONMENT = 2
SCREENSHOT_SIZE = QSize(1280, 800)


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
    return app


def open_workspace(path: Path | None) -> tuple[Workspace, bool]:
    """The workspace at `path` (None: the default one); created with the sample data when
    the file does not exist yet. Returns it and whether it was just created."""
    target = resolve_workspace_path(path) if path is not None else default_workspace_path()
    first_run = not target.exists()
    if first_run:
        target.parent.mkdir(parents=True, exist_ok=True)
    workspace = Workspace.open(target, create=first_run)
    if first_run:
        try:
            populate_sample(workspace)
        except BaseException:
            workspace.close()
            raise
    return workspace, first_run


def _choose_workspace(path: Path | None, settings: UiSettings) -> Path | None:
    if path is not None or not settings.reopen_last_workspace:
        return path
    recent = settings.recent()
    return recent[0] if recent and recent[0].is_file() else None


def run(workspace: Path | None, screenshot: Path | None = None, page: str | None = None) -> int:
    if page is not None and page not in PAGE_NAMES:
        return _fail(f"unknown page '{page}'; choose one of: {', '.join(PAGE_NAMES)}")
    if screenshot is not None:
        if QApplication.instance() is None:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        folder = screenshot.expanduser().resolve().parent
        if not folder.is_dir():
            return _fail(f"cannot write the screenshot: folder {folder} does not exist")
    else:
        problem = _display_problem()
        if problem:
            return _fail(problem)
    app = application()
    problem = binding_problem()
    if problem:
        sys.stderr.write(f"preflight: warning: {problem}\n")
    settings = UiSettings()
    try:
        ws, first_run = open_workspace(
            workspace if screenshot is not None else _choose_workspace(workspace, settings))
    except PreflightError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    loop = _event_loop(app)
    try:
        if screenshot is not None:
            return _screenshot(app, loop, ws, screenshot, page or DEFAULT_PAGE)
        return _interactive(app, loop, ws, settings, page=page, first_run=first_run)
    finally:
        ws.close()
        asyncio.set_event_loop(None)


def _event_loop(app: QApplication) -> asyncio.AbstractEventLoop:
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    return loop


def _screenshot(app: QApplication, loop: asyncio.AbstractEventLoop, ws: Workspace,
                target: Path, page: str) -> int:
    window = MainWindow(ws, restore=False)
    window.resize(SCREENSHOT_SIZE)

    async def shoot() -> bool:
        window.show()
        window.show_page(page)
        await background.wait_idle()  # the page's data is loaded and shown
        app.processEvents()  # pending layout requests, before the frame is grabbed
        return window.grab().save(str(target), "PNG")

    try:
        with loop:
            saved = loop.run_until_complete(shoot())
    finally:
        window.close()
        shiboken6.delete(window)
    if not saved:
        return _fail(f"cannot write the screenshot to {target}")
    return EXIT_OK


def _interactive(app: QApplication, loop: asyncio.AbstractEventLoop, ws: Workspace,
                 settings: UiSettings, *, page: str | None, first_run: bool) -> int:
    excepthook.install(str(log_dir() / LOG_FILE_NAME))
    app.setQuitOnLastWindowClosed(False)
    window = MainWindow(ws, settings)
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)

    async def main() -> None:
        window.show()
        window.show_page(page or window.start_page())
        await background.wait_idle()
        # Everything built so far lives as long as the app: keep it out of the collector's
        # full passes, which otherwise stall the GUI for ~0.1 s with thousands of rows loaded.
        gc.collect()
        gc.freeze()
        if first_run:
            window.statusBar().showMessage(
                f"Welcome: this is a sample workspace ({ws.path}) to explore.", 15000)
        await closed.wait()
        await background.aclose()

    try:
        with loop:
            loop.run_until_complete(main())
    finally:
        excepthook.uninstall()
        shiboken6.delete(window)
    # The window may have switched workspaces: close the one it ended with too.
    if window.workspace is not ws:
        window.workspace.close()
    return EXIT_OK
