"""Opening the place a readiness item links to: a tab of the site (Help Desk → Basic Info,
Devices, …), the policy that gives the site a setting (selected and open in the Policies page's
editor), or a page of the window (Assignments, with the site checked).

The window is reached through the widget's top-level window, by the small interface the main
window offers (`pages`, `show_page`); without one (a tab tested on its own) only the site's
tabs are switched.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from app.domain.helpdesk.links import policy_of_place
from ui.helpdesk.places import PAGES, POLICIES_PAGE, READINESS, SITE_TABS


def _window(widget: QWidget) -> Any | None:
    window = widget.window()
    return window if hasattr(window, "show_page") and hasattr(window, "pages") else None


def open_place(tabs: Any, site_id: str, place: str) -> bool:
    """Show the place that fixes a readiness item of the site the tabs show."""
    if place in SITE_TABS:
        group, title = SITE_TABS[place]
        return tabs.show_tab(title, group) is not None
    window = _window(tabs)
    policy_id = policy_of_place(place)
    if policy_id is not None:
        page = window.pages.get(POLICIES_PAGE) if window is not None else None
        if page is None:
            return False
        window.show_page(POLICIES_PAGE)  # type: ignore[union-attr]
        page.open_policy(policy_id)
        return True
    page_name = PAGES.get(place)
    if window is None or page_name is None or page_name not in window.pages:
        return False
    window.show_page(page_name)
    show_site = getattr(window.pages[page_name], "show_site", None)
    if show_site is not None:
        show_site(site_id)
    return True


def open_site_readiness(widget: QWidget, site_id: str) -> bool:
    """From anywhere in the window: the Companies page with the site selected, on its
    Readiness tab."""
    window = _window(widget)
    page = window.pages.get("companies") if window is not None else None
    if page is None:
        return False
    selected = page.select(site_id)
    window.show_page("companies")  # type: ignore[union-attr]
    if not selected:  # the page had not loaded its sites yet

        def loaded() -> None:
            page.refreshed.disconnect(loaded)
            page.select(site_id)
            page.show_tab(READINESS)

        page.refreshed.connect(loaded)
    page.show_tab(READINESS)
    return True
