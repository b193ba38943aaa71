"""What the Help Desk setup needs to know of a site's client profiles, as plain inputs.

The profiles themselves are `app.profiles`' business (import, validation, storage); the service
layer summarises each stored profile into a `ProfileSummary` for the checks here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProfileSummary:
    id: str
    name: str  # "First Last", for messages
    has_mobile: bool  # a valid mobile number with its country code (SMS codes go there)
    error_count: int = 0  # findings of severity error when the profile is validated
