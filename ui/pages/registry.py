"""The pages of the main window, in sidebar order, each built with the services it uses."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QStyle, QWidget

from app.services.workspace import Workspace
from ui.pages.assignments_page import AssignmentsPage
from ui.pages.companies_page import CompaniesPage
from ui.pages.effective_page import EffectivePage
from ui.pages.packages_page import PackagesPage
from ui.pages.policies_page import PoliciesPage


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
)
PAGE_NAMES = tuple(p.name for p in PAGES)
DEFAULT_PAGE = "companies"


def build_pages(ws: Workspace, undo_stack: QUndoStack) -> dict[str, QWidget]:
    return {
        "companies": CompaniesPage(ws.companies, ws.sites, ws.devices, undo_stack),
        "policies": PoliciesPage(ws.policies, undo_stack),
        "packages": PackagesPage(ws.packages, ws.policies, undo_stack),
        "assignments": AssignmentsPage(ws.sites, ws.packages, ws.companies, undo_stack),
        "effective": EffectivePage(ws.sites, ws.devices, ws.effective),
    }
