"""First run on a plain desktop Linux: without the Qt xcb plugin's system libraries the app
says which packages to install (exit 2) instead of Qt aborting with exit code 250."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ui import qt_libs

ROOT = Path(__file__).resolve().parents[2]
FAKE_LDD = """#!/bin/sh
echo "	linux-vdso.so.1 (0x00007ffd)"
echo "	libxcb-cursor.so.0 => not found"
echo "	libxcb-icccm.so.4 => not found"
echo "	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)"
"""


def fake_ldd(tmp_path: Path) -> dict[str, str]:
    """An environment whose `ldd` (an outside tool) reports two libraries missing."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    ldd = bin_dir / "ldd"
    ldd.write_text(FAKE_LDD)
    ldd.chmod(ldd.stat().st_mode | stat.S_IXUSR)
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",
                                                             "WAYLAND_DISPLAY")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", DISPLAY=":97")
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_the_app_names_the_packages_instead_of_aborting(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "preflight", "--workspace", str(tmp_path / "w.preflight"), "gui"],
        capture_output=True, text=True, cwd=ROOT, env=fake_ldd(tmp_path), timeout=60,
        check=False)
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith("preflight: error: Qt cannot open a window: the system libraries "
                           "libxcb-cursor.so.0, libxcb-icccm.so.4 are missing.")
    assert "install libxcb-cursor0 libxcb-icccm4" in line or "xcb-util" in line
    assert not (tmp_path / "w.preflight").exists()  # nothing was created


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_the_check_module_dev_py_runs_says_the_same(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "ui.qt_libs"], capture_output=True, text=True,
                          cwd=ROOT, env=fake_ldd(tmp_path), timeout=60, check=False)
    assert done.returncode == 2
    assert "Qt cannot open a window" in done.stderr


def test_offscreen_and_wayland_need_no_xcb_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert not qt_libs.wants_xcb()
    assert qt_libs.problem() is None
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert not qt_libs.wants_xcb()


@pytest.mark.parametrize(("os_release", "expected", "command"), [
    ('ID=ubuntu\nID_LIKE=debian\n', "debian", "sudo apt-get install libxcb-cursor0"),
    ('ID="fedora"\n', "fedora", "sudo dnf install xcb-util-cursor"),
    ('ID=manjaro\nID_LIKE=arch\n', "arch", "sudo pacman -S xcb-util-cursor"),
    ('ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n', "suse",
     "sudo zypper install libxcb-cursor0"),
    ("", "debian", "sudo apt-get install libxcb-cursor0"),
])
def test_the_packages_are_named_for_the_distribution(os_release: str, expected: str,
                                                     command: str) -> None:
    assert qt_libs.family(os_release) == expected
    assert command in qt_libs.advice(["libxcb-cursor.so.0"], expected)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_the_real_plugin_is_found() -> None:
    files = qt_libs.plugin_files()
    assert any(f.name == "libqxcb.so" for f in files)
