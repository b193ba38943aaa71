"""Entry point of the bundled desktop app (`Preflight.exe`, `Preflight.app`).

`preflight gui` with the arguments given. A bare file argument is the workspace to open: the
Windows file association runs `Preflight.exe "%1"`, so `Preflight x.preflight` means
`preflight gui --workspace x.preflight`. (On macOS Finder sends the document as an Apple event,
which Qt turns into a QFileOpenEvent for the application, not an argument.)

A windowed program has no console: sys.stdout/sys.stderr are None, and the one-line errors
the CLI writes there would raise. They go to a file beside the log instead.
"""

from __future__ import annotations

import sys


def gui_argv(args: list[str]) -> list[str]:
    args = [a for a in args if not a.startswith("-psn_")]  # old macOS process serial number
    out: list[str] = ["gui"]
    takes_value = {"--workspace", "--screenshot", "--page"}
    has_workspace = any(a == "--workspace" or a.startswith("--workspace=") for a in args)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in takes_value and i + 1 < len(args):
            out += [arg, args[i + 1]]
            i += 2
            continue
        if not arg.startswith("-") and not has_workspace:
            out += ["--workspace", arg]
            has_workspace = True
        else:
            out.append(arg)
        i += 1
    return out


def _console_to_file() -> None:
    if sys.stdout is not None and sys.stderr is not None:
        return
    from app.logs import log_dir

    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stream = open(folder / "console.log", "a", encoding="utf-8", buffering=1)  # noqa: SIM115
    except OSError:
        import os

        stream = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream


def main() -> int:
    _console_to_file()
    from preflight.main import main as preflight

    return preflight(gui_argv(sys.argv[1:]))


if __name__ == "__main__":
    sys.exit(main())
