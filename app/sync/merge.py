"""Three-way merge of one record, field by field (pure functions, no I/O).

Fields are the payload's keys; an object-valued field (a policy's `settings`) is merged per key
inside it (`settings.rmm_enabled`), so edits of different settings of one policy merge too. A
field changed on one side only takes that side; changed on both sides to the same value is no
conflict; changed on both sides to different values is. A delete against an edit is a conflict
of the whole record (field `_deleted`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

Payload = dict[str, Any]
DELETED = "_deleted"
_MISSING = object()


def flatten(payload: Payload | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (payload or {}).items():
        if isinstance(value, dict) and value:
            for inner, item in value.items():
                out[f"{key}.{inner}"] = item
        else:
            out[key] = value
    return out


def unflatten(flat: dict[str, Any], shape: Payload | None = None) -> Payload:
    """Back from `flatten`; `shape` says which top-level fields are objects (even if empty)."""
    out: Payload = {}
    objects = {k for k, v in (shape or {}).items() if isinstance(v, dict)}
    for key, value in flat.items():
        head, dot, rest = key.partition(".")
        if dot and (head in objects or head not in flat):
            out.setdefault(head, {})[rest] = value
        else:
            out[key] = value
    for key in objects:
        out.setdefault(key, {})
    return out


def _same(left: Any, right: Any) -> bool:
    """Equal as JSON: `true` is not `1` (Python's True == 1 would merge one into the other)."""
    if left is _MISSING or right is _MISSING:
        return left is right
    if type(left) is type(right) and isinstance(left, str | int | float | type(None)):
        return bool(left == right)
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)


@dataclass(frozen=True)
class MergeResult:
    merged: Payload | None  # None: the merged record is deleted
    conflicts: tuple[str, ...]  # fields changed differently on both sides

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge(base: Payload | None, mine: Payload | None, theirs: Payload | None, *,
          base_deleted: bool = False) -> MergeResult:
    """`mine`/`theirs` None = deleted on that side; `base` None = no common ancestor known."""
    if mine is None and theirs is None:
        return MergeResult(None, ())
    if mine is None or theirs is None:
        kept = mine if mine is not None else theirs
        if base is not None and not base_deleted and kept == base:
            return MergeResult(None, ())  # one side deleted, the other did not touch it
        return MergeResult(None, (DELETED,))
    b, m, t = flatten(base), flatten(mine), flatten(theirs)
    merged: dict[str, Any] = {}
    conflicts: list[str] = []
    for key in sorted(set(m) | set(t)):
        mv, tv = m.get(key, _MISSING), t.get(key, _MISSING)
        bv = b.get(key, _MISSING) if base is not None else _MISSING
        if _same(mv, tv):
            value = mv
        elif base is not None and _same(mv, bv):
            value = tv
        elif base is not None and _same(tv, bv):
            value = mv
        else:
            conflicts.append(key)
            value = mv
        if value is not _MISSING:
            merged[key] = value
    shape = {**theirs, **mine}
    return MergeResult(unflatten(merged, shape), tuple(conflicts))


def choose(base: Payload | None, mine: Payload | None, theirs: Payload | None,
           choices: dict[str, str]) -> Payload | None:
    """The record after the user chose `mine` or `theirs` for each conflicting field; fields
    not named merge as `merge` does (and the user's choice wins for `_deleted`)."""
    if choices.get(DELETED) == "mine" and mine is None:
        return None
    if choices.get(DELETED) == "theirs" and theirs is None:
        return None
    if mine is None or theirs is None:
        return mine if choices.get(DELETED) == "mine" else theirs
    result = merge(base, mine, theirs)
    flat = flatten(result.merged)
    t = flatten(theirs)
    for key in result.conflicts:
        if choices.get(key, "mine") == "theirs":
            if key in t:
                flat[key] = t[key]
            else:
                flat.pop(key, None)
    return unflatten(flat, {**theirs, **mine})
