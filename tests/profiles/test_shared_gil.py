"""`sorted_in_runs` is `sorted`: same order, same stability, both directions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.profiles.shared_gil import sorted_in_runs

# (key, original position): equal keys must keep their input order, as sorted() keeps it
pairs = st.lists(st.tuples(st.integers(0, 5), st.integers()), max_size=200)


@given(items=pairs, run=st.integers(1, 17), reverse=st.booleans())
def test_same_as_sorted(items: list[tuple[int, int]], run: int, reverse: bool) -> None:
    numbered = [(key, i) for i, (key, _) in enumerate(items)]

    def key(item: tuple[int, int]) -> int:
        return item[0]

    assert sorted_in_runs(numbered, key, reverse=reverse, run=run) == sorted(
        numbered, key=key, reverse=reverse)


def test_a_range_sorts_by_a_key_of_its_positions() -> None:
    names = ["b", "a", "c", "a"] * 3000
    order = sorted_in_runs(range(len(names)), key=names.__getitem__)
    assert order == sorted(range(len(names)), key=names.__getitem__)
