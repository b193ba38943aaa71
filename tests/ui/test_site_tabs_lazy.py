"""A site's tabs are built when they first come forward, not when the window starts: the tab
bars show every title, a tab's content (and its module) comes with its first showing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar, QWidget

from app.services.views import SiteView
from tests.ui.conftest import wait_idle
from ui.asio.drift_tab import DriftTab
from ui.helpdesk.basic_info_tab import BasicInfoTab
from ui.helpdesk.product_tab import ProductOptionsTab
from ui.helpdesk.readiness_tab import ReadinessTab
from ui.helpdesk.section_tab import SectionTab
from ui.main_window import MainWindow
from ui.site.site_tabs import SiteTabs
from ui.vault.passwords_tab import PasswordsTab

SITE = SiteView("s1", "Lab", "c1", "Contoso", None, None)
OTHER = SiteView("s2", "Main Office", "c1", "Contoso", None, None)


class Recorder(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.told: list[str | None] = []

    def set_site(self, site: SiteView | None) -> None:
        self.told.append(site.name if site is not None else None)


class Factory:
    def __init__(self) -> None:
        self.made: list[Recorder] = []

    def __call__(self) -> Recorder:
        self.made.append(Recorder())
        return self.made[-1]


def click_tab(qtbot: Any, bar: QTabBar, title: str) -> None:
    index = next(i for i in range(bar.count()) if bar.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())


def test_a_tab_is_built_when_clicked_and_told_the_site(qtbot: Any) -> None:
    tabs = SiteTabs()
    qtbot.addWidget(tabs)
    tabs.addTab(QWidget(), "Devices")
    basic, passwords = Factory(), Factory()
    holder = tabs.add_lazy_tab(basic, "Basic Info", group="Help Desk")
    tabs.add_lazy_tab(passwords, "Passwords")
    tabs.setCurrentIndex(0)
    tabs.set_site(SITE)
    tabs.show()
    qtbot.waitExposed(tabs)
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Devices", "Help Desk", "Passwords"]
    assert basic.made == []
    assert passwords.made == []
    assert holder.built() is None

    click_tab(qtbot, tabs.tabBar(), "Help Desk")
    assert len(basic.made) == 1
    assert holder.built() is basic.made[0]
    assert basic.made[0].told == ["Lab"]
    assert passwords.made == []  # still not shown
    tabs.set_site(OTHER)
    assert basic.made[0].told == ["Lab", "Main Office"]

    click_tab(qtbot, tabs.tabBar(), "Passwords")
    click_tab(qtbot, tabs.tabBar(), "Help Desk")
    assert len(basic.made) == 1  # built once
    assert passwords.made[0].told == ["Main Office"]
    assert basic.made[0].told == ["Lab", "Main Office"]  # same site: no reload


def test_a_tab_brought_forward_while_hidden_is_built_when_shown(qtbot: Any) -> None:
    tabs = SiteTabs()
    qtbot.addWidget(tabs)
    tabs.addTab(QWidget(), "Devices")
    readiness = Factory()
    tabs.add_lazy_tab(readiness, "Readiness")
    tabs.set_site(SITE)
    tabs.setCurrentIndex(1)
    assert readiness.made == []  # not on screen: nothing is built
    tabs.show()
    qtbot.waitExposed(tabs)
    assert len(readiness.made) == 1
    assert readiness.made[0].told == ["Lab"]


def test_show_tab_and_current_tab_build_what_they_return(qtbot: Any) -> None:
    tabs = SiteTabs()
    qtbot.addWidget(tabs)
    basic = Factory()
    tabs.add_lazy_tab(basic, "Basic Info", group="Help Desk")
    tabs.set_site(SITE)  # hidden: the tab in front is not built
    assert basic.made == []
    shown = tabs.show_tab("Basic Info", "Help Desk")
    assert shown is basic.made[0]
    assert shown.told == ["Lab"]
    assert tabs.current_tab() is shown


def test_the_window_starts_without_the_sites_other_tabs(qtbot: Any, window: MainWindow) -> None:
    page: Any = window.page("companies")
    tabs: SiteTabs = page.site_tabs
    assert tabs.isVisible()
    assert tabs.tabText(tabs.currentIndex()) == "Devices"
    for kind in (SectionTab, ReadinessTab, PasswordsTab, DriftTab):
        assert window.findChildren(kind) == [], kind.__name__
    selected = page.current_item()
    assert isinstance(selected, SiteView)

    click_tab(qtbot, tabs.tabBar(), "Help Desk")  # Product Options is in front there
    wait_idle(qtbot)
    built = window.findChildren(SectionTab)
    assert [type(t) for t in built] == [ProductOptionsTab]
    assert built[0].site is not None
    assert built[0].site.id == selected.id

    click_tab(qtbot, tabs.groups["Help Desk"].tabBar(), "Basic Info")
    wait_idle(qtbot)
    basic = tabs.current_tab()
    assert isinstance(basic, BasicInfoTab)
    assert basic.isVisible()
    assert basic.site is not None
    assert basic.site.id == selected.id


def test_every_tab_is_the_one_its_title_names(qtbot: Any, window: MainWindow) -> None:
    tabs: SiteTabs = window.page("companies").site_tabs  # type: ignore[attr-defined]
    for group, host in [(None, tabs), *tabs.groups.items()]:
        for index in range(host.count()):
            title = host.tabText(index)
            if group is None and title in tabs.groups:
                continue
            widget = tabs.show_tab(title, group)
            wait_idle(qtbot)
            assert widget is not None, title
            assert getattr(type(widget), "TITLE", title) == title
            assert tabs.current_tab() is widget
