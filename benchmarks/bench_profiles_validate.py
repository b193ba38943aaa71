"""Client-profile import figures (issue 5): read + validate a 100k-row template, XLSX and CSV,
beside python-calamine's raw read (also with the garbage collector paused, as ours does) and the
stdlib csv module's raw read; and export of 100k profiles beside a bare xlsxwriter write.

    .venv/bin/python benchmarks/bench_profiles_validate.py [--rows 100000] [--seed 5] [--runs 3]
        [--no-export]

The files are generated (seeded RNG; xlsxwriter constant_memory; every phone checked valid with
phonenumbers, about 2% of rows carrying a customer's mistake) in a temporary folder and thrown
away. Every figure is measured in a fresh child process (caches start cold, imports are not
timed, and the peak resident memory, ru_maxrss, is that path's alone); times are the median of
--runs children, wall clock, with the CPU time (all threads) beside it as the steadier figure
on a loaded machine. Ours and its read peers run alternately, round by round, and each ratio is
the median of the per-round ratios, so a shared machine's changing load hits both sides alike.
The pandas + openpyxl peer (`pd.read_excel(path, engine="openpyxl", dtype=str)`, one child)
runs when both are installed: `pip install -e .[bench]`. Nothing is asserted (docs/architecture.md
§11).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

FIRST = ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
         "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
         "Sarah", "Chloé", "José", "Zoë", "Łukasz", "Siobhán", "Anaïs")
LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "O'Brien",
        "Müller", "Nguyen", "Kowalski", "García-Márquez", "Taylor")
TITLES = ("", "Manager", "Accountant", "Receptionist", "Director", "Office Manager", "CEO",
          "Sales", "Engineer", "Nurse")
DOMAINS = ("contoso.com", "fabrikam.co.uk", "northwind.de", "tailspin.com.au", "litware.org")
US_AREAS = ("212", "213", "312", "415", "503", "617", "646", "702", "713", "818", "917", "972")


def _phone(rng: random.Random) -> tuple[str, str]:
    """(country code, digits): a valid number (checked with phonenumbers itself) in the
    countries an MSP's clients typically span, written as people write them nationally."""
    import phonenumbers

    pick = rng.random()
    region, shapes = (("US", ("AAA#######",)) if pick < 0.70 else
                      ("GB", ("07#########", "020########", "0161#######")) if pick < 0.85 else
                      ("DE", ("0151########", "0171#######", "030########")) if pick < 0.95 else
                      ("AU", ("04########", "02########")))
    while True:
        shape = rng.choice(shapes).replace("AAA", rng.choice(US_AREAS))
        digits = "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in shape)
        if phonenumbers.is_valid_number(phonenumbers.parse(digits, region)):
            return region, digits


