"""How the CLI speaks: JSON on stdout with --json, aligned tables otherwise, messages on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any


class Output:
    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def data(self, payload: Any, human: str | None = None) -> None:
        """Print the result: `payload` as JSON with --json, else the human text."""
        if self.as_json:
            sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
        elif human is not None:
            sys.stdout.write(human + ("\n" if human and not human.endswith("\n") else ""))

    @staticmethod
    def note(message: str) -> None:
        sys.stderr.write(message + "\n")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    if not rows:
        return "(none)"
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in cells]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "-"
    return str(value)
