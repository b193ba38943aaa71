"""Going to a place of the window: a page in front (reloaded), and an object on it shown.

Pages and tabs do not reach into each other or into the window (`window.page(...)`,
`findChildren(...)`, `getattr(window, ...)`): they ask the window's `Navigator`, which knows the
pages by name, and which they get in their `WorkspaceContext`. A page built on its own, outside
a window (a test), gets one that knows no pages, and its links then do nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ui.pages.page import ShowsSite

P = TypeVar("P", bound=QWidget)
NAME = "navigator"


class Navigator(QObject):
    def __init__(self, window: QWidget, show_page: Callable[[str], None],
                 page: Callable[[str], QWidget | None]) -> None:
        super().__init__(window)
        self.setObjectName(NAME)
        self._show_page = show_page
        self._page = page  # the page by name, built on first use; None if there is none

    def page(self, name: str, kind: type[P]) -> P | None:
        """The page called `name` if it is a `kind` (None before the workspace is open). A page
        not shown yet is built now."""
        page = self._page(name)
        return page if isinstance(page, kind) else None

    def go(self, name: str, kind: type[P]) -> P | None:
        """Bring the page `name` forward (it reloads) and return it; None if there is none of
        that kind."""
        page = self.page(name, kind)
        if page is not None:
            self._show_page(name)
        return page

    def show_site(self, name: str, site_id: str) -> bool:
        """The page `name` in front, showing the site (when the page shows sites)."""
        page = self.go(name, QWidget)
        if page is None:
            return False
        if isinstance(page, ShowsSite):
            page.show_site(site_id)
        return True


__all__ = ["Navigator"]
