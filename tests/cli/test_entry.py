"""The program's entry (`preflight/`): `preflight` and `preflight gui` start the desktop app,
every other command is the command line's, unchanged; nothing below the entry loads `ui`."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.cli.helpers import REPO_ROOT, TIMEOUT, Result, cli_env, run_cli, run_raw

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# `importlib.import_module("ui.launcher")`, `__import__('ui')` and the like: a static import
# is import-linter's to catch, a module named in a string is not.
LOADS_UI_BY_NAME = re.compile(r"""(import_module|__import__)\(\s*f?["'](ui|preflight)\b""")


def _python(*args: str) -> Result:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          timeout=TIMEOUT, env=cli_env(), cwd=REPO_ROOT, check=False)
    return Result(tuple(args), done.returncode, done.stdout, done.stderr)


def test_the_pattern_finds_a_module_named_in_a_string() -> None:
    assert LOADS_UI_BY_NAME.search('launcher = importlib.import_module("ui.launcher")')
    assert LOADS_UI_BY_NAME.search("__import__('ui')")
    assert LOADS_UI_BY_NAME.search('import_module("preflight.main")')
    assert not LOADS_UI_BY_NAME.search('import_module("server.__main__")')
    assert not LOADS_UI_BY_NAME.search('import_module("uikit")')


@pytest.mark.parametrize("package", ["app", "storage", "server"])
def test_nothing_below_the_entry_loads_ui_by_name(package: str) -> None:
    files = sorted((REPO_ROOT / package).rglob("*.py"))
    assert files, f"no Python files under {package}/"
    found = [f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}"
             for path in files
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if LOADS_UI_BY_NAME.search(line)]
    assert not found, "only the entry (preflight/) may start the desktop app:\n" + "\n".join(found)


@pytest.mark.parametrize("table", ["scripts", "gui-scripts"])
def test_the_installed_programs_start_at_the_entry(table: str) -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (name, target), = project[table].items()
    module, _, attribute = target.partition(":")
    assert module == "preflight.main", f"{name} = {target}"
    assert callable(getattr(importlib.import_module(module), attribute)), f"{name} = {target}"


@pytest.mark.parametrize(("args", "code"), [
    (("company", "list", "--json"), 0),
    (("company", "create", "--name", "Contoso Dental"), 1),  # a duplicate name: refused
    (("policy", "create", "--name", "x"), 2),  # no --type: usage
    (("--version",), 0),
])
def test_a_command_answers_the_same_through_the_entry(shared_ws: Path, args: tuple[str, ...],
                                                      code: int) -> None:
    entry = run_cli(shared_ws, *args)
    core = _python("-m", "app.cli", *args, "--workspace", str(shared_ws))
    assert entry.code == code, str(entry)
    assert (entry.code, entry.stdout, entry.stderr) == (core.code, core.stdout, core.stderr)


# `preflight gui …` is read by a parser of that command alone, so the desktop's start loads no
# other command's module; help, --version and every usage error come from the whole parser.
FULL_PARSER = "import sys; from app.cli.main import build_parser; build_parser().parse_args()"


@pytest.mark.parametrize("args", [
    ("--help",), ("--version",), ("gui", "--help"), ("gui", "--bogus"), ("gui", "extra"),
    ("gui", "--page"), ("--bogus", "gui"), ("--bogus", "gui", "--help"), ("bogus",),
    ("--he",), ("gui", "--size"),
])
def test_the_gui_route_answers_help_and_usage_as_the_whole_command_line(
        args: tuple[str, ...]) -> None:
    entry = run_raw(*args)
    whole = _python("-c", FULL_PARSER, *args)
    assert (entry.code, entry.stdout, entry.stderr) == (whole.code, whole.stdout, whole.stderr)
    if "--help" in args and "gui" not in args:  # every command is listed
        assert all(name in entry.stdout for name in ("gui", "vault", "golive", "asio", "sync"))
    if args in (("gui", "--bogus"), ("bogus",)):
        assert entry.code == 2, str(entry)
        assert "preflight: usage error:" in entry.stderr


@pytest.mark.parametrize("args", [(), ("gui",)])
def test_the_core_alone_refuses_to_start_the_desktop_app(shared_ws: Path,
                                                        args: tuple[str, ...]) -> None:
    result = _python("-m", "app.cli", *args, "--workspace", str(shared_ws))
    assert result.code == 2, str(result)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "preflight: error: the desktop app starts from the `preflight` command "
        "(or `python -m preflight`), not from `python -m app.cli`"]


def test_gui_entry_renders_a_page(shared_ws: Path, tmp_path: Path) -> None:
    """`preflight-gui ARGS` is `preflight gui ARGS`."""
    shot = tmp_path / "companies.png"
    script = ("import sys; from preflight.main import gui_main; "
              "sys.argv[0] = 'preflight-gui'; sys.exit(gui_main())")
    result = _python("-c", script, "--workspace", str(shared_ws), "--screenshot", str(shot),
                     "--page", "companies")
    assert result.code == 0, str(result)
    assert shot.read_bytes().startswith(PNG_MAGIC)
