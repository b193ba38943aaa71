"""Opening the workspace after the window's first frame, so start-up paints before it waits.

The window shows first ("Opening workspace…"); then a worker thread imports the database layer
(SQLAlchemy and the services, most of start-up's cost), opens the workspace file, migrating it
if it is older, and, on first run, creates it with the sample data. The GUI thread stays free to
paint and to answer the window system meanwhile.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.services.workspace import Workspace

# The longest the worker waits for the first frame: a window the window system does not expose
# (minimised, on another desktop) gets no paint event, and must not hold the workspace back.
FIRST_PAINT_TIMEOUT_S = 0.5


def open_workspace(path: Path | None) -> tuple[Workspace, bool]:
    """The workspace at `path` (None: the default one); created with the sample data when
    the file does not exist yet. Returns it and whether it was just created. Blocking: runs in
    a worker thread at start-up."""
    from app.services.workspace import Workspace, default_workspace_path, resolve_workspace_path

    target = resolve_workspace_path(path) if path is not None else default_workspace_path()
    first_run = not target.exists()
    if first_run:
        target.parent.mkdir(parents=True, exist_ok=True)
    workspace = Workspace.open(target, create=first_run)
    if first_run:
        from app.services.sample import populate_sample  # first run only

        try:
            populate_sample(workspace)
        except BaseException:
            workspace.close()
            raise
    return workspace, first_run


class _FirstPaint(QObject):
    """Sets `painted` when the watched widget gets its first paint event."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.painted = asyncio.Event()
        self.widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted.is_set():
            self.painted.set()
        return False

    def detach(self) -> None:
        self.widget.removeEventFilter(self)
        self.deleteLater()


async def first_paint(window: QWidget) -> None:
    """Return once `window` (already shown) has painted its first frame, or after a short
    timeout when the window system does not ask it to paint."""
    probe = _FirstPaint(window)
    try:
        await asyncio.wait_for(probe.painted.wait(), FIRST_PAINT_TIMEOUT_S)
    except TimeoutError:
        pass
    finally:
        probe.detach()


async def open_after_first_paint(window: QWidget, path: Path | None) -> tuple[Workspace, bool]:
    """Wait for the window's first frame, then open the workspace in a worker thread (so the
    import and the migration do not compete with that frame for the interpreter)."""
    await first_paint(window)
    return await asyncio.to_thread(open_workspace, path)
