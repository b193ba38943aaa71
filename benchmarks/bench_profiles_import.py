"""Client-profile import figures (issues 5 and 20): validate + import a 100k-row template, XLSX
and CSV, into a fresh workspace (one transaction; an outbox row per profile without a payload
and one audit row for the import) beside the raw reads of python-calamine, the stdlib csv module
and pandas + openpyxl; peak memory; undo of the import beside the import; and export of the
100k imported profiles to XLSX beside a bare xlsxwriter write of the same cells.

Each import figure twice: in-process (the read + validate + import call in a warm process) and
as a whole process (`preflight profiles import FILE --site S --skip-invalid`, start-up to exit,
beside a whole `python -c` process of each peer that imports its library and reads the file).

Also floors, measured the same way: the peer's raw read followed by the least any import must
write (the rows as text into an unindexed SQLite table, one transaction, as durable as a
workspace), alone, then with one outbox row per profile without a payload and one audit row
(what the import writes now), then with an outbox and an audit row per profile each carrying
the row as JSON (what it wrote before issue 20). None validates anything, so a goal below a
floor cannot be met by any validating import into the workspace.

    .venv/bin/python benchmarks/bench_profiles_import.py [--rows 100000] [--seed 5] [--runs 3]

The input files come from bench_profiles_validate's seeded generator (about 2% of the rows
carry a customer's mistake, so the import runs with skip_invalid and those rows are rejected).
Every figure is measured in a fresh child process (imports and workspace creation are not
timed; the peak resident memory, ru_maxrss, is that child's alone); times are medians of
--runs children. Nothing is asserted (docs/architecture.md §11).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "benchmarks"):
    if str(folder) not in sys.path:  # run as a script from anywhere
        sys.path.insert(0, str(folder))

from bench_profiles_validate import write_inputs  # noqa: E402  (the seeded generator)

if TYPE_CHECKING:
    from app.services.workspace import Workspace

SITE = "Main Office"
GOALS = {"xlsx": 2.5, "csv": 12.0, "pandas": 1 / 6, "peak_mb": 300.0, "undo": 1.5,
         "export": 1.2}  # issue 20


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak * (1 if sys.platform == "darwin" else 1024) / 2**20


def _fresh_workspace(folder: Path, name: str) -> Workspace:
    from app.services.workspace import Workspace

    path = folder / f"{name}-{os.getpid()}.preflight"
    ws = Workspace.open(path, create=True)
    ws.companies.create("Contoso")
    ws.sites.create("Contoso", SITE)
    return ws


# --- the measured paths (each runs in its own child process) ---------------------------------

def _ours(path: Path) -> dict[str, float]:
    from app.profiles import read_sheet

    ws = _fresh_workspace(path.parent, "import")
    cpu = time.process_time()
    start = time.perf_counter()
    sheet = read_sheet(path)
    read = time.perf_counter()
    result = ws.profiles.import_sheet(SITE, sheet, skip_invalid=True)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    stored = ws.pending_changes()
    ws.close()
    return {"time": done - start, "cpu": cpu, "read": read - start, "import": done - read,
            "created": result.created, "rejected": result.rejected, "outbox": stored}


def _undo(path: Path) -> dict[str, float]:
    """The import (read + validate + import), then its undo: both timed."""
    from app.profiles import read_sheet

    ws = _fresh_workspace(path.parent, "undo")
    start = time.perf_counter()
    result = ws.profiles.import_sheet(SITE, read_sheet(path), skip_invalid=True)
    imported = time.perf_counter()
    cpu = time.process_time()
    undone = ws.profiles.undo_import(result)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    live = len(ws.profiles.list(SITE))
    ws.close()
    return {"time": done - imported, "cpu": cpu, "import": imported - start,
            "undone": float(undone.undone), "live_after": live}


def _export(path: Path) -> dict[str, float]:
    """The import, then the export of the site (timed: reading the profiles from the workspace,
    sorting them and writing the file; the peer has its rows in memory already)."""
    from app.profiles import read_sheet

    ws = _fresh_workspace(path.parent, "export")
    ws.profiles.import_sheet(SITE, read_sheet(path), skip_invalid=True)
    cpu = time.process_time()
    start = time.perf_counter()
    count = ws.profiles.export(SITE, path.with_name(f"export-{os.getpid()}.xlsx"))
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    ws.close()
    return {"time": done - start, "cpu": cpu, "profiles": count}


def _bare_export(path: Path, *, formatted: bool = True) -> dict[str, float]:
    """xlsxwriter alone, writing the same cells (the profiles as read back from the file):
    `formatted`, as the template has them (every cell, blank ones too, right-aligned with all
    borders and the Text number format: the cells an export must write); else only the
    non-blank cells' strings, without a format."""
    import xlsxwriter

    from app.profiles import HEADERS, read_sheet, validate_rows
    from app.profiles.profile import profiles_from_sheet

    sheet = read_sheet(path)
    valid = set(range(2, len(sheet.rows) + 2)) - validate_rows(sheet).error_rows
    rows = [p.texts() for _, p in profiles_from_sheet(sheet, valid)]
    cpu = time.process_time()
    start = time.perf_counter()
    book = xlsxwriter.Workbook(str(path.with_name(f"bare-{os.getpid()}.xlsx")),
                               {"constant_memory": True})
    sheet_out = book.add_worksheet("Client Profiles")
    sheet_out.write_row(0, 0, HEADERS)
    if formatted:
        cell = book.add_format({"align": "right", "border": 1, "num_format": "@"})
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values):
                if value:
                    sheet_out.write_string(r, c, value, cell)
                else:
                    sheet_out.write_blank(r, c, None, cell)
    else:
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values):
                sheet_out.write_string(r, c, value)
    book.close()
    return {"time": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "profiles": len(rows)}


