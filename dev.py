#!/usr/bin/env python3
"""Set up and run Preflight from a source checkout with nothing but Python 3.11+.

    python3 dev.py app    create .venv, install, open the app on the sample workspace
    python3 dev.py test   create .venv, install with test extras, run lint, types and tests
                          (pytest on every core: -n auto --dist loadfile, unless the arguments
                          given after `test` choose -n/--numprocesses, -p no:xdist or --pdb)
    python3 dev.py package-smoke
                          create .venv with the [package] extra, build the app folder with
                          PyInstaller and run it headless (packaging/smoke_test.py; slow)

Installation is skipped when pyproject.toml has not changed since the last run.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
SAMPLE = ROOT / ".workspace" / "sample.preflight"
PYTEST_NO_TESTS = 5
# pytest-xdist: one worker per core; a test file stays in one worker (module fixtures, the
# schemathesis server, the Qt tests of a file run together as they do in one process).
PARALLEL = ("-n", "auto", "--dist", "loadfile")


def _run(*args: str | Path, env: dict[str, str] | None = None) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.call([str(a) for a in args], cwd=ROOT, env=env)


def setup(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit(f"Preflight needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'app'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    target = f".[{extras}]" if extras else "."
    steps = [
        (PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"),
        (PYTHON, "-m", "pip", "install", "--quiet", "-e", target),
    ]
    for step in steps:
        if _run(*step) != 0:
            sys.exit("installation failed; see the pip output above")
    stamp.write_text(digest)


def app(extra_args: list[str]) -> int:
    setup("")
    # Qt aborts without a word when its X11 plugin lacks system libraries: name the packages
    if _run(PYTHON, "-m", "ui.qt_libs") != 0:
        return 2
    if not SAMPLE.exists():
        SAMPLE.parent.mkdir(exist_ok=True)
        code = _run(PYTHON, "-m", "preflight", "init", "--sample", "--workspace", SAMPLE)
        if code != 0:
            return code
    return _run(PYTHON, "-m", "preflight", "gui", "--workspace", SAMPLE, *extra_args)


def parallel_args(extra_args: list[str]) -> list[str]:
    """pytest's arguments: `extra_args`, run in parallel unless they say how many processes
    (-n 4, -n0, --numprocesses=2), switch xdist off (-p no:xdist) or debug (--pdb, --trace)."""
    args = extra_args[:extra_args.index("--")] if "--" in extra_args else extra_args
    for i, arg in enumerate(args):
        if (arg.startswith(("-n", "--numprocesses")) or arg in ("--pdb", "--trace")
                or arg in ("-pno:xdist", "-p=no:xdist")
                or (arg == "-p" and args[i + 1:i + 2] == ["no:xdist"])):
            return extra_args
    dist = [] if any(a.startswith("--dist") for a in args) else list(PARALLEL[2:])
    return [*PARALLEL[:2], *dist, *extra_args]


def test(extra_args: list[str]) -> int:
    setup("test")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    checks = [
        (PYTHON, "-m", "ruff", "check", "."),
        (PYTHON, "-m", "mypy"),
        (BIN / ("lint-imports.exe" if os.name == "nt" else "lint-imports"),),
    ]
    for check in checks:
        if _run(*check, env=env) != 0:
            print(f"FAILED: {' '.join(str(c) for c in check)}", flush=True)
            return 1
    code = _run(PYTHON, "-m", "pytest", *parallel_args(extra_args), env=env)
    if code == PYTEST_NO_TESTS:
        print("FAILED: pytest collected no tests", flush=True)
        return 1
    return code


def package_smoke(extra_args: list[str]) -> int:
    setup("package")
    return _run(PYTHON, ROOT / "packaging" / "smoke_test.py", *extra_args)


COMMANDS = {"app": app, "test": test, "package-smoke": package_smoke}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    return COMMANDS[command](rest)


if __name__ == "__main__":
    sys.exit(main())
