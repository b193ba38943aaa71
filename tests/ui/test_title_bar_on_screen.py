"""On a real X server under a window manager, a main window whose client area was placed at
the screen's top edge (as a restored geometry does on X11) has its frame moved back inside the
screen: the title bar, which moves the window, stays reachable (docs/architecture.md §14).

Offscreen rendering has no window manager, so this runs Xvfb and openbox (Debian's `xvfb` and
`openbox`; CI installs them). Without them it is skipped with the reason, except under CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# the window as a restored geometry leaves it: its client area at the top-left corner, so
# the window manager puts the frame's title bar above the screen
SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
from ui import screen_fit
app = QApplication([])
screen_fit.install()
window = QMainWindow()
window.setGeometry(0, 0, 700, 500)
window.show()
def report():  # the frame from the window manager's margins (Qt's frame geometry can lie)
    client, margins = window.geometry(), window.windowHandle().frameMargins()
    print(client.top() - margins.top(), client.left() - margins.left(), client.top(),
          flush=True)
    app.quit()
QTimer.singleShot(int(sys.argv[1]), report)
app.exec()
"""


def _free_display() -> int:
    for number in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() \
                and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="module")
def desktop() -> Iterator[str]:
    """DISPLAY of a 1024×700 Xvfb with openbox running on it."""
    missing = [tool for tool in ("Xvfb", "openbox") if shutil.which(tool) is None]
    if missing:
        reason = f"{' and '.join(missing)} not installed (Debian: apt-get install xvfb openbox)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set and {reason}", pytrace=False)
        pytest.skip(reason)
    display = f":{_free_display()}"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1024x700x24", "-nolisten",
                               "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manager: subprocess.Popen[bytes] | None = None
    try:
        socket = Path(f"/tmp/.X11-unix/X{display[1:]}")
        deadline = time.monotonic() + 10
        while not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        manager = subprocess.Popen(["openbox"], env={**os.environ, "DISPLAY": display},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)  # openbox takes the screen
        yield display
    finally:
        for process in (manager, server):
            if process is not None:
                process.terminate()
                process.wait(10)


def _placed(display: str, after_ms: int) -> tuple[int, int, int]:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(after_ms)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    frame_top, frame_left, client_top = (int(n) for n in done.stdout.split())
    return frame_top, frame_left, client_top


def test_a_title_bar_put_above_the_screen_comes_back(desktop: str) -> None:
    frame_top, frame_left, client_top = _placed(desktop, 3500)  # after the last check
    assert client_top > frame_top  # framed: a title bar above the client area
    assert frame_top >= 0  # and on the screen, where the mouse reaches it
    assert frame_left >= 0
