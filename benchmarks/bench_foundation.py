"""Foundation figures (issue 3): open a big workspace, effective settings of every site, and
`site assign` of one package to every site in one transaction — ours against a raw-sqlite3 peer.

    .venv/bin/python benchmarks/bench_foundation.py [--sites 5000 --devices 50000
        --policies 2000 --packages 500] [--profile]

The workspace is generated (seeded RNG) in a temporary folder and thrown away afterwards. Times
are medians of several runs in this one process; nothing is asserted (docs/architecture.md §11).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

import sqlalchemy  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app.domain.model import Company, Device, Policy, Site, new_id  # noqa: E402
from app.domain.packages import Package, make_package  # noqa: E402
from app.domain.policy_types import POLICY_TYPES, PolicyType, build_settings  # noqa: E402
from app.domain.settings import SettingKind, Settings, SettingValue  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from storage.bulk import (  # noqa: E402
    insert_companies,
    insert_devices,
    insert_packages,
    insert_policies,
    insert_sites,
)
from storage.database import BUSY_TIMEOUT_MS  # noqa: E402
from storage.repository import Repository  # noqa: E402

OPEN_RUNS = 5
HEAVY_RUNS = 3
FRESH_PROCESS_RUNS = 3
PLACES = ("Main Office", "Branch", "Clinic", "Warehouse", "Lab", "Store", "Depot", "Studio",
          "Annex", "Campus", "Plant", "Remote Staff")
WORDS = ("Contoso", "Fabrikam", "Northwind", "Tailspin", "Litware", "Adatum", "Proseware",
         "Woodgrove", "Alpine", "Coho", "Lucerne", "Wingtip", "Margie", "Humongous")
OS_DESKTOP = ("Windows 11 Pro", "Windows 10 Pro", "macOS 15", "Ubuntu 24.04")
OS_SERVER = ("Windows Server 2022", "Windows Server 2019", "Ubuntu Server 24.04")


# --- input generation -------------------------------------------------------------------------

def _window(rng: random.Random, minimum_hours: int, maximum_hours: int) -> str:
    start = rng.randrange(24 * 4) * 15
    end = (start + rng.randint(minimum_hours * 60, maximum_hours * 60)) % (24 * 60)
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def _settings(rng: random.Random, ptype: PolicyType, serial: int) -> Settings:
    """Random but valid settings for every key of the type (its rules included)."""
    changes: dict[str, SettingValue] = {}
    for spec in ptype.settings:
        if spec.kind is SettingKind.BOOL:
            changes[spec.key] = rng.random() < 0.5
        elif spec.kind is SettingKind.INT:
            changes[spec.key] = rng.randint(spec.minimum or 0, spec.maximum or 10)
        elif spec.kind is SettingKind.CHOICE:
            changes[spec.key] = rng.choice(spec.choices)
        elif spec.kind is SettingKind.MULTI_CHOICE:
            changes[spec.key] = rng.sample(spec.choices, rng.randint(1, len(spec.choices)))
        elif spec.kind is SettingKind.WINDOW:
            low = (spec.minimum_window_minutes or 60) // 60
            changes[spec.key] = _window(rng, low, low + 4)
        elif spec.key == "psa_url":
            changes[spec.key] = f"https://psa{serial % 97}.example.com"
        else:
            changes[spec.key] = f"{spec.label} {serial}"
    if changes.get("noc_enabled"):
        changes["rmm_enabled"] = True
    elif "noc_access_level" in changes:  # technicians' access needs the NOC services on
        changes["noc_access_level"] = 0
    return build_settings(ptype, f"policy {serial}", {}, changes)


@dataclass
class Inputs:
    partner_id: str
    companies: list[Company]
    policies: list[Policy]
    packages: list[Package]
    sites: list[Site]
    devices: list[Device]


def generate(rng: random.Random, partner_id: str, *, n_companies: int, n_sites: int,
             n_devices: int, n_policies: int, n_packages: int) -> Inputs:
    companies = [
        Company(new_id(), f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i + 1:04d}")
        for i in range(n_companies)
    ]
    types = list(POLICY_TYPES.values())
    policies = []
    for i in range(n_policies):
        ptype = types[i % len(types)]  # every type, evenly
        policies.append(Policy(new_id(), ptype.id, f"{ptype.label} {i + 1:05d}",
                               _settings(rng, ptype, i)))
    by_type: dict[str, list[Policy]] = {}
    for policy in policies:
        by_type.setdefault(policy.type_id, []).append(policy)
    packages = []
    for i in range(n_packages):
        default = i == 0  # the default package carries a policy of every type
        chosen_types = list(by_type) if default else rng.sample(list(by_type),
                                                                rng.randint(1, len(by_type)))
        chosen = [rng.choice(by_type[t]) for t in chosen_types]
        package, _ = make_package(new_id(), f"Package {i + 1:04d}", chosen, default)
        packages.append(package)
    assignable = packages[1:] or packages
    sites = []
    for i in range(n_sites):
        # Every company gets one site first, then the rest land anywhere.
        company = companies[i] if i < len(companies) else rng.choice(companies)
        package_id = rng.choice(assignable).id if rng.random() < 0.5 else None
        sites.append(Site(new_id(), company.id, f"{rng.choice(PLACES)} {i + 1:05d}", package_id))
    devices = []
    for i in range(n_devices):
        server = rng.random() < 0.2
        devices.append(Device(
            new_id(), rng.choice(sites).id, f"{'SRV' if server else 'WS'}-{i + 1:06d}",
            "server" if server else "desktop", rng.choice(OS_SERVER if server else OS_DESKTOP),
        ))
    return Inputs(partner_id, companies, policies, packages, sites, devices)


def build(path: Path, rng: random.Random, args: argparse.Namespace) -> tuple[Inputs, float, float]:
    """Create the workspace; returns the inputs, generation time and build (write) time."""
    start = time.perf_counter()
    workspace = Workspace.open(path, create=True)
    with workspace.db.read() as session:
        partner_id = Repository(session).partner_id()
    created = time.perf_counter()
    inputs = generate(rng, partner_id, n_companies=args.companies, n_sites=args.sites,
                      n_devices=args.devices, n_policies=args.policies, n_packages=args.packages)
    generated = time.perf_counter()
    with workspace.db.write() as session:
        insert_companies(session, inputs.companies, partner_id)
        insert_policies(session, inputs.policies)
        insert_packages(session, inputs.packages)
        insert_sites(session, inputs.sites)
        insert_devices(session, inputs.devices)
    workspace.close()
    done = time.perf_counter()
    return inputs, generated - created, (created - start) + (done - generated)


# --- helpers ----------------------------------------------------------------------------------

def median_time(func: Callable[[int], object], runs: int) -> float:
    times = []
    for run in range(runs):
        start = time.perf_counter()
        func(run)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def raw_connect(path: Path) -> sqlite3.Connection:
    """A bare sqlite3 connection with the workspace's pragmas (WAL, synchronous=FULL, FKs)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def outbox_figures(path: Path) -> tuple[int, int, int]:
    """Outbox rows, outbox payload bytes and audit rows."""
    conn = sqlite3.connect(path)
    try:
        rows, size = conn.execute(
            "SELECT count(*), coalesce(sum(length(payload_json)), 0) FROM outbox").fetchone()
        audit = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    finally:
        conn.close()
    return int(rows), int(size), int(audit)


