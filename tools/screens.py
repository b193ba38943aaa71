#!/usr/bin/env python3
"""Render every page and dialog of the app in a real X server, for a person to look at.

    python tools/screens.py OUT_FOLDER [--sizes 1024x700,1366x768,1920x1080,2x]

For each screen size it starts Xvfb (a virtual X server) with openbox (a window manager), opens
the app maximised on a fresh sample workspace (`python -m ui.screen_tour`), which writes one PNG
of the whole screen per page, site tab and dialog into OUT_FOLDER/<size>/. "2x" is 1920x1080 at
QT_SCALE_FACTOR=2. Offscreen rendering hides what a window manager and a small screen do; this
shows them.

Needs Xvfb and openbox (Debian/Ubuntu: apt-get install xvfb openbox libxcb-cursor0).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"1024x700": ("1024x700", "1"), "1366x768": ("1366x768", "1"),
         "1920x1080": ("1920x1080", "1"), "2x": ("1920x1080", "2")}


# --- the driver: one X server per size ---------------------------------------------------------

@contextmanager
def x_server(screen: str) -> Iterator[str]:
    """Xvfb on a free display, with openbox managing its windows; yields DISPLAY."""
    for tool in ("Xvfb", "openbox"):
        if shutil.which(tool) is None:
            sys.exit(f"screens: {tool} is not installed (Debian/Ubuntu: apt-get install "
                     "xvfb openbox libxcb-cursor0)")
    display = next(f":{n}" for n in range(90, 200)
                   if not Path(f"/tmp/.X11-unix/X{n}").exists()
                   and not Path(f"/tmp/.X{n}-lock").exists())
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{screen}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**os.environ, "DISPLAY": display}
    try:
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
                break
            time.sleep(0.05)
        wm = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        try:
            yield display
        finally:
            wm.terminate()
            wm.wait(10)
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def drive(out: Path, sizes: list[str]) -> int:
    failed = 0
    for name in sizes:
        screen, scale = SIZES[name]
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        with x_server(screen) as display:
            env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
                   "QT_SCALE_FACTOR": scale, "PYTHONPATH": str(ROOT)}
            env.pop("WAYLAND_DISPLAY", None)
            code = subprocess.call([sys.executable, "-m", "ui.screen_tour", str(folder)],
                                   env=env, cwd=ROOT)
        print(f"{name}: {len(list(folder.glob('*.png')))} screenshots in {folder}"
              + (f" (exit {code})" if code else ""), flush=True)
        failed += code != 0
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the PNGs into")
    parser.add_argument("--sizes", default=",".join(SIZES),
                        help=f"comma-separated, of: {', '.join(SIZES)}")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    return drive(args.out, sizes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
