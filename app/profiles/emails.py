"""Email syntax (email-validator, no DNS), with a fast path for plain addresses.

`email_validator.validate_email` costs about 20–60 µs; most addresses are dot-atoms at an
ordinary ASCII domain, which `_PLAIN` accepts in under a microsecond. The local part may hold
the accented Latin letters of names (U+00C0–U+017F: "łukasz.nowak@…", valid for
email-validator with SMTPUTF8, NFC-stable, two UTF-8 bytes each). The fast path only ever says
"valid"; anything else (other unicode, quoted local parts, IDNA labels, special-use domains,
lengths near the limits) is asked of email-validator. A hypothesis test holds the fast path to
it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import email_validator

# atext, and the Latin-1 and Latin Extended-A letters (no ×, ÷: not letters)
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f-]"
_LABEL = r"[A-Za-z0-9]++(?:-[A-Za-z0-9]++)*+"  # no hyphen at either end, never "--" (IDNA)
_SPECIAL = frozenset(email_validator.SPECIAL_USE_DOMAIN_NAMES)
_SPECIAL_TLDS = "|".join(sorted((re.escape(d) for d in _SPECIAL if "." not in d),
                                key=len, reverse=True))
_SPECIAL_DOTTED = tuple("." + d for d in _SPECIAL if "." in d)
# A local part of at most 64 atext characters in dot-atoms, "@", labels, and a top-level domain
# of letters that is not a special-use name. Possessive quantifiers: no backtracking, fast fails.
_PLAIN = re.compile(
    rf"(?=[^@]{{1,64}}@){_ATEXT}++(?:\.{_ATEXT}++)*+@(?:{_LABEL}\.)++"
    rf"(?!(?i:{_SPECIAL_TLDS})\Z)[A-Za-z]{{2,63}}")
# `_PLAIN` for addresses of at most 64 characters: enough on its own (no label can be too long).
SHORT_PLAIN = re.compile(rf"(?=.{{1,64}}\Z){_PLAIN.pattern}")
_ATEXT_NO_BAR = _ATEXT.replace("|", "", 1)


def field_source(end: str) -> str:
    """`SHORT_PLAIN` for one field of a row joined by "|", followed by `end` (an assertion): the
    same addresses except those with a "|" (so a row's fields stay where they are)."""
    return (rf"(?=[^|]{{1,64}}{end})(?=[^@]{{1,64}}@){_ATEXT_NO_BAR}++(?:\.{_ATEXT_NO_BAR}++)*+"
            rf"@(?:{_LABEL}\.)++(?!(?i:{_SPECIAL_TLDS}){end})[A-Za-z]{{2,63}}{end}")


_ANGLE = re.compile(r"<([^<>\s]+@[^<>\s]+)>")


def plainly_valid(address: str) -> bool:
    """True only for addresses email-validator certainly accepts (the fast path): a dot-atom
    (ASCII atext and Latin letters) of at most 64 characters, "@", labels of letters, digits
    and single inner hyphens of at most 63 characters, a top-level domain of letters that is not
    a special-use name."""
    if _PLAIN.fullmatch(address) is None:
        return False
    if len(address) <= 64:
        return True
    domain = address[address.rfind("@") + 1:].lower()
    return (len(address.encode()) <= 200 and all(len(label) <= 63 for label in domain.split("."))
            and not any(("." + domain).endswith(d) for d in _SPECIAL_DOTTED))


@lru_cache(maxsize=8192)
def _validator_problem(address: str) -> str | None:
    try:
        email_validator.validate_email(address, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        return str(exc)
    return None


def email_problem(address: str) -> str | None:
    """None when the address is valid, else email-validator's reason."""
    if plainly_valid(address):
        return None
    return _validator_problem(address)


def email_fix(text: str) -> str | None:
    """The address inside "Name <address>" or "mailto:address", when that one is valid."""
    value = text.strip()
    match = _ANGLE.search(value)
    candidate = match.group(1) if match else value
    if candidate.lower().startswith("mailto:"):
        candidate = candidate[7:]
    candidate = candidate.strip()
    if candidate != value and candidate and email_problem(candidate) is None:
        return candidate
    return None