def profile(label: str, func: Callable[[], object], limit: int = 25) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    func()
    profiler.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(limit)
        print(f"\n=== profile: {label} (by {order}) ===")
        print(out.getvalue().split("\n", 4)[-1].rstrip())


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def fmt_size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"SQLAlchemy {sqlalchemy.__version__}")


# --- the figures ------------------------------------------------------------------------------

FRESH_OURS = """
import sys, time
start = time.perf_counter()
from sqlalchemy import text
from app.services.workspace import Workspace
ws = Workspace.open(sys.argv[1])
with ws.db.engine.connect() as conn:
    conn.execute(text("SELECT count(*) FROM sites")).scalar_one()
ws.close()
print(time.perf_counter() - start)
"""

FRESH_PEER = """
import sys, time
start = time.perf_counter()
import sqlite3
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM sites").fetchone()
conn.close()
print(time.perf_counter() - start)
"""


def fresh_process(code: str, path: Path) -> float:
    """Median in-process time (imports included) over fresh interpreters."""
    times = []
    for _ in range(FRESH_PROCESS_RUNS):
        out = subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=ROOT,
                             capture_output=True, text=True).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return statistics.median(times)


EFFECTIVE_PEER_SQL = """
SELECT s.id, pp.type_id, p.settings_json
FROM sites s
LEFT JOIN packages k ON k.id = s.package_id AND k.deleted_at IS NULL
LEFT JOIN package_policies pp ON pp.package_id = k.id
LEFT JOIN policies p ON p.id = pp.policy_id AND p.deleted_at IS NULL
WHERE s.deleted_at IS NULL
"""
DEFAULT_PEER_SQL = """
SELECT pp.type_id, p.settings_json
FROM packages k
JOIN package_policies pp ON pp.package_id = k.id
JOIN policies p ON p.id = pp.policy_id AND p.deleted_at IS NULL
WHERE k.is_default = 1 AND k.deleted_at IS NULL
"""


