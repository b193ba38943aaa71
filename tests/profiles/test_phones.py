"""The phone fast path (a replay of phonenumbers' parse + is_valid_number on its own metadata)
agrees with phonenumbers itself; country codes and fixes."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.profiles.phones import (
    country_fix,
    is_valid_phone,
    oracle_is_valid,
    phone_fix,
    replay_is_valid,
)

REGIONS = ("US", "GB", "DE", "FR", "AU", "IN", "BR")
TYPES = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE,
         phonenumbers.PhoneNumberType.TOLL_FREE)


def _examples(region: str) -> list[str]:
    numbers = []
    for kind in TYPES:
        example_number = phonenumbers.example_number_for_type(region, kind)
        if example_number is not None:
            numbers.append(phonenumbers.national_significant_number(example_number))
    return numbers


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, str]:
    """Digit strings around real numbering plans: an example number of the region with some
    digits changed, cut or added, with or without the national prefix or calling code, and
    plain random digits."""
    region = draw(st.sampled_from(REGIONS))
    digits = st.text(alphabet="0123456789", min_size=1, max_size=4)
    base = draw(st.sampled_from(_examples(region)) | st.text("0123456789", min_size=3,
                                                                 max_size=17))
    chars = list(base)
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, max(len(chars) - 1, 0)))
        if chars:
            chars[position] = draw(st.sampled_from("0123456789"))
    number = "".join(chars)
    shape = draw(st.sampled_from(["as is", "prefix", "cut", "grow", "calling code", "idd"]))
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    assert metadata is not None
    if shape == "prefix":
        number = (metadata.national_prefix or "0") + number
    elif shape == "cut":
        number = number[: draw(st.integers(1, len(number)))]
    elif shape == "grow":
        number += draw(digits)
    elif shape == "calling code":
        number = str(metadata.country_code) + number
    elif shape == "idd":
        number = "00" + str(metadata.country_code) + number
    return region, number


@settings(max_examples=1_200, deadline=None)
@given(numbers())
@example(("GB", "07400123456"))
@example(("GB", "7400123456"))  # a lost leading zero still parses in GB
@example(("US", "12015550123"))
@example(("BR", "011961234567"))  # BR's national prefix transform rule
@example(("AU", "0011441234567890"))
@example(("DE", "030123456"))
def test_replay_agrees_with_phonenumbers(case: tuple[str, str]) -> None:
    region, number = case
    fast = replay_is_valid(region, number)
    if fast is not None:
        assert fast == oracle_is_valid(region, number), (region, number)
    assert is_valid_phone(region, number) == oracle_is_valid(region, number)


@pytest.mark.parametrize("region", REGIONS)
def test_replay_covers_ordinary_national_numbers(region: str) -> None:
    """The fast path really is used for the numbers people write (national form)."""
    for number in _examples(region):
        national = phonenumbers.format_number(phonenumbers.parse(number, region),
                                              phonenumbers.PhoneNumberFormat.NATIONAL)
        digits = "".join(ch for ch in national if ch.isdigit())
        assert replay_is_valid(region, digits) is True, (region, digits)


def test_guernsey_range_is_valid_with_gb() -> None:
    """A GB number whose range phonenumbers assigns to GG stays valid with the user's "GB"."""
    number = phonenumbers.national_significant_number(
        phonenumbers.example_number_for_type("GG", phonenumbers.PhoneNumberType.MOBILE))
    assert phonenumbers.region_code_for_number(phonenumbers.parse(number, "GB")) == "GG"
    assert is_valid_phone("GB", number)


@pytest.mark.parametrize(("text", "fix"), [
    ("UK", "GB"), ("uk", "GB"), ("us", "US"), ("USA", "US"), ("United Kingdom", "GB"),
    ("+44", "GB"), ("44", "GB"), ("+1", "US"), ("0049", "DE"), ("XX", None), ("", None),
    ("Narnia", None), ("999", None)])
def test_country_fix(text: str, fix: str | None) -> None:
    assert country_fix(text) == fix


@pytest.mark.parametrize(("region", "text", "fix"), [
    ("US", "(201) 555-0123", "2015550123"),
    ("US", "+1 201 555 0123", "2015550123"),
    ("US", "201.555.0123", "2015550123"),
    ("GB", "+44 7400 123456", "07400123456"),
    ("GB", "0044 121 234 5678", "01212345678"),
    ("GB", "+1 201 555 0123", None),  # another country's number: the country code is wrong
    ("US", "2015550123.0", "2015550123"),
    ("US", "201-555-0123 x45", None),  # the extension would be lost
    (None, "201-555-0123", "2015550123"),
    ("US", "call me", None),
])
def test_phone_fix(region: str | None, text: str, fix: str | None) -> None:
    assert phone_fix(region, text) == fix
