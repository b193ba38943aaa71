"""Desktop app figures (issue 4), printed beside a bare PySide6 window measured in the same run.

    .venv/bin/python benchmarks/bench_gui.py [--sites 5000] [--runs 5] [--cold-start-only]

1. Cold start: a new process to its first painted window, for `preflight gui --workspace W`
   and for a bare QMainWindow (with a label), both on the offscreen platform. The same probe
   runs in both processes: it makes the QApplication, and when the first paint event reaches a
   QMainWindow it lets that frame finish and exits. Ours paints its real main window (sidebar,
   menus, status bar, "Opening workspace…") before it opens the workspace. Also a new process
   to a fully loaded page saved as PNG (`preflight gui --screenshot`) beside a bare window
   grabbed to PNG. The children keep compiled bytecode (in a temporary folder), as an installed
   app has it, even where the environment sets PYTHONDONTWRITEBYTECODE (`--no-pyc`: not).
2. The Assignments page over a workspace of N sites: time to show with its data, each filter
   keystroke to repaint, and assigning one package to every site (preview, confirm, write,
   reload). Throughout, a 1 ms timer on the GUI thread records the longest gap between its
   ticks: the longest the GUI thread was blocked (the goal is 50 ms), with the GUI thread's
   CPU time within that gap (on a shared machine most of a long gap can be waiting for a core).
   Between two keystrokes the event loop runs once, as it does between a typist's keys, so each
   keystroke is its own gap. The process collects
   garbage as `preflight gui` does once start-up is over (`ui.collector`: start-up objects
   frozen, young generations collected automatically, a full pass once a minute on the GUI
   thread); the cost of one full pass is printed too.
Nothing is asserted; the figures are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
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
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.services.workspace import Workspace
from tests.ui.context_support import make_context
from ui.collector import Collector
from ui.pages.assignments_page import AssignmentsPage

FIRST_PAINT = """
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])


