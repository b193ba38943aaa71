"""The site's Readiness tab and the companies-wide Readiness page, in the real window: items
change after fixing a section, links open the right tab, the report is exported."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from app.domain.helpdesk import Status
from tests.ui.conftest import ScriptedDialogs, wait_idle
from tests.ui.helpdesk_support import make_ready, save, type_into
from ui.helpdesk.basic_info_tab import BasicInfoTab
from ui.helpdesk.overview_page import ReadinessPage
from ui.helpdesk.readiness_tab import ReadinessTab
from ui.main_window import MainWindow
from ui.pages.policies_page import PoliciesPage
from ui.widgets.policy_editor import BoolField


def readiness_tab(qtbot, window: MainWindow, site: str = "Main Office") -> ReadinessTab:
    page = window.page("companies")
    site_id = next(s.id for s in window.workspace.sites.all() if s.name == site)
    assert page.select(site_id)
    window.show_page("site-readiness")
    wait_idle(qtbot)
    tab = page.site_tabs.current_tab()
    assert isinstance(tab, ReadinessTab)
    assert tab.checklist is not None
    assert tab.checklist.site_name == site
    return tab


def test_checklist_links_and_a_fixed_item(qtbot, window: MainWindow, qtmodeltester) -> None:
    tab = readiness_tab(qtbot, window)
    qtmodeltester.check(tab.model)
    checklist = tab.checklist
    assert checklist is not None
    assert not checklist.ready
    assert tab.verdict.text().startswith("Not ready:")
    assert checklist.item("agent-deployed").status is Status.PASS
    assert checklist.item("basic-info").status is Status.FAIL
    assert tab.model.rowCount() == len(checklist.items)
    row = [i.id for i in checklist.items].index("basic-info")
    assert tab.buttons[row].text() == "Basic Info →"

    tab.buttons[row].click()  # the link opens the tab that fixes it
    basic = window.page("companies").site_tabs.current_tab()
    assert isinstance(basic, BasicInfoTab)
    wait_idle(qtbot)
    assert basic.context is not None
    type_into(qtbot, basic.phone.country, "US")
    type_into(qtbot, basic.phone.number, "4155552671")
    type_into(qtbot, basic.domain, "contoso-dental.com")
    type_into(qtbot, basic.greeting, "Contoso Dental")
    save(qtbot, basic)
    tab = readiness_tab(qtbot, window)
    item = tab.checklist.item("basic-info")  # type: ignore[union-attr]
    assert item.status is Status.FAIL
    assert "notification rule" in item.why  # what is left: the rule

    rules_row = [i.id for i in tab.checklist.items].index("notification-rules")  # type: ignore[union-attr]
    assert tab.buttons[rules_row].text() == "Notification Rules →"
    tab.open_row(rules_row)  # rules are partner-level: their own page
    wait_idle(qtbot)
    assert window.current_name() == "notification-rules"

    rmm_row = [i.id for i in tab.checklist.items].index("rmm-enabled")  # type: ignore[union-attr]
    tab.open_row(rmm_row)  # the policy that gives the site the setting, open to change
    wait_idle(qtbot)
    assert window.current_name() == "policies"
    assert_editing(window, "RMM with NOC")


def test_a_fixed_section_turns_its_item_to_pass(qtbot, window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None
    from app.domain.helpdesk import NetworkInfo, Section

    tab = readiness_tab(qtbot, window)
    assert tab.checklist.item("network-info").status is Status.FAIL  # type: ignore[union-attr]
    na: Section[object] = Section(not_applicable=True)
    ws.helpdesk.save("Main Office", "network-info",
                     NetworkInfo(*(na for _ in range(8))))  # type: ignore[arg-type]
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh_button.click()
    assert tab.checklist.item("network-info").status is Status.PASS  # type: ignore[union-attr]


def test_export_the_golive_report(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tab = readiness_tab(qtbot, window)
    dialogs = ScriptedDialogs()
    target = tmp_path / "main-office.html"
    dialogs.paths.append(target)
    tab.dialogs = dialogs
    with qtbot.waitSignal(tab.exported, timeout=10_000) as blocker:
        tab.export_button.click()
    assert blocker.args == [str(target)]
    html = target.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "Main Office" in html
    assert "Wrote the go-live report" in tab.notice.text()


def test_overview_lists_blocked_sites_and_opens_one(qtbot, window: MainWindow,
                                                     qtmodeltester) -> None:
    window.show_page("readiness")
    wait_idle(qtbot)
    page = window.page("readiness")
    assert isinstance(page, ReadinessPage)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 8
    assert page.summary.text().startswith("1 of 8 site(s) ready for go-live")
    assert "What blocks the others" in page.blocked_by.text()
    sites = [page.model.row_at(r).site_name for r in range(8)]
    row = sites.index("Downtown")
    blockers = page.model.index(row, page.model.COL_BLOCKERS).data()
    assert "Basic information" in blockers
    assert page.model.index(row, page.model.COL_STATUS).data() == "Blocked"
    page.open_row(row)
    wait_idle(qtbot)
    assert window.current_name() == "companies"
    tab = window.page("companies").site_tabs.current_tab()
    assert isinstance(tab, ReadinessTab)
    assert tab.checklist is not None
    assert tab.checklist.site_name == "Downtown"


def test_a_ready_site(qtbot, window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None
    make_ready(ws, "Main Office")
    tab = readiness_tab(qtbot, window)
    assert tab.checklist is not None
    assert tab.checklist.ready, [(i.id, i.why) for i in tab.checklist.blockers]
    assert tab.verdict.text().startswith("Ready for go-live")
    window.show_page("readiness")
    wait_idle(qtbot)
    page = window.page("readiness")
    assert isinstance(page, ReadinessPage)
    assert page.summary.text().startswith("2 of 8 site(s) ready for go-live; 6 blocked")
    first = page.model.row_at(0)  # sorted by go-live: the ready sites first (with Northside)
    assert first.site_name == "Main Office"
    assert page.model.index(0, page.model.COL_STATUS).data() == "Ready"
    assert page.model.index(0, page.model.COL_BLOCKERS).data() == "—"


def assert_editing(window: MainWindow, name: str) -> PoliciesPage:
    """The Policies page shows the policy selected and open in its editor, fields enabled."""
    page = window.page("policies")
    assert isinstance(page, PoliciesPage)
    selected = page.selected_policy()
    assert selected is not None
    assert selected.name == name
    editor = page.editor
    assert editor.policy() is not None
    assert editor.policy().name == name
    assert page.side.currentWidget() is editor
    assert editor.isVisible()
    assert editor.isEnabled()
    assert editor.name_edit.isEnabled()
    assert not editor.name_edit.isReadOnly()
    return page


def test_the_psa_link_lands_on_the_policy_and_fixing_it_there_passes(
        qtbot, window: MainWindow) -> None:
    """The tester's case: PSA-to-RMM sync on at a NOC site fails; the item's button opens the
    PSA policy in the editor, where unticking the box and saving fixes the item."""
    ws = window.workspace
    assert ws is not None
    ws.policies.update("PSA Ticket Sync", texts=["psa_to_rmm_sync=on"])
    tab = readiness_tab(qtbot, window)
    item = tab.checklist.item("psa-integration")  # type: ignore[union-attr]
    assert item.status is Status.FAIL
    row = [i.id for i in tab.checklist.items].index("psa-integration")  # type: ignore[union-attr]
    button = tab.buttons[row]
    assert button.text() == "Edit Policy →"
    assert button.toolTip().startswith("Open the policy that gives the site this setting, in "
                                       "the Policies editor")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    page = window.page("policies")
    qtbot.waitUntil(lambda: page.editor.policy() is not None, timeout=10_000)
    wait_idle(qtbot)
    assert window.current_name() == "policies"
    page = assert_editing(window, "PSA Ticket Sync")
    field = page.editor.field("psa_to_rmm_sync")
    assert isinstance(field, BoolField)
    assert field.isEnabled()
    assert field.check.isEnabled()
    assert field.value() is True
    qtbot.mouseClick(field.check, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, field.check.height() // 2))
    assert field.value() is False
    qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert ws.policies.get("PSA Ticket Sync").settings["psa_to_rmm_sync"] is False
    tab = readiness_tab(qtbot, window)
    assert tab.checklist.item("psa-integration").status is not Status.FAIL  # type: ignore[union-attr]


def test_a_link_opens_the_policy_even_when_filtered_out(qtbot, window: MainWindow) -> None:
    window.show_page("policies")
    wait_idle(qtbot)
    page = window.page("policies")
    assert isinstance(page, PoliciesPage)
    page.search.setText("communicator")  # hides the RMM policy
    tab = readiness_tab(qtbot, window)
    row = [i.id for i in tab.checklist.items].index("rmm-enabled")  # type: ignore[union-attr]
    tab.buttons[row].click()
    qtbot.waitUntil(lambda: page.editor.policy() is not None
                    and page.editor.policy().name == "RMM with NOC", timeout=10_000)
    wait_idle(qtbot)
    assert page.search.text() == ""
    assert_editing(window, "RMM with NOC")


def test_a_site_without_the_policy_links_to_its_assignment(qtbot, window: MainWindow) -> None:
    tab = readiness_tab(qtbot, window, "Lab")  # only the default package: no PSA policy
    item = tab.checklist.item("psa-integration")  # type: ignore[union-attr]
    assert item.link.endswith("/assignments")
    row = [i.id for i in tab.checklist.items].index("psa-integration")  # type: ignore[union-attr]
    assert tab.buttons[row].text() == "Assign Package →"
    tab.buttons[row].click()
    wait_idle(qtbot)
    assert window.current_name() == "assignments"
    page = window.page("assignments")
    assert page.checked_ids() == [tab.checklist.site_id]  # type: ignore[union-attr]
    assert page.assign_button.isEnabled()  # one click from choosing the package


def test_every_link_opens_its_place(qtbot, window: MainWindow) -> None:
    from app.domain.helpdesk import device_of_place, policy_of_place
    from ui.helpdesk.places import SITE_TABS
    from ui.pages.effective_page import EffectivePage

    tab = readiness_tab(qtbot, window)
    checklist = tab.checklist
    assert checklist is not None
    devices_shown = 0
    page = window.page("companies")
    tabs = page.site_tabs
    for row, item in enumerate(checklist.items):
        place = item.link.split("/", 1)[1]
        tab.buttons[row].click()
        wait_idle(qtbot)
        if place in SITE_TABS:
            group, title = SITE_TABS[place]
            host = tabs.groups[group] if group else tabs
            assert window.current_name() == "companies"
            assert host.tabText(host.currentIndex()) == title, item.id
            if group:
                assert tabs.tabText(tabs.currentIndex()) == group
        elif (policy_id := policy_of_place(place)) is not None:  # never the read-only view
            page = window.page("policies")

            def opened(p: PoliciesPage = page, pid: str = policy_id) -> bool:
                return p.editor.policy() is not None and p.editor.policy().id == pid

            qtbot.waitUntil(opened, timeout=10_000)
            assert window.current_name() == "policies", item.id
            assert page.side.currentWidget() is page.editor
            assert page.selected_policy().id == policy_id
        elif (device_id := device_of_place(place)) is not None:  # a device's own override
            effective = window.page("effective")
            assert isinstance(effective, EffectivePage)

            def shown(p: EffectivePage = effective, did: str = device_id) -> bool:
                return not p.loading and p.device_combo.currentData() == did

            qtbot.waitUntil(shown, timeout=10_000)
            assert window.current_name() == "effective", item.id
            assert effective.site_combo.currentData() == checklist.site_id
            assert effective.setting_actions.override is not None
            devices_shown += 1
        elif place == "helpdesk/notification-rules":  # partner-level: the Notification Rules page
            assert window.current_name() == "notification-rules", item.id
        else:
            assert place == "assignments", item.id
            assert window.current_name() == "assignments", item.id
            assert window.page("assignments").checked_ids() == [checklist.site_id]
        tab = readiness_tab(qtbot, window)
    # the sample's WS-MAIN-01 turns the notification balloon on against the advice: its
    # item leads to the device's own settings, where that override is changed
    assert devices_shown == 1
