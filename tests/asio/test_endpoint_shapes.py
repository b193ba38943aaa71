"""An endpoints page is read alike whatever shape each item takes: the document's own shape
(read in line, since a pull reads tens of thousands) and every other accepted one give the
same endpoint as reading the item alone, and an item that cannot be read fails with the same
message, naming its place on the page."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.asio.errors import AsioShapeError
from app.asio.models import RemoteEndpoint, parse_endpoint_page

WHERE = "POST /endpoints (page 2)"

_text = st.sampled_from(["WS-01", "  FRONT DESK  ", "", "   ", "Büro-Ärztin", "db server 3"])
_value = st.one_of(_text, st.none(), st.integers(-2, 12), st.booleans(),
                   st.just({"product": "Windows 11 Pro"}), st.just(["Server"]))
_kind = st.sampled_from(["Desktop", "Server", "SERVER-VM", "laptop", "", None, 3, True])
_documents = st.fixed_dictionaries(  # the document's shape, and near it
    {"endpointID": st.sampled_from(["e-1", " e-2 ", "", 4]),
     "friendlyName": st.sampled_from(["WS-01", "  FRONT DESK  ", "   ", None]),
     "type": _kind},
    optional={"os": st.sampled_from(["Windows 11 Pro", "", None, 0, {"name": "macOS"}]),
              "endpointType": _kind, "resourceType": _kind, "deviceName": _text})
_items = st.one_of(
    _documents,
    st.dictionaries(st.sampled_from(["endpointID", "endpointId", "id", "friendlyName",
                                     "deviceName", "name", "type", "endpointType",
                                     "resourceType", "os"]), _value, max_size=6),
    st.sampled_from(["just text", 7, None, ["a list"]]),
)

def _page(items: list[Any]) -> dict[str, Any]:
    return {"platform": [{"companyID": "c-1", "siteID": "s-1", "endpoints": items}]}


def _alone(item: Any, index: int) -> RemoteEndpoint | str:
    try:
        return RemoteEndpoint.parse(item, f"{WHERE}.platform[0].endpoints[{index}]", "c-1",
                                    "s-1")
    except AsioShapeError as exc:
        return str(exc)


@settings(max_examples=600, deadline=None)
@given(st.lists(_items, max_size=4))
def test_a_page_reads_each_item_as_it_reads_alone(items: list[Any]) -> None:
    expected = [_alone(item, i) for i, item in enumerate(items)]
    failures = [e for e in expected if isinstance(e, str)]
    if failures:
        with pytest.raises(AsioShapeError) as caught:
            parse_endpoint_page(_page(items), WHERE)
        assert str(caught.value) == failures[0]
    else:
        assert parse_endpoint_page(_page(items), WHERE) == expected


def test_the_documents_shape_and_others_side_by_side() -> None:
    items = [
        {"endpointID": " e-1 ", "friendlyName": " WS-01 ", "type": "Desktop"},
        {"endpointID": "e-2", "friendlyName": "DC-01", "type": "Windows Server",
         "os": "Windows Server 2022", "extra": {"ignored": True}},
        {"endpointID": "e-3", "friendlyName": "NAS", "type": "Desktop",
         "endpointType": "Server"},  # any kind field saying server makes a server
        {"endpointId": "e-4", "deviceName": "LAPTOP-7", "endpointType": "Laptop",
         "os": {"product": "Windows 11 Pro"}},
        {"id": 5, "friendlyName": "   ", "name": "Kiosk"},
        {"endpointID": "e-6", "friendlyName": "HV-01", "type": "Desktop",
         "resourceType": "server"},
        {"endpointID": "e-7", "friendlyName": "MAC-01", "type": "Desktop",
         "os": {"name": "macOS"}},
        {"endpointID": "e-8", "friendlyName": "OLD-01", "type": "Desktop", "os": 7},
        {"endpointID": "e-9", "friendlyName": "", "deviceName": "PRINTER", "type": "Desktop"},
    ]
    assert parse_endpoint_page(_page(items), WHERE) == [
        RemoteEndpoint("e-1", "c-1", "s-1", "WS-01", "desktop", ""),
        RemoteEndpoint("e-2", "c-1", "s-1", "DC-01", "server", "Windows Server 2022"),
        RemoteEndpoint("e-3", "c-1", "s-1", "NAS", "server", ""),
        RemoteEndpoint("e-4", "c-1", "s-1", "LAPTOP-7", "desktop", "Windows 11 Pro"),
        RemoteEndpoint("5", "c-1", "s-1", "Kiosk", "desktop", ""),
        RemoteEndpoint("e-6", "c-1", "s-1", "HV-01", "server", ""),
        RemoteEndpoint("e-7", "c-1", "s-1", "MAC-01", "desktop", "macOS"),
        RemoteEndpoint("e-8", "c-1", "s-1", "OLD-01", "desktop", ""),
        RemoteEndpoint("e-9", "c-1", "s-1", "PRINTER", "desktop", ""),
    ]


@pytest.mark.parametrize(("item", "message"), [
    ({"endpointID": "  ", "friendlyName": "WS-01", "type": "Desktop"},
     "no endpointID / endpointId / id in an object with endpointID, friendlyName, type"),
    ("WS-01", "expected an object, got str 'WS-01'"),
])
def test_an_item_that_cannot_be_read_is_named_by_its_place(item: Any, message: str) -> None:
    good = {"endpointID": "e-1", "friendlyName": "WS-01", "type": "Desktop"}
    with pytest.raises(AsioShapeError) as caught:
        parse_endpoint_page(_page([good, item]), WHERE)
    assert str(caught.value) == f"{WHERE}.platform[0].endpoints[1]: {message}"
