"""Scheduled windows (`HH:MM-HH:MM`, may cross midnight, `24:00` as an end) and the parsing of
typed setting values: booleans in six words, whole numbers, choices (docs/rules.md)."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import RuleViolation, SettingError
from app.domain.policy_types import POLICY_TYPES
from app.domain.settings import (
    FALSE_WORDS,
    TRUE_WORDS,
    SettingKind,
    SettingSpec,
    check_value,
    parse_bool,
    parse_value,
)
from app.domain.windows import MINUTES_PER_DAY, TimeWindow, describe_minutes, parse_window

# --- parse_window: examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "duration", "crosses", "shown"),
    [
        ("08:00-12:00", 8 * 60, 12 * 60, 240, False, "08:00-12:00"),
        ("22:00-04:00", 22 * 60, 4 * 60, 360, True, "22:00-04:00"),
        ("23:30-00:30", 23 * 60 + 30, 30, 60, True, "23:30-00:30"),
        ("20:00-24:00", 20 * 60, 0, 240, True, "20:00-00:00"),
        ("00:00-24:00", 0, 0, 1440, True, "00:00-00:00"),
        ("23:59-00:00", 23 * 60 + 59, 0, 1, True, "23:59-00:00"),
        ("00:00-00:01", 0, 1, 1, False, "00:00-00:01"),
        ("9:05-13:05", 9 * 60 + 5, 13 * 60 + 5, 240, False, "09:05-13:05"),
        ("  22:00 - 02:00  ", 22 * 60, 2 * 60, 240, True, "22:00-02:00"),
    ],
)
def test_parse_window_examples(
    *, text: str, start: int, end: int, duration: int, crosses: bool, shown: str
) -> None:
    window = parse_window(text)
    assert window == TimeWindow(start, end)
    assert window.duration_minutes == duration
    assert window.crosses_midnight is crosses
    assert str(window) == shown


def test_window_equal_start_and_end_is_the_whole_day() -> None:
    window = parse_window("10:00-10:00")
    assert window.duration_minutes == MINUTES_PER_DAY


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12:00",
        "noon-13:00",
        "1200-1300",
        "12:0-13:00",
        "12:00-13:0",
        "12:00 to 13:00",
        "12:00-13:00-14:00",
        "12.00-13.00",
        "-12:00-13:00",
        "123:00-13:00",
    ],
)
def test_malformed_windows_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a window; write it as HH:MM-HH:MM") as info:
        parse_window(text)
    assert f"'{text}'" in str(info.value)


@pytest.mark.parametrize(
    "text",
    ["24:00-02:00", "25:00-01:00", "23:60-01:00", "10:00-24:01", "10:00-24:30", "10:00-25:00",
     "10:00-11:60", "99:99-10:00"],
)
def test_times_that_do_not_exist_refused(text: str) -> None:
    with pytest.raises(ValueError, match="does not exist on a 24-hour clock"):
        parse_window(text)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0 min"), (1, "1 min"), (59, "59 min"), (60, "1 h"), (239, "3 h 59 min"), (240, "4 h"),
     (1440, "24 h"), (61, "1 h 1 min")],
)
def test_describe_minutes(minutes: int, text: str) -> None:
    assert describe_minutes(minutes) == text


# --- parse_window: properties ---------------------------------------------------------------

hours = st.integers(0, 23)
minutes = st.integers(0, 59)
ends = st.one_of(st.tuples(hours, minutes), st.just((24, 0)))


@given(
    start=st.tuples(hours, minutes),
    end=ends,
    pad_start=st.booleans(),
    spaces=st.sampled_from(["", " ", "  "]),
)
def test_any_valid_pair_parses(
    start: tuple[int, int], end: tuple[int, int], pad_start: bool, spaces: str
) -> None:
    h1, m1 = start
    h2, m2 = end
    first = f"{h1:02d}:{m1:02d}" if pad_start else f"{h1}:{m1:02d}"
    text = f"{spaces}{first}{spaces}-{spaces}{h2:02d}:{m2:02d}{spaces}"
    window = parse_window(text)
    start_minute, end_minute = h1 * 60 + m1, (h2 * 60 + m2) % MINUTES_PER_DAY
    assert (window.start_minute, window.end_minute) == (start_minute, end_minute)
    assert 1 <= window.duration_minutes <= MINUTES_PER_DAY
    expected = (end_minute - start_minute) % MINUTES_PER_DAY or MINUTES_PER_DAY
    assert window.duration_minutes == expected
    assert window.crosses_midnight is (end_minute <= start_minute)
    shown = str(window)
    assert re.fullmatch(r"\d\d:\d\d-\d\d:\d\d", shown)
    assert parse_window(shown) == window
    assert str(parse_window(shown)) == shown


@given(start=st.tuples(hours, minutes), end=ends)
def test_window_round_trips_through_check_value(
    start: tuple[int, int], end: tuple[int, int]
) -> None:
    """A window stored by a policy is the canonical text, and it reads back the same."""
    spec = POLICY_TYPES["os-patching-desktop"].spec("install_window")
    text = f"{start[0]}:{start[1]:02d}-{end[0]}:{end[1]:02d}"
    stored = check_value(spec, text)
    assert isinstance(stored, str)
    assert stored == str(parse_window(text))
    assert check_value(spec, stored) == stored


@given(h=st.integers(24, 99), m=minutes, end=st.tuples(hours, minutes))
def test_start_hour_beyond_23_refused(h: int, m: int, end: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="24-hour clock"):
        parse_window(f"{h:02d}:{m:02d}-{end[0]:02d}:{end[1]:02d}")


@given(start=st.tuples(hours, minutes), h=hours, m=st.integers(60, 99))
def test_minute_beyond_59_refused(start: tuple[int, int], h: int, m: int) -> None:
    with pytest.raises(ValueError, match="24-hour clock"):
        parse_window(f"{start[0]:02d}:{start[1]:02d}-{h:02d}:{m:02d}")


# --- booleans -----------------------------------------------------------------------------

SIX_WORDS = {"true": True, "false": False, "on": True, "off": False, "yes": True, "no": False}


def test_exactly_six_words() -> None:
    assert set(SIX_WORDS) == TRUE_WORDS | FALSE_WORDS
    assert not TRUE_WORDS & FALSE_WORDS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("TRUE", True), ("True", True), ("false", False), ("FaLsE", False),
     ("on", True), ("ON", True), ("oN", True), ("off", False), ("OFF", False), ("Off", False),
     ("yes", True), ("YES", True), ("yEs", True), ("no", False), ("NO", False), ("nO", False),
     (" yes ", True), ("\tno\n", False)],
)
def test_bool_words_any_case(raw: str, expected: bool) -> None:
    assert parse_bool("notification_balloon", raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "", "1", "0", "y", "n", "t", "f", "enabled", "yes!",
                                 "true false", "nope", "ja"])
def test_other_words_refused_naming_the_key(raw: str) -> None:
    with pytest.raises(SettingError) as info:
        parse_bool("notification_balloon", raw)
    assert info.value.key == "notification_balloon"
    assert str(info.value).startswith("notification_balloon: ")
    assert f"'{raw}'" in str(info.value)
    assert "true/false" in str(info.value)


@given(st.text(max_size=12))
def test_parse_bool_accepts_only_the_six_words(raw: str) -> None:
    word = raw.strip().lower()
    if word in SIX_WORDS:
        assert parse_bool("k", raw) is SIX_WORDS[word]
    else:
        with pytest.raises(SettingError) as info:
            parse_bool("k", raw)
        assert info.value.key == "k"


@given(
    word=st.sampled_from(sorted(SIX_WORDS)),
    data=st.data(),
    before=st.sampled_from(["", " ", "\t"]),
    after=st.sampled_from(["", " ", "\n"]),
)
def test_parse_bool_any_case_and_padding(
    word: str, data: st.DataObject, before: str, after: str
) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    mixed = "".join(c.upper() if up else c for c, up in zip(word, flips, strict=True))
    assert parse_bool("k", before + mixed + after) is SIX_WORDS[word]


@given(
    word=st.sampled_from(sorted(SIX_WORDS)),
    extra=st.text(alphabet=string.ascii_letters + "!01", min_size=1, max_size=3),
)
def test_a_word_with_extra_letters_is_refused(word: str, extra: str) -> None:
    with pytest.raises(SettingError):
        parse_bool("k", word + extra)


def test_bool_spec_refuses_non_bool_values_from_json() -> None:
    spec = POLICY_TYPES["remote-access"].spec("notification_balloon")
    for value in ("true", 1, 0, None, [True]):
        with pytest.raises(SettingError, match=r"^notification_balloon: expected true or false"):
            check_value(spec, value)
    assert check_value(spec, True) is True
    assert parse_value(spec, "Off") is False


# --- other kinds ---------------------------------------------------------------------------


def test_int_values() -> None:
    spec = POLICY_TYPES["rmm-site-configuration"].spec("noc_access_level")
    assert parse_value(spec, " 2 ") == 2
    with pytest.raises(SettingError, match=r"^noc_access_level: 'two' is not a whole number"):
        parse_value(spec, "two")
    with pytest.raises(SettingError, match=r"^noc_access_level: '1.5' is not a whole number"):
        parse_value(spec, "1.5")
    with pytest.raises(SettingError, match="expected a whole number"):
        check_value(spec, True)
    with pytest.raises(SettingError, match="expected a whole number"):
        check_value(spec, "2")


def test_choice_values_are_case_insensitive_on_input() -> None:
    spec = POLICY_TYPES["os-patching-server"].spec("classification.security")
    assert parse_value(spec, "Deploy-All") == "deploy-all"
    with pytest.raises(SettingError, match=r"^classification\.security: 'deploy-some'"):
        parse_value(spec, "deploy-some")


def test_multi_choice_values_sorted_and_deduplicated() -> None:
    spec = POLICY_TYPES["psa-integration"].spec("ticket_severities")
    assert parse_value(spec, "low, critical,LOW, high") == ["critical", "high", "low"]
    with pytest.raises(SettingError, match="urgent not allowed"):
        parse_value(spec, "critical,urgent")


def test_text_values_refuse_surrounding_spaces_from_json() -> None:
    spec = POLICY_TYPES["psa-integration"].spec("service_board")
    assert parse_value(spec, "  Remote Support  ") == "Remote Support"
    with pytest.raises(SettingError, match="remove the spaces"):
        check_value(spec, " Remote Support")
    with pytest.raises(SettingError, match="expected text"):
        check_value(spec, 5)


def test_window_kind_empty_means_unset() -> None:
    spec = POLICY_TYPES["os-patching-desktop"].spec("reboot_window")
    assert parse_value(spec, "") is None
    assert check_value(spec, None) is None
    with pytest.raises(SettingError, match=r"^reboot_window: 'soon' is not a window"):
        parse_value(spec, "soon")
    with pytest.raises(SettingError, match="expected a window"):
        check_value(spec, 60)


def test_setting_error_is_a_rule_violation() -> None:
    spec = SettingSpec("flag", "Flag", SettingKind.BOOL, False)
    with pytest.raises(RuleViolation):
        parse_value(spec, "maybe")
