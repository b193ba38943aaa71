"""The Help Desk tabs in the window: their order beside Client Profiles, Edit → Undo of a save
through the window's shared stack, and a site switch with unsaved edits."""

from __future__ import annotations

from tests.ui.conftest import wait_idle
from tests.ui.helpdesk_support import save, site_named, type_into
from ui.helpdesk.basic_info_tab import BasicInfoTab
from ui.main_window import MainWindow


def test_tabs_and_undo_from_the_edit_menu(qtbot, window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None
    page = window.page("companies")
    tabs = page.site_tabs
    group = tabs.groups["Help Desk"]
    # Notification rules are partner-level: their own page, not a site tab.
    assert [group.tabText(i) for i in range(group.count())] == [
        "Product Options", "Basic Info", "Security Requests"]
    client = tabs.groups["Client Info"]
    assert [client.tabText(i) for i in range(client.count())] == [
        "Client Profiles", "Network Info", "References"]
    assert [tabs.tabText(i) for i in range(tabs.count())][:5] == [
        "Devices", "Help Desk", "Client Info", "Passwords", "Readiness"]

    assert page.select(site_named(ws, "Downtown").id)
    window.show_page("basic-info")
    wait_idle(qtbot)
    basic = tabs.current_tab()
    assert isinstance(basic, BasicInfoTab)
    assert basic.site is not None
    assert basic.site.name == "Downtown"
    type_into(qtbot, basic.greeting, "Northwind")
    save(qtbot, basic)
    assert window.menus.undo.text() == "&Undo Save Basic Info of Downtown"
    stored = ws.helpdesk.setup("Downtown").basic
    assert stored is not None
    assert stored.greeting_name == "Northwind"
    with qtbot.waitSignal(basic.saved, timeout=10_000):
        window.menus.undo.trigger()
    assert ws.helpdesk.setup("Downtown").basic is None
    assert basic.greeting.text() == ""

    type_into(qtbot, basic.greeting, "Unsaved")
    with qtbot.waitSignal(basic.loaded, timeout=10_000):
        assert page.select(site_named(ws, "Remote Staff").id)
    assert "unsaved changes to Basic Info of Downtown were discarded" in basic.notice.text()
    assert basic.greeting.text() == ""
