"""Build the one-folder bundle with PyInstaller and run it headless: the release smoke test.

    python3 dev.py package-smoke          (sets up .venv with the [package] extra, runs this)
    .venv/bin/python packaging/smoke_test.py [--keep] [--runs N] [--bundle DIST/Preflight]

Builds packaging/preflight.spec into a temporary folder, then runs the bundled programs with
QT_QPA_PLATFORM=offscreen and private XDG folders (the user's own settings, logs and workspace
are not touched):

    preflight-cli --version                    prints pyproject's version
    preflight-cli --bundle-check               every module of ours imports; lazily loaded
                                               libraries (phonenumbers, keyring, calamine, ...) work
    preflight-cli init --sample --workspace X  runs the Alembic migrations from the bundle
    preflight-cli site list --workspace X --json
    preflight-cli gui --screenshot F --page companies --workspace X
    Preflight X --screenshot F2 --page policies  the desktop program, workspace as a bare
                                               argument (how the file association opens it)

A missing hidden import, Qt plugin, migration script or resource fails one of them. Then it
prints the bundle's size and start-up times of the bundled programs beside `preflight` run from
the source tree (.venv). Exit code 0 when every check passed. It runs on Linux, macOS and
Windows: the installers workflow runs it with --bundle on the folders it has just built.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "preflight.spec"
EXE = ".exe" if os.name == "nt" else ""
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
MIN_PNG_BYTES = 20_000  # a 1280x800 page with text and rows is ~90 KB; a blank one a few KB


class SmokeFailure(Exception):
    pass


def run(args: Sequence[str | Path], env: dict[str, str], timeout: float = 120,
        ) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    done = subprocess.run([str(a) for a in args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    return done, time.perf_counter() - start


def expect_ok(name: str, args: Sequence[str | Path], env: dict[str, str]) -> str:
    done, seconds = run(args, env)
    if done.returncode != 0:
        raise SmokeFailure(f"{name}: exit code {done.returncode}\n"
                           f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}")
    print(f"ok   {name} ({seconds:.2f} s)", flush=True)
    return done.stdout


def check_png(path: Path) -> str:
    """The screenshot exists, is big enough and is not one flat colour."""
    if not path.is_file():
        raise SmokeFailure(f"no screenshot at {path}")
    size = path.stat().st_size
    if size < MIN_PNG_BYTES:
        raise SmokeFailure(f"screenshot {path} is only {size} bytes: a blank window?")
    from PySide6.QtGui import QImage  # noqa: TID251 - reads the PNG; no QApplication needed

    image = QImage(str(path))
    if image.isNull():
        raise SmokeFailure(f"screenshot {path} is not a readable PNG")
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    if len(colours) < 8:
        raise SmokeFailure(f"screenshot {path} has {len(colours)} colours: nothing drawn?")
    return f"{image.width()}x{image.height()}, {size / 1000:.0f} KB, {len(colours)} colours"


def folder_size(folder: Path) -> tuple[int, int]:
    total = count = 0
    for base, _dirs, files in os.walk(folder):
        for name in files:
            total += (Path(base) / name).lstat().st_size
            count += 1
    return total, count


def drop_file_cache(folders: Sequence[Path]) -> None:
    """Ask the kernel to forget the cached pages of every file under `folders`, so the next
    start reads them from disk (Linux/macOS; unprivileged; a VM's host may still cache)."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for folder in folders:
        for base, _dirs, files in os.walk(folder):
            for name in files:
                try:
                    fd = os.open(Path(base) / name, os.O_RDONLY)
                except OSError:
                    continue
                try:
                    advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                finally:
                    os.close(fd)


def timed(args: Sequence[str | Path], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one run in a new process."""
    before = _children_cpu()
    done, seconds = run(args, env)
    if done.returncode != 0:
        raise SmokeFailure(f"timing run failed: {' '.join(map(str, args))}\n{done.stderr}")
    return seconds, _children_cpu() - before


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def compare(rows: Sequence[tuple[str, list[str | Path], list[str | Path]]],
            caches: tuple[Sequence[Path], Sequence[Path]], env: dict[str, str],
            runs: int) -> None:
    """Per command: one cold run of each (file cache dropped first), then `runs` warm runs,
    bundled and source alternating so that load from other processes hits both alike."""
    print(f"\nstart-up in seconds: cold = first run after dropping the file cache; warm = "
          f"median of {runs} runs (wall clock, and CPU user+sys)")
    print(f"  {'command':<28}{'bundled cold/warm/cpu':>24}{'source cold/warm/cpu':>24}")
    for name, bundled, source in rows:
        drop_file_cache(caches[0])
        b_cold, _ = timed(bundled, env)
        drop_file_cache(caches[1])
        s_cold, _ = timed(source, env)
        b_runs, s_runs = [], []
        for _ in range(runs):
            b_runs.append(timed(bundled, env))
            s_runs.append(timed(source, env))
        cells = []
        for cold, warm in ((b_cold, b_runs), (s_cold, s_runs)):
            wall = statistics.median(w for w, _ in warm)
            cpu = statistics.median(c for _, c in warm)
            cells.append(f"{cold:.2f} / {wall:.2f} / {cpu:.2f}")
        print(f"  {name:<28}{cells[0]:>24}{cells[1]:>24}")


def build(work: Path) -> Path:
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm",
               "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
               "--log-level", "WARN"]
    print("+", " ".join(command), flush=True)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SmokeFailure(f"PyInstaller failed (exit {done.returncode}):\n{done.stderr[-6000:]}")
    print(f"ok   build ({time.perf_counter() - start:.0f} s)", flush=True)
    return work / "dist" / "Preflight"


def smoke(work: Path, runs: int, built: Path | None = None) -> None:
    bundle = built.resolve() if built is not None else build(work)
    cli, gui = bundle / f"preflight-cli{EXE}", bundle / f"Preflight{EXE}"
    source = Path(sysconfig.get_path("scripts")) / f"preflight{EXE}"  # the .venv's
    home = work / "home"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               XDG_STATE_HOME=str(home / "state"), XDG_CACHE_HOME=str(home / "cache"))
    workspace = work / "smoke.preflight"
    shots = work / "shots"
    shots.mkdir()

    out = expect_ok("--version", [cli, "--version"], env).strip()
    if out != f"preflight {VERSION}":
        raise SmokeFailure(f"--version printed {out!r}, pyproject says {VERSION}")
    print(expect_ok("--bundle-check", [cli, "--bundle-check"], env).rstrip())
    summary = json.loads(expect_ok("init --sample", [cli, "init", "--sample", "--workspace",
                                                     workspace, "--json"], env))
    if not workspace.is_file() or not summary.get("sites"):
        raise SmokeFailure(f"init --sample made no sites: {summary}")
    sites = json.loads(expect_ok("site list --json",
                                 [cli, "site", "list", "--workspace", workspace, "--json"], env))
    if not sites:
        raise SmokeFailure("site list returned no sites from the sample workspace")
    print(f"     {len(sites)} sites, e.g. {json.dumps(sites[0])[:100]}")
    companies = shots / "companies.png"
    expect_ok("gui --screenshot --page companies",
              [cli, "gui", "--screenshot", companies, "--page", "companies",
               "--workspace", workspace], env)
    print(f"     {check_png(companies)}")
    policies = shots / "policies.png"
    expect_ok("Preflight WORKSPACE --screenshot --page policies",
              [gui, workspace, "--screenshot", policies, "--page", "policies"], env)
    print(f"     {check_png(policies)}")

    size, files = folder_size(bundle)
    print(f"\nbundle: {bundle}\n  size {size / 1e6:.0f} MB in {files} files")
    if not source.is_file():
        print(f"  (no {source}: start-up comparison skipped)")
        return
    shot = shots / "timing.png"
    rows: list[tuple[str, list[str | Path], list[str | Path]]] = [
        ("--version", [cli, "--version"], [source, "--version"]),
        ("site list --json", [cli, "site", "list", "--workspace", workspace, "--json"],
         [source, "site", "list", "--workspace", workspace, "--json"]),
        ("gui --screenshot companies",
         [cli, "gui", "--screenshot", shot, "--page", "companies", "--workspace", workspace],
         [source, "gui", "--screenshot", shot, "--page", "companies", "--workspace", workspace]),
    ]
    stdlib = Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    source_files = [Path(sys.prefix), stdlib, *(ROOT / p for p in ("app", "ui", "storage"))]
    compare(rows, ([bundle], source_files), env, runs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the build folder")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command")
    parser.add_argument("--bundle", type=Path, metavar="FOLDER",
                        help="test this already built bundle folder (dist/Preflight) instead")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="preflight-bundle-"))
    try:
        smoke(work, args.runs, args.bundle)
    except (SmokeFailure, subprocess.TimeoutExpired) as exc:
        print(f"FAILED: {exc}", flush=True)
        print(f"(build kept in {work})")
        return 1
    if args.keep:
        print(f"\nkept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print("\npackage smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
