"""The tabs of the selected site, and their groups (Help Desk → Client Profiles, …).

A tab is any widget; one with `set_site(site)` is told which site is selected (None: none),
but only while it is on screen: a hidden tab is told when it is shown (if the site changed
meanwhile), so selecting sites in the tree does not load data no one looks at. Later issues
add tabs with `add_tab`, or with `add_lazy_tab`, which builds the tab (and imports its module)
only when it first comes forward:

    tabs.add_tab(PasswordsTab(...), "Passwords", group="Help Desk")
    tabs.add_lazy_tab(lambda: PasswordsTab(...), "Passwords")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from app.services.views import SiteView
from ui.pages.page import Searchable
from ui.site.lazy_tab import LazyTab


@runtime_checkable
class SiteTab(Protocol):
    def set_site(self, site: SiteView | None) -> None: ...


class SiteTabs(QTabWidget):
    tab_shown = Signal(object, str)  # (group or None, title) of the tab now in front

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("siteTabs")
        self.setDocumentMode(True)
        self.site: SiteView | None = None
        self.groups: dict[str, QTabWidget] = {}
        self._told: dict[int, str | None] = {}  # id(tab) → the site id it was last told
        self.currentChanged.connect(lambda _i: self._tell_visible())
        self.currentChanged.connect(lambda _i: self._announce())

    def add_tab(self, widget: QWidget, title: str, group: str | None = None) -> QWidget:
        """Add `widget` as a tab, or as a sub-tab of `group` (created on first use)."""
        if group is None:
            self.addTab(widget, title)
        else:
            host = self.groups.get(group)
            if host is None:
                host = QTabWidget(self)
                host.setObjectName(f"siteGroup{group.replace(' ', '')}")
                # whole labels, scrolled when the panel is narrow, never "Referenc…"
                host.tabBar().setElideMode(Qt.TextElideMode.ElideNone)
                host.setUsesScrollButtons(True)
                host.currentChanged.connect(lambda _i: self._tell_visible())
                host.currentChanged.connect(lambda _i: self._announce())
                self.groups[group] = host
                self.addTab(host, group)
            host.addTab(widget, title)
        self._tell_visible()
        return widget

    def add_lazy_tab(self, build: Callable[[], QWidget], title: str,
                     group: str | None = None) -> LazyTab:
        """Add a tab that `build` makes the first time it is shown (or asked for)."""
        holder = LazyTab(build)
        self.add_tab(holder, title, group)
        return holder

    def show_tab(self, title: str, group: str | None = None) -> QWidget | None:
        """Bring a tab forward (e.g. "Client Profiles" of "Client Info"); returns it. A tab
        that moved to another group is still found by its title."""
        hosts: list[QTabWidget] = [self.groups[group]] if group in self.groups else []
        hosts += [self, *(h for h in self.groups.values() if h not in hosts)]
        for host in hosts:
            for index in range(host.count()):
                if host.tabText(index) == title and host.widget(index) not in self.groups.values():
                    widget = host.widget(index)
                    if isinstance(widget, LazyTab):
                        widget = widget.content()  # before it comes forward and is told
                    if host is not self:
                        self.setCurrentWidget(host)
                    host.setCurrentIndex(index)
                    self._tell_visible()
                    return widget
        return None

    def current_place(self) -> tuple[str | None, str] | None:
        """(group or None, title) of the tab in front; None when there are no tabs."""
        index = self.currentIndex()
        if index < 0:
            return None
        host = self.widget(index)
        group = self.tabText(index)
        if isinstance(host, QTabWidget) and host in self.groups.values():
            inner = host.currentIndex()
            return (group, host.tabText(inner)) if inner >= 0 else None
        return None, group

    def _announce(self) -> None:
        place = self.current_place()
        if place is not None:
            self.tab_shown.emit(place[0], place[1])

    def arrange(self, order: list[str]) -> None:
        """Put the top-level tabs in `order` (titles); others keep their places after them."""
        bar = self.tabBar()
        for position, title in enumerate(order):
            for index in range(self.count()):
                if self.tabText(index) == title:
                    bar.moveTab(index, min(position, self.count() - 1))
                    break

    def set_site(self, site: SiteView | None) -> None:
        """The selected site (None: none); the visible tab is told (and reloads) every time,
        so selecting the site again or reloading the page shows fresh data."""
        self.site = site
        self._tell_visible(again=True)

    def current_tab(self) -> QWidget | None:
        """The tab in front (built now if it was not yet)."""
        return self._front(build=True)

    def _front(self, build: bool) -> QWidget | None:
        widget = self.currentWidget()
        while isinstance(widget, QTabWidget):
            widget = widget.currentWidget()
        if isinstance(widget, LazyTab):
            return widget.content() if build else widget.built()
        return widget

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._tell_visible()  # a tab that came forward while hidden is built now

    def _tell_visible(self, again: bool = False) -> None:
        # a tab not built yet is built once it is on screen, not while the tabs are hidden
        tab: object = self._front(build=self.isVisible())
        if not isinstance(tab, SiteTab):
            return
        wanted = self.site.id if self.site is not None else None
        if again or self._told.get(id(tab), "") != wanted:
            self._told[id(tab)] = wanted
            tab.set_site(self.site)

    def focus_search(self) -> bool:
        """Focus the visible tab's search box when the keyboard is in that tab."""
        tab = self._front(build=False)
        focused = QApplication.focusWidget()
        if (tab is None or not isinstance(tab, Searchable) or focused is None
                or not (focused is tab or tab.isAncestorOf(focused))):
            return False
        tab.focus_search()
        return True
