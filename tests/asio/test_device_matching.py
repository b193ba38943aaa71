"""`DeviceMatcher` takes the endpoints a part at a time, as the pages arrive: however they
are cut into parts, the result is the one of all of them at once (links kept, renamed,
moved or found by name; new devices in the same order, their ids one sorted series; the
vanished ones)."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from app.asio.device_matching import DeviceMatcher
from app.asio.models import RemoteEndpoint
from storage.asio_repository import Link

REMOTE_SITES = {"rs-1": "s-1", "rs-2": "s-2"}  # the platform's site id → ours
SITE_IDS = [*REMOTE_SITES, "rs-other"]  # "rs-other": a site not pulled
NAMES = ["PC-1", "pc-1", "PC-2", "Front Desk", "Ωμέγα"]

endpoints_strategy = st.lists(st.builds(
    lambda n, site, name, kind: RemoteEndpoint(f"ep-{n}", "rc-1", site, name, kind, "Windows"),
    st.integers(0, 12), st.sampled_from(SITE_IDS), st.sampled_from(NAMES),
    st.sampled_from(["Desktop", "Server"])), max_size=30)
links_strategy = st.dictionaries(
    st.integers(0, 12).map(lambda n: f"d-{n}"),
    st.builds(lambda n, site, name, state: (f"ep-{n}", site, name, state),
              st.integers(0, 14), st.sampled_from(SITE_IDS), st.sampled_from(NAMES),
              st.sampled_from(["linked", "vanished"])), max_size=8)
unlinked_strategy = st.dictionaries(
    st.sampled_from(list(REMOTE_SITES.values())),
    st.lists(st.builds(lambda n, name: (f"u-{n}", name), st.integers(0, 6),
                       st.sampled_from(NAMES)), max_size=4, unique_by=lambda d: d[0]),
    max_size=2)


def _matcher(links: dict[str, tuple[str, str, str, str]],
             unlinked: dict[str, list[tuple[str, str]]]) -> DeviceMatcher:
    held = {local: Link("device", local, remote, site, name, state)
            for local, (remote, site, name, state) in links.items()}
    return DeviceMatcher(dict(REMOTE_SITES), held, {k: list(v) for k, v in unlinked.items()})


@settings(max_examples=300, deadline=None)
@given(endpoints_strategy, links_strategy, unlinked_strategy,
       st.lists(st.integers(0, 30), max_size=6))
def test_any_cut_into_parts_gives_the_result_of_the_whole(
        endpoints: list[RemoteEndpoint], links: dict[str, tuple[str, str, str, str]],
        unlinked: dict[str, list[tuple[str, str]]], cuts: list[int]) -> None:
    whole = _matcher(links, unlinked)
    whole.feed(endpoints)
    parted = _matcher(links, unlinked)
    bounds = [0, *sorted(c for c in cuts if c <= len(endpoints)), len(endpoints)]
    handed = [parted.feed(endpoints[a:b]) for a, b in pairwise(bounds)]

    assert parted.links == whole.links
    assert parted.linked == whole.linked
    assert parted.vanished() == whole.vanished()

    def without_ids(matcher: DeviceMatcher) -> list[tuple[str, ...]]:
        return [(d.site_id, d.name, d.kind, d.os, d.remote_id, d.remote_parent_id,
                 d.remote_name) for d in matcher.new]

    assert without_ids(parted) == without_ids(whole)
    assert [d for part in handed for d in part] == parted.new
    ids = [d.id for d in parted.new]
    keys = [d.outbox_key for d in parted.new]
    assert ids == sorted(ids)  # one series across the parts: indexes are appended to
    assert keys == sorted(keys)
    assert len(set(ids + keys)) == 2 * len(ids)
    assert parted.local_of() == {**{x.remote_id: x.local_id for x in parted.links
                                    if x.state == "linked"},
                                 **{d.remote_id: d.id for d in parted.new}}


def test_known_renamed_found_by_name_new_and_vanished() -> None:
    held = {"d-1": Link("device", "d-1", "ep-1", "rs-1", "PC-1"),
            "d-2": Link("device", "d-2", "ep-2", "rs-1", "PC-2"),
            "d-3": Link("device", "d-3", "ep-3", "rs-2", "Gone"),
            "d-4": Link("device", "d-4", "ep-4", "rs-other", "Elsewhere")}
    matcher = DeviceMatcher(dict(REMOTE_SITES), held, {"s-2": [("u-1", "front  DESK")]})
    first = matcher.feed([RemoteEndpoint("ep-1", "rc", "rs-1", "PC-1", "Desktop", "Win"),
                          RemoteEndpoint("ep-2", "rc", "rs-1", "PC-2 (new)", "Desktop", "Win")])
    second = matcher.feed([RemoteEndpoint("ep-9", "rc", "rs-2", "Front Desk", "Desktop", "W"),
                           RemoteEndpoint("ep-1", "rc", "rs-2", "PC-1", "Desktop", "Win"),
                           RemoteEndpoint("ep-7", "rc", "rs-2", "X" * 300, "Server", "L"),
                           RemoteEndpoint("ep-8", "rc", "rs-other", "Not ours", "Desktop",
                                          "W")])
    assert first == []
    assert matcher.links == [held["d-1"],  # kept as it was: the very object
                             Link("device", "d-2", "ep-2", "rs-1", "PC-2 (new)"),
                             Link("device", "u-1", "ep-9", "rs-2", "Front Desk")]
    assert matcher.links[0] is held["d-1"]
    assert [(d.site_id, d.name, d.kind, d.remote_id, d.remote_parent_id, d.remote_name)
            for d in second] == [("s-2", "X" * 200, "Server", "ep-7", "rs-2", "X" * 300)]
    assert matcher.linked == 3
    assert matcher.vanished() == ([Link("device", "d-3", "ep-3", "rs-2", "Gone", "vanished")],
                                  1)
