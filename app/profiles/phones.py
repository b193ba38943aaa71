"""Phone numbers and their country codes, checked against phonenumbers' own metadata.

`phonenumbers.parse` + `is_valid_number` is the oracle, at about 25–36 µs a number. Most cells
are plain digits in their own country, and for those `is_valid_phone` replays what `parse` and
`is_valid_number` would do, step by step, with the same metadata (`PhoneMetadata`: international
prefix, national prefix for parsing, possible lengths, the general and per-type national number
patterns, the leading digits that pick a region among those sharing a calling code) in about a
microsecond. Anything the replay does not cover returns to the oracle: an international prefix
or the calling code at the start, a national-prefix transform rule (BR, AR, …), non-digits. A
hypothesis test holds the replay to `is_valid_number` for US, GB, DE, FR, AU, IN and BR.

`fast_source` spells the replay's plain routes out as one regular expression per region (no
Python call per number), for the validator's bulk row screen; what it does not match takes the
replay and the oracle as before.

Validity follows `is_valid_number` (any region of the calling code), not the stricter
`is_valid_number_for_region`: a GB mobile whose range belongs to Guernsey is valid with "GB",
and the user's country code is kept as given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneMetadata, PhoneNumberFormat

__all__ = [
    "REGIONS",
    "country_fix",
    "is_valid_phone",
    "oracle_is_valid",
    "phone_fix",
    "replay_is_valid",
]

REGIONS: frozenset[str] = frozenset(r for r in phonenumbers.SUPPORTED_REGIONS if r.isalpha())
MAX_NSN_LENGTH = 17

# Codes and names people write instead of the ISO 3166 alpha-2 code, with the code they mean.
_COUNTRY_ALIASES: dict[str, str] = {
    "UK": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB", "GREAT BRITAIN": "GB",
    "UNITED KINGDOM": "GB", "GBR": "GB", "USA": "US", "UNITED STATES": "US",
    "UNITED STATES OF AMERICA": "US", "AMERICA": "US", "CAN": "CA", "CANADA": "CA",
    "AUS": "AU", "AUSTRALIA": "AU", "NZL": "NZ", "NEW ZEALAND": "NZ", "IRL": "IE",
    "IRELAND": "IE", "DEU": "DE", "GERMANY": "DE", "FRA": "FR", "FRANCE": "FR", "ESP": "ES",
    "SPAIN": "ES", "ITA": "IT", "ITALY": "IT", "NLD": "NL", "NETHERLANDS": "NL", "BEL": "BE",
    "BELGIUM": "BE", "CHE": "CH", "SWITZERLAND": "CH", "AUT": "AT", "AUSTRIA": "AT",
    "IND": "IN", "INDIA": "IN", "BRA": "BR", "BRAZIL": "BR", "MEX": "MX", "MEXICO": "MX",
    "ZAF": "ZA", "SOUTH AFRICA": "ZA", "JPN": "JP", "JAPAN": "JP", "SWE": "SE", "SWEDEN": "SE",
    "NOR": "NO", "NORWAY": "NO", "DNK": "DK", "DENMARK": "DK", "POL": "PL", "POLAND": "PL",
    "PRT": "PT", "PORTUGAL": "PT", "PHL": "PH", "PHILIPPINES": "PH", "SGP": "SG",
    "SINGAPORE": "SG",
}
_CALLING_CODE = re.compile(r"\+?0{0,2}([1-9][0-9]{0,2})")


def country_fix(text: str) -> str | None:
    """The ISO 3166 alpha-2 code meant by a country-code cell that is not one ("UK" → "GB",
    "us" → "US", "USA" → "US", "+44" → "GB"), or None when it cannot be told."""
    value = " ".join(text.split()).upper()
    if value in REGIONS:
        return value
    if value in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[value]
    match = _CALLING_CODE.fullmatch(value)
    if match:
        region = phonenumbers.region_code_for_country_code(int(match.group(1)))
        if region in REGIONS:
            return region
    return None


# --- the replay ----------------------------------------------------------------------------

# Every type of `_number_type_helper`; for validity their order is free, so the common ones go
# first (alternatives of the combined pattern are tried in order).
_TYPE_DESCS = ("mobile", "fixed_line", "toll_free", "premium_rate", "shared_cost", "voip",
               "personal_number", "pager", "uan", "voicemail")


@dataclass(frozen=True, slots=True)
class _RegionRule:
    """`_number_type_helper(n, metadata) != UNKNOWN` for one region as one regular expression:
    the general description (pattern and possible lengths) as lookaheads, then any number type,
    each behind a lookahead for its own possible lengths (`_is_number_matching_desc`)."""

    leading: re.Pattern[str] | None
    pattern: re.Pattern[str]


def _lengths(lengths: Iterable[int], end: str = r"\Z") -> str:
    """A lookahead that the rest of the string (up to `end`) has one of these lengths ("" for
    any)."""
    wanted = sorted(set(lengths))
    if not wanted:
        return ""
    return "(?=(?:" + "|".join(f"[0-9]{{{n}}}" for n in wanted) + f"){end})"

@dataclass(slots=True)
class _Plan:
    """What `parse(digits, region)` + `is_valid_number` need, for one default region."""

    bail: re.Pattern[str]  # the calling code or the international prefix at the start
    national_prefix: re.Pattern[str] | None
    has_transform: bool
    general: re.Pattern[str] | None  # for "is the number viable" (pattern only, like parse)
    strip_lengths: frozenset[int]  # lengths `_test_number_length` lets parse strip down to
    main: _RegionRule  # the first region of the calling code (the main country)
    others: tuple[str, ...]  # the other regions of the calling code, in phonenumbers' order
    rules: tuple[_RegionRule, ...] | None = None  # their rules, compiled when first needed
    replayable: bool = True  # False once one of `others` turned out not to be replayable

    def other_rules(self) -> tuple[_RegionRule, ...] | None:
        """The rules of `others` (None when one of them cannot be replayed)."""
        if self.rules is None and self.replayable:
            rules = [_region_rule(m) for m in map(_metadata, self.others) if m is not None]
            if any(rule is None for rule in rules):
                self.replayable = False  # the oracle decides for such numbers
            else:
                self.rules = tuple(r for r in rules if r is not None)
        return self.rules


def _metadata(region: str) -> PhoneMetadata | None:
    return PhoneMetadata.metadata_for_region(region, None)


def _rule_source(metadata: PhoneMetadata, end: str = r"\Z") -> str | None:
    """The source of `_RegionRule.pattern`, matched up to `end` (a fullmatch with "\\Z")."""
    general = metadata.general_desc
    if general is None or not general.national_number_pattern:
        return None
    grouped: dict[tuple[int, ...], list[str]] = {}
    for name in _TYPE_DESCS:
        desc = getattr(metadata, name)
        if desc is not None and desc.national_number_pattern:
            key = tuple(sorted(set(desc.possible_length)))
            grouped.setdefault(key, []).append(desc.national_number_pattern)
    if not grouped:
        return None
    types = "|".join(_lengths(lengths, end) + "(?:" + "|".join(f"(?:{p})" for p in
                                                               dict.fromkeys(patterns)) + ")"
                     for lengths, patterns in grouped.items())
    return (f"(?=(?:{general.national_number_pattern}){end})"
            + _lengths(general.possible_length, end) + f"(?:{types})")


def _region_rule(metadata: PhoneMetadata) -> _RegionRule | None:
    pattern = _rule_source(metadata)
    if pattern is None:
        return None
    return _RegionRule(re.compile(metadata.leading_digits) if metadata.leading_digits else None,
                       re.compile(pattern))


_PLANS: dict[str, _Plan | None] = {}


def _plan(region: str) -> _Plan | None:
    if region in _PLANS:
        return _PLANS[region]
    metadata = _metadata(region)
    plan: _Plan | None = None
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(
        metadata.country_code if metadata is not None and metadata.country_code else -1, ())
    first = _metadata(regions[0]) if regions else None
    main = _region_rule(first) if first is not None else None
    if metadata is not None and metadata.general_desc is not None and main is not None:
        general = metadata.general_desc
        bail = re.escape(str(metadata.country_code))
        if metadata.international_prefix:
            bail = f"(?:{bail})|(?:{metadata.international_prefix})"
        possible = tuple(general.possible_length)
        local = frozenset(general.possible_length_local_only or ())
        plan = _Plan(
            re.compile(bail),
            re.compile(metadata.national_prefix_for_parsing)
            if metadata.national_prefix_for_parsing else None,
            bool(metadata.national_prefix_transform_rule),
            re.compile(general.national_number_pattern)
            if general.national_number_pattern else None,
            frozenset(n for n in range(MAX_NSN_LENGTH + 1)
                      if _length_allows_stripping(n, possible, local)),
            main,
            tuple(regions[1:]),
        )
    _PLANS[region] = plan
    return plan


def _length_allows_stripping(size: int, possible: Sequence[int], local: frozenset[int]) -> bool:
    """`_test_number_length(stripped)` not in (TOO_SHORT, IS_POSSIBLE_LOCAL_ONLY,
    INVALID_LENGTH)."""
    if size in local or not possible:
        return False
    if possible[0] == size:
        return True
    if possible[0] > size:
        return False
    return possible[-1] < size or size in possible[1:]


def replay_is_valid(region: str, digits: str) -> bool | None:
    """`is_valid_number(parse(digits, region))` for plain digits, or None where the replay does
    not apply (the caller then asks phonenumbers)."""
    if not 3 <= len(digits) <= MAX_NSN_LENGTH or not (digits.isascii() and digits.isdigit()):
        return None
    plan = _PLANS[region] if region in _PLANS else _plan(region)
    if plan is None or plan.bail.match(digits):
        return None  # parse would look for a country calling code: the oracle's job
    national = digits
    prefix = plan.national_prefix
    if prefix is not None:
        match = prefix.match(digits)
        if match:
            if plan.has_transform:
                groups = match.groups()
                if not groups or groups[-1] is not None:
                    return None
            stripped = digits[match.end():]
            general = plan.general
            # parse keeps the prefix when the number was viable with it and is not without it
            keeps = (general is not None and general.fullmatch(digits) is not None
                     and general.fullmatch(stripped) is None)
            if not keeps and len(stripped) in plan.strip_lengths:
                national = stripped
    # `region_code_for_number` picks the first region whose leading digits match, or whose
    # patterns know the number; the number is valid when that region's patterns know it.
    main = plan.main
    if not plan.others:  # one region: it is the number's region
        return main.pattern.fullmatch(national) is not None
    if main.leading is not None:
        if main.leading.match(national):
            return main.pattern.fullmatch(national) is not None
    elif main.pattern.fullmatch(national) is not None:
        return True
    rules = plan.other_rules()
    if rules is None:
        return None
    for rule in rules:
        if rule.leading is not None:
            if rule.leading.match(national):
                return rule.pattern.fullmatch(national) is not None
        elif rule.pattern.fullmatch(national) is not None:
            return True
    return False


def oracle_is_valid(region: str, text: str) -> bool:
    """phonenumbers itself: parse `text` in `region`, then `is_valid_number`."""
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


@lru_cache(maxsize=16_384)  # repeated numbers: shared office lines, re-validation
def is_valid_phone(region: str, digits: str) -> bool:
    """Whether a digits-only phone number is valid for the 2-letter region (cached)."""
    fast = replay_is_valid(region, digits)
    return oracle_is_valid(region, digits) if fast is None else fast


_EXTENSION = re.compile(r"(?:e?xt?\.?|extension|#)\s*[0-9]+\s*$", re.IGNORECASE)
_DECIMAL_ZERO = re.compile(r"([0-9]+)\.0+")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if "0" <= ch <= "9")


def phone_fix(region: str | None, text: str) -> str | None:
    """The digits-only form of a phone cell that has other characters, or None when it cannot
    be proposed safely (an extension would be lost, or the number is for another country).

    With "+" or an international prefix, the number is parsed and its national form proposed
    ("+44 7911 123456" in GB → "07911123456"); otherwise the digits as written.
    """
    value = text.strip()
    decimal = _DECIMAL_ZERO.fullmatch(value)
    if decimal:
        return decimal.group(1)
    if _EXTENSION.search(value):
        return None
    digits = _digits(value)
    if not digits:
        return None
    plan = _plan(region) if region is not None else None
    international = value.startswith("+") or (
        plan is not None and plan.bail.match(digits) is not None)
    if region is not None and international:
        try:
            number = phonenumbers.parse(value, region)
        except NumberParseException:
            return None
        if number.country_code != phonenumbers.country_code_for_region(region):
            return None
        national = _digits(phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
        return national or None
    return digits


# --- the bulk screen -----------------------------------------------------------------------

def _own_route(region: str, plan: _Plan, first: PhoneMetadata, end: str) -> str | None:
    """For a region that is not the first of its calling code (CA, GG …): its own rule, reached
    when no region before it claims the number by its leading digits (as the replay walks)."""
    if region not in plan.others or plan.other_rules() is None:
        return None
    metadata = _metadata(region)
    rule = _rule_source(metadata, end) if metadata is not None else None
    if metadata is None or rule is None:
        return None
    earlier = [first, *(m for m in map(_metadata, plan.others[:plan.others.index(region)])
                        if m is not None)]
    claims = [m.leading_digits for m in earlier if m.leading_digits]
    if any(a in p for p in [*claims, metadata.leading_digits or ""]
           for a in ("^", "$", "\\A", "\\Z")):
        return None
    guard = "".join(f"(?!{c})" for c in claims)
    lead = f"(?={metadata.leading_digits})" if metadata.leading_digits else ""
    return f"{guard}{lead}(?:{rule}){end}"


def fast_source(region: str, end: str) -> str | None:
    """A regular expression (source) for digit strings, each followed by `end` (an assertion),
    for which `replay_is_valid(region, digits)` is certainly True, or None when there is none.

    It spells out the replay's plain routes: no calling code or international prefix at the
    start; then either no national prefix, or the prefix as `match` finds it (an atomic group
    commits to that same first match) with a rest that `parse` strips to; then the main region's
    rule (behind its leading digits when the calling code has other regions). Anything else
    (a transform rule, the other regions' numbers) does not match and the caller takes the
    exact path. `validation` embeds it in one expression per row, so a clean row's phones cost
    no Python call each; a hypothesis test holds it to `is_valid_number`.
    """
    plan = _plan(region)
    metadata = _metadata(region)
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(
        metadata.country_code if metadata is not None and metadata.country_code else -1, ())
    first = _metadata(regions[0]) if regions else None
    if plan is None or first is None:
        return None
    rule = _rule_source(first, end)
    parts = [plan.bail.pattern, first.leading_digits or "",
             plan.national_prefix.pattern if plan.national_prefix else "",
             plan.general.pattern if plan.general else ""]
    if rule is None or any(a in p for p in parts for a in ("^", "$", "\\A", "\\Z")):
        return None  # an anchor would not mean the same inside a row's expression
    lead = f"(?={first.leading_digits})" if plan.others and first.leading_digits else ""
    national = f"{lead}(?:{rule}){end}"
    own = _own_route(region, plan, first, end)
    if own is not None:
        national = f"(?:(?:{national})|(?:{own}))"
    digits = f"(?=[0-9]{{3,{MAX_NSN_LENGTH}}}{end})(?!{plan.bail.pattern})"
    prefix = plan.national_prefix
    if prefix is None:
        return digits + national
    routes = [f"(?!{prefix.pattern}){national}"]
    if not plan.has_transform and plan.general is not None:
        # parse strips the prefix when the rest is a viable number of a strippable length
        routes.append(f"(?>{prefix.pattern})(?=(?:{plan.general.pattern}){end})"
                      f"{_lengths(sorted(plan.strip_lengths), end)}{national}")
    return digits + "(?:" + "|".join(f"(?:{r})" for r in routes) + ")"
