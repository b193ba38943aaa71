"""The entry points of pyproject.toml: `preflight` (console) and `preflight-gui` (windowed)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from app.cli import main as cli
from app.cli.main import GuiRequest


def launch_gui(request: GuiRequest) -> int:
    # Qt is imported only when the desktop app is asked for: the other commands do without it.
    from ui import launcher

    return launcher.run(request.workspace, screenshot=request.screenshot, page=request.page,
                        site=request.site, policy=request.policy, size=request.size)


def run(argv: Sequence[str] | None = None) -> int:
    """One command, as `preflight ARGS` runs it, without the console's logging set-up."""
    return cli.run(argv, gui=launch_gui)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, gui=launch_gui)


def gui_main() -> int:
    return main(["gui", *sys.argv[1:]])
