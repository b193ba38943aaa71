"""Fast checks of packaging/ that run with the default tests (the bundle itself is built and run
by `python3 dev.py package-smoke`, which is too slow for them)."""

from __future__ import annotations

import importlib.util
import struct
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

import app

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_app_version_is_pyprojects() -> None:
    """`preflight --version`, About and the installers all show one version: pyproject's."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert app.__version__ == project["version"]


@pytest.mark.parametrize(("argv", "expected"), [
    ([], ["gui"]),
    (["/w/a.preflight"], ["gui", "--workspace", "/w/a.preflight"]),
    (["C:\\Users\\me\\b.preflight"], ["gui", "--workspace", "C:\\Users\\me\\b.preflight"]),
    (["-psn_0_12345", "/w/a.preflight"], ["gui", "--workspace", "/w/a.preflight"]),
    (["--workspace", "/w/a.preflight", "--page", "policies"],
     ["gui", "--workspace", "/w/a.preflight", "--page", "policies"]),
    (["/w/a.preflight", "--screenshot", "s.png"],
     ["gui", "--workspace", "/w/a.preflight", "--screenshot", "s.png"]),
])
def test_gui_entry_opens_a_file_argument_as_the_workspace(argv: list[str],
                                                          expected: list[str]) -> None:
    assert _load("entry_gui").gui_argv(argv) == expected


def test_committed_icons_are_whole() -> None:
    icons = PACKAGING / "icons"
    png = (icons / "preflight.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert struct.unpack(">II", png[16:24]) == (1024, 1024)
    ico = (icons / "preflight.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    assert count >= 5
    icns = (icons / "preflight.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)


def test_installer_scripts_exist() -> None:
    for path in ("preflight.spec", "windows/preflight.iss", "macos/make_dmg.sh",
                 "smoke_test.py", "entry_cli.py", "entry_gui.py"):
        assert (PACKAGING / path).is_file(), path
    assert (ROOT / ".github" / "workflows" / "installers.yml").is_file()
