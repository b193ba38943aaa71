"""The Help Desk sub-tabs and the Readiness tab of a site, added to the site's tab host. Each
is built, and its module imported, when it first comes forward (`SiteTabs.add_lazy_tab`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ui.helpdesk.places import HELP_DESK, READINESS, SITE_TABS
from ui.site.site_tabs import SiteTabs

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext

Build = Callable[["WorkspaceContext"], QWidget]


def _product_options(context: WorkspaceContext) -> QWidget:
    from ui.helpdesk.product_tab import ProductOptionsTab

    return ProductOptionsTab(context)


def _basic_info(context: WorkspaceContext) -> QWidget:
    from ui.helpdesk.basic_info_tab import BasicInfoTab

    return BasicInfoTab(context)


def _security_requests(context: WorkspaceContext) -> QWidget:
    from ui.helpdesk.security_tab import SecurityRequestsTab

    return SecurityRequestsTab(context)


def _network_info(context: WorkspaceContext) -> QWidget:
    from ui.helpdesk.network_tab import NetworkInfoTab

    return NetworkInfoTab(context)


def _references(context: WorkspaceContext) -> QWidget:
    from ui.helpdesk.references_tab import ReferencesTab

    return ReferencesTab(context)


# (place, build): the title is the place's (ui/helpdesk/places.py). In the order of seed 004's
# activation checklist; Product Options and Basic Info go before Client Profiles, the rest
# after it. Notification rules are partner-level: the main window's Notification Rules page.
FIRST: tuple[tuple[str, Build], ...] = (
    ("helpdesk/product-options", _product_options), ("helpdesk/basic-info", _basic_info))
AFTER: tuple[tuple[str, Build], ...] = (
    ("helpdesk/security-requests", _security_requests),
    ("helpdesk/network-info", _network_info), ("helpdesk/references", _references))


def add_helpdesk_tabs(tabs: SiteTabs, context: WorkspaceContext, *,
                      client_info: str = HELP_DESK,
                      client_info_tabs: tuple[str, ...] = ()) -> None:
    """`client_info_tabs` (titles) go into the `client_info` group, the others into Help Desk."""

    def lazy(build: Build) -> Callable[[], QWidget]:
        return lambda: build(context)

    for position, (place, build) in enumerate(FIRST):
        tabs.add_lazy_tab(lazy(build), SITE_TABS[place][1], group=HELP_DESK)
        host = tabs.groups[HELP_DESK]
        host.tabBar().moveTab(host.count() - 1, position)
    for place, build in AFTER:
        title = SITE_TABS[place][1]
        group = client_info if title in client_info_tabs else HELP_DESK
        tabs.add_lazy_tab(lazy(build), title, group=group)
    for host in tabs.groups.values():
        host.setCurrentIndex(0)
    tabs.add_lazy_tab(lambda: _readiness(tabs, context), READINESS)


def _readiness(tabs: SiteTabs, context: WorkspaceContext) -> QWidget:
    from ui.helpdesk.navigate import open_place
    from ui.helpdesk.readiness_tab import ReadinessTab

    readiness = ReadinessTab(context)
    readiness.open_place.connect(
        lambda site_id, place: open_place(tabs, context.navigator, site_id, place))
    return readiness