def make_rows(count: int, seed: int) -> list[list[str]]:
    """Template rows: every row unique; about 2% carry the mistakes customers make."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first[0].lower()}.{n}@{rng.choice(DOMAINS)}" if rng.random() < 0.9 else ""
        mcc, mobile = _phone(rng)
        occ, office = _phone(rng) if rng.random() < 0.6 else ("", "")
        ext = str(rng.randint(100, 9999)) if office and rng.random() < 0.3 else ""
        hcc, home = _phone(rng) if rng.random() < 0.1 else ("", "")
        row = [first, last, email, rng.choice(TITLES), rng.choice(("Yes", "No", "No", "")),
               mcc, mobile, "", "", occ, office, ext, hcc, home,
               f"PC-{n:06d}" if rng.random() < 0.7 else "",
               "Prefers email" if rng.random() < 0.05 else ""]
        if rng.random() < 0.02:  # a customer's mistake
            kind = rng.randrange(5)
            if kind == 0:
                row[6] = f"{mobile[:3]}-{mobile[3:6]}-{mobile[6:]}"  # hyphens
            elif kind == 1 and mcc == "GB":
                row[5] = "UK"
            elif kind == 2:
                row[3] = "N/A"
            elif kind == 3:
                row[1] = last + " "
            else:
                row[7] = "Verizon"
        rows.append(row)
    return rows


def write_inputs(folder: Path, count: int, seed: int) -> tuple[Path, Path]:
    import xlsxwriter

    from app.profiles.template import HEADERS

    rows = make_rows(count, seed)
    xlsx = folder / "profiles.xlsx"
    book = xlsxwriter.Workbook(str(xlsx), {"constant_memory": True})
    sheet = book.add_worksheet("Client Profiles")
    sheet.write_row(0, 0, HEADERS)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value:
                sheet.write_string(r, c, value)
    book.close()
    csv_path = folder / "profiles.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return xlsx, csv_path


# --- the measured paths (each runs in its own child process) ---------------------------------

def _calamine_raw(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(str(path)) as book:
        book.get_sheet_by_name("Client Profiles").to_python()


def _calamine_raw_gc_paused(path: Path) -> None:
    """The peer with the same collector pause as ours (for transparency: see app/profiles/
    gcpause.py; part of our read's speed is that pause)."""
    import gc

    gc.disable()
    _calamine_raw(path)


def _csv_raw(path: Path) -> None:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        list(csv.reader(stream))


def _pandas_openpyxl(path: Path) -> None:
    import pandas as pd  # type: ignore[import-not-found,import-untyped,unused-ignore]

    pd.read_excel(path, engine="openpyxl", dtype=str)  # the first sheet: "Client Profiles"


def _ours(path: Path) -> dict[str, float]:
    from app.profiles import read_sheet, validate_rows

    start = time.perf_counter()
    sheet = read_sheet(path)
    read = time.perf_counter()
    report = validate_rows(sheet)
    done = time.perf_counter()
    return {"read": read - start, "validate": done - read, "rows": report.rows,
            "valid": report.valid_rows, "issues": len(report.issues)}


def _export_ours(path: Path) -> None:
    from app.profiles import Profile, export_xlsx

    people = [Profile.from_values(dict(zip(FIELDS_, r, strict=True)))
              for r in make_rows(ROWS_, SEED_)]
    start = time.perf_counter()
    export_xlsx(people, path.with_name("ours.xlsx"))
    EXTRA_["time"] = time.perf_counter() - start


def _export_bare(path: Path) -> None:
    import xlsxwriter

    rows = make_rows(ROWS_, SEED_)
    start = time.perf_counter()
    book = xlsxwriter.Workbook(str(path.with_name("bare.xlsx")), {"constant_memory": True})
    sheet = book.add_worksheet("Client Profiles")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    EXTRA_["time"] = time.perf_counter() - start


FIELDS_: tuple[str, ...] = ()
ROWS_ = SEED_ = 0
EXTRA_: dict[str, float] = {}
PATHS = {"calamine": _calamine_raw, "calamine-gc": _calamine_raw_gc_paused,
         "csv": _csv_raw, "pandas": _pandas_openpyxl,
         "export": _export_ours, "bare-export": _export_bare}


def child(kind: str, path: Path, rows: int, seed: int) -> None:
    import resource

    global FIELDS_, ROWS_, SEED_  # the child's parameters
    from app.profiles import FIELDS

    FIELDS_, ROWS_, SEED_ = FIELDS, rows, seed
    import python_calamine  # noqa: F401  (imports happen once at start-up: not timed)
    import xlsxwriter  # noqa: F401

    import app.profiles  # noqa: F401

    if kind == "pandas":  # the peer's imports are not timed either
        import openpyxl  # noqa: F401
        import pandas  # noqa: F401
    extra: dict[str, float] = {}
    cpu = time.process_time()
    start = time.perf_counter()
    if kind == "ours":
        extra = _ours(path)
        EXTRA_["time"] = extra["read"] + extra["validate"]
    else:
        PATHS[kind](path)
    elapsed = EXTRA_.get("time", time.perf_counter() - start)
    extra["cpu"] = time.process_time() - cpu  # all threads: steadier than wall time under load
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
    print(json.dumps({"time": elapsed, "peak_mb": peak * scale / 2**20, **extra}))


def _run_child(kind: str, path: Path, args: argparse.Namespace) -> dict[str, float] | None:
    """One fresh child process's figures (None: the peer is not installed)."""
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(path),
                           "--rows", str(args.rows), "--seed", str(args.seed)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        if "ModuleNotFoundError" in done.stderr:
            return None
        raise RuntimeError(done.stderr)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def measure(kind: str, path: Path, args: argparse.Namespace,
            runs: int | None = None) -> dict[str, float] | None:
    """Median figures of `runs` fresh child processes (None: the peer is not installed)."""
    results = []
    for _ in range(runs or args.runs):
        result = _run_child(kind, path, args)
        if result is None:
            return None
        results.append(result)
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def measure_rounds(kinds: tuple[str, ...], path: Path, args: argparse.Namespace
                   ) -> dict[str, list[dict[str, float]]]:
    """`--runs` rounds of one child per kind, alternating, so that ours and its peer meet the
    same moment of a shared machine's load: ratios are taken within a round."""
    rounds: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    for _ in range(args.runs):
        for kind in kinds:
            result = _run_child(kind, path, args)
            assert result is not None
            rounds[kind].append(result)
    return rounds


def _median(results: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def _paired(ours: list[dict[str, float]], peer: list[dict[str, float]], key: str,
            peer_key: str = "time") -> float:
    """The median of the per-round ratios ours / peer."""
    return statistics.median(a[key] / b[peer_key] for a, b in zip(ours, peer, strict=True))


def _line(figure: str, ours: float, peer: float | None, unit: str, peer_name: str, *,
          ratio: float | None = None) -> str:
    if peer is None:
        return f"{figure:<30} {ours:>9.2f}{unit} {'n/a':>10} {'':>7}  {peer_name}"
    ratio = ours / peer if ratio is None else ratio
    return f"{figure:<30} {ours:>9.2f}{unit} {peer:>9.2f}{unit} {ratio:>6.2f}×  {peer_name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-export", action="store_true", help="skip the export figures")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.rows, args.seed)
        return
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        xlsx, csv_path = write_inputs(Path(folder), args.rows, args.seed)
        made = time.perf_counter() - start
        sizes = xlsx.stat().st_size / 2**20, csv_path.stat().st_size / 2**20
        print(f"{args.rows:,} template rows (seed {args.seed}) generated in {made:.1f} s: XLSX "
              f"{sizes[0]:.1f} MB, CSV {sizes[1]:.1f} MB")
        print(f"{platform.python_implementation()} {platform.python_version()}, "
              f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
              f"{args.runs} rounds of fresh processes (ours and its peers alternate)")
        xlsx_rounds = measure_rounds(("ours", "calamine", "calamine-gc"), xlsx, args)
        csv_rounds = measure_rounds(("ours", "csv"), csv_path, args)
        xlsx_ours, calamine = _median(xlsx_rounds["ours"]), _median(xlsx_rounds["calamine"])
        calamine_gc = _median(xlsx_rounds["calamine-gc"])
        csv_ours, csv_raw = _median(csv_rounds["ours"]), _median(csv_rounds["csv"])
        pandas = measure("pandas", xlsx, args, 1)
        export = bare = None
        if not args.no_export:
            export, bare = measure("export", xlsx, args), measure("bare-export", xlsx, args)
    assert xlsx_ours
    assert calamine
    assert calamine_gc
    assert csv_ours
    assert csv_raw
    print()
    print(f"{'figure':<30} {'ours':>10} {'peer':>10} {'ratio':>7}  peer")
    xo, xc, xg = xlsx_rounds["ours"], xlsx_rounds["calamine"], xlsx_rounds["calamine-gc"]
    co, cr = csv_rounds["ours"], csv_rounds["csv"]
    xlsx_ratio, csv_ratio = _paired(xo, xc, "time"), _paired(co, cr, "time")
    rows: list[tuple[str, float, float | None, str, str, float | None]] = [
        ("XLSX read", xlsx_ours["read"], calamine["time"], "s", "python-calamine raw read",
         _paired(xo, xc, "read")),
        ("XLSX validate", xlsx_ours["validate"], None, "s", "", None),
        ("XLSX read + validate", xlsx_ours["time"], calamine["time"], "s",
         "python-calamine raw read", xlsx_ratio),
        ("XLSX read + validate", xlsx_ours["time"], calamine_gc["time"], "s",
         "python-calamine raw read, GC paused", _paired(xo, xg, "time")),
        ("XLSX read + validate, CPU", xlsx_ours["cpu"], calamine["cpu"], "s",
         "python-calamine raw read (CPU time, all threads)", _paired(xo, xc, "cpu", "cpu")),
        ("XLSX peak memory", xlsx_ours["peak_mb"], calamine["peak_mb"], "MB", "(whole process)",
         None),
        ("CSV read", csv_ours["read"], csv_raw["time"], "s", "stdlib csv raw read",
         _paired(co, cr, "read")),
        ("CSV validate", csv_ours["validate"], None, "s", "", None),
        ("CSV read + validate", csv_ours["time"], csv_raw["time"], "s", "stdlib csv raw read",
         csv_ratio),
        ("CSV read + validate, CPU", csv_ours["cpu"], csv_raw["cpu"], "s",
         "stdlib csv raw read (CPU time)", _paired(co, cr, "cpu", "cpu")),
        ("CSV peak memory", csv_ours["peak_mb"], csv_raw["peak_mb"], "MB", "(whole process)",
         None),
    ]
    if export is not None and bare is not None:
        rows.append(("XLSX export", export["time"], bare["time"], "s",
                     "bare xlsxwriter write_string", None))
    for figure, ours, peer, unit, peer_name, ratio in rows:
        print(_line(figure, ours, peer, unit, peer_name, ratio=ratio))
    if pandas is None:
        print(f"{'XLSX read + validate':<30} {xlsx_ours['time']:>9.2f}s {'n/a':>10} {'':>7}  "
              "pandas+openpyxl: not installed (pip install -e .[bench])")
    else:
        print(_line("XLSX read + validate", xlsx_ours["time"], pandas["time"], "s",
                    f"pandas.read_excel (openpyxl, dtype=str): ours "
                    f"{pandas['time'] / xlsx_ours['time']:.1f}× faster"))
        print(_line("XLSX peak memory", xlsx_ours["peak_mb"], pandas["peak_mb"], "MB",
                    "pandas.read_excel (whole process)"))
    print("(times: medians; ratios of ours and a peer: the median of the per-round ratios)")
    print(f"\ngoals (issue 5): XLSX read + validate ≤ 1.5× calamine raw "
          f"({xlsx_ratio:.2f}×), CSV ≤ 5× stdlib csv ({csv_ratio:.2f}×), ≥ 8× faster than "
          "pandas+openpyxl ("
          + (f"{pandas['time'] / xlsx_ours['time']:.1f}×" if pandas else "n/a")
          + f"), peak memory ≤ 400 MB ({max(xlsx_ours['peak_mb'], csv_ours['peak_mb']):.0f} MB)")
    agree = ((xlsx_ours["valid"], xlsx_ours["issues"]) == (csv_ours["valid"], csv_ours["issues"]))
    print(f"\nrows {xlsx_ours['rows']:,.0f}, valid {xlsx_ours['valid']:,.0f}, findings "
          f"{xlsx_ours['issues']:,.0f} (XLSX and CSV agree: {agree})")


if __name__ == "__main__":
    main()
