"""Would validating an import on the second core pay (issue 20)? Validation of the 100k-row
template in the importing process beside the same validation in a child process, started the
ways the platforms allow: fork (Linux) and spawn (Windows and macOS, also forkserver), with
what each costs before the child can start (start-up, and for spawn the sheet's transfer).

The import could overlap a child's validation only with work that does not need its verdict:
planning the rows (the insert needs to know which rows are rejected, and the transaction must
not hold rows it will not commit), so the last line prints the most a child could save:
the overlap (planning) less the child's own overhead.

    .venv/bin/python benchmarks/bench_profiles_validate_processes.py [--rows 100000] [--runs 3]

Wall time and CPU time of this process (the child's CPU is its own); medians of --runs.
Nothing is asserted (docs/architecture.md §11).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "benchmarks"):
    if str(folder) not in sys.path:  # run as a script from anywhere
        sys.path.insert(0, str(folder))

from bench_profiles_validate import write_inputs  # noqa: E402  (the seeded generator)

if TYPE_CHECKING:
    from app.profiles import Sheet

_SHEET: Sheet | None = None  # what a forked child inherits


def _validate(sheet: Sheet) -> bytes:
    """The import's validation loop, to the pickled report a child would send back."""
    from app.profiles import Validation

    run = Validation(sheet)
    while run.step(5_000):
        pass
    return pickle.dumps(run.report())


def _validate_inherited() -> bytes:
    assert _SHEET is not None
    return _validate(_SHEET)


def _ready() -> int:
    import app.profiles.validation  # noqa: F401  (what a spawned child must import first)

    return os.getpid()


def _timed(job: Callable[[], object]) -> tuple[float, float]:
    cpu, start = time.process_time(), time.perf_counter()
    job()
    return time.perf_counter() - start, time.process_time() - cpu


def _in_child(method: str, job: Callable[[], object]) -> float:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(method)) as pool:
        start = time.perf_counter()
        pool.submit(job).result()
        return time.perf_counter() - start


def _start_up(method: str) -> float:
    start = time.perf_counter()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(method)) as pool:
        pool.submit(_ready).result()
        return time.perf_counter() - start


def _measure(sheet: Sheet, runs: int) -> dict[str, float]:
    """Median wall (and some CPU) seconds of each way, round by round."""
    from app.services.profiles import _Planner

    figures: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        figures.setdefault(name, []).append(value)

    for _ in range(runs):
        wall, cpu = _timed(lambda: _validate(sheet))
        add("in process", wall)
        add("in process cpu", cpu)
        wall, cpu = _timed(lambda: _Planner(sheet, {}).plan(sheet.rows, frozenset()))
        add("plan", wall)
        add("plan cpu", cpu)
        if "fork" in multiprocessing.get_all_start_methods():
            add("fork start", _start_up("fork"))
            add("fork", _in_child("fork", _validate_inherited))
        add("spawn start", _start_up("spawn"))
        start = time.perf_counter()
        blob = pickle.dumps(sheet, protocol=pickle.HIGHEST_PROTOCOL)
        add("pickle", time.perf_counter() - start)
        start = time.perf_counter()
        pickle.loads(blob)
        add("unpickle", time.perf_counter() - start)
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            pool.submit(_ready).result()  # started: time the transfer and the work alone
            start = time.perf_counter()
            pool.submit(_validate, sheet).result()
            add("spawn", time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in figures.items()}


def main() -> None:
    global _SHEET  # noqa: PLW0603 - the sheet a forked child inherits
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) on "
          f"{os.cpu_count()} CPUs: on a busy machine a child waits for a core too")
    from app.profiles import read_sheet

    with tempfile.TemporaryDirectory() as folder:
        xlsx, _csv = write_inputs(Path(folder), args.rows, args.seed)
        sheet = read_sheet(xlsx)
    _SHEET = sheet
    med = _measure(sheet, args.runs)
    base = med["in process"]
    print(f"{args.rows:,} rows; medians of {args.runs}\n")
    print(f"{'figure':<46} {'ours':>8} {'peer':>8} {'ratio':>7}  peer")
    rows = [("validation in process (wall; CPU beside)", base, med["in process cpu"], "its CPU")]
    if "fork" in med:
        rows += [("fork: start a child (pool, first answer)", med["fork start"], base,
                  "validation in process"),
                 ("fork: validation in a child, report back", med["fork"], base,
                  "validation in process")]
    rows += [("spawn: start a child (pool, imports)", med["spawn start"], base,
              "validation in process"),
             ("spawn: pickle the sheet", med["pickle"], base, "validation in process"),
             ("spawn: unpickle the sheet", med["unpickle"], base, "validation in process"),
             ("spawn: send sheet, validate, report back", med["spawn"], base,
              "validation in process"),
             ("planning the rows (what could overlap)", med["plan"], base,
              "validation in process"),
             ("  the same in CPU time", med["plan cpu"], med["in process cpu"],
              "validation's CPU time")]
    for name, ours, peer, peer_name in rows:
        print(f"{name:<46} {ours:>7.3f}s {peer:>7.3f}s {ours / peer:>6.2f}×  {peer_name}")
    overlap = med["plan"]
    for method in ("fork", "spawn"):
        if method not in med:
            continue
        # the fork figure includes starting the child; the spawn figure starts a started one
        overhead = med[method] - base + (0.0 if method == "fork" else med["spawn start"])
        # a noisy machine can make the overhead look negative: never more than the overlap
        print(f"{method}: the most a child could save an import: overlap {overlap:.3f} s less "
              f"its overhead {overhead:.3f} s = {overlap - max(overhead, 0.0):+.3f} s")


if __name__ == "__main__":
    main()
