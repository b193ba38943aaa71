"""A client profile as an Asio contact, for names of any script and phone numbers of any
region written any way: always a valid `ContactCreateRequest` of the vendor's document, the
names kept, each phone as its ISO country code and national number."""

from __future__ import annotations

import httpx
import phonenumbers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.asio.contacts import contact_request, national_number
from tests.asio.vendor import NA, request_problems

REGIONS = sorted(r for r in phonenumbers.SUPPORTED_REGIONS
                 if phonenumbers.example_number_for_type(
                     r, phonenumbers.PhoneNumberType.MOBILE) is not None)
FORMATS = (phonenumbers.PhoneNumberFormat.E164, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
           phonenumbers.PhoneNumberFormat.NATIONAL)
names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                max_size=60).filter(lambda t: t.strip() != "")


def _valid(body: dict[str, object]) -> list[str]:
    return request_problems(httpx.Request("POST", f"{NA}/api/platform/v1/contact/contacts",
                                          json=body))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=names, last=names, title=st.text(max_size=40),
       email=st.emails().map(str) | st.just(""), region=st.sampled_from(REGIONS),
       style=st.sampled_from(FORMATS), designation=st.sampled_from(("mobile", "office",
                                                                   "home")))
def test_any_profile_maps_to_a_valid_contact(*, first: str, last: str, title: str,
                                             email: str, region: str, style: int,
                                             designation: str) -> None:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    written = phonenumbers.format_number(example, style)
    values = {"first_name": first, "last_name": last, "title": title, "email": email,
              f"{designation}_country_code": region.lower(), f"{designation}_phone": written,
              "office_extension": "42"}
    body = contact_request(values, "our-id", "ws-1", "company-1", "site-1")
    assert _valid(body) == []
    assert body["firstName"] == first.strip()
    assert body["lastName"] == last.strip()
    assert body["externalIds"] == [{"productId": "preflight", "productInstanceId": "ws-1",
                                    "externalId": "our-id"}]
    assert body["company"] == {"id": "company-1", "site": {"id": "site-1"}}
    (phone,) = body["phoneNumbers"]
    assert phone["countryCode"] == region
    assert phone["nationalNumber"] == phonenumbers.national_significant_number(example)
    assert phone["designation"] == designation.title()
    assert ("extension" in phone) == (designation == "office")
    if email:
        assert body["emails"] == [{"emailAddress": email, "primaryFlag": True}]
    else:
        assert "emails" not in body


@given(first=names)
def test_a_profile_with_one_name_still_fills_both_required_names(first: str) -> None:
    body = contact_request({"first_name": first}, "id", "ws", "c", "s")
    assert body["firstName"] == body["lastName"] == first.strip()
    assert _valid(body) == []


def test_a_number_without_a_country_code_is_left_out_not_guessed() -> None:
    body = contact_request({"first_name": "Ann", "last_name": "Lee", "mobile_phone": "0740012"},
                           "id", "ws", "c", "s")
    assert "phoneNumbers" not in body


def test_a_number_phonenumbers_cannot_parse_keeps_its_digits() -> None:
    assert national_number("GB", "ext. 12-34") == "1234"
    assert national_number("US", "+1 (213) 373-4253") == "2133734253"
    assert national_number("IT", "02 1234 5678") == "0212345678"  # Italy keeps its 0