def effective_peer(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        default = [(t, json.loads(s)) for t, s in conn.execute(DEFAULT_PEER_SQL)]
        rows = [(site, t, json.loads(s) if s is not None else None)
                for site, t, s in conn.execute(EFFECTIVE_PEER_SQL)]
    finally:
        conn.close()
    return len(rows) + len(default)


Row = tuple[str, float, float | None]  # figure, ours, peer (None: no peer)


def measure_open(path: Path) -> list[Row]:
    def open_only(_run: int) -> None:
        Workspace.open(path).close()

    def open_peer(_run: int) -> None:
        conn = sqlite3.connect(path)
        conn.execute("SELECT count(*) FROM sites").fetchone()
        conn.close()

    peer = median_time(open_peer, OPEN_RUNS)
    return [
        ("open workspace (Workspace.open only)", median_time(open_only, OPEN_RUNS), peer),
        ("open workspace + SELECT count(*) FROM sites",
         median_time(lambda _r: open_and_query(path), OPEN_RUNS), peer),
        ("  same, in a fresh interpreter (imports included)",
         fresh_process(FRESH_OURS, path), fresh_process(FRESH_PEER, path)),
    ]


def open_and_query(path: Path) -> None:
    workspace = Workspace.open(path)
    with workspace.db.engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM sites")).scalar_one()
    workspace.close()  # disposes the engine: the next run connects again


def measure_effective(workspace: Workspace, path: Path) -> Row:
    count = len(list(workspace.effective.all_sites()))
    ours = median_time(lambda _r: list(workspace.effective.all_sites()), HEAVY_RUNS)
    peer = median_time(lambda _r: effective_peer(path), HEAVY_RUNS)
    return (f"effective settings of all {count} sites", ours, peer)


def measure_assign(workspace: Workspace, path: Path, pair: list[str], site_ids: list[str],
                   changed: list[int]) -> Row:
    """Alternate between two packages so that every run really changes the sites."""

    def assign_ours(run: int) -> None:
        result = workspace.sites.assign(pair[run % 2], site_ids)
        changed.append(sum(1 for c in result.changes if c.changed))

    def assign_peer(run: int) -> None:
        conn = raw_connect(path)
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("UPDATE sites SET package_id = ? WHERE id = ?",
                         [(pair[run % 2], sid) for sid in site_ids])
        conn.execute("COMMIT")
        conn.close()

    ours = median_time(assign_ours, HEAVY_RUNS)
    peer = median_time(assign_peer, HEAVY_RUNS)
    return (f"site assign 1 package -> {len(site_ids)} sites (1 transaction)", ours, peer)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=5000)
    parser.add_argument("--devices", type=int, default=50000)
    parser.add_argument("--policies", type=int, default=2000)
    parser.add_argument("--packages", type=int, default=500)
    parser.add_argument("--companies", type=int, default=0,
                        help="default: one per 20 sites (250 for 5,000 sites)")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--profile", action="store_true",
                        help="also print cProfile tables of our open, effective and assign")
    parser.add_argument("--keep", action="store_true", help="keep the generated workspace")
    args = parser.parse_args(argv)
    args.companies = args.companies or max(1, args.sites // 20)
    if args.packages < 3 or args.sites < 1 or args.policies < len(POLICY_TYPES):
        parser.error("need at least 3 packages, 1 site and one policy per type")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="preflight-bench-"))
    path = folder / "bench.preflight"
    try:
        run(args, path)
    finally:
        if args.keep:
            print(f"kept {path}")
        else:
            for leftover in folder.iterdir():
                leftover.unlink()
            folder.rmdir()
    return 0


