"""Property test of the Package Builder through PackageService on a real workspace file: for any
sequence of add / remove / replace / save operations, each stored package keeps at least one
policy and at most one per type, or the operation is refused and nothing is written."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.errors import RuleViolation
from app.services.workspace import Workspace

TYPES = ["remote-access", "communicator", "help-desk-chat", "os-patching-server"]
PER_TYPE = 3
POLICY_NAMES = [f"{t} {i}" for t in TYPES for i in range(PER_TYPE)]
COUNTER = itertools.count()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, dict[str, str]]]:
    """One workspace for every example (a fresh file per example would cost 0.1 s each)."""
    path = tmp_path_factory.mktemp("props") / "props.preflight"
    ws = Workspace.open(path, create=True)
    ids = {name: ws.policies.create(name.rsplit(" ", 1)[0], name).id for name in POLICY_NAMES}
    yield ws, ids
    ws.close()


def _stored(path: Path, package_id: str) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(
            "SELECT type_id, policy_id FROM package_policies WHERE package_id = ? "
            "ORDER BY position", (package_id,)).fetchall()


def _outbox(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])


policy = st.sampled_from(POLICY_NAMES)
operation = st.one_of(
    st.tuples(st.just("add"), policy),
    st.tuples(st.just("remove"), policy),
    st.tuples(st.just("save"), st.lists(policy, max_size=4, unique=True)),
)


@settings(max_examples=25, deadline=None)
@given(first=st.lists(policy, min_size=1, max_size=4, unique=True),
       ops=st.lists(operation, max_size=12))
def test_stored_packages_keep_their_rules(shared: tuple[Workspace, dict[str, str]],
                                          first: list[str], ops: list[tuple[str, object]]) -> None:
    ws, ids = shared
    type_of = {ids[n]: n.rsplit(" ", 1)[0] for n in POLICY_NAMES}
    name = f"Package {next(COUNTER)}"
    saved = ws.packages.save(name, first)
    pid = saved.package.id
    model: dict[str, str] = {}
    for n in first:
        model.pop(type_of[ids[n]], None)
        model[type_of[ids[n]]] = ids[n]

    for op, arg in ops:
        before_rows = _stored(ws.path, pid)
        before_outbox = _outbox(ws.path)
        refused: RuleViolation | None = None
        try:
            model = _apply(ws, pid, name, ids=ids, type_of=type_of, model=model, op=op,
                           arg=arg)
        except RuleViolation as exc:
            refused = exc
        if refused is not None:
            assert op in ("remove", "save"), f"{op} refused: {refused}"
            assert _stored(ws.path, pid) == before_rows, "a refused change writes nothing"
            assert _outbox(ws.path) == before_outbox
            if op == "save":
                assert arg == []
            else:
                assert ids[str(arg)] not in dict(before_rows).values() or len(before_rows) == 1
            continue
        rows = _stored(ws.path, pid)
        types = [t for t, _ in rows]
        assert len(rows) >= 1
        assert len(types) == len(set(types))
        assert all(type_of[p] == t for t, p in rows)
        assert dict(rows) == model
        view = ws.packages.get(pid)
        assert [p.id for p in view.policies] == [p for _, p in rows]


def _apply(ws: Workspace, pid: str, name: str, *, ids: dict[str, str], type_of: dict[str, str],
           model: dict[str, str], op: str, arg: object) -> dict[str, str]:
    """Run one operation through the service; return what the package should now hold."""
    model = dict(model)
    if op == "add":
        assert isinstance(arg, str)
        result = ws.packages.add_policy(pid, arg)
        t = type_of[ids[arg]]
        previous = model.get(t)
        assert [r.id for r in result.replaced] == (
            [previous] if previous not in (None, ids[arg]) else [])
        if previous != ids[arg]:
            model.pop(t, None)
            model[t] = ids[arg]
        return model
    if op == "remove":
        assert isinstance(arg, str)
        ws.packages.remove_policy(pid, arg)
        return {t: p for t, p in model.items() if p != ids[arg]}
    assert isinstance(arg, list)
    ws.packages.save(name, arg, package_id=pid)
    model = {}
    for n in arg:
        model.pop(type_of[ids[n]], None)
        model[type_of[ids[n]]] = ids[n]
    return model