def _bare_export_plain(path: Path) -> dict[str, float]:
    return _bare_export(path, formatted=False)


def _calamine(path: Path) -> dict[str, float]:
    from python_calamine import CalamineWorkbook

    cpu = time.process_time()
    start = time.perf_counter()
    with CalamineWorkbook.from_path(str(path)) as book:
        book.get_sheet_by_name("Client Profiles").to_python()
    return {"time": time.perf_counter() - start, "cpu": time.process_time() - cpu}


def _csv(path: Path) -> dict[str, float]:
    cpu = time.process_time()
    start = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        list(csv.reader(stream))
    return {"time": time.perf_counter() - start, "cpu": time.process_time() - cpu}


def _pandas(path: Path) -> dict[str, float]:
    import openpyxl  # type: ignore[import-untyped,unused-ignore]  # noqa: F401
    import pandas  # type: ignore[import-untyped,unused-ignore]

    cpu = time.process_time()
    start = time.perf_counter()
    pandas.read_excel(path, sheet_name="Client Profiles", engine="openpyxl", dtype=str)
    return {"time": time.perf_counter() - start, "cpu": time.process_time() - cpu}


def _bare_insert(folder: Path, rows: list[list[str]], *, with_changes: bool,
                 bare_outbox: bool = False, dirty: bool = False) -> None:
    """The least any import must write: the rows as text into an SQLite file set up as a
    workspace is (WAL, synchronous=FULL), no index, one transaction, no automatic checkpoint;
    with `with_changes`, also one outbox-like and one audit-like row per profile carrying the
    row as JSON (the design before issue 20); with `bare_outbox`, one outbox-like row per
    profile without a payload (its id and a key) and one audit row for the batch (the ids);
    with `dirty`, no outbox: a dirty marker in each profile row (one more column, as a push
    that looks for marked rows would need) and the one audit row."""
    import sqlite3

    db = sqlite3.connect(folder / f"floor-{os.getpid()}.db", isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "wal_autocheckpoint = 0"):
        db.execute(f"PRAGMA {pragma}")
    width = max(len(r) for r in rows)
    marker = ", dirty" if dirty else ""
    db.execute(f"CREATE TABLE profiles ({', '.join(f'c{i}' for i in range(width))}{marker})")
    db.execute("CREATE TABLE outbox (entity_id, payload)")
    db.execute("CREATE TABLE audit (entity_id, after)")
    db.execute("BEGIN")
    padded = [r + [""] * (width - len(r)) for r in rows]
    if dirty:
        db.executemany(f"INSERT INTO profiles VALUES ({', '.join('?' * width)}, 1)", padded)
    else:
        db.executemany(f"INSERT INTO profiles VALUES ({', '.join('?' * width)})", padded)
    if with_changes:
        payloads = [(str(i), json.dumps(r, ensure_ascii=False)) for i, r in enumerate(padded)]
        db.executemany("INSERT INTO outbox VALUES (?, ?)", payloads)
        db.executemany("INSERT INTO audit VALUES (?, ?)", payloads)
    if dirty:
        ids = [f"{i:036d}" for i in range(len(padded))]
        db.execute("INSERT INTO audit VALUES (?, ?)", ("batch", json.dumps(ids)))
    if bare_outbox:
        ids = [f"{i:036d}" for i in range(len(padded))]
        db.executemany("INSERT INTO outbox VALUES (?, NULL)", [(i,) for i in ids])
        db.execute("INSERT INTO audit VALUES (?, ?)", ("batch", json.dumps(ids)))
    db.execute("COMMIT")
    db.close()


