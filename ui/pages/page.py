"""What the window (and the navigator) may ask of a page, as protocols rather than `getattr`.

Every page can `refresh()`; the rest is optional and checked with `isinstance`:
`Reloads` (a `refreshed` signal once its data is shown), `Searchable` (Edit → Find),
`HasTabs` (the window's `--page` views open a tab inside a page), `ShowsSite` (the navigator
brings a site forward on it), `SelectsSite` (the Companies page's tree).
A new page implements `refresh` and whichever of these it offers; the window needs no change.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import SignalInstance


@runtime_checkable
class Page(Protocol):
    def refresh(self) -> None:
        """Reload what the page shows (off the GUI thread); it is brought forward."""


@runtime_checkable
class Reloads(Protocol):
    refreshed: SignalInstance  # the page's data was (re)loaded and is shown


@runtime_checkable
class Searchable(Protocol):
    def focus_search(self) -> None: ...


@runtime_checkable
class HasTabs(Protocol):
    def show_tab(self, title: str, group: str | None = None) -> object: ...


@runtime_checkable
class ShowsSite(Protocol):
    def show_site(self, site_id: str) -> None: ...


@runtime_checkable
class SelectsSite(Protocol):
    def select_site(self, ref: str) -> bool: ...


__all__ = ["HasTabs", "Page", "Reloads", "Searchable", "SelectsSite", "ShowsSite"]
