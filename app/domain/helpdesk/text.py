"""Checks shared by every free-text field of the Help Desk forms.

Values are never changed silently (as in the client profiles): a value with spaces around it is
an error whose fix is the trimmed value, so what the Help Desk reads is what the user saw.
"""

from __future__ import annotations

import re

from app.domain.helpdesk.findings import Finding

_SINGLE_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_MULTI_LINE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(section: str, field: str, label: str, value: str, *, max_length: int,
               required_code: str | None = None, multiline: bool = False) -> list[Finding]:
    """Findings for one text field: required (when `required_code`), spaces, control
    characters, length. Returns early on an empty value."""
    if not value.strip():
        if required_code is None:
            return []
        return [Finding(section, field, "error", required_code, f"Enter the {label}.")]
    out: list[Finding] = []
    stripped = value.strip()
    if stripped != value:
        out.append(Finding(section, field, "error", "text.whitespace",
                           f"Remove the spaces before or after the {label}.", stripped))
    control = _MULTI_LINE_CONTROL if multiline else _SINGLE_LINE_CONTROL
    if control.search(value):
        what = "control characters" if multiline else "line breaks, tabs or control characters"
        out.append(Finding(section, field, "error", "text.control_characters",
                           f"Remove the {what} from the {label}.",
                           " ".join(control.sub(" ", stripped).split()) if not multiline
                           else control.sub("", stripped)))
    if len(stripped) > max_length:
        out.append(Finding(section, field, "error", "text.too_long",
                           f"Shorten the {label} to at most {max_length} characters; it has "
                           f"{len(stripped)}."))
    return out
