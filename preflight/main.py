"""The entry points of pyproject.toml: `preflight` (console) and `preflight-gui` (windowed)."""

from __future__ import annotations

import atexit
import gc
import sys
from collections.abc import Sequence

from app.cli import main as cli
from app.cli.main import GuiRequest


def launch_gui(request: GuiRequest) -> int:
    # No automatic garbage collection while the desktop starts: its imports, window and
    # workspace make objects that live as long as the app, and the passes over them cost
    # 0.1-0.2 s of a cold start (issue 18). Once the first page is shown the launcher's
    # `Collector` collects, freezes what start-up made and runs every later pass on the GUI
    # thread's timers (automatic collection stays off); it is given back here at the end.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        # Qt is imported only when the desktop app is asked for: the other commands do without.
        from ui import launcher

        return launcher.run(request.workspace, screenshot=request.screenshot, page=request.page,
                            site=request.site, policy=request.policy, size=request.size)
    finally:
        if was_enabled and not gc.isenabled():  # the app is done (or a screenshot, a failure)
            # kept out of later passes, as the Collector does: the first pass after enabling
            # would otherwise go over everything the start made (~50 ms)
            gc.freeze()
            gc.enable()


def run(argv: Sequence[str] | None = None) -> int:
    """One command, as `preflight ARGS` runs it, without the console's logging set-up."""
    return cli.run(argv, gui=launch_gui)


def main(argv: Sequence[str] | None = None) -> int:
    # At exit, keep every object out of the interpreter's last collections: its teardown
    # otherwise runs full passes over the whole heap (SQLAlchemy's, Qt's wrappers, ours),
    # 0.15-0.4 s after the window or the command is done (issue 18's cold start). Nothing
    # relies on them: the workspace, its database and the log are closed before.
    atexit.unregister(gc.freeze)  # once, however often `main` is called in one process
    atexit.register(gc.freeze)
    return cli.main(argv, gui=launch_gui)


def gui_main() -> int:
    return main(["gui", *sys.argv[1:]])
