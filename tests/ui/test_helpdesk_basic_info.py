"""Help Desk → Basic Info, driven by typing: inline findings, refusal, save, reload, undo."""

from __future__ import annotations

from app.domain.helpdesk import DESKTOP_AGENT_FEE_NOTICE, BasicInfo
from tests.ui.helpdesk_support import open_tab, save, site_named, type_into
from ui.helpdesk.basic_info_tab import BasicInfoTab


def test_public_domain_is_refused_with_the_reason(qtbot, sample_workspace, undo_stack) -> None:
    tab = open_tab(qtbot, BasicInfoTab, sample_workspace, undo_stack)
    assert DESKTOP_AGENT_FEE_NOTICE in tab.fee.text()
    assert tab.fee.isVisible()
    type_into(qtbot, tab.domain, "gmail.com")
    label = tab.labels()["email_domain"]
    assert label.isVisible()
    assert "public email domain" in label.text()
    assert "cannot be processed automatically as tickets" in label.text()
    assert not tab.save_button.isEnabled()
    assert not tab.save()  # refused: nothing saved
    assert "Not saved" in tab.notice.text()
    assert sample_workspace.helpdesk.setup("Main Office").basic is None
    assert undo_stack.count() == 0
    tab.no_domain.click()
    type_into(qtbot, tab.domain, "")
    assert not label.isVisible()


def test_phone_with_hyphens_is_shown_next_to_the_phone(qtbot, sample_workspace,
                                                        undo_stack) -> None:
    tab = open_tab(qtbot, BasicInfoTab, sample_workspace, undo_stack)
    type_into(qtbot, tab.phone.country, "US")
    type_into(qtbot, tab.phone.number, "415-555-2671")
    assert "digits only" in tab.phone.error.text()
    assert not tab.save_button.isEnabled()
    type_into(qtbot, tab.phone.number, "4155552671")
    assert not tab.phone.error.isVisible()


def test_save_reload_and_undo(qtbot, sample_workspace, undo_stack) -> None:
    tab = open_tab(qtbot, BasicInfoTab, sample_workspace, undo_stack)
    type_into(qtbot, tab.phone.country, "US")
    type_into(qtbot, tab.phone.number, "4155552671")
    type_into(qtbot, tab.domain, "contoso-dental.com")
    type_into(qtbot, tab.greeting, "Contoso Dental")
    tab.opt_in.click()
    assert "item(s) still missing" in tab.status.text()  # no notification rule yet: saveable
    save(qtbot, tab)
    stored = sample_workspace.helpdesk.setup("Main Office").basic
    assert stored == BasicInfo("US", "4155552671", "contoso-dental.com", False, "",
                               "Contoso Dental", "", True)
    again = open_tab(qtbot, BasicInfoTab, sample_workspace, undo_stack)
    assert again.domain.text() == "contoso-dental.com"
    assert again.opt_in.isChecked()
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        undo_stack.undo()
    assert sample_workspace.helpdesk.setup("Main Office").basic in (None, BasicInfo())
    assert tab.domain.text() == ""
    other = site_named(sample_workspace, "Lab")
    assert sample_workspace.helpdesk.setup(other.id).basic is None


def test_a_phone_and_domain_of_another_companys_site_are_flagged(qtbot, sample_workspace,
                                                                 undo_stack) -> None:
    """Seed 004: the main phone and email domain identify a site. Northside Clinic (Contoso
    Dental) has 2125550100 and contoso.example; copying them to Headquarters (Fabrikam) is
    shown under both fields, naming the other site; saving is allowed (which site is wrong is
    the admin's call) and readiness fails both sites."""
    tab = open_tab(qtbot, BasicInfoTab, sample_workspace, undo_stack, site="Headquarters")
    type_into(qtbot, tab.phone.country, "US")
    type_into(qtbot, tab.phone.number, "2125550100")
    type_into(qtbot, tab.domain, "contoso.example")
    type_into(qtbot, tab.greeting, "Fabrikam")
    phone = tab.phone.error.text()
    assert "already identifies site 'Northside Clinic' (Contoso Dental)" in phone
    domain = tab.labels()["email_domain"]
    assert domain.isVisible()
    assert "contoso.example already identifies site 'Northside Clinic'" in domain.text()
    save(qtbot, tab)
    for site in ("Headquarters", "Northside Clinic"):
        item = sample_workspace.helpdesk.readiness(site).item("basic-info")
        assert item.status.value == "fail", site
    type_into(qtbot, tab.domain, "fabrikam.example")
    assert not domain.isVisible()