def run(args: argparse.Namespace, path: Path) -> None:
    print(f"building {args.companies} companies, {args.sites} sites, {args.devices} "
          f"devices, {args.policies} policies, {args.packages} packages in {path} ...",
          flush=True)
    inputs, gen_time, build_time = build(path, random.Random(args.seed), args)
    built_outbox = outbox_figures(path)
    file_size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    rows: list[Row] = [("build workspace (create + Core bulk insert, one transaction)",
                        build_time, None)]
    site_ids = [s.id for s in inputs.sites]
    pair = [p.id for p in inputs.packages[1:3]]
    changed: list[int] = []

    print("timing open ...", flush=True)
    rows.extend(measure_open(path))
    workspace = Workspace.open(path)
    try:
        print("timing effective settings ...", flush=True)
        rows.append(measure_effective(workspace, path))
        print("timing site assign ...", flush=True)
        rows.append(measure_assign(workspace, path, pair, site_ids, changed))
        after_outbox = outbox_figures(path)
        if args.profile:
            profile("Workspace.open + first query", lambda: open_and_query(path))
            profile("list(effective.all_sites())",
                    lambda: list(workspace.effective.all_sites()))
            profile("sites.assign(package, all sites)",
                    lambda: workspace.sites.assign(pair[len(changed) % 2], site_ids))
    finally:
        workspace.close()

    assigned = sum(1 for s in inputs.sites if s.package_id)
    print()
    print(f"machine: {machine()}")
    print(f"input: {args.companies} companies, {args.sites} sites ({assigned} assigned), "
          f"{args.devices} devices, {args.policies} policies ({len(POLICY_TYPES)} types), "
          f"{args.packages} packages (1 default), seed {args.seed}; "
          f"generating it took {fmt_time(gen_time)}; file {fmt_size(file_size)}")
    print(f"runs: median of {OPEN_RUNS} (open), {HEAVY_RUNS} (effective, assign), "
          f"{FRESH_PROCESS_RUNS} (fresh interpreter)")
    print()
    print_table(rows)
    print()
    print(f"outbox after build: {built_outbox[0]} rows, {fmt_size(built_outbox[1])} of "
          f"payload; audit {built_outbox[2]} rows")
    print(f"outbox after {HEAVY_RUNS} assign runs: {after_outbox[0]} rows "
          f"(+{after_outbox[0] - built_outbox[0]}; sites changed per run: "
          f"{', '.join(map(str, changed))}), {fmt_size(after_outbox[1])} of payload; "
          f"audit {after_outbox[2]} rows")
    print("peers: open = sqlite3.connect + SELECT count(*) FROM sites; effective = one "
          "sqlite3 join sites->packages->package_policies->policies (+ default package) "
          "with json.loads of every settings row, no merging; assign = sqlite3 "
          "executemany UPDATE sites SET package_id, one transaction, same pragmas, "
          "no outbox/audit")


def print_table(rows: list[Row]) -> None:
    cells = [("figure", "ours", "peer", "ratio")]
    for figure, ours, peer in rows:
        ratio = f"{ours / peer:.1f}×" if peer else "—"
        cells.append((figure, fmt_time(ours), fmt_time(peer) if peer is not None else "—", ratio))
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    for index, row in enumerate(cells):
        print(" | ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                         for i, cell in enumerate(row)))
        if index == 0:
            print("-|-".join("-" * w for w in widths))


if __name__ == "__main__":
    sys.exit(main())
