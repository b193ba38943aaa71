"""Which tabs a site shows, built with the services they use (the Companies page hosts them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from ui.profiles.profiles_tab import ClientProfilesTab
from ui.site.site_tabs import SiteTabs

if TYPE_CHECKING:
    from app.services.workspace import Workspace

HELP_DESK = "Help Desk"
CLIENT_PROFILES = "Client Profiles"
PASSWORDS = "Passwords"
CONNECTWISE_DRIFT = "ConnectWise Drift"


def build_site_tabs(workspace: Workspace, undo_stack: QUndoStack,
                    parent: QWidget | None = None) -> SiteTabs:
    """The site's tabs after Devices: Help Desk → Client Profiles (later: Passwords, Basic
    Info, Notification rules …)."""
    tabs = SiteTabs(parent)
    profiles = getattr(workspace, "profiles", None)
    if profiles is not None:
        tabs.add_tab(ClientProfilesTab(profiles, undo_stack), CLIENT_PROFILES, group=HELP_DESK)
    if hasattr(type(workspace), "vault"):  # seed 004: the site-level Passwords tab
        from ui.vault.passwords_tab import PasswordsTab
        from ui.vault.session import session_for

        tabs.add_tab(PasswordsTab(session_for(workspace)), PASSWORDS)
    if hasattr(type(workspace), "helpdesk"):  # issue 8: Help Desk setup tabs and Readiness
        from ui.helpdesk.build import add_helpdesk_tabs

        add_helpdesk_tabs(tabs, workspace, undo_stack)
    if hasattr(workspace, "db"):  # issue 16: what ConnectWise applies vs what we planned
        from ui.asio.drift_tab import DriftTab

        tabs.add_tab(DriftTab(workspace), CONNECTWISE_DRIFT)
    return tabs
