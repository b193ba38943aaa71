"""The Notification Rules page (partner-level rules): paths, contacts in order, time slots with
the coverage lint live, refusal of invalid input, save + undo, delete refused while in use, and
Basic Info picking a partner rule (an unknown one shown as an error)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from app.domain.helpdesk import ContactMethod, PathKind, SiteSetup, section_document
from app.services.workspace import Workspace
from storage.helpdesk_repository import HelpDeskRepository
from tests.ui.conftest import wait_idle
from tests.ui.context_support import make_context
from tests.ui.helpdesk_support import open_tab, type_into
from ui.helpdesk.basic_info_tab import BasicInfoTab
from ui.pages.rules_page import RulesPage


def open_page(qtbot: Any, ws: Workspace, undo_stack: QUndoStack) -> RulesPage:
    page = RulesPage(make_context(ws, qtbot, undo_stack))
    qtbot.addWidget(page)
    page.resize(1200, 850)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.rule_list.count() == len(ws.rules.all()), timeout=10_000)
    wait_idle(qtbot)
    return page


def names(page: RulesPage) -> list[str]:
    return [page.rule_list.item(i).text() for i in range(page.rule_list.count())]


def stored(qtbot: Any, page: RulesPage, action: Any) -> None:
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        action()
    wait_idle(qtbot)


def test_the_page_lists_the_partner_rules_and_who_uses_them(
        qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack,
        qtmodeltester: Any) -> None:
    page = open_page(qtbot, sample_workspace, undo_stack)
    assert names(page) == ["NOC Escalation", "Northside standard", "Standard Notifications"]
    qtmodeltester.check(page.rule_list.model())
    page.select(sample_workspace.rules.get("NOC Escalation").id)
    assert "RMM with NOC" in page.users.text()
    assert page.paths[PathKind.NOC_ESCALATION].isChecked()
    # The policy uses NOC: taking the NOC path away is an error the checklist will report.
    page.paths[PathKind.NOC_ESCALATION].setChecked(False)
    assert "no NOC Escalation path" in page.rule_error.text()
    assert page.save_button.isEnabled()  # saved as is; the go-live checklist fails it
    page.revert_button.click()
    assert page.paths[PathKind.NOC_ESCALATION].isChecked()
    assert not page.save_button.isEnabled()


def test_a_new_rule_edited_saved_and_undone(qtbot: Any, sample_workspace: Workspace,
                                            undo_stack: QUndoStack) -> None:
    ws = sample_workspace
    page = open_page(qtbot, ws, undo_stack)
    stored(qtbot, page, page.add_rule.click)
    assert page.name.text() == "New rule 1"
    assert ws.rules.get("New rule 1").rule.paths == ()
    type_into(qtbot, page.name, "Business hours")
    msp = page.paths[PathKind.MSP_ESCALATION]
    msp.setChecked(True)
    assert "has no contacts" in msp.error.text()
    msp.add_contact.click()
    row = msp.rows[0]
    type_into(qtbot, row.name, "Service desk")
    assert "has no phone number" in row.error.text()
    type_into(qtbot, row.country, "US")
    type_into(qtbot, row.phone, "4155552671")
    assert not row.error.isVisible()
    type_into(qtbot, msp.slots, "Mon-Fri 8-17")
    assert "'8-17' is not a window" in msp.slots_error.text()
    assert not page.save_button.isEnabled()
    type_into(qtbot, msp.slots, "Mon-Fri 08:00-17:00")
    assert msp.coverage.text().startswith("Not covered: Mon 17:00–Tue 08:00")
    assert page.save_button.isEnabled()  # a gap is advice, not a refusal
    cbe = page.paths[PathKind.CALL_BEFORE_ESCALATING]
    cbe.setChecked(True)
    for name in ("First", "Second"):
        cbe.add_contact.click()
        type_into(qtbot, cbe.rows[-1].name, name)
        type_into(qtbot, cbe.rows[-1].phone, "4155552672")
        type_into(qtbot, cbe.rows[-1].country, "US")
    cbe.rows[1].up.click()
    type_into(qtbot, cbe.slots, "Mon-Fri 08:00-17:00")
    stored(qtbot, page, lambda: qtbot.keyClick(page.name, Qt.Key.Key_S,
                                               Qt.KeyboardModifier.ControlModifier))
    saved = ws.rules.get("Business hours").rule
    msp_path = saved.path(PathKind.MSP_ESCALATION)
    assert msp_path is not None
    assert msp_path.contacts[0].phone == "4155552671"
    assert msp_path.contacts[0].method is ContactMethod.CALL
    assert len(msp_path.slots) == 5
    cbe_path = saved.path(PathKind.CALL_BEFORE_ESCALATING)
    assert cbe_path is not None
    assert [c.name for c in cbe_path.contacts] == ["Second", "First"]
    assert "Business hours" in names(page)

    stored(qtbot, page, undo_stack.undo)  # the save
    assert ws.rules.get(saved.id).name == "New rule 1"
    stored(qtbot, page, undo_stack.undo)  # the creation
    assert saved.id not in {r.id for r in ws.rules.rules()}
    stored(qtbot, page, undo_stack.redo)
    assert ws.rules.get(saved.id).name == "New rule 1"


def test_a_rule_in_use_is_not_deleted(qtbot: Any, sample_workspace: Workspace,
                                      undo_stack: QUndoStack, monkeypatch: Any) -> None:
    ws = sample_workspace
    page = open_page(qtbot, ws, undo_stack)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda _parent, _title, text: told.append(text))
    page.select(ws.rules.get("Northside standard").id)
    page.remove_rule.click()
    assert told
    assert "Northside Clinic" in told[0]
    assert undo_stack.count() == 0
    assert "Northside standard" in names(page)
    spare = ws.rules.create("Spare")
    stored(qtbot, page, page.refresh)
    page.select(spare.id)
    stored(qtbot, page, page.remove_rule.click)
    assert "Spare" not in names(page)
    stored(qtbot, page, undo_stack.undo)
    assert ws.rules.get(spare.id).name == "Spare"


def test_basic_info_picks_a_partner_rule_and_shows_an_unknown_one(
        qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack) -> None:
    ws = sample_workspace
    basic = open_tab(qtbot, BasicInfoTab, ws, undo_stack, site="Northside Clinic")
    choices = [basic.rule.itemText(i) for i in range(basic.rule.count())]
    assert {"NOC Escalation", "Northside standard", "Standard Notifications"} <= set(choices)
    assert basic.rule.currentText() == "Northside standard"
    basic.rule.setCurrentIndex(basic.rule.findText("Standard Notifications"))
    assert basic.value().notification_rule_id == ws.rules.get("Standard Notifications").id
    # A reference to a rule that is gone (the service refuses to save one, so it is written
    # the way an older client's sync would) is shown as such, with the error under the field.
    rule_id = ws.rules.create("Short-lived").id
    ws.rules.delete(rule_id)
    info = ws.helpdesk.setup("Northside Clinic").basic
    assert info is not None
    with ws.db.write() as s:
        site_id = next(x.id for x in ws.sites.all() if x.name == "Main Office")
        document = section_document(SiteSetup(basic=replace(info, notification_rule_id=rule_id)),
                                    "basic-info")
        HelpDeskRepository(s).save(site_id, "basic-info", document, "sync.pull")
    other = open_tab(qtbot, BasicInfoTab, ws, undo_stack, site="Main Office")
    assert other.rule.currentText() == "(a deleted rule)"
    error = other.labels()["notification_rule_id"]
    assert "no longer exists" in error.text()


def test_new_rule_in_basic_info_opens_the_partner_page(qtbot: Any, window: Any) -> None:
    ws = window.workspace
    page = window.page("companies")
    assert page.select(next(s.id for s in ws.sites.all() if s.name == "Northside Clinic"))
    window.show_page("basic-info")
    wait_idle(qtbot)
    basic = page.site_tabs.current_tab()
    assert isinstance(basic, BasicInfoTab)
    qtbot.waitUntil(lambda: basic.rule.currentText() == "Northside standard", timeout=10_000)
    rules_page = window.page("notification-rules")
    index = basic.rule.findText("New rule…")
    assert index == basic.rule.count() - 1
    with qtbot.waitSignal(rules_page.stored, timeout=10_000):
        basic.rule.setCurrentIndex(index)
        basic.rule.activated.emit(index)
    wait_idle(qtbot)
    assert window.current_name() == "notification-rules"
    assert "New rule 1" in {r.name for r in ws.rules.rules()}
    assert basic.rule.currentText() == "Northside standard", "the selection is kept"
    assert not basic.save_button.isEnabled()


def test_a_readiness_link_selects_the_sites_rule(qtbot: Any, sample_workspace: Workspace,
                                                  undo_stack: QUndoStack) -> None:
    page = open_page(qtbot, sample_workspace, undo_stack)
    northside = next(s.id for s in sample_workspace.sites.all() if s.name == "Northside Clinic")
    page.show_site(northside)
    assert page.name.text() == "Northside standard"
    assert "Northside Clinic" in page.users.text()
