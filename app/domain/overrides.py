"""What a device may set for itself (docs/rules.md, "Assignment and inheritance"): a setting of
a Devices policy type that applies to the device's kind, valid for its spec and its type's
rules (an overridden install window is still at least 4 hours). The service checks it before
saving; the desktop checks it as the user types, with the same words."""

from __future__ import annotations

from app.domain.errors import RuleViolation, SettingError
from app.domain.policy_types import Category, applies_to, device_kind_problem, policy_type
from app.domain.settings import SettingValue, check_value, parse_value


def can_override(type_id: str, device_kind: str) -> bool:
    """Whether a device of `device_kind` may override settings of `type_id`."""
    return policy_type(type_id).category is Category.DEVICES and applies_to(type_id, device_kind)


def override_value(device_name: str, device_kind: str, type_id: str, key: str,
                   value: SettingValue | str, *, from_text: bool = False) -> SettingValue:
    """The typed value a device overriding `type_id`.`key` with `value` gets; RuleViolation
    naming the device and the setting otherwise. `from_text`: `value` is typed text (CLI)."""
    try:
        ptype = policy_type(type_id)
    except RuleViolation as exc:
        raise RuleViolation(f"device '{device_name}': {exc}") from None
    if ptype.category is not Category.DEVICES:
        raise RuleViolation(
            f"device '{device_name}': '{type_id}' is a Sites policy type; devices can override "
            "only Devices types"
        )
    wrong_kind = device_kind_problem(type_id, device_name, device_kind)
    if wrong_kind is not None:
        raise RuleViolation(wrong_kind)
    try:
        return _typed(type_id, key, value, from_text)
    except SettingError as exc:
        raise RuleViolation(f"device '{device_name}': {type_id}.{exc}") from None


def value_problem(type_id: str, key: str, value: SettingValue) -> str | None:
    """Why a device cannot hold `value` for `type_id`.`key` (its spec, its type's rules), as
    a form words it under the field: the reason alone; None when it can. Which devices may
    override the type at all is `can_override`."""
    try:
        _typed(type_id, key, value, from_text=False)
    except SettingError as exc:
        return exc.reason
    return None


def _typed(type_id: str, key: str, value: SettingValue | str, from_text: bool) -> SettingValue:
    ptype = policy_type(type_id)
    spec = ptype.spec(key)
    typed = parse_value(spec, str(value)) if from_text else check_value(spec, value)
    for rule in ptype.rules:  # e.g. an overridden install window is still >= 4 h
        problems = rule({key: typed})
        if problems:
            raise problems[0]
    return typed
