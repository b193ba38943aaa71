"""Findings shown inline, next to the field they are about.

A form registers an error label per field path ("main_phone", "requests[0].approver_ids");
each finding goes to the label of the longest registered path it starts with, else to the
form's general label. Errors read red, warnings amber; the message says why and what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.domain.helpdesk import Finding
from ui import theme
from ui.widgets.cells import MessageLine


def error_label(parent: QWidget, name: str = "", lines: int = 2) -> MessageLine:
    """A field's findings, in a fixed room of `lines` lines (a finding says why and what to
    do: two lines at a form's width; a longer one is cut, whole in its tooltip)."""
    label = MessageLine(parent, lines)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(f"findings:{name}")
    label.hide()
    return label


def _covers(key: str, field: str) -> bool:
    return not key or field == key or field.startswith((f"{key}.", f"{key}["))


def route(field: str, keys: Iterable[str]) -> str:
    """The longest key whose field path `field` is in ("" when none)."""
    return max((k for k in keys if _covers(k, field)), key=len, default="")


def render(lines: list[tuple[str, str]]) -> str:
    parts = []
    for severity, message in lines:
        color = theme.color_name("error" if severity == "error" else "warning")
        mark = "✖" if severity == "error" else "⚠"
        parts.append(f'<span style="color:{color}">{mark} {escape(message, quote=False)}</span>')
    return "<br>".join(parts)


def _fold(entries: list[tuple[str, str]], codes: dict[str, str]) -> list[tuple[str, str]]:
    """Many findings of one code on one label (five coverage gaps) read as the first one and
    a count."""
    counts: dict[str, int] = {}
    for _severity, message in entries:
        code = codes.get(message, message)
        counts[code] = counts.get(code, 0) + 1
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for severity, message in entries:
        code = codes.get(message, message)
        if code in seen:
            continue
        seen.add(code)
        more = counts[code] - 1
        out.append((severity, message + (f" (and {more} more like it)" if more > 1 else
                                         " (and 1 more like it)" if more == 1 else "")))
    return out


class FindingRouter:
    """Puts findings (and the form's own problems, such as unparsable text) on labels."""

    def __init__(self, general: QLabel, labels: Callable[[], dict[str, QLabel]]) -> None:
        self.general = general
        self.labels = labels
        self._shown: list[QLabel] = []

    def show(self, findings: Iterable[Finding], problems: dict[str, str] | None = None) -> None:
        labels = self.labels()
        keys = list(labels)
        lines: dict[int, tuple[QLabel, list[tuple[str, str]]]] = {}

        codes: dict[str, str] = {}  # message → code, to fold repeats

        def put(field: str, severity: str, message: str) -> None:
            key = route(field, keys)
            label = labels.get(key, self.general) if key else self.general
            lines.setdefault(id(label), (label, []))[1].append((severity, message))

        for field, message in (problems or {}).items():
            put(field, "error", message)
        for finding in findings:
            codes[finding.message] = finding.code
            put(finding.field, finding.severity, finding.message)
        for label in self._shown:
            if shiboken6.isValid(label) and id(label) not in lines:
                label.clear()
                label.hide()
        self._shown = []
        for label, entries in lines.values():
            label.setText(render(_fold(entries, codes)))
            label.show()
            self._shown.append(label)
