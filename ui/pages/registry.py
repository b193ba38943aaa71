"""The pages of the main window, in sidebar order, each built from the `WorkspaceContext`.

Importing this module is cheap (the sidebar and menus need only `PAGES`); `page_factories`
builds each page when the window first shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QStyle, QWidget

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext


@dataclass(frozen=True)
class PageSpec:
    name: str  # the --page name
    title: str
    icon: QStyle.StandardPixmap
    tip: str


PAGES = (
    PageSpec("companies", "Companies & Sites", QStyle.StandardPixmap.SP_DirHomeIcon,
             "Clients, their sites and devices"),
    PageSpec("policies", "Policies", QStyle.StandardPixmap.SP_FileDialogDetailedView,
             "Policies and their settings"),
    PageSpec("packages", "Packages", QStyle.StandardPixmap.SP_DirIcon,
             "Build packages from policies"),
    PageSpec("assignments", "Assignments", QStyle.StandardPixmap.SP_FileDialogListView,
             "Which package each site gets"),
    PageSpec("effective", "Effective Settings", QStyle.StandardPixmap.SP_FileDialogInfoView,
             "What a site or device really gets, and from where"),
    # partner-level notification rules (seed 002 "RMM Setup > Notification Rules")
    PageSpec("notification-rules", "Notification Rules",
             QStyle.StandardPixmap.SP_MessageBoxInformation,
             "Whom the NOC and the Help Desk contact, how and when"),
    PageSpec("readiness", "Readiness", QStyle.StandardPixmap.SP_DialogApplyButton,
             "Which sites are ready for go-live, and what blocks the others"),
    # issue 19: every site's go-live journey (ui/helpdesk/golive_page.py)
    PageSpec("golive", "Go-Live Journeys", QStyle.StandardPixmap.SP_MediaSeekForward,
             "Where each site stands in the activation process, what comes next"),
    # issue 7: what the next sync sends, and the conflicts it left (ui/sync)
    PageSpec("pending-changes", "Pending Changes", QStyle.StandardPixmap.SP_ArrowUp,
             "What the next sync sends to the server"),
    PageSpec("conflicts", "Sync Conflicts", QStyle.StandardPixmap.SP_MessageBoxWarning,
             "Records changed here and on the server: compare and resolve"),
)
# Tabs inside a page that `--page` (screenshots, docs) can open: name → (page, group, tab).
VIEWS: dict[str, tuple[str, str | None, str]] = {
    "client-profiles": ("companies", "Client Info", "Client Profiles"),
    # issue 8: the Help Desk setup tabs and a site's go-live checklist
    "product-options": ("companies", "Help Desk", "Product Options"),
    "basic-info": ("companies", "Help Desk", "Basic Info"),
    "security-requests": ("companies", "Help Desk", "Security Requests"),
    "network-info": ("companies", "Client Info", "Network Info"),
    "references": ("companies", "Client Info", "References"),
    "site-readiness": ("companies", None, "Readiness"),
    "passwords": ("companies", None, "Passwords"),  # issue 6: the site's vault
    "connectwise-drift": ("companies", None, "ConnectWise Drift"),  # issue 16: as last pulled
}
PAGE_NAMES = tuple(p.name for p in PAGES) + tuple(VIEWS)
DEFAULT_PAGE = "companies"


PageFactory = Callable[[], QWidget]


def page_factories(context: WorkspaceContext) -> dict[str, PageFactory]:
    """How to build each page over the workspace of `context`, by name. The window builds a
    page the first time it is shown, so a start opens one page, not all of them. A new page:
    add its `PageSpec` above and its factory here, built from what `context` holds (it
    implements `ui.pages.page.Page`)."""
    # Each page module (and the services it imports) loads in its factory, when the page is
    # first shown, not when the window's sidebar and menus import this module. Import a new
    # page there too, not at the top of the module.

    def companies() -> QWidget:
        from ui.pages.companies_page import CompaniesPage
        from ui.site.build import build_site_tabs

        return CompaniesPage(context, site_tabs=build_site_tabs(context))

    def policies() -> QWidget:
        from ui.pages.policies_page import PoliciesPage

        return PoliciesPage(context)

    def packages() -> QWidget:
        from ui.pages.packages_page import PackagesPage

        return PackagesPage(context)

    def assignments() -> QWidget:
        from ui.pages.assignments_page import AssignmentsPage

        return AssignmentsPage(context)

    def rules() -> QWidget:
        from ui.pages.rules_page import RulesPage

        return RulesPage(context)

    def effective() -> QWidget:
        from ui.pages.effective_page import EffectivePage

        return EffectivePage(context)

    def readiness() -> QWidget:
        from ui.helpdesk.overview_page import ReadinessPage

        return ReadinessPage(context)

    def golive() -> QWidget:
        from ui.helpdesk.golive_page import GoLivePage

        return GoLivePage(context)

    def pending() -> QWidget:
        from ui.sync.pages import pending_changes_page

        return pending_changes_page(context)

    def conflicts() -> QWidget:
        from ui.sync.pages import conflicts_page

        return conflicts_page(context)

    return {"companies": companies, "policies": policies, "packages": packages,
            "assignments": assignments, "notification-rules": rules, "effective": effective,
            "readiness": readiness, "golive": golive, "pending-changes": pending,
            "conflicts": conflicts}
