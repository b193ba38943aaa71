"""What every Help Desk setup check returns: findings with a stable code (like profile Issues).

`Finding(section, field, severity, code, message, fix)` mirrors the client profiles'
`Issue(row, column, severity, code, message, fix)`: a form has no rows, so `section` names the
form (also the place the GUI opens, see `links.PLACES`) and `field` the field in it, with list
positions where the form holds lists ("paths[0].contacts[1].phone").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from app.domain.helpdesk.codes import CODES

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding. `fix` is a proposed value for the field (None: no proposal; "" = clear)."""

    section: str
    field: str
    severity: Severity
    code: str
    message: str
    fix: str | None = None

    def __post_init__(self) -> None:
        # Codes are a contract (CLI JSON, "fix all of a kind"): an unlisted one is a bug here.
        if self.code not in CODES:
            raise ValueError(f"finding code {self.code!r} is not in CODES")

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "field": self.field, "severity": self.severity,
                "code": self.code, "message": self.message, "fix": self.fix}

    def within(self, prefix: str) -> Finding:
        """The same finding with its field placed under `prefix` ("rules[2]" + "name")."""
        return replace(self, field=f"{prefix}.{self.field}" if self.field else prefix)


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "warning"]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
