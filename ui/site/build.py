"""Which tabs a site shows, each built from the `WorkspaceContext` (the Companies page hosts them).

Only the tab bars are made at start-up: each tab is built, and its module imported, when it
first comes forward. An import from the File menu or a drop needs no Client Profiles tab: its
undo goes on the window's stack and the tabs hear of it through `ProfileEvents`
(ui/profiles/profile_events.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ui.site.site_tabs import SiteTabs

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext

HELP_DESK = "Help Desk"
CLIENT_INFO = "Client Info"
CLIENT_PROFILES = "Client Profiles"
PASSWORDS = "Passwords"
CONNECTWISE_DRIFT = "ConnectWise Drift"
# Seven Help Desk sub-tabs need scroll arrows at 1280 px: the Help Desk's own settings stay
# under Help Desk, what the Help Desk reads about the client goes under Client Info.
CLIENT_INFO_TABS = ("Client Profiles", "Network Info", "References")
TOP_ORDER = ["Devices", HELP_DESK, CLIENT_INFO, PASSWORDS, "Readiness", CONNECTWISE_DRIFT]


def build_site_tabs(context: WorkspaceContext, parent: QWidget | None = None) -> SiteTabs:
    """The site's tabs after Devices: Help Desk (its settings), Client Info (Client Profiles,
    Network Info, References), Passwords (seed 004, the site's vault), Readiness (issue 8),
    ConnectWise Drift (issue 16: what ConnectWise applies vs what we planned)."""
    from ui.helpdesk.build import add_helpdesk_tabs

    tabs = SiteTabs(parent)
    tabs.add_lazy_tab(lambda: _profiles(context), CLIENT_PROFILES, group=CLIENT_INFO)
    tabs.add_lazy_tab(lambda: _passwords(context), PASSWORDS)
    add_helpdesk_tabs(tabs, context, client_info=CLIENT_INFO, client_info_tabs=CLIENT_INFO_TABS)
    tabs.add_lazy_tab(lambda: _drift(context), CONNECTWISE_DRIFT)
    tabs.arrange(TOP_ORDER)
    return tabs


def _profiles(context: WorkspaceContext) -> QWidget:
    from ui.profiles.profiles_tab import ClientProfilesTab

    return ClientProfilesTab(context)


def _passwords(context: WorkspaceContext) -> QWidget:
    from ui.vault.passwords_tab import PasswordsTab

    return PasswordsTab(context)


def _drift(context: WorkspaceContext) -> QWidget:
    from ui.asio.drift_tab import DriftTab

    return DriftTab(context.workspace)
