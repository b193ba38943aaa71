"""Rules for the names of companies, sites, policies and packages."""

from __future__ import annotations

from app.domain.errors import RuleViolation

MAX_NAME_LENGTH = 200


def clean_name(kind: str, raw: str) -> str:
    """Return the name without surrounding white space, or refuse it (1–200 characters)."""
    name = raw.strip()
    if not name:
        raise RuleViolation(f"{kind} name must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise RuleViolation(
            f"{kind} name must be at most {MAX_NAME_LENGTH} characters; "
            f"this one has {len(name)}"
        )
    if any(ord(ch) < 32 for ch in name):
        raise RuleViolation(f"{kind} name must not contain control characters (tab, new line)")
    return name
