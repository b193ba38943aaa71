"""Desktop app figures (issue 4), printed beside a bare PySide6 window measured in the same run.

    .venv/bin/python benchmarks/bench_gui.py [--sites 5000] [--runs 3]

1. Cold start: a new process to the first painted window (rendered offscreen and grabbed), for
   `preflight gui --screenshot` and for a bare QMainWindow doing the same.
2. The Assignments page over a workspace of N sites: time to show with its data, each filter
   keystroke to repaint, and assigning one package to every site (preview, confirm, write,
   reload). Throughout, a 1 ms timer on the GUI thread records the longest gap between its
   ticks: the longest the GUI thread was blocked (the goal is 50 ms).
Nothing is asserted; the figures are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_foundation import build
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.services.workspace import Workspace
from ui.pages.assignments_page import AssignmentsPage

BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("bare window"))
window.resize(1280, 800)
window.show()
app.processEvents()
window.grab().save(sys.argv[1])
"""


def cold_start(sample: Path, shot: Path, runs: int) -> tuple[float, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    ours_cmd = [sys.executable, "-m", "app.cli", "gui", "--workspace", str(sample),
                "--screenshot", str(shot), "--page", "companies"]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW, str(shot)]

    def timed(cmd: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        return time.perf_counter() - start

    timed(bare_cmd), timed(ours_cmd)  # warm the file cache for both
    ours = statistics.median(timed(ours_cmd) for _ in range(runs))
    bare = statistics.median(timed(bare_cmd) for _ in range(runs))
    return ours, bare


class StallMeter:
    """The longest gap between ticks of a 1 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self._last = 0

    def start(self) -> None:
        self.longest = 0.0
        self.clock.start()
        self._last = self.clock.nsecsElapsed()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        self.longest = max(self.longest, (now - self._last) / 1e9)
        self._last = now

    def stop(self) -> float:
        self.timer.stop()
        self._tick()
        return self.longest


def spin_until(app: QApplication, done: Callable[[], bool], timeout: float = 120.0) -> float:
    start = time.perf_counter()
    while not done():
        app.processEvents()
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the page did not finish in time")
        time.sleep(0.0005)
    return time.perf_counter() - start


def assignments_page(app: QApplication, path: Path) -> dict[str, float]:
    workspace = Workspace.open(path)
    page = AssignmentsPage(workspace.sites, workspace.packages, workspace.companies, QUndoStack())
    page.resize(1280, 800)
    meter = StallMeter()
    loaded = {"n": 0}
    page.refreshed.connect(lambda: loaded.__setitem__("n", loaded["n"] + 1))
    figures: dict[str, float] = {}

    meter.start()
    start = time.perf_counter()
    page.show()
    page.refresh()
    spin_until(app, lambda: loaded["n"] >= 1)
    page.repaint()
    figures["show"] = time.perf_counter() - start
    figures["show_stall"] = meter.stop()

    keystrokes = []
    meter.start()
    for char in "Site 1":
        start = time.perf_counter()
        QTest.keyClick(page.search, char)
        page.table.viewport().repaint()
        keystrokes.append(time.perf_counter() - start)
    figures["filter_max"] = max(keystrokes)
    figures["filter_median"] = statistics.median(keystrokes)
    figures["filter_stall"] = meter.stop()
    page.search.clear()
    app.processEvents()

    package = workspace.packages.all()[0].name
    page.check_sites([s.id for s in page.filtered()])
    done = {"n": 0}
    page.assignment_done.connect(lambda: done.__setitem__("n", 1))
    meter.start()
    start = time.perf_counter()
    dialog = page.assign_checked(package)
    assert dialog is not None
    ready = {"n": 0}
    dialog.preview_ready.connect(lambda: ready.__setitem__("n", 1))
    spin_until(app, lambda: ready["n"] == 1 or dialog.preview_result is not None)
    figures["preview"] = time.perf_counter() - start
    dialog.accept()
    spin_until(app, lambda: done["n"] == 1)
    figures["assign"] = time.perf_counter() - start
    figures["assign_stall"] = meter.stop()
    figures["sites"] = float(len(page.filtered()))
    page.close()
    workspace.close()
    return figures


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        sample = tmp / "sample.preflight"
        subprocess.run([sys.executable, "-m", "app.cli", "init", "--sample", "--workspace",
                        str(sample)], check=True, capture_output=True)
        ours, bare = cold_start(sample, tmp / "shot.png", args.runs)

        big = tmp / "big.preflight"
        sizes = argparse.Namespace(companies=max(1, args.sites // 20), sites=args.sites,
                                   devices=args.sites * 2, policies=200, packages=50)
        build(big, random.Random(20261123), sizes)
        app = QApplication.instance() or QApplication(sys.argv)
        assert isinstance(app, QApplication)
        page = assignments_page(app, big)

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"Qt platform {os.environ['QT_QPA_PLATFORM']}")
    rows = [
        ("cold start to first painted window", fmt(ours), fmt(bare), f"{ours / bare:.2f}×"),
        (f"Assignments page, {int(page['sites'])} sites: show with data", fmt(page["show"]),
         "—", f"longest stall {fmt(page['show_stall'])}"),
        ("  filter keystroke to repaint (median / max)",
         f"{fmt(page['filter_median'])} / {fmt(page['filter_max'])}", "—",
         f"longest stall {fmt(page['filter_stall'])}"),
        ("  assign one package to all (preview shown)", fmt(page["preview"]), "—", ""),
        ("  assign one package to all (written, reloaded)", fmt(page["assign"]), "—",
         f"longest stall {fmt(page['assign_stall'])}"),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    header = ("figure", "ours", "peer (bare PySide6)", "ratio / note")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
