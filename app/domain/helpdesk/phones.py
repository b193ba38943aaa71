"""A phone number as the Help Desk forms take it: a 2-letter country code and digits (seed 004).

One number at a time, so `phonenumbers.parse` + `is_valid_number` directly (~30 µs); the fast
replay of `app.profiles.phones` is for 100k-row imports, and the domain imports nothing of ours
outside `app.domain` (docs/architecture.md §1), so it is not reused here.
"""

from __future__ import annotations

from functools import cache

from app.domain.helpdesk.findings import Finding

# phonenumbers (and its metadata) is loaded by the first number checked, not at start.
# What people type instead of the ISO code; "UK" is the usual one (the ISO code is GB).
_ALIASES = {"UK": "GB", "USA": "US", "UNITED STATES": "US", "UNITED KINGDOM": "GB"}


def check_phone(section: str, field: str, label: str, country: str, digits: str, *,
                required: bool) -> list[Finding]:
    """Findings for a country code + number pair. `field` names the number; country-code
    findings use `field + "_country"`."""
    country_field = f"{field}_country"
    if not digits.strip():
        if country.strip():
            return [Finding(section, country_field, "error", "phone.country_without_number",
                            f"Remove the country code of the {label} or enter its number.", "")]
        if required:
            return [Finding(section, field, "error", "phone.required",
                            f"Enter the {label}: a 2-letter country code and the digits.")]
        return []
    code = country.strip().upper()
    if not code:
        return [Finding(section, country_field, "error", "phone.country_missing",
                        f"Enter the 2-letter country code of the {label} (US, GB, …).")]
    if code not in _regions():
        fix = _ALIASES.get(code)
        hint = f"; did you mean {fix}" if fix else " such as US or GB"
        return [Finding(section, country_field, "error", "phone.country_invalid",
                        f"'{country}' is not a 2-letter ISO country code{hint}?", fix)]
    if not digits.isascii() or not digits.isdigit():
        return [Finding(section, field, "error", "phone.not_digits",
                        f"Write the {label} with digits only: no spaces, hyphens, brackets or "
                        "+ (the country code is its own field).", _digits_fix(code, digits))]
    if not is_valid(code, digits):
        return [Finding(section, field, "error", "phone.invalid",
                        f"{digits} is not a valid phone number in {code}; check the digits "
                        "and the country code.")]
    return []


@cache
def _regions() -> frozenset[str]:
    import phonenumbers

    return frozenset(r for r in phonenumbers.SUPPORTED_REGIONS if r.isalpha())


def is_valid(country: str, digits: str) -> bool:
    import phonenumbers
    from phonenumbers import NumberParseException

    try:
        number = phonenumbers.parse(digits, country)
    except NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


def _digits_fix(country: str, text: str) -> str | None:
    """The number as national digits when the text is a valid number written with spaces,
    hyphens, brackets or its international prefix ("+1 (415) 555-2671" → "4155552671")."""
    import phonenumbers
    from phonenumbers import NumberParseException

    try:
        number = phonenumbers.parse(text, country)
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.national_significant_number(number))
