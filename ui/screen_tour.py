"""Every page, site tab and dialog on screen in turn, each saved as a PNG of the whole screen.

    python -m ui.screen_tour OUT_FOLDER      (tools/screens.py runs it under Xvfb + openbox)

It works on a fresh sample workspace in a temporary folder and leaves the user's settings alone.
Grabbing the screen, not the widget, shows the window manager's frame and where dialogs land.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from app.services.sample import populate_sample
from app.services.workspace import Workspace
from ui import background
from ui.launcher import application
from ui.main_window import MainWindow
from ui.pages.registry import PAGES
from ui.site.site_tabs import SiteTabs
from ui.ui_settings import UiSettings
from ui.unsaved import Pending, unsaved_box

PASSWORD = "correct horse battery staple"


class Tour:
    def __init__(self, app: QApplication, window: MainWindow, folder: Path) -> None:
        self.app = app
        self.window = window
        self.folder = folder

    def settle(self, rounds: int = 12) -> None:
        for _ in range(rounds):
            self.app.processEvents()
            time.sleep(0.03)
        deadline = time.monotonic() + 10
        while background.pending() and time.monotonic() < deadline:
            self.app.processEvents()
            time.sleep(0.02)
        for _ in range(rounds):
            self.app.processEvents()
            time.sleep(0.02)

    def shoot(self, name: str) -> None:
        self.settle()
        target = self.folder / f"{name}.png"
        if not self.app.primaryScreen().grabWindow(0).save(str(target), "PNG"):
            raise SystemExit(f"screen_tour: cannot write {target}")

    def dialog(self, name: str, make: Callable[[], QWidget | None]) -> None:
        widget = make()
        if widget is None:
            return
        if not widget.isVisible():
            widget.show()
        self.shoot(name)
        if isinstance(widget, QDialog):
            widget.reject()
        widget.close()
        self.settle(3)

    # the stops
    def welcome(self) -> None:
        """The first run's one-line banner over the first page, then closed (it does not
        come back)."""
        self.window.show_page("companies")
        self.window.help.at_start(True)
        self.shoot("00-welcome-banner")
        self.window.help.welcome.dismiss()

    def pages(self) -> None:
        for number, spec in enumerate(PAGES, 1):
            self.window.show_page(spec.name)
            self.shoot(f"{number:02d}-page-{spec.name}")

    def site_tabs(self) -> None:
        window = self.window
        window.show_page("companies")
        self.settle()
        window.select_site("Main Office")
        tabs: Any = self.site_tab_host()
        shot = 0
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            host = tabs.widget(index)
            title = tabs.tabText(index).replace(" ", "").replace("&", "")
            if hasattr(host, "tabText"):
                for sub in range(host.count()):
                    host.setCurrentIndex(sub)
                    shot += 1
                    sub_title = host.tabText(sub).replace(" ", "").replace("&", "")
                    self.shoot(f"10-site-{shot:02d}-{title}-{sub_title}")
            else:
                shot += 1
                self.shoot(f"10-site-{shot:02d}-{title}")

    def site_tab_host(self) -> SiteTabs:
        from ui.pages.companies_page import CompaniesPage

        page = self.window.navigator.page("companies", CompaniesPage)
        assert page is not None  # the tour runs over an open workspace
        return page.site_tabs

    def long_message(self) -> None:
        """A message longer than its room under a field: cut to the room, whole in the
        tooltip; nothing below it moved."""
        tabs = self.site_tab_host()
        basic: Any = tabs.show_tab("Basic Info")
        self.settle()
        basic.domain.setText("not a domain at all, it has spaces in it and no dot")
        self.shoot("11-site-basic-info-long-message")
        basic.revert()

    def policy(self) -> None:
        self.window.show_page("policies")
        policies: Any = self.window.page("policies")
        policies.table.selectRow(0)
        self.shoot("20-policy-editor")

    def dialogs(self, workspace: Workspace) -> None:
        window = self.window
        self.dialog("30-dialog-preferences", window.show_preferences)
        from ui.vault.unlock_dialog import CreateVaultDialog, UnlockDialog

        session = window.vault_session
        assert session is not None, "the window opened a workspace: it has a vault session"
        self.dialog("31-dialog-create-vault", lambda: CreateVaultDialog(session, window))
        session.service().session.init(PASSWORD)
        session.lock()
        self.dialog("32-dialog-unlock-vault", lambda: UnlockDialog(session, window))

        def unsaved() -> QMessageBox:
            lines = ["Policy 'RMM with NOC'", "Package 'Baseline'",
                     "Basic Info of site 'Main Office'"]
            box = unsaved_box(window, "quitting", [Pending(window, lines)])  # type: ignore
            box.setWindowModality(Qt.WindowModality.NonModal)
            return box

        self.dialog("33-dialog-unsaved-changes", unsaved)
        window.show_page("assignments")
        assignments: Any = window.page("assignments")
        self.settle()
        model = assignments.model
        for row in range(min(2, model.rowCount())):
            model.setData(model.index(row, 0), Qt.CheckState.Checked.value,
                          Qt.ItemDataRole.CheckStateRole)
        self.dialog("34-dialog-assign-package", assignments.assign_checked)
        from ui.profiles.import_wizard import ImportWizard

        site = next(s for s in workspace.sites.all() if s.name == "Main Office")
        self.dialog("35-dialog-import-wizard",
                    lambda: ImportWizard(workspace.profiles, site, parent=window))
        self.dialog("36-dialog-about", window.help.show_about)
        self.discard_question(site.id)

    def discard_question(self, site_id: str) -> None:
        """A client profile form with edits, closed: Discard / Keep Editing."""
        window = self.window
        page: Any = window.page("companies")
        page.select(site_id)
        profiles: Any = page.site_tabs.show_tab("Client Profiles", "Client Info")
        self.settle()
        profiles.add_profile()
        form = profiles.profile_dialog
        if form is None:
            return
        form.form.edits["first_name"].setText("Katherine")
        self.shoot("37-dialog-profile-form")
        form.reject()  # Esc, Cancel or the close button
        self.shoot("38-dialog-discard-edits")
        if form.discard_box is not None:
            form.discard_box.done(0)
        form.discard_edits()
        self.settle(3)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m ui.screen_tour OUT_FOLDER\n")
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    app = application()
    tmp = Path(tempfile.mkdtemp(prefix="preflight-screens-"))
    workspace = Workspace.open(tmp / "sample.preflight", create=True)
    try:
        populate_sample(workspace)
        settings = UiSettings(QSettings(str(tmp / "ui.ini"), QSettings.Format.IniFormat))
        window = MainWindow(workspace, settings, restore=False)
        window.showMaximized()
        tour = Tour(app, window, folder)
        tour.settle()
        tour.welcome()
        tour.pages()
        tour.site_tabs()
        tour.long_message()
        tour.policy()
        tour.dialogs(workspace)
        window.close()
    finally:
        workspace.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
