"""Security-related requests (seed 004): per request type, whether an approver is contacted,
the approvers in call order, and SMS-code authentication of the caller and/or the approver.

SMS authentication sends a code to a mobile number, so it needs mobile numbers on the client
profiles concerned: on every approver for approver authentication, on the callers for caller
authentication.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.helpdesk.findings import Finding
from app.domain.helpdesk.profiles import ProfileSummary
from app.domain.helpdesk.text import check_text

SECTION = "security-requests"
CUSTOM_NAME_MAX = 100


class RequestKind(StrEnum):
    NEW_USER_ACCOUNTS = "new-user-accounts"
    PASSWORD_RESETS = "password-resets"
    SOFTWARE_INSTALLATIONS = "software-installations"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {RequestKind.NEW_USER_ACCOUNTS: "New user accounts",
           RequestKind.PASSWORD_RESETS: "Password resets",
           RequestKind.SOFTWARE_INSTALLATIONS: "Software installations",
           RequestKind.CUSTOM: "Custom request"}
STANDARD_KINDS = (RequestKind.NEW_USER_ACCOUNTS, RequestKind.PASSWORD_RESETS,
                  RequestKind.SOFTWARE_INSTALLATIONS)


@dataclass(frozen=True)
class SecurityRequest:
    kind: RequestKind
    name: str = ""  # the request type's name; used (and required) for custom types only
    approver_required: bool = False
    approver_ids: tuple[str, ...] = ()  # client profile ids, in the order the Help Desk calls
    sms_auth_caller: bool = False
    sms_auth_approver: bool = False

    @property
    def label(self) -> str:
        return self.name.strip() if self.kind is RequestKind.CUSTOM else self.kind.label

    @property
    def uses_sms(self) -> bool:
        return self.sms_auth_caller or self.sms_auth_approver


def default_requests() -> tuple[SecurityRequest, ...]:
    """The three request types the seed names, nothing required yet (a new site's form)."""
    return tuple(SecurityRequest(kind) for kind in STANDARD_KINDS)


def validate_security_requests(requests: Sequence[SecurityRequest],
                               profiles: Mapping[str, ProfileSummary]) -> list[Finding]:
    """Every finding; `profiles` maps the site's client profile ids to their summaries."""
    out: list[Finding] = []
    seen: set[str] = set()
    for index, request in enumerate(requests):
        prefix = f"requests[{index}]"
        key = (f"custom:{request.name.strip().casefold()}" if request.kind is RequestKind.CUSTOM
               else request.kind.value)
        if request.kind is RequestKind.CUSTOM:
            out.extend(f.within(prefix) for f in check_text(
                SECTION, "name", "name of the custom request type", request.name,
                max_length=CUSTOM_NAME_MAX, required_code="security.custom_name_required"))
        if key in seen and key != "custom:":
            out.append(Finding(SECTION, f"{prefix}.kind", "error", "security.duplicate_type",
                               f"{request.label} is set up twice; keep one and delete the other."))
        seen.add(key)
        out.extend(f.within(prefix) for f in _request_findings(request, profiles))
    return out


def _request_findings(request: SecurityRequest,
                      profiles: Mapping[str, ProfileSummary]) -> list[Finding]:
    out: list[Finding] = []
    what = request.label or "this request type"
    ids = request.approver_ids
    if request.approver_required and not ids:
        out.append(Finding(SECTION, "approver_ids", "error", "security.approver_missing",
                           f"{what} needs an approver: add at least one client profile the Help "
                           "Desk calls for approval, or clear 'approver required'."))
    if ids and not request.approver_required:
        out.append(Finding(SECTION, "approver_ids", "warning", "security.approvers_unused",
                           f"{what} lists approvers but does not require approval, so the Help "
                           "Desk will not call them; tick 'approver required' or remove them."))
    seen: set[str] = set()
    for position, profile_id in enumerate(ids):
        field = f"approver_ids[{position}]"
        profile = profiles.get(profile_id)
        if profile is None:
            out.append(Finding(SECTION, field, "error", "security.approver_unknown",
                               f"Approver {position + 1} of {what} is not one of this site's "
                               "client profiles (deleted?); choose another."))
        elif profile_id in seen:
            out.append(Finding(SECTION, field, "warning", "security.approver_duplicate",
                               f"{profile.name} is listed twice as approver of {what}; the Help "
                               "Desk would call them twice. Remove one."))
        elif request.sms_auth_approver and not profile.has_mobile:
            out.append(Finding(SECTION, field, "error", "security.approver_no_mobile",
                               f"{profile.name} has no mobile number, so the SMS code that "
                               f"authenticates approvers of {what} cannot reach them; add one to "
                               "their client profile or turn off approver authentication."))
        seen.add(profile_id)
    if request.sms_auth_approver and not request.approver_required:
        out.append(Finding(SECTION, "sms_auth_approver", "error", "security.sms_without_approver",
                           f"Approver SMS authentication of {what} needs an approver; tick "
                           "'approver required' and add one, or turn it off."))
    if request.sms_auth_caller:
        out.extend(_caller_findings(what, profiles))
    return out


def _caller_findings(what: str, profiles: Mapping[str, ProfileSummary]) -> list[Finding]:
    without = [p for p in profiles.values() if not p.has_mobile]
    if profiles and not without:
        return []
    if len(without) == len(profiles):
        return [Finding(SECTION, "sms_auth_caller", "error", "security.caller_no_mobiles",
                        f"Caller SMS authentication of {what} needs mobile numbers on the client "
                        "profiles, and none has one; add them or turn caller authentication "
                        "off.")]
    names = ", ".join(p.name for p in without[:3]) + (", …" if len(without) > 3 else "")
    return [Finding(SECTION, "sms_auth_caller", "warning", "security.callers_without_mobile",
                    f"{len(without)} of {len(profiles)} client profiles have no mobile number "
                    f"({names}); those callers cannot receive the code for {what}. Add their "
                    "mobile numbers.")]
