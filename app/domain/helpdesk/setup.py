"""A site's whole Help Desk setup: the sections of the Help Desk tabs, as one value.

Storage keeps one JSON document per site and section (`SECTIONS`, see `codec`). Notification
rules are partner-level objects with their own table: `rules` holds the partner's rules, which
the site's Basic Info and RMM Site Configuration reference by id (filled by the service).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from app.domain.helpdesk.basic_info import BasicInfo
from app.domain.helpdesk.codec import from_json, to_json
from app.domain.helpdesk.network import NetworkInfo
from app.domain.helpdesk.notifications import NotificationRule
from app.domain.helpdesk.product import ProductOptions
from app.domain.helpdesk.references import Reference
from app.domain.helpdesk.security import SecurityRequest

# Section name → attribute of SiteSetup (the storage key of each document).
SECTIONS: dict[str, str] = {
    "product-options": "product",
    "basic-info": "basic",
    "security-requests": "security",
    "network-info": "network",
    "references": "references",
}


@dataclass(frozen=True)
class SiteSetup:
    product: ProductOptions | None = None  # None: the user has not filled the form yet
    basic: BasicInfo | None = None
    security: tuple[SecurityRequest, ...] = ()
    rules: tuple[NotificationRule, ...] = ()  # the partner's rules (not a stored section)
    network: NetworkInfo = field(default_factory=NetworkInfo)
    references: tuple[Reference, ...] = ()

# Section name → the type of its JSON document.
SECTION_TYPES: dict[str, Any] = {
    "product-options": ProductOptions,
    "basic-info": BasicInfo,
    "security-requests": tuple[SecurityRequest, ...],
    "network-info": NetworkInfo,
    "references": tuple[Reference, ...],
}


def section_document(setup: SiteSetup, section: str) -> Any:
    """The JSON document of one section (None for a form not filled in yet)."""
    return to_json(getattr(setup, SECTIONS[section]))


def section_from_document(section: str, data: Any, *, strict: bool = False) -> Any:
    """The value of one section from its JSON document. Raises ValueError naming the path;
    `strict`: unknown fields too (see `codec`)."""
    if section not in SECTION_TYPES:
        raise ValueError(f"unknown Help Desk section {section!r}")
    if data is None:
        return getattr(SiteSetup(), SECTIONS[section])
    return from_json(SECTION_TYPES[section], data, section, strict=strict)


def setup_from_documents(documents: Mapping[str, Any]) -> SiteSetup:
    """A SiteSetup from the stored documents of a site (absent sections keep their empty
    default)."""
    setup = SiteSetup()
    for section, data in documents.items():
        if section not in SECTIONS:
            # A section this version does not keep (the per-site notification rules before
            # they became partner objects, pulled from an older client): not part of the setup.
            continue
        setup = replace(setup, **{SECTIONS[section]: section_from_document(section, data)})
    return setup