def _floor(path: Path, *, with_changes: bool, bare_outbox: bool = False, dirty: bool = False
           ) -> dict[str, float]:
    """The raw read of the peer, then `_bare_insert`: no validation at all."""
    from python_calamine import CalamineWorkbook

    cpu = time.process_time()
    start = time.perf_counter()
    if path.suffix == ".xlsx":
        with CalamineWorkbook.from_path(str(path)) as book:
            rows = [[str(v) for v in r] for r in book.get_sheet_by_name("Client Profiles")
                    .to_python()[1:]]
    else:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.reader(stream))[1:]
    _bare_insert(path.parent, rows, with_changes=with_changes, bare_outbox=bare_outbox,
                 dirty=dirty)
    return {"time": time.perf_counter() - start, "cpu": time.process_time() - cpu}


def _floor_rows(path: Path) -> dict[str, float]:
    return _floor(path, with_changes=False)


def _floor_changes(path: Path) -> dict[str, float]:
    return _floor(path, with_changes=True)


def _floor_batch(path: Path) -> dict[str, float]:
    return _floor(path, with_changes=False, bare_outbox=True)


def _floor_dirty(path: Path) -> dict[str, float]:
    return _floor(path, with_changes=False, dirty=True)


PATHS = {"ours": _ours, "floor-rows": _floor_rows, "floor-changes": _floor_changes,
         "floor-batch": _floor_batch, "floor-dirty": _floor_dirty, "undo": _undo, "export": _export,
         "bare-export": _bare_export, "bare-export-plain": _bare_export_plain,
         "calamine": _calamine, "csv": _csv, "pandas": _pandas}

# Whole processes: start-up to exit, as a user runs them (the CLI) or as a script would (peers).
_PEER_SCRIPTS = {
    "calamine": "import sys; from python_calamine import CalamineWorkbook\n"
                "with CalamineWorkbook.from_path(sys.argv[1]) as book:\n"
                "    book.get_sheet_by_name('Client Profiles').to_python()",
    "csv": "import csv, sys\n"
           "with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n"
           "    list(csv.reader(f))",
    "pandas": "import sys, pandas\n"
              "pandas.read_excel(sys.argv[1], sheet_name='Client Profiles', engine='openpyxl',"
              " dtype=str)",
}


# Started from a small process of its own: a process made by fork or posix_spawn inherits the
# peak resident size (ru_maxrss) of the process it was made from, here the benchmark's, which
# holds the generated rows. This launcher is small; it times the measured process alone.
_LAUNCHER = """
import json, os, sys, tempfile, time
with tempfile.TemporaryFile() as err:
    actions = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
               (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
    start = time.perf_counter()
    pid = os.posix_spawn(sys.argv[1], sys.argv[1:], dict(os.environ), file_actions=actions)
    _pid, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    err.seek(0)
    message = err.read().decode(errors="replace")
print(json.dumps({"time": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "maxrss": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status),
                  "stderr": message[-2000:]}))
"""


