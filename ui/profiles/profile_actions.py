"""Import and export of client profiles from anywhere in the window (File menu, file drops):
for the site selected on the Companies page, or a site the user picks.

Opened imports are window-modal wizards; when one has written profiles, every Client Profiles
tab showing that site reloads (`ui.profiles.profile_events`), and the import goes on the
window's undo stack, its undo and redo on the one write queue with every other edit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from app.services.views import SiteView
from ui.background import run_blocking
from ui.ops import present_in_dialog
from ui.profiles.import_wizard import ImportWizard
from ui.profiles.profile_dialogs import ProfileDialogs
from ui.profiles.profile_events import profile_events, push_import
from ui.profiles.profiles_tab import (
    open_import_wizard,
    safe_file_name,
    source_name,
)

if TYPE_CHECKING:
    from app.services.profiles import ProfileService
    from ui.main_window import MainWindow

STATUS_MS = 8000


class ProfileActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialogs: ProfileDialogs | Any = ProfileDialogs(window)
        self.wizard: ImportWizard | None = None

    def _service(self) -> ProfileService | None:
        workspace = self.window.workspace
        return workspace.profiles if workspace is not None else None

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)

    def selected_site(self) -> SiteView | None:
        """The site selected on the Companies page, when that page is in front."""
        from ui.pages.companies_page import CompaniesPage

        page = self.window.current_page()
        item = page.current_item() if isinstance(page, CompaniesPage) else None
        return item if isinstance(item, SiteView) else None

    def with_site(self, title: str, then: Callable[[SiteView], None]) -> None:
        """Call `then(site)` with the selected site, or with the one the user picks."""
        site = self.selected_site()
        if site is not None:
            then(site)
            return
        workspace = self.window.workspace
        if workspace is None or self._service() is None:
            self._say("Open a workspace first.")
            return
        from ui.pages.companies_page import CompaniesPage

        companies = self.window.navigator.page("companies", CompaniesPage)
        current = companies.current_id() if companies is not None else None

        def ask(sites: list[SiteView]) -> None:
            if not sites:
                self._say("This workspace has no sites yet: create one on Companies & Sites "
                          "first.")
                return
            chosen = self.dialogs.choose_site(title, sites, current)
            if chosen is not None:
                then(chosen)

        run_blocking(self, workspace.sites.all, ask, self._failed)

    def _failed(self, exc: BaseException) -> None:
        present_in_dialog(exc, self.dialogs, "Client Profiles")

    # import
    def import_profiles(self, path: Path | None = None) -> None:
        """Open the import wizard (reading `path` at once, if given)."""
        title = (f"Import {path.name} into Which Site?" if path is not None
                 else "Import Client Profiles into Which Site?")
        self.with_site(title, lambda site: self.open_wizard(site, path))

    def open_wizard(self, site: SiteView, path: Path | None = None) -> None:
        service = self._service()
        if service is None:
            return
        wizard = open_import_wizard(service, site, self.dialogs, path, self.window)
        wizard.imported.connect(self._imported)
        wizard.import_done.connect(lambda result, w=wizard: self._import_done(w, result))
        self.wizard = wizard

    def _imported(self, site_id: str) -> None:
        profile_events(self.window.undo_stack).changed.emit(site_id)

    def _import_done(self, wizard: ImportWizard, result: Any) -> None:
        """Make the import undoable, on the window's stack and its one write queue."""
        stack = self.window.undo_stack

        def say(text: str, kind: str) -> None:
            self._say(text)
            profile_events(stack).said.emit(text, kind)  # on the Client Profiles tab too

        push_import(wizard.service, result, source_name(wizard), stack, say)

    # export
    def export_profiles(self) -> None:
        self.with_site("Export the Client Profiles of Which Site?", self.export)

    def export(self, site: SiteView) -> None:
        service = self._service()
        if service is None:
            return
        suggested = Path.home() / f"{safe_file_name(site.name)} - client profiles.xlsx"
        path = self.dialogs.export_path(f"Export Client Profiles of {site.name}", suggested)
        if path is None:
            return

        def done(count: int) -> None:
            self._say(f"Exported {count:,} client profile{'' if count == 1 else 's'} of "
                      f"{site.name} to {path}.")

        run_blocking(self, lambda: service.export(site.id, path), done, self._failed)
