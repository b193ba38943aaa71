"""Rules for the names of companies, sites, policies, packages and notification rules.

Names are stored NFC-normalised and counted in characters after NFC, so "é" typed decomposed
(e + combining acute) is one character, as the user sees it. Invisible and control characters
(zero-width space, bidi marks, NUL, tab, new line) are refused: two names that look the same must
be the same name. Duplicates are compared by `name_key`: case, width (full-width U+FF21 = "A")
and compatibility forms folded (NFKC + case folding), invisible characters ignored (docs/rules.md,
"Names").
"""

from __future__ import annotations

import unicodedata

from app.domain.errors import RuleViolation

MAX_NAME_LENGTH = 200

# Unicode categories never visible in a name: controls (Cc), format characters (Cf: zero-width
# space/joiners, bidi marks, soft hyphen, BOM), line/paragraph separators, surrogates, private use
# and unassigned code points.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
# Visible-looking blanks that are not in a category above but show as nothing.
_BLANK_LOOKALIKES = frozenset({"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"})


def _is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) in _INVISIBLE_CATEGORIES or ch in _BLANK_LOOKALIKES


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def clean_name(kind: str, raw: str) -> str:
    """Return the name NFC-normalised and without surrounding white space, or refuse it:
    1–200 characters after NFC, no invisible or control characters."""
    name = unicodedata.normalize("NFC", raw).strip()
    hidden = [ch for ch in name if _is_invisible(ch)]
    if hidden:
        what = "control characters (tab, new line)" if all(
            unicodedata.category(ch) == "Cc" for ch in hidden) else "invisible characters"
        raise RuleViolation(
            f"{kind} name must not contain {what}; this one has {_describe(hidden[0])}"
            f" at position {name.index(hidden[0]) + 1}: retype the name")
    if not name:
        raise RuleViolation(f"{kind} name must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise RuleViolation(
            f"{kind} name must be at most {MAX_NAME_LENGTH} characters; "
            f"this one has {len(name)}"
        )
    return name


def name_key(name: str) -> str:
    """What two names must differ in to be two names: compared after NFKC and case folding,
    with invisible characters and surrounding white space ignored."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    folded = "".join(ch for ch in folded if not _is_invisible(ch))
    # Case folding can undo NFKC's composition (e.g. "ǅ"); normalise once more.
    return unicodedata.normalize("NFKC", folded).strip()


def name_length(raw: str) -> int:
    """The length the 200-character limit counts: characters after NFC, white space around
    the name not counted (what `clean_name` measures)."""
    return len(unicodedata.normalize("NFC", raw).strip())
