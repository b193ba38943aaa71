"""The Help Desk sub-tabs and the Readiness tab of a site, added to the site's tab host."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoStack

from ui.helpdesk.basic_info_tab import BasicInfoTab
from ui.helpdesk.navigate import open_place
from ui.helpdesk.network_tab import NetworkInfoTab
from ui.helpdesk.places import HELP_DESK, READINESS
from ui.helpdesk.product_tab import ProductOptionsTab
from ui.helpdesk.readiness_tab import ReadinessTab
from ui.helpdesk.references_tab import ReferencesTab
from ui.helpdesk.section_tab import SectionTab
from ui.helpdesk.security_tab import SecurityRequestsTab
from ui.site.site_tabs import SiteTabs

# In the order of seed 004's activation checklist; Product Options and Basic Info go before
# Client Profiles, the rest after it.
FIRST: tuple[type[SectionTab], ...] = (ProductOptionsTab, BasicInfoTab)
# Notification rules are partner-level: the main window's Notification Rules page.
AFTER: tuple[type[SectionTab], ...] = (SecurityRequestsTab, NetworkInfoTab, ReferencesTab)


def add_helpdesk_tabs(tabs: SiteTabs, workspace: Any, undo_stack: QUndoStack, *,
                      client_info: str = HELP_DESK,
                      client_info_tabs: tuple[str, ...] = ()) -> ReadinessTab:
    """`client_info_tabs` (titles) go into the `client_info` group, the others into Help Desk."""
    for position, cls in enumerate(FIRST):
        tabs.add_tab(cls(workspace, undo_stack), cls.TITLE, group=HELP_DESK)
        host = tabs.groups[HELP_DESK]
        host.tabBar().moveTab(host.count() - 1, position)
    for cls in AFTER:
        group = client_info if cls.TITLE in client_info_tabs else HELP_DESK
        tabs.add_tab(cls(workspace, undo_stack), cls.TITLE, group=group)
    for host in tabs.groups.values():
        host.setCurrentIndex(0)
    readiness = ReadinessTab(workspace, undo_stack)
    readiness.open_place.connect(lambda site_id, place: open_place(tabs, site_id, place))
    tabs.add_tab(readiness, READINESS)
    return readiness
