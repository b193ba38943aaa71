"""The site's tab host (Devices, Help Desk → Client Profiles, …) and its place in the window."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.services.views import SiteView
from tests.ui.conftest import wait_idle
from ui.main_window import MainWindow
from ui.profiles.profiles_tab import ClientProfilesTab
from ui.site.site_tabs import SiteTabs

SITE = SiteView("s1", "Lab", "c1", "Contoso", None, None)
OTHER = SiteView("s2", "Main Office", "c1", "Contoso", None, None)


class Recorder(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.told: list[str | None] = []
        self.search = QLineEdit(self)

    def set_site(self, site: SiteView | None) -> None:
        self.told.append(site.name if site is not None else None)

    def focus_search(self) -> None:
        self.search.setFocus()


def test_tabs_in_groups_are_told_the_site_only_when_shown(qtbot) -> None:
    tabs = SiteTabs()
    qtbot.addWidget(tabs)
    tabs.addTab(QWidget(), "Devices")
    first, second = Recorder(), Recorder()
    tabs.add_tab(first, "Client Profiles", group="Help Desk")
    tabs.add_tab(second, "Passwords", group="Help Desk")
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Devices", "Help Desk"]
    tabs.set_site(SITE)
    assert first.told == []  # Devices is in front
    assert tabs.show_tab("Client Profiles", "Help Desk") is first
    assert first.told == ["Lab"]
    assert tabs.show_tab("Passwords", "Help Desk") is second
    assert second.told == ["Lab"]
    tabs.show_tab("Client Profiles", "Help Desk")
    assert first.told == ["Lab"]  # same site: no reload for switching tabs
    tabs.set_site(OTHER)
    tabs.set_site(OTHER)  # selected again (the page reloaded): told again
    assert first.told == ["Lab", "Main Office", "Main Office"]
    assert tabs.show_tab("Nope", "Help Desk") is None
    assert tabs.show_tab("Nope", "No Such Group") is None


def test_find_goes_to_the_site_tab_with_the_keyboard_in_it(qtbot) -> None:
    tabs = SiteTabs()
    qtbot.addWidget(tabs)
    recorder = Recorder()
    tabs.add_tab(recorder, "Client Profiles", group="Help Desk")
    tabs.show()
    qtbot.waitExposed(tabs)
    tabs.activateWindow()
    assert not tabs.focus_search()  # the keyboard is not in the tab
    recorder.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is recorder)
    assert tabs.focus_search()
    assert QApplication.focusWidget() is recorder.search


def test_page_client_profiles_opens_the_tab(qtbot, window: MainWindow) -> None:
    window.show_page("client-profiles")
    wait_idle(qtbot)
    page = window.page("companies")
    assert window.current_page() is page
    tab = page.site_tabs.current_tab()  # type: ignore[attr-defined]
    assert isinstance(tab, ClientProfilesTab)
    assert tab.site is not None  # the first site, as on a first visit
    assert tab.empty.isVisible()
    assert "No client profiles yet" in tab.empty.text()
