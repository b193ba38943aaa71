"""What deleting a site, a company or a package takes with it: counted before the delete (for
the confirmation) and reported after it (for the CLI and the undo stack). Plain dataclasses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.packages import Package
from app.services.views import PackageView


def _count(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


@dataclass(frozen=True)
class Removal:
    """A site's or a company's delete. `removed_ids` (entity → ids) is empty in a preview and
    holds what was tombstoned after the delete: `restore` brings exactly those back."""

    kind: str  # site | company
    id: str
    name: str
    owner: str  # the company of a site ("" for a company)
    sites: int
    devices: int
    device_overrides: int
    client_profiles: int
    helpdesk_sections: int
    vault_items: int
    removed_ids: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The CLI's `--json` answer: {"removed": {...}} (`sites` for a company only)."""
        removed: dict[str, int] = {
            "devices": self.devices, "client_profiles": self.client_profiles,
            "helpdesk_sections": self.helpdesk_sections, "vault_items": self.vault_items}
        if self.kind == "company":
            removed["sites"] = self.sites
        return {"removed": removed}

    @property
    def title(self) -> str:
        return (f"the company '{self.name}'" if self.kind == "company"
                else f"the site '{self.name}' of {self.owner}")

    def parts(self) -> list[str]:
        """What goes with it, in words, nothing left out (zero counts included)."""
        parts = [_count(self.sites, "site")] if self.kind == "company" else []
        devices = _count(self.devices, "device")
        if self.device_overrides:
            devices += f" (with {_count(self.device_overrides, 'setting override')})"
        return [*parts, devices, _count(self.client_profiles, "client profile"),
                _count(self.helpdesk_sections, "Help Desk section"),
                _count(self.vault_items, "vault item")]

    def summary(self) -> str:
        """One sentence: "3 devices, 7 client profiles, 6 Help Desk sections and 2 vault items"."""
        parts = self.parts()
        return ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True)
class SiteRef:
    id: str
    name: str
    company: str

    @property
    def label(self) -> str:
        return f"{self.company} / {self.name}"


@dataclass(frozen=True)
class PackageImpact:
    """Whose settings deleting a package changes: the sites it is assigned to and, for the
    default package, every site that inherits from it: those without a package of their own,
    and those whose package lacks one of its policy types (resolution is per type)."""

    id: str
    name: str
    is_default: bool
    assigned: tuple[SiteRef, ...]
    inheriting: tuple[SiteRef, ...]

    @property
    def affected(self) -> tuple[SiteRef, ...]:
        return (*self.assigned, *self.inheriting)

    def reason(self) -> str:
        """Why deleting it changes settings ("" when it changes none)."""
        bits = []
        if self.assigned:
            bits.append(f"is assigned to {_count(len(self.assigned), 'site')} ("
                        + ", ".join(s.label for s in self.assigned) + ")")
        if self.is_default and self.inheriting:
            bits.append("is the default package, inherited by every site whose own package "
                        "(if any) lacks one of its policy types ("
                        + ", ".join(s.label for s in self.inheriting) + ")")
        elif self.is_default:
            bits.append("is the default package (no site inherits it today, every new one "
                        "would)")
        return f"package '{self.name}' " + " and ".join(bits) if bits else ""

    def to_dict(self) -> dict[str, Any]:
        def sites(refs: tuple[SiteRef, ...]) -> list[dict[str, str]]:
            return [{"id": s.id, "name": s.name, "company": s.company} for s in refs]

        return {"id": self.id, "name": self.name, "is_default": self.is_default,
                "assigned_sites": sites(self.assigned), "inheriting_sites": sites(self.inheriting)}


@dataclass(frozen=True)
class PackageDeleted:
    """A deleted package and what it was: enough for undo to put it all back."""

    impact: PackageImpact
    package: Package  # as it was: name, policies, default flag
    view: PackageView  # as it was, for the CLI's answer