class FirstFrame(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            app.removeEventFilter(self)
            QTimer.singleShot(0, lambda: os._exit(0))  # once this frame is painted
        return False


probe = FirstFrame()
app.installEventFilter(probe)
if sys.argv[1] == "bare":
    window = QMainWindow()
    window.setCentralWidget(QLabel("bare window"))
    window.resize(1280, 800)
    window.show()
    app.exec()
else:
    from preflight.main import main

    main(["gui", "--workspace", sys.argv[2]])
os._exit(3)  # no window was painted
"""

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


def cold_start(sample: Path, shot: Path, runs: int, pyc: bool) -> dict[str, float]:
    """Median seconds, a new process each run, ours and bare alternating. With `pyc`, the
    processes keep compiled bytecode (in a folder of this run) as an installed app does; without
    it they run as the environment says (PYTHONDONTWRITEBYTECODE=1 recompiles every module of
    ours in every run)."""
    # UI state (QSettings) in a folder of this run, never the user's.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(shot.parent))
    if pyc:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(shot.parent / "pycache")
    commands = {
        "paint": [sys.executable, "-c", FIRST_PAINT, "ours", str(sample)],
        "paint_bare": [sys.executable, "-c", FIRST_PAINT, "bare"],
        "page": [sys.executable, "-m", "preflight", "gui", "--workspace", str(sample),
                 "--screenshot", str(shot), "--page", "companies"],
        "page_bare": [sys.executable, "-c", BARE_WINDOW, str(shot)],
    }

    def timed(cmd: list[str]) -> tuple[float, float]:
        """Wall seconds, and the child's CPU seconds (user + system)."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    for cmd in commands.values():  # warm the file cache (and the bytecode cache) for each
        timed(cmd)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(timed(cmd))
    figures = {name: statistics.median(w for w, _ in values) for name, values in times.items()}
    figures.update({f"{name}_cpu": statistics.median(c for _, c in values)
                    for name, values in times.items()})
    return figures


class StallMeter:
    """The longest gap between ticks of a 1 ms timer on the GUI thread, and how much of it the
    GUI thread spent on the CPU (the rest it waited: for the GIL, or for a core on a busy
    machine)."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self.longest_cpu = 0.0
        self._last = 0
        self._last_cpu = 0.0

    def start(self) -> None:
        self.longest = self.longest_cpu = 0.0
        self.clock.start()
        self._last = self.clock.nsecsElapsed()
        self._last_cpu = time.thread_time()
        self.timer.start()

    def _tick(self) -> None:
        now, cpu = self.clock.nsecsElapsed(), time.thread_time()
        gap = (now - self._last) / 1e9
        if gap > self.longest:
            self.longest, self.longest_cpu = gap, cpu - self._last_cpu
        self._last, self._last_cpu = now, cpu

    def stop(self) -> tuple[float, float]:
        """The longest stall, and the GUI thread's CPU time within it."""
        self.timer.stop()
        self._tick()
        return self.longest, self.longest_cpu


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
    collector = Collector()
    collector.start()  # start-up is over, as in the app
    host = QWidget()  # stands for the window: the page is built on its own, as in the tests
    page = AssignmentsPage(make_context(workspace, host))
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
    figures["show_stall"], figures["show_cpu"] = meter.stop()

    filter_keystrokes(app, page, meter, figures)

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
    figures["assign_stall"], figures["assign_cpu"] = meter.stop()
    figures["sites"] = float(len(page.filtered()))
    figures["full_gc"] = collector.collect()
    collector.stop()
    page.close()
    workspace.close()
    return figures


def filter_keystrokes(app: QApplication, page: AssignmentsPage, meter: StallMeter,
                      figures: dict[str, float]) -> None:
    """Type "Site 1" into the search box, a repaint after each key; then clear it."""
    keystrokes = []
    # The bench's own first calls (PySide builds the Python enum types of QTest and of the view
    # on first use) are not the page's work: make them once before the meter starts.
    QTest.keyClick(QLineEdit(), "x")
    page.table.viewport().repaint()
    meter.start()
    for char in "Site 1":
        start = time.perf_counter()
        QTest.keyClick(page.search, char)
        page.table.viewport().repaint()
        keystrokes.append(time.perf_counter() - start)
        app.processEvents()  # the pause between two keystrokes, where the meter ticks
    figures["filter_max"] = max(keystrokes)
    figures["filter_median"] = statistics.median(keystrokes)
    figures["filter_stall"], figures["filter_cpu"] = meter.stop()
    page.search.clear()
    app.processEvents()


def stall(figures: dict[str, float], phase: str) -> str:
    return (f"longest stall {fmt(figures[phase + '_stall'])} "
            f"({fmt(figures[phase + '_cpu'])} of it on the GUI thread's CPU)")


def fmt(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-pyc", action="store_true",
                        help="cold starts without cached bytecode, if the environment says so")
    parser.add_argument("--cold-start-only", action="store_true",
                        help="the cold-start rows only (no workspace of --sites sites is built)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        sample = tmp / "sample.preflight"
        subprocess.run([sys.executable, "-m", "preflight", "init", "--sample", "--workspace",
                        str(sample)], check=True, capture_output=True)
        start = cold_start(sample, tmp / "shot.png", args.runs, pyc=not args.no_pyc)
        if args.cold_start_only:
            page: dict[str, float] = {}
        else:
            page = _assignments_figures(tmp, args.sites)

    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores (load average {load}), Python "
          f"{sys.version.split()[0]}, Qt platform {os.environ['QT_QPA_PLATFORM']}; cold starts "
          + ("with bytecode as the environment says" if args.no_pyc
             else "with cached bytecode, as installed"))
    rows = [
        ("cold start to first painted window", fmt(start["paint"]), fmt(start["paint_bare"]),
         f"{start['paint'] / start['paint_bare']:.2f}×"),
        ("  the same, CPU time of the process", fmt(start["paint_cpu"]),
         fmt(start["paint_bare_cpu"]), f"{start['paint_cpu'] / start['paint_bare_cpu']:.2f}×"),
        ("cold start to a loaded page saved as PNG", fmt(start["page"]),
         fmt(start["page_bare"]), f"{start['page'] / start['page_bare']:.2f}×"),
        ("  the same, CPU time of the process", fmt(start["page_cpu"]),
         fmt(start["page_bare_cpu"]), f"{start['page_cpu'] / start['page_bare_cpu']:.2f}×"),
    ]
    if page:
        rows += _assignments_rows(page)
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    header = ("figure", "ours", "peer (bare PySide6)", "ratio / note")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def _assignments_figures(tmp: Path, sites: int) -> dict[str, float]:
    big = tmp / "big.preflight"
    sizes = argparse.Namespace(companies=max(1, sites // 20), sites=sites, devices=sites * 2,
                               policies=200, packages=50)
    build(big, random.Random(20261123), sizes)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    return assignments_page(app, big)


def _assignments_rows(page: dict[str, float]) -> list[tuple[str, str, str, str]]:
    return [
        (f"Assignments page, {int(page['sites'])} sites: show with data", fmt(page["show"]),
         "—", stall(page, "show")),
        ("  filter keystroke to repaint (median / max)",
         f"{fmt(page['filter_median'])} / {fmt(page['filter_max'])}", "—",
         stall(page, "filter")),
        ("  assign one package to all (preview shown)", fmt(page["preview"]), "—", ""),
        ("  assign one package to all (written, reloaded)", fmt(page["assign"]), "—",
         stall(page, "assign")),
        ("  one full garbage-collection pass (once a minute)", fmt(page["full_gc"]), "—", ""),
    ]


if __name__ == "__main__":
    main()
