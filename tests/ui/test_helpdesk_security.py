"""Help Desk → Security Requests: approvers in call order, SMS authentication refused without
mobile numbers, save and undo."""

from __future__ import annotations

from app.profiles import Profile
from tests.ui.helpdesk_support import open_tab, save
from ui.helpdesk.security_tab import SecurityRequestsTab


def add_profiles(ws) -> dict[str, str]:
    ids = {}
    for first, last, mobile in (("Ada", "Mobile", "4155552671"), ("Bob", "Desk", "")):
        record = ws.profiles.add("Main Office", Profile(
            first, last, mobile_country_code="US" if mobile else "", mobile_phone=mobile,
            office_country_code="" if mobile else "US",
            office_phone="" if mobile else "4155552672"))
        ids[first] = record.id
    return ids


def test_caller_sms_without_any_mobile_is_refused(qtbot, sample_workspace, undo_stack) -> None:
    tab = open_tab(qtbot, SecurityRequestsTab, sample_workspace, undo_stack)
    assert [b.title() for b in tab.boxes] == ["New user accounts", "Password resets",
                                               "Software installations"]
    box = tab.boxes[1]
    box.sms_caller.click()
    assert not box.sms_caller.isChecked()  # refused
    label = box.errors["sms_auth_caller"]
    assert label.isVisible()
    assert "Not turned on" in label.text()
    assert "mobile numbers" in label.text()
    assert sample_workspace.helpdesk.setup("Main Office").security == ()


def test_approvers_in_call_order_with_sms(qtbot, sample_workspace, undo_stack) -> None:
    ids = add_profiles(sample_workspace)
    tab = open_tab(qtbot, SecurityRequestsTab, sample_workspace, undo_stack)
    box = tab.boxes[0]
    box.required.click()
    assert "needs an approver" in box.errors["approver_ids"].text()
    assert tab.save_button.isEnabled()  # still missing, not invalid: saved, and listed
    for name in ("Bob Desk", "Ada Mobile"):
        box.picker.setCurrentIndex(box.picker.findData(ids[name.split()[0]]))
        box.add.click()
    assert box.approver_ids() == (ids["Bob"], ids["Ada"])
    box.approvers.setCurrentRow(1)
    box.up.click()
    assert box.approver_ids() == (ids["Ada"], ids["Bob"])
    texts = [box.approvers.item(i).text() for i in range(2)]
    assert texts == ["1. Ada Mobile", "2. Bob Desk (no mobile)"]
    box.sms_approver.click()  # Bob has no mobile: refused
    assert not box.sms_approver.isChecked()
    assert "Bob Desk has no mobile number" in box.errors["sms_auth_approver"].text()
    box.approvers.setCurrentRow(1)
    box.remove.click()
    box.sms_approver.click()
    assert box.sms_approver.isChecked()
    assert tab.save_button.isEnabled()
    save(qtbot, tab)
    stored = sample_workspace.helpdesk.setup("Main Office").security
    assert stored[0].approver_ids == (ids["Ada"],)
    assert stored[0].sms_auth_approver
    again = open_tab(qtbot, SecurityRequestsTab, sample_workspace, undo_stack)
    assert again.boxes[0].approvers.item(0).text() == "1. Ada Mobile"
    assert again.boxes[0].sms_approver.isChecked()
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        undo_stack.undo()
    assert sample_workspace.helpdesk.setup("Main Office").security == ()


def test_custom_type_needs_a_name(qtbot, sample_workspace, undo_stack, qtmodeltester) -> None:
    tab = open_tab(qtbot, SecurityRequestsTab, sample_workspace, undo_stack)
    tab.add_custom.click()
    custom = tab.boxes[-1]
    assert "Enter the name of the custom request type" in custom.errors["name"].text()
    qtbot.keyClicks(custom.name, "VPN access")
    assert custom.title() == "VPN access"
    assert not custom.errors["name"].isVisible()
    qtmodeltester.check(custom.approvers.model())
