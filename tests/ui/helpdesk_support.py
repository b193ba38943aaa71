"""Fixtures of the Help Desk tab tests: a tab shown on a site of the sample workspace."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from app.services.views import SiteView
from app.services.workspace import Workspace
from tests.ui.conftest import wait_idle
from tests.ui.context_support import make_context
from ui.helpdesk.section_tab import SectionTab

Tab = TypeVar("Tab", bound=SectionTab)


def site_named(ws: Workspace, name: str) -> SiteView:
    return next(s for s in ws.sites.all() if s.name == name)


def open_tab(qtbot: Any, cls: type[Tab], ws: Workspace, undo_stack: QUndoStack,
             site: str = "Main Office") -> Tab:
    tab = cls(make_context(ws, qtbot, undo_stack))
    qtbot.addWidget(tab)
    tab.resize(1100, 800)
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.set_site(site_named(ws, site))
    wait_idle(qtbot)
    return tab


def type_into(qtbot: Any, widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Replace the field's text by typing it, key by key."""
    widget.setFocus()
    if isinstance(widget, QLineEdit):
        widget.selectAll()
        widget.del_()
    else:
        widget.clear()
    qtbot.keyClicks(widget, text)


def save(qtbot: Any, tab: SectionTab) -> None:
    assert tab.save_button.isEnabled(), tab.status.text()
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        tab.save_button.click()
    wait_idle(qtbot)


def make_ready(ws: Workspace, site: str) -> None:
    """Fill every section of a site (through the services) so that nothing blocks go-live."""
    from datetime import date

    from app.domain.helpdesk import (
        BasicInfo,
        ContactMethod,
        CoverageLevel,
        EscalationPath,
        HelpDeskContact,
        NetworkInfo,
        NotificationRule,
        PathKind,
        ProductOptions,
        RuleContact,
        Section,
        parse_slots,
    )
    from app.profiles import Profile

    ws.profiles.add(site, Profile("Ada", "Lovelace", mobile_country_code="US",
                                  mobile_phone="4155552671"))
    ws.vault.session.init("correct horse battery staple")
    for kind in ("server", "desktop"):
        ws.vault.items.add(site, kind, f"{kind} admin", username="admin", password="Xy7-long-pass")
    contact = (RuleContact("Service desk", ContactMethod.CALL, "US", "4155550100"),)
    always = parse_slots("Mon-Sun 00:00-24:00")
    rule = NotificationRule("rule-1", "Always", (
        EscalationPath(PathKind.MSP_ESCALATION, contact, always),
        EscalationPath(PathKind.NOC_ESCALATION, contact, always)))
    if not any(r.id == rule.id for r in ws.rules.rules()):  # a partner-level rule
        ws.rules.create(rule.name, rule.paths, rule_id=rule.id)
    ws.helpdesk.save(site, "product-options", ProductOptions(
        True, CoverageLevel.ALWAYS, date(2099, 1, 1), 20,
        HelpDeskContact("Maya Patel", "maya@msp.example"), certification_completed=True))
    # its own domain: the sample's Northside Clinic is identified by contoso.example (seed 004)
    ws.helpdesk.save(site, "basic-info", BasicInfo("US", "4155550123", "main.contoso.example",
                                                   False, "rule-1", "Contoso"))
    psa = next((p for p in ws.policies.all("psa-integration")), None)
    if psa is not None:  # the PSA policy's API key pair, as its editor stores it in the vault
        from app.services.psa_keys import PsaKeyService

        PsaKeyService(ws.vault).store(psa.id, "PubKey0123456789", "PrivKey0123456789")
    na: Section[object] = Section(not_applicable=True)
    ws.helpdesk.save(site, "network-info", NetworkInfo(*(na for _ in range(8))))  # type: ignore[arg-type]
