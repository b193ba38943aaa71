"""Objects are named by id or by exact name (docs/architecture.md §10)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from app.domain.errors import Ambiguous, NotFound

T = TypeVar("T")


def find_one(
    kind: str,
    ref: str,
    by_id: Callable[[str], T | None],
    by_name: Callable[[str], Sequence[T]],
    describe: Callable[[T], str] = lambda _o: "",
) -> T:
    found = by_id(ref)
    if found is not None:
        return found
    matches = list(by_name(ref.strip()))
    # The database compares names without case; an exact-case match wins when there are several.
    exact = [m for m in matches if getattr(m, "name", None) == ref.strip()]
    if len(matches) > 1 and len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"no {kind} with id or name '{ref}'")
    places = ", ".join(filter(None, (describe(m) for m in matches)))
    raise Ambiguous(f"{len(matches)} {kind}s are named '{ref}' ({places}); use the id")