def _run_process(argv: list[str]) -> dict[str, float]:
    """Wall and CPU time and peak memory (its own ru_maxrss) of one whole process."""
    done = subprocess.run([sys.executable, "-c", _LAUNCHER, *argv], capture_output=True,
                          text=True, check=True)
    figures = json.loads(done.stdout)
    if figures["code"] != 0:
        if "ModuleNotFoundError" in figures["stderr"]:
            raise ModuleNotFoundError(figures["stderr"])
        raise RuntimeError(f"{argv}: exit {figures['code']}: {figures['stderr']}")
    scale = 1 if sys.platform == "darwin" else 1024
    return {"time": figures["time"], "cpu": figures["cpu"],
            "peak_mb": figures["maxrss"] * scale / 2**20}


def measure_process(kind: str, path: Path, runs: int) -> dict[str, float] | None:
    """Median figures of `runs` whole processes: "cli" imports `path` into a fresh workspace
    (made beforehand, not timed); a peer name runs its script."""
    results = []
    for n in range(runs):
        if kind == "cli":
            ws = _fresh_workspace(path.parent, f"cli-{path.suffix[1:]}-{n}")
            ws.close()
            argv = [sys.executable, "-m", "preflight", "profiles", "import", str(path),
                    "--site", SITE, "--skip-invalid", "--workspace", str(ws.path)]
        else:
            argv = [sys.executable, "-c", _PEER_SCRIPTS[kind], str(path)]
        try:
            results.append(_run_process(argv))
        except ModuleNotFoundError:
            return None
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def child(kind: str, path: Path) -> None:
    import python_calamine  # noqa: F401  (imports happen once at start-up: not timed)
    import sqlalchemy  # noqa: F401
    import xlsxwriter  # noqa: F401

    import app.profiles
    import app.services.workspace  # noqa: F401

    figures = PATHS[kind](path)
    print(json.dumps({**figures, "peak_mb": _peak_mb()}))


def measure(kind: str, path: Path, runs: int) -> dict[str, float] | None:
    """Median figures of `runs` fresh child processes (None: the peer is not installed)."""
    results = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, __file__, "--child", kind, str(path)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            if "ModuleNotFoundError" in done.stderr:
                return None
            raise RuntimeError(done.stderr)
        results.append(json.loads(done.stdout))
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def _line(figure: str, ours: float, peer: float | None, unit: str, peer_name: str, *,
          goal: str = "", cpu: tuple[float, float] | None = None) -> str:
    if peer is None:
        return f"{figure:<34} {ours:>9.2f}{unit:<2} {'':>10} {'':>7} {'':>9}  {peer_name}"
    cpu_ratio = f"{cpu[0] / cpu[1]:>8.2f}×" if cpu else f"{'':>9}"
    return (f"{figure:<34} {ours:>9.2f}{unit:<2} {peer:>8.2f}{unit:<2} {ours / peer:>6.2f}× "
            f"{cpu_ratio}  {peer_name}{'  ' + goal if goal else ''}")


def _cpu(ours: dict[str, float], peer: dict[str, float]) -> tuple[float, float]:
    return ours["cpu"], peer["cpu"]


