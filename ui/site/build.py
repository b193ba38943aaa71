"""Which tabs a site shows, built with the services they use (the Companies page hosts them).

Only the tab bars are made at start-up: each tab is built, and its module imported, when it
first comes forward. An import from the File menu or a drop needs no Client Profiles tab: its
undo goes on the window's stack and the tabs hear of it through `ProfileEvents`
(ui/profiles/profile_events.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from ui.site.site_tabs import SiteTabs

if TYPE_CHECKING:
    from app.services.profiles import ProfileService
    from app.services.workspace import Workspace
    from ui.vault.session import VaultSession

HELP_DESK = "Help Desk"
CLIENT_INFO = "Client Info"
CLIENT_PROFILES = "Client Profiles"
PASSWORDS = "Passwords"
CONNECTWISE_DRIFT = "ConnectWise Drift"
# Seven Help Desk sub-tabs need scroll arrows at 1280 px: the Help Desk's own settings stay
# under Help Desk, what the Help Desk reads about the client goes under Client Info.
CLIENT_INFO_TABS = ("Client Profiles", "Network Info", "References")
TOP_ORDER = ["Devices", HELP_DESK, CLIENT_INFO, PASSWORDS, "Readiness", CONNECTWISE_DRIFT]


def build_site_tabs(workspace: Workspace, undo_stack: QUndoStack, vault_session: VaultSession,
                    parent: QWidget | None = None) -> SiteTabs:
    """The site's tabs after Devices: Help Desk (its settings), Client Info (Client Profiles,
    Network Info, References), Passwords, Readiness, ConnectWise Drift."""
    tabs = SiteTabs(parent)
    # The profile service is asked for when its tab is built: its spreadsheet, phone and
    # email libraries are not loaded for the first page.
    if hasattr(type(workspace), "profiles"):
        tabs.add_lazy_tab(lambda: _profiles(workspace.profiles, undo_stack), CLIENT_PROFILES,
                          group=CLIENT_INFO)
    if hasattr(type(workspace), "vault"):  # seed 004: the site-level Passwords tab
        tabs.add_lazy_tab(lambda: _passwords(vault_session, undo_stack), PASSWORDS)
    if hasattr(type(workspace), "helpdesk"):  # issue 8: Help Desk setup tabs and Readiness
        from ui.helpdesk.build import add_helpdesk_tabs

        add_helpdesk_tabs(tabs, workspace, undo_stack, client_info=CLIENT_INFO,
                          client_info_tabs=CLIENT_INFO_TABS)
    if hasattr(workspace, "db"):  # issue 16: what ConnectWise applies vs what we planned
        tabs.add_lazy_tab(lambda: _drift(workspace), CONNECTWISE_DRIFT)
    tabs.arrange(TOP_ORDER)
    return tabs


def _profiles(profiles: ProfileService, undo_stack: QUndoStack) -> QWidget:
    from ui.profiles.profiles_tab import ClientProfilesTab

    return ClientProfilesTab(profiles, undo_stack)


def _passwords(vault_session: VaultSession, undo_stack: QUndoStack | None) -> QWidget:
    from ui.vault.passwords_tab import PasswordsTab

    return PasswordsTab(vault_session, undo_stack=undo_stack)


def _drift(workspace: Workspace) -> QWidget:
    from ui.asio.drift_tab import DriftTab

    return DriftTab(workspace)
