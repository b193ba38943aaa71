"""How setting values and their sources read in tables (pure helpers, no widgets)."""

from __future__ import annotations

from app.domain.errors import PreflightError
from app.domain.settings import SettingValue
from app.services.policies import PolicyService

LEVEL_LABELS = {
    "default-package": "Default package",
    "site-package": "Site package",
    "device-override": "Device override",
}
NOT_SET = "—"


def format_value(type_id: str, key: str, value: SettingValue) -> str:
    """A setting's value as the policy editor words it (choice labels, On/Off, lists)."""
    if value is None or value in ("", []):
        return NOT_SET
    if isinstance(value, bool):
        return "On" if value else "Off"
    try:
        spec = PolicyService.type_spec(type_id).spec(key)
    except (PreflightError, KeyError):
        spec = None
    if isinstance(value, list):
        return ", ".join(spec.label_for(v) if spec else v for v in value)
    if isinstance(value, str) and spec is not None:
        return spec.label_for(value)
    return str(value)


def level_label(level: str) -> str:
    return LEVEL_LABELS.get(level, level)


def type_labels() -> dict[str, str]:
    return {t.id: t.label for t in PolicyService.types()}
