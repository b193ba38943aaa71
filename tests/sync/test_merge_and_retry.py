"""The pure parts: the three-way merge and the retry policy's arithmetic."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from app.sync.merge import DELETED, choose, flatten, merge, unflatten
from app.sync.retry import RetryPolicy, retry_after_seconds


def test_different_fields_merge_and_the_same_field_conflicts() -> None:
    base = {"name": "A", "settings": {"x": 1, "y": 1}}
    mine = {"name": "B", "settings": {"x": 2, "y": 1}}
    theirs = {"name": "A", "settings": {"x": 1, "y": 3}}
    result = merge(base, mine, theirs)
    assert result.clean
    assert result.merged == {"name": "B", "settings": {"x": 2, "y": 3}}
    clash = merge(base, {**mine, "name": "C"}, {**theirs, "name": "D"})
    assert clash.conflicts == ("name",)


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    assert merge({"a": 1}, {"a": 2}, {"a": 2}).clean


def test_without_a_base_every_difference_is_a_conflict() -> None:
    assert merge(None, {"a": 1, "b": 1}, {"a": 2, "b": 1}).conflicts == ("a",)


def test_delete_against_edit_and_delete_against_nothing() -> None:
    assert merge({"a": 1}, None, {"a": 2}).conflicts == (DELETED,)
    untouched = merge({"a": 1}, None, {"a": 1})
    assert untouched.clean
    assert untouched.merged is None
    assert merge({"a": 1}, None, None).merged is None


def test_choose_per_field() -> None:
    base = {"a": 1, "b": 1, "c": 1}
    mine = {"a": 2, "b": 2, "c": 1}
    theirs = {"a": 3, "b": 3, "c": 4}
    assert choose(base, mine, theirs, {"a": "mine", "b": "theirs"}) == {"a": 2, "b": 3, "c": 4}


values = st.one_of(st.integers(0, 3), st.booleans(), st.text(max_size=3))
payloads = st.dictionaries(st.sampled_from(["a", "b", "c"]), values, min_size=1)


@given(base=payloads, mine=payloads, theirs=payloads)
def test_merge_is_symmetric_in_its_conflicts(base: dict[str, Any], mine: dict[str, Any],
                                             theirs: dict[str, Any]) -> None:
    one, two = merge(base, mine, theirs), merge(base, theirs, mine)
    assert one.conflicts == two.conflicts
    if one.clean:
        assert one.merged == two.merged


@given(payload=st.dictionaries(st.sampled_from(["a", "b"]), st.one_of(
    values, st.dictionaries(st.sampled_from(["x", "y"]), values, min_size=1))))
def test_flatten_round_trips(payload: dict[str, Any]) -> None:
    assert unflatten(flatten(payload), payload) == payload


def test_full_jitter_stays_under_the_exponential_cap() -> None:
    policy = RetryPolicy(base=0.5, cap=4.0, rng=random.Random(1))
    for attempt in range(10):
        for _ in range(50):
            assert 0 <= policy.backoff(attempt) <= min(4.0, 0.5 * 2 ** attempt)


def test_retry_after_as_seconds_or_a_date() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True),
                               now=now) == 30.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_a_retry_after_too_long_is_not_waited_for() -> None:
    slept: list[float] = []

    async def sleep(delay: float) -> None:
        slept.append(delay)

    policy = RetryPolicy(sleep=sleep, max_retry_after=60)
    response = httpx.Response(429, headers={"Retry-After": "3600"})
    assert asyncio.run(policy.wait(0, response)) is False
    assert asyncio.run(policy.wait(0, httpx.Response(429, headers={"Retry-After": "2"})))
    assert slept == [2.0]
    assert asyncio.run(RetryPolicy(attempts=1, sleep=sleep).wait(0, None)) is False
