"""The GUI thread during a ConnectWise pull (issue 16; goal: no stall over 50 ms): the real
Sync → ConnectWise… dialog (offscreen) pulls S sites and E endpoints from the tests' fake Asio
— served by a separate process on 127.0.0.1, as the platform would be — while a 5 ms timer on
the GUI thread records the longest gap between its ticks until the pull's work is over (the
copy of the log into the database file after the commit included). Beside it, the same timer
over the idle dialog (the baseline jitter). Full GC passes are owned by ui.collector, as in the app.

    .venv/bin/python benchmarks/bench_asio_gui.py [--sites 5000] [--endpoints 50000]

Nothing is asserted (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.bench_asio import workspace_for  # noqa: E402
from benchmarks.bench_sync_gui import StallMeter  # noqa: E402
from ui import background  # noqa: E402
from ui.asio.dialog import AsioDialog  # noqa: E402
from ui.collector import Collector  # noqa: E402


def wait(app: QApplication, ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    del app


def measure(sites: int, endpoints: int) -> dict[str, float]:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "bench_asio.py"), "--serve", "--sites",
         str(sites), "--endpoints", str(endpoints)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as tmp:
            ws = workspace_for(sites, Path(tmp) / "gui.preflight")
            dialog = AsioDialog(ws)
            dialog.show()
            while background.pending():
                wait(app, 10)
            dialog.region.setCurrentIndex(dialog.region.findData("url"))
            dialog.url.setText(url)
            dialog.client_id.setText("cid")
            dialog.secret.setText("secret")
            collector = Collector()
            collector.start()  # as `preflight gui` does once start-up is over
            meter = StallMeter()
            meter.start()
            wait(app, 1000)
            meter.stop()
            idle = meter.worst
            done = QEventLoop()
            dialog.controller.finished.connect(lambda _o: done.quit())
            meter.start()
            started = time.perf_counter()
            dialog.pull_button.click()
            done.exec()
            wall = time.perf_counter() - started
            # and on, while the log is copied into the database file after the commit
            while background.pending() or any(t.name == "wal-checkpoint"
                                              for t in threading.enumerate()):
                wait(app, 10)
            meter.stop()
            outcome = dialog.last_outcome
            collector.stop()
            dialog.close()
            dialog.deleteLater()
            ws.close()
            return {"stall": meter.worst, "over": meter.over(50), "idle": idle, "wall": wall,
                    "ok": float(outcome is not None and outcome.kind == "done")}
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=5000)
    parser.add_argument("--endpoints", type=int, default=50000)
    args = parser.parse_args()
    figures = measure(args.sites, args.endpoints)
    print(f"Preflight ConnectWise GUI benchmark — Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs; fake Asio in a separate process")
    print(f"{'figure':<60}{'ours':>10}{'goal':>8}")
    print(f"{f'longest GUI-thread stall, pull of {args.sites:,} sites':<60}"
          f"{figures['stall']:>8.1f}ms{'50ms':>8}")
    print(f"{'longest stall, same dialog idle (baseline)':<60}{figures['idle']:>8.1f}ms")
    print(f"{'timer gaps over 50 ms during the pull':<60}{figures['over']:>10.0f}{'0':>8}")
    print(f"{'pull wall time':<60}{figures['wall']:>9.2f}s")
    print(f"{'pull finished without error':<60}{'yes' if figures['ok'] else 'no':>10}")


if __name__ == "__main__":
    main()
