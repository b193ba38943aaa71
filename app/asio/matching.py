"""Which platform object is which of ours (pure). In order: the id we stored (a link), our id
in the object's `externalIds` (or found by the mapping lookup), then the name — and a name
shared by several candidates is reported, never guessed."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


class Remote(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def our_ids(self) -> tuple[str, ...]: ...


def name_key(name: str) -> str:
    """Names compare as the workspace compares them: NFKC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True)
class Match:
    local_id: str
    remote_id: str | None  # None: not on the platform (or ambiguous)
    how: str  # linked | external-id | lookup | name | ambiguous | none | gone
    candidates: tuple[str, ...] = ()  # the remote ids sharing the name, when ambiguous


def match(locals_: Sequence[tuple[str, str]], remotes: Sequence[Remote],
          links: Mapping[str, str], found: Mapping[str, str] | None = None) -> dict[str, Match]:
    """Match (local id, name) pairs with remote objects. `links`: local id → the remote id we
    stored; `found`: local id → remote id from the mapping lookup."""
    by_id = {r.id: r for r in remotes}
    by_ours: dict[str, str] = {}
    for r in remotes:
        for ours in r.our_ids:
            by_ours.setdefault(ours, r.id)
    taken: set[str] = set()
    result: dict[str, Match] = {}
    pending: list[tuple[str, str]] = []
    for local_id, name in locals_:
        linked = links.get(local_id)
        if linked is not None:
            result[local_id] = Match(local_id, linked, "linked" if linked in by_id else "gone")
            taken.add(linked)
        elif local_id in by_ours:
            result[local_id] = Match(local_id, by_ours[local_id], "external-id")
            taken.add(by_ours[local_id])
        elif found and local_id in found:
            result[local_id] = Match(local_id, found[local_id], "lookup")
            taken.add(found[local_id])
        else:
            pending.append((local_id, name))
    by_name: dict[str, list[str]] = {}
    for r in remotes:
        if r.id not in taken:
            by_name.setdefault(name_key(r.name), []).append(r.id)
    local_names: dict[str, int] = {}
    for _, name in pending:
        local_names[name_key(name)] = local_names.get(name_key(name), 0) + 1
    for local_id, name in pending:
        candidates = by_name.get(name_key(name), [])
        if len(candidates) == 1 and local_names[name_key(name)] == 1:
            result[local_id] = Match(local_id, candidates[0], "name")
        elif candidates:
            result[local_id] = Match(local_id, None, "ambiguous", tuple(candidates))
        else:
            result[local_id] = Match(local_id, None, "none")
    return result
