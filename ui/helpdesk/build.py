"""The Help Desk sub-tabs and the Readiness tab of a site, added to the site's tab host. Each
is built, and its module imported, when it first comes forward (`SiteTabs.add_lazy_tab`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from ui.helpdesk.places import HELP_DESK, READINESS, SITE_TABS
from ui.site.site_tabs import SiteTabs

Build = Callable[[Any, QUndoStack], QWidget]


def _product_options(workspace: Any, undo_stack: QUndoStack) -> QWidget:
    from ui.helpdesk.product_tab import ProductOptionsTab

    return ProductOptionsTab(workspace, undo_stack)


def _basic_info(workspace: Any, undo_stack: QUndoStack) -> QWidget:
    from ui.helpdesk.basic_info_tab import BasicInfoTab

    return BasicInfoTab(workspace, undo_stack)


def _security_requests(workspace: Any, undo_stack: QUndoStack) -> QWidget:
    from ui.helpdesk.security_tab import SecurityRequestsTab

    return SecurityRequestsTab(workspace, undo_stack)


def _network_info(workspace: Any, undo_stack: QUndoStack) -> QWidget:
    from ui.helpdesk.network_tab import NetworkInfoTab

    return NetworkInfoTab(workspace, undo_stack)


def _references(workspace: Any, undo_stack: QUndoStack) -> QWidget:
    from ui.helpdesk.references_tab import ReferencesTab

    return ReferencesTab(workspace, undo_stack)


# (place, build): the title is the place's (ui/helpdesk/places.py). In the order of seed 004's
# activation checklist; Product Options and Basic Info go before Client Profiles, the rest
# after it. Notification rules are partner-level: the main window's Notification Rules page.
FIRST: tuple[tuple[str, Build], ...] = (
    ("helpdesk/product-options", _product_options), ("helpdesk/basic-info", _basic_info))
AFTER: tuple[tuple[str, Build], ...] = (
    ("helpdesk/security-requests", _security_requests),
    ("helpdesk/network-info", _network_info), ("helpdesk/references", _references))


def add_helpdesk_tabs(tabs: SiteTabs, workspace: Any, undo_stack: QUndoStack, *,
                      client_info: str = HELP_DESK,
                      client_info_tabs: tuple[str, ...] = ()) -> None:
    """`client_info_tabs` (titles) go into the `client_info` group, the others into Help Desk."""

    def lazy(build: Build) -> Callable[[], QWidget]:
        return lambda: build(workspace, undo_stack)

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
    tabs.add_lazy_tab(lambda: _readiness(tabs, workspace, undo_stack), READINESS)


def _readiness(tabs: SiteTabs, workspace: Any, undo_stack: QUndoStack) -> QWidget:
    from ui.helpdesk.navigate import open_place
    from ui.helpdesk.readiness_tab import ReadinessTab

    readiness = ReadinessTab(workspace, undo_stack)
    readiness.open_place.connect(lambda site_id, place: open_place(tabs, site_id, place))
    return readiness
