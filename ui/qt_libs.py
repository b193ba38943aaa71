"""Before Qt opens a window on Linux: are the system libraries its xcb plugin needs installed?

Without them Qt aborts the process ("xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb
platform plugin", exit code 250 or SIGABRT) before any of our code can say why. This module
imports nothing of Qt: it asks `ldd` which libraries the plugin cannot find and names the
packages that provide them on this distribution.

    python -m ui.qt_libs      exit 0 when Qt can open a window (or will not use X11 here),
                              else 2 with the packages to install (dev.py app runs it first)
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

# library → package on (Debian/Ubuntu, Fedora/RHEL, Arch, openSUSE)
PACKAGES: dict[str, tuple[str, str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor",
                           "libxcb-cursor0"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm", "libxcb-icccm4"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms",
                            "libxcb-keysyms1"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image", "libxcb-image0"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil",
                                "xcb-util-renderutil", "libxcb-render-util0"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11",
                              "libxkbcommon-x11-0"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon", "libxkbcommon0"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb", "libxcb-xkb1"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb", "libxcb-shape0"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb", "libxcb-randr0"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb", "libxcb", "libxcb-xinerama0"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd", "libEGL1"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd", "libGL1"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl", "libglvnd", "libOpenGL0"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig", "libfontconfig1"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus", "libdbus-1-3"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11", "libX11-xcb1"),
}
FAMILIES = ("debian", "fedora", "arch", "suse")
INSTALL = {"debian": "sudo apt-get install", "fedora": "sudo dnf install",
           "arch": "sudo pacman -S", "suse": "sudo zypper install"}


def family(os_release: str | None = None) -> str:
    """debian, fedora, arch or suse, from /etc/os-release (ID and ID_LIKE); debian if unknown."""
    if os_release is None:
        try:
            os_release = Path("/etc/os-release").read_text(encoding="utf-8")
        except OSError:
            os_release = ""
    words: list[str] = []
    for line in os_release.splitlines():
        key, _, value = line.partition("=")
        if key in ("ID", "ID_LIKE"):
            words += value.strip().strip('"').lower().split()
    for word in words:
        if word in ("debian", "ubuntu"):
            return "debian"
        if word in ("fedora", "rhel", "centos"):
            return "fedora"
        if word in ("arch", "manjaro"):
            return "arch"
        if "suse" in word:
            return "suse"
    return "debian"


def plugin_files() -> list[Path]:
    """The xcb platform plugin and the Qt library behind it, in the installed PySide6."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return []
    root = Path(next(iter(spec.submodule_search_locations)))
    found = [root / "Qt" / "plugins" / "platforms" / "libqxcb.so"]
    found += sorted((root / "Qt" / "lib").glob("libQt6XcbQpa.so*"))[:1]
    return [p for p in found if p.is_file()]


def missing_libraries(files: list[Path] | None = None) -> list[str]:
    """System libraries the xcb plugin needs and the loader cannot find ([] when all are
    there, or when it cannot be told: no ldd, no plugin)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    missing: list[str] = []
    for path in plugin_files() if files is None else files:
        try:
            done = subprocess.run([ldd, str(path)], capture_output=True, text=True, timeout=20,
                                  check=False)
        except (OSError, subprocess.SubprocessError):
            return []
        for line in done.stdout.splitlines():
            name, _, where = line.strip().partition("=>")
            if "not found" in where and name.strip() not in missing:
                missing.append(name.strip())
    return missing


def advice(missing: list[str], distro: str | None = None) -> str:
    """One line: what is missing and the command that installs it here."""
    which = FAMILIES.index(distro or family())
    packages = sorted({PACKAGES[lib][which] if lib in PACKAGES else lib for lib in missing})
    distro = FAMILIES[which]
    return (f"Qt cannot open a window: the system libraries {', '.join(missing)} are missing. "
            f"Install them with: {INSTALL[distro]} {' '.join(packages)} "
            "(see README.md, 'System packages').")


def wants_xcb() -> bool:
    """Whether Qt will use its xcb (X11) plugin here."""
    if not sys.platform.startswith("linux"):
        return False
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(":")[0].split(";")[0] == "xcb"
    return bool(os.environ.get("DISPLAY")) and not os.environ.get("WAYLAND_DISPLAY")


def problem() -> str | None:
    """Why Qt would abort opening a window here, or None."""
    if not wants_xcb():
        return None
    missing = missing_libraries()
    return advice(missing) if missing else None


def main() -> int:
    found = problem()
    if found:
        sys.stderr.write(f"preflight: error: {found}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
