"""Opening the place a readiness item links to: a tab of the site (Help Desk → Basic Info,
Devices, …), the policy that gives the site a setting (selected and open in the Policies page's
editor), a device's own settings (Effective Settings with the device chosen, where its
overrides are changed), or a page of the window (Assignments, with the site checked).

Pages are reached through the window's navigator (`ui.navigator`, the `WorkspaceContext`'s);
outside a window it knows no pages, and only the site's tabs are switched.
"""

from __future__ import annotations

from typing import Any

from app.domain.helpdesk.links import device_of_place, policy_of_place
from ui.helpdesk.places import PAGES, POLICIES_PAGE, READINESS, SITE_TABS
from ui.navigator import Navigator


def open_place(tabs: Any, navigator: Navigator, site_id: str, place: str) -> bool:
    """Show the place that fixes a readiness item of the site the tabs show."""
    if place in SITE_TABS:
        group, title = SITE_TABS[place]
        return tabs.show_tab(title, group) is not None
    device_id = device_of_place(place)
    if device_id is not None:  # a device's own override: its settings, where it is changed
        from ui.pages.effective_page import EffectivePage

        effective = navigator.go(PAGES["effective"], EffectivePage)
        if effective is None:
            return False
        effective.show_site(site_id, device_id)
        return True
    policy_id = policy_of_place(place)
    if policy_id is not None:
        from ui.pages.policies_page import PoliciesPage

        page = navigator.go(POLICIES_PAGE, PoliciesPage)
        if page is None:
            return False
        page.open_policy(policy_id)
        return True
    page_name = PAGES.get(place)
    return page_name is not None and navigator.show_site(page_name, site_id)


def open_site_readiness(navigator: Navigator, site_id: str) -> bool:
    """From anywhere in the window: the Companies page with the site selected, on its
    Readiness tab."""
    from ui.pages.companies_page import CompaniesPage

    page = navigator.page("companies", CompaniesPage)
    if page is None:
        return False
    selected = page.select(site_id)
    navigator.go("companies", CompaniesPage)
    if not selected:  # the page had not loaded its sites yet

        def loaded() -> None:
            page.refreshed.disconnect(loaded)
            page.select(site_id)
            page.show_tab(READINESS)

        page.refreshed.connect(loaded)
    page.show_tab(READINESS)
    return True