def _floor_lines(floors: dict[tuple[str, str], dict[str, float] | None],
                 calamine: dict[str, float], raw_csv: dict[str, float]) -> list[str]:
    """The floors: the peer's read, then the least any import must write."""
    rows: list[str] = []
    for fmt, peer, peer_name in (("xlsx", calamine, "python-calamine raw read"),
                                 ("csv", raw_csv, "stdlib csv raw read")):
        rows_only, changes = floors[("floor-rows", fmt)], floors[("floor-changes", fmt)]
        batch, dirty = floors[("floor-batch", fmt)], floors[("floor-dirty", fmt)]
        assert dirty is not None
        assert rows_only is not None
        assert changes is not None
        assert batch is not None
        rows += [
            _line(f"floor: {fmt.upper()} read + bare insert", rows_only["time"], peer["time"],
                  "s", peer_name, goal="(no validation, outbox, audit or index)",
                  cpu=_cpu(rows_only, peer)),
            _line("  + bare outbox rows, 1 audit row", batch["time"], peer["time"], "s",
                  peer_name, goal="(what we write now; no validation or index)",
                  cpu=_cpu(batch, peer)),
            _line("  + dirty marker per row, 1 audit", dirty["time"], peer["time"], "s",
                  peer_name, goal="(the alternative to outbox rows)", cpu=_cpu(dirty, peer)),
            _line("  + outbox and audit rows", changes["time"], peer["time"], "s", peer_name,
                  goal="(with JSON copies, as before issue 20)", cpu=_cpu(changes, peer)),
        ]
    return rows


