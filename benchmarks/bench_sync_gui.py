"""The GUI thread during a big sync (issue 7; goal: no stall over 50 ms): the real main window
(offscreen) over a workspace with N pending changes syncs with the reference server, started
with the Sync action, while a 5 ms QTimer on the GUI thread records the longest gap between
its ticks. Beside it, the same timer over the same window while idle (the baseline jitter).

    .venv/bin/python benchmarks/bench_sync_gui.py [--changes 10000] [--batch 500] [--in-process]

The server runs as a separate process (`python -m server`), as a real one would: a server in
a thread of this process would compete with the GUI thread for the GIL and blame the GUI for
its own work (`--in-process` shows that case). Nothing is asserted (docs/architecture.md §11).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.services.sync import SyncSettings  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from benchmarks.bench_sync import fill_outbox  # noqa: E402
from tests.server.live import CLIENTS, LiveServer, free_port, wait_until_serving  # noqa: E402
from ui import background  # noqa: E402
from ui.collector import Collector  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.ui_settings import UiSettings  # noqa: E402

TICK_MS = 5
GOAL_MS = 50.0


class StallMeter:
    """The longest gap between ticks of a TICK_MS timer on the GUI thread, minus TICK_MS."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.gaps: list[float] = []
        self._last = 0.0

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        self.gaps.append(now - self._last)
        self._last = now

    def start(self) -> None:
        self.gaps.clear()
        self.clock.start()
        self._last = 0.0
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    @property
    def worst(self) -> float:
        return max(0.0, max(self.gaps, default=0.0) - TICK_MS)

    def over(self, ms: float) -> int:
        return sum(1 for g in self.gaps if g - TICK_MS > ms)


@contextmanager
def server_process(folder: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PREFLIGHT_SERVER_CLIENTS": "alpha:{}:partner-a".format(
        CLIENTS["alpha"][0]), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "--port", str(port), "--db",
         f"sqlite:///{folder / 'server.db'}"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process, seconds=30)
        yield url
    finally:
        process.terminate()
        process.wait(15)


@contextmanager
def server_thread(folder: Path) -> Iterator[str]:
    live = LiveServer(folder / "server.db").start()
    try:
        yield live.url
    finally:
        live.stop()


def _window(ws: Workspace, settings: UiSettings, batch: int) -> MainWindow:
    window = MainWindow(ws, settings, restore=False)
    window.resize(1280, 800)
    window.show()
    controller = window.sync_ui.controller  # type: ignore[attr-defined]
    controller.remember_secret("alpha", CLIENTS["alpha"][0])
    controller.batch_size = batch
    return window


async def scenario(window: MainWindow, collector: Collector | None) -> dict[str, float]:
    """Open Pending Changes, idle a second, then sync: the longest stall of each."""
    ui = window.sync_ui  # type: ignore[attr-defined]
    controller = ui.controller
    meter = StallMeter()
    figures: dict[str, float] = {}
    await background.wait_idle()
    if collector is not None:  # as `preflight gui` does once start-up is over
        collector.start()
    meter.start()  # the Pending Changes page reads and shows the whole plan
    window.show_page("pending-changes")
    await background.wait_idle()
    meter.stop()
    figures["page"] = meter.worst
    meter.start()  # the baseline: the same window, idle, for a second
    await asyncio.sleep(1.0)
    meter.stop()
    figures["idle"] = meter.worst
    meter.start()
    started = time.perf_counter()
    ui.sync_action.trigger()
    outcome = await controller.wait()
    figures["wall"] = time.perf_counter() - started
    await background.wait_idle()  # the pages and counts reloaded too
    meter.stop()
    figures["stall"] = meter.worst
    figures["over"] = meter.over(GOAL_MS)
    print(f"outcome: {outcome.kind}: {outcome.message}", file=sys.stderr)
    figures["pending_after"] = controller.status.pending
    await controller.aclose()
    return figures


def measure(changes: int, batch: int, in_process: bool, collector: bool
            ) -> dict[str, float]:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = Workspace.open(folder / "bench.preflight", create=True)
        fill_outbox(ws, changes, "Bench company")
        serve = server_thread if in_process else server_process
        with serve(folder) as url:
            ws.sync.save_settings(SyncSettings(url, "alpha"))
            settings = UiSettings(QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat))
            window = _window(ws, settings, batch)
            owner = Collector() if collector else None
            try:
                with loop:
                    return loop.run_until_complete(scenario(window, owner))
            finally:
                if owner is not None and owner.active():
                    owner.stop()
                asyncio.set_event_loop(None)
                window.close()
                window.deleteLater()
                ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--in-process", action="store_true",
                        help="run the server in a thread of this process")
    args = parser.parse_args()
    shipped = measure(args.changes, args.batch, args.in_process, collector=True)
    plain = measure(args.changes, args.batch, args.in_process, collector=False)
    where = "thread of this process" if args.in_process else "separate process"
    print(f"Preflight sync GUI benchmark — Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs; server in a {where}")
    print(f"{'figure':<56}{'ours':>10}{'goal':>8}{'no Collector':>14}")

    def line(name: str, key: str, unit: str, goal: str) -> None:
        ours, other = shipped[key], plain[key]
        fmt = ".2f" if unit == "s" else ".1f" if unit == "ms" else ".0f"
        print(f"{name:<56}{ours:>{10 - len(unit)}{fmt}}{unit}{goal:>8}"
              f"{other:>{14 - len(unit)}{fmt}}{unit}")

    line(f"longest GUI-thread stall, sync of {args.changes:,} changes", "stall", "ms", "50ms")
    line("longest stall, same window idle (baseline)", "idle", "ms", "")
    line(f"longest stall, opening Pending Changes ({args.changes:,} rows)", "page", "ms",
         "50ms")
    line("timer gaps over 50 ms during the sync", "over", "", "0")
    line("sync wall time (push + pull + count check)", "wall", "s", "")
    line("pending changes after the sync", "pending_after", "", "0")
    print("ours: as `preflight gui` runs (ui.collector owns full GC passes after start-up); "
          "no Collector: CPython's automatic full passes, which run on whichever thread "
          "allocates and hold the GIL meanwhile.")


if __name__ == "__main__":
    main()
