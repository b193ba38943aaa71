"""Errors the domain raises. Each says which object and which rule, in one line."""

from __future__ import annotations


class PreflightError(Exception):
    """Base of every error meant for the user (never a bug)."""


class RuleViolation(PreflightError):
    """A domain rule or a validation refused the change; nothing was changed (CLI exit 1)."""


class NotFound(RuleViolation):
    """An object named by id or name does not exist (CLI exit 1)."""


class Ambiguous(RuleViolation):
    """A name matches more than one object; the user must use the id (CLI exit 1)."""


class SettingError(RuleViolation):
    """A policy setting is unknown or has a bad value. `key` names the setting."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.reason = message


class PolicyRuleError(RuleViolation):
    """One or more settings of a policy break its type's rules."""

    def __init__(self, policy_name: str, problems: list[SettingError]) -> None:
        joined = "; ".join(str(p) for p in problems)
        super().__init__(f"policy '{policy_name}': {joined}")
        self.policy_name = policy_name
        self.problems = problems
