"""Help Desk → Notification Rules: paths, contacts in order, time slots with the coverage lint
live, refusal of invalid input, save + reload + undo, and Basic Info picking the rule."""

from __future__ import annotations

from app.domain.helpdesk import ContactMethod, PathKind
from tests.ui.helpdesk_support import open_tab, save, type_into
from ui.helpdesk.basic_info_tab import BasicInfoTab
from ui.helpdesk.rules_tab import NotificationRulesTab


def test_a_rule_with_a_coverage_gap(qtbot, sample_workspace, undo_stack, qtmodeltester) -> None:
    tab = open_tab(qtbot, NotificationRulesTab, sample_workspace, undo_stack)
    assert "Create a Help Desk notification rule" in tab.general.text()
    tab.add_rule.click()
    type_into(qtbot, tab.name, "Business hours")
    assert tab.rule_list.item(0).text() == "Business hours"
    assert "Add an MSP Escalation path" in tab.rule_error.text()
    msp = tab.paths[PathKind.MSP_ESCALATION]
    msp.setChecked(True)
    assert "has no contacts" in msp.error.text()
    msp.add_contact.click()
    row = msp.rows[0]
    type_into(qtbot, row.name, "Service desk")
    assert "has no phone number" in row.error.text()
    type_into(qtbot, row.country, "US")
    type_into(qtbot, row.phone, "415-555-2671")
    assert "digits only" in row.error.text()
    assert not tab.save_button.isEnabled()
    assert not tab.save()
    type_into(qtbot, row.phone, "4155552671")
    assert not row.error.isVisible()
    type_into(qtbot, msp.slots, "Mon-Fri 8-17")
    assert "Mon-Fri 8-17: &#x27;8-17&#x27; is not a window" in msp.slots_error.text() or \
        "Mon-Fri 8-17: '8-17' is not a window" in msp.slots_error.text()
    assert not tab.save_button.isEnabled()
    type_into(qtbot, msp.slots, "Mon-Fri 08:00-17:00")
    assert msp.coverage.text().startswith("Not covered: Mon 17:00–Tue 08:00")
    assert "Nobody is on the MSP Escalation path" in msp.slots_error.text()
    assert msp.slots_error.isVisible()
    assert tab.save_button.isEnabled()  # a gap is advice, not a refusal
    type_into(qtbot, msp.slots, "Mon-Sun 00:00-24:00")
    assert msp.coverage.text() == "Covers the whole week."
    assert not msp.slots_error.isVisible()
    qtmodeltester.check(tab.rule_list.model())
    save(qtbot, tab)
    rules = sample_workspace.helpdesk.setup("Main Office").rules
    assert [r.name for r in rules] == ["Business hours"]
    path = rules[0].path(PathKind.MSP_ESCALATION)
    assert path is not None
    assert path.contacts[0].phone == "4155552671"
    assert path.contacts[0].method is ContactMethod.CALL
    assert len(path.slots) == 7

    basic = open_tab(qtbot, BasicInfoTab, sample_workspace, undo_stack)
    assert basic.rule.findText("Business hours") >= 0

    again = open_tab(qtbot, NotificationRulesTab, sample_workspace, undo_stack)
    assert again.paths[PathKind.MSP_ESCALATION].slots.text() == "Mon-Sun 00:00-24:00"
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        undo_stack.undo()
    assert sample_workspace.helpdesk.setup("Main Office").rules == ()
    assert tab.rule_list.count() == 0


def test_contacts_reorder(qtbot, sample_workspace, undo_stack) -> None:
    tab = open_tab(qtbot, NotificationRulesTab, sample_workspace, undo_stack)
    tab.add_rule.click()
    cbe = tab.paths[PathKind.CALL_BEFORE_ESCALATING]
    cbe.setChecked(True)
    for name in ("First", "Second"):
        cbe.add_contact.click()
        type_into(qtbot, cbe.rows[-1].name, name)
    cbe.rows[1].up.click()
    path = tab.value()[0].path(PathKind.CALL_BEFORE_ESCALATING)
    assert path is not None
    assert [c.name for c in path.contacts] == ["Second", "First"]
    cbe.rows[0].remove.click()
    path = tab.value()[0].path(PathKind.CALL_BEFORE_ESCALATING)
    assert path is not None
    assert [c.name for c in path.contacts] == ["First"]