def _process_rows(whole: dict[str, dict[str, float] | None]) -> list[str]:
    """The whole-process figures: the CLI import beside a `python -c` process of each peer."""
    rows = ["whole processes (start-up to exit; `preflight profiles import --skip-invalid`"
                " beside `python -c` of the peer):"]
    for fmt, peer_key, peer_name, goal in (
            ("xlsx", "calamine", "python-calamine raw read", f"(goal ≤ {GOALS['xlsx']}×)"),
            ("csv", "csv", "stdlib csv raw read", f"(goal ≤ {GOALS['csv']}×)"),
            ("xlsx", "pandas", "pandas + openpyxl read_excel",
             f"(goal ≤ {GOALS['pandas']:.3f}×, i.e. 6× faster)")):
        cli, peer_process = whole[f"cli-{fmt}"], whole[peer_key]
        assert cli is not None
        if peer_process is None:
            rows.append(f"{'CLI ' + fmt.upper() + ' import':<34} {cli['time']:>9.2f}s  "
                        f"{'not installed':>10} {'':>7}  {peer_name}")
            continue
        rows.append(_line(f"CLI {fmt.upper()} import (process)", cli["time"],
                          peer_process["time"], "s", peer_name, goal=goal,
                          cpu=_cpu(cli, peer_process)))
    for fmt, peer_key in (("xlsx", "calamine"), ("csv", "csv")):
        cli, peer_process = whole[f"cli-{fmt}"], whole[peer_key]
        assert cli is not None
        assert peer_process is not None
        rows.append(_line(f"CLI {fmt.upper()} import peak memory", cli["peak_mb"],
                          peer_process["peak_mb"], "MB", f"{peer_key} raw read process",
                          goal=f"(goal ≤ {GOALS['peak_mb']:.0f} MB)"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-export", action="store_true", help="skip the export figures")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) on "
          f"{os.cpu_count()} CPUs at the start: figures taken on a busy machine are noisy")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        xlsx, csv_path = write_inputs(Path(folder), args.rows, args.seed)
        made = time.perf_counter() - start
        print("CPU ratio: the same figures in CPU seconds of the measured process, which a busy "
              "machine disturbs less than wall time")
        print(f"{args.rows:,} template rows (seed {args.seed}) generated in {made:.1f} s: XLSX "
              f"{xlsx.stat().st_size / 2**20:.1f} MB, CSV {csv_path.stat().st_size / 2**20:.1f} "
              "MB")
        print(f"{platform.python_implementation()} {platform.python_version()}, "
              f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
              f"medians of {args.runs} fresh process(es) each")
        ours_x, calamine = measure("ours", xlsx, args.runs), measure("calamine", xlsx, args.runs)
        ours_c, raw_csv = measure("ours", csv_path, args.runs), measure("csv", csv_path,
                                                                         args.runs)
        floors = {(kind, fmt): measure(kind, source, args.runs)
                  for kind in ("floor-rows", "floor-batch", "floor-dirty", "floor-changes")
                  for fmt, source in (("xlsx", xlsx), ("csv", csv_path))}
        pandas = measure("pandas", xlsx, 1)
        undo = measure("undo", xlsx, args.runs)
        export = None if args.no_export else measure("export", xlsx, args.runs)
        bare = None if args.no_export else measure("bare-export", xlsx, args.runs)
        plain = None if args.no_export else measure("bare-export-plain", xlsx, args.runs)
        # whole processes, ours and the peer's alternating
        whole: dict[str, dict[str, float] | None] = {}
        for name, kind, source in (("cli-xlsx", "cli", xlsx), ("calamine", "calamine", xlsx),
                                   ("cli-csv", "cli", csv_path), ("csv", "csv", csv_path)):
            whole[name] = measure_process(kind, source, args.runs)
        whole["pandas"] = measure_process("pandas", xlsx, 1)
        load_after = os.getloadavg()[0]
    assert ours_x is not None
    assert calamine is not None
    assert ours_c is not None
    assert raw_csv is not None
    assert undo is not None
    print()
    print(f"{'figure':<34} {'ours':>11} {'peer':>10} {'ratio':>7} {'CPU ratio':>9}  "
          "peer (goal)")
    rows = [
        _line("XLSX read + validate + import", ours_x["time"], calamine["time"], "s",
              "python-calamine raw read", goal=f"(goal ≤ {GOALS['xlsx']}×)",
              cpu=_cpu(ours_x, calamine)),
        _line("  of which read", ours_x["read"], None, "s", ""),
        _line("  of which validate + import", ours_x["import"], None, "s", ""),
        _line("CSV read + validate + import", ours_c["time"], raw_csv["time"], "s",
              "stdlib csv raw read", goal=f"(goal ≤ {GOALS['csv']}×)",
              cpu=_cpu(ours_c, raw_csv)),
        _line("  of which read", ours_c["read"], None, "s", ""),
        _line("  of which validate + import", ours_c["import"], None, "s", ""),
    ]
    rows += _floor_lines(floors, calamine, raw_csv)
    if pandas is None:
        rows.append(f"{'XLSX read + validate + import':<34} {ours_x['time']:>9.2f}s  "
                    f"{'not installed':>10} {'':>7}  pandas + openpyxl read_excel")
    else:
        rows.append(_line("XLSX read + validate + import", ours_x["time"], pandas["time"], "s",
                          "pandas + openpyxl read_excel",
                          goal=f"(goal ≤ {GOALS['pandas']:.3f}×, i.e. 6× faster)",
                          cpu=_cpu(ours_x, pandas)))
    rows += [
        _line("XLSX import peak memory", ours_x["peak_mb"], calamine["peak_mb"], "MB",
              "calamine raw read (whole process)", goal=f"(goal ≤ {GOALS['peak_mb']:.0f} MB)"),
        _line("CSV import peak memory", ours_c["peak_mb"], raw_csv["peak_mb"], "MB",
              "csv raw read (whole process)", goal=f"(goal ≤ {GOALS['peak_mb']:.0f} MB)"),
        _line("undo of the XLSX import", undo["time"], undo["import"], "s",
              "the import itself (same process)", goal=f"(goal ≤ {GOALS['undo']}×)"),
    ]
    if export is not None and bare is not None:
        rows += [
            _line("XLSX export of the profiles", export["time"], bare["time"], "s",
                  "bare xlsxwriter, the same formatted cells", cpu=_cpu(export, bare),
                  goal=f"(goal ≤ {GOALS['export']}×)"),
        ]
        if plain is not None:
            rows.append(_line("XLSX export of the profiles", export["time"], plain["time"],
                              "s", "bare xlsxwriter, strings only, no format or blank cell",
                              cpu=_cpu(export, plain)))
    rows += _process_rows(whole)
    print("\n".join(rows))
    print(f"\nimported {ours_x['created']:,.0f} profiles, rejected {ours_x['rejected']:,.0f} "
          f"(CSV: {ours_c['created']:,.0f} / {ours_c['rejected']:,.0f}); outbox rows "
          f"{ours_x['outbox']:,.0f}; undo left {undo['live_after']:,.0f} live profiles; "
          f"exported {export['profiles'] if export else 0:,.0f}; load at the end "
          f"{load_after:.1f}")


if __name__ == "__main__":
    main()
