"""Typed setting specifications and the parsing of setting values (CLI `--set KEY=VALUE`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from app.domain.errors import SettingError
from app.domain.windows import parse_window

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")

SettingValue = bool | int | str | list[str] | None
Settings = dict[str, SettingValue]

TRUE_WORDS = frozenset({"true", "on", "yes"})
FALSE_WORDS = frozenset({"false", "off", "no"})


class SettingKind(Enum):
    BOOL = "bool"
    INT = "int"
    CHOICE = "choice"
    MULTI_CHOICE = "multi-choice"
    TEXT = "text"
    WINDOW = "window"


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    kind: SettingKind
    default: SettingValue
    choices: tuple[str, ...] = ()
    choice_labels: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    help: str = ""
    # The boolean setting that must be on for this one to apply (the UI greys it out otherwise).
    enabled_by: str | None = None
    minimum_window_minutes: int | None = None
    group: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)

    def label_for(self, choice: str) -> str:
        if self.choice_labels and choice in self.choices:
            return self.choice_labels[self.choices.index(choice)]
        return choice


def parse_bool(key: str, raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingError(key, f"'{raw}' is not a yes/no value; use true/false, on/off or yes/no")


def parse_value(spec: SettingSpec, raw: str) -> SettingValue:
    """Turn the text a user typed into the typed value, or raise SettingError naming the key."""
    key = spec.key
    text = raw.strip()
    if spec.kind is SettingKind.BOOL:
        return parse_bool(key, raw)
    if spec.kind is SettingKind.INT:
        # int() also takes "0_3" and full-width or Arabic-Indic digits: accept ASCII only.
        if not _WHOLE_NUMBER.fullmatch(text):
            raise SettingError(key, f"'{raw}' is not a whole number")
        number = int(text)
        return check_value(spec, number)
    if spec.kind is SettingKind.CHOICE:
        return check_value(spec, text.lower())
    if spec.kind is SettingKind.MULTI_CHOICE:
        items = [part.strip().lower() for part in text.split(",") if part.strip()]
        return check_value(spec, items)
    if spec.kind is SettingKind.WINDOW:
        return check_value(spec, text or None)
    return check_value(spec, text)


def check_value(spec: SettingSpec, value: object) -> SettingValue:
    """Check an already-typed value (from JSON, the GUI or a sync payload) against its spec."""
    key = spec.key
    kind = spec.kind
    if kind is SettingKind.BOOL:
        if not isinstance(value, bool):
            raise SettingError(key, f"expected true or false, got {value!r}")
        return value
    if kind is SettingKind.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingError(key, f"expected a whole number, got {value!r}")
        low, high = spec.minimum, spec.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            raise SettingError(key, f"{value} is out of range; allowed {low}–{high}")
        return value
    if kind is SettingKind.CHOICE:
        if not isinstance(value, str) or value not in spec.choices:
            raise SettingError(key, f"{value!r} is not one of: {', '.join(spec.choices)}")
        return value
    if kind is SettingKind.MULTI_CHOICE:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SettingError(key, f"expected a list of: {', '.join(spec.choices)}")
        unknown = [v for v in value if v not in spec.choices]
        if unknown:
            raise SettingError(
                key, f"{', '.join(unknown)} not allowed; choose from {', '.join(spec.choices)}"
            )
        return sorted(set(value), key=spec.choices.index)
    if kind is SettingKind.WINDOW:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise SettingError(key, f"expected a window HH:MM-HH:MM, got {value!r}")
        try:
            return str(parse_window(value))
        except ValueError as exc:
            raise SettingError(key, str(exc)) from None
    if not isinstance(value, str):
        raise SettingError(key, f"expected text, got {value!r}")
    if value != value.strip():
        raise SettingError(key, "remove the spaces at the start or end")
    return value
