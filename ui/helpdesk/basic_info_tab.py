"""Help Desk → Basic Info: client main phone, client email domain or No Client Email Domain,
the Help Desk notification rule, the name used in greetings and SMS, the site message and the
opt-in to RMM desktop agent installs with its per-occurrence fee (seed 004)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.helpdesk import (
    DESKTOP_AGENT_FEE_NOTICE,
    BasicInfo,
    Finding,
    identity_conflicts,
    validate_basic_info,
)
from ui import theme
from ui.helpdesk.findings_view import error_label
from ui.helpdesk.section_tab import SectionTab
from ui.helpdesk.widgets import field_cell, muted, phone_row

FEE_STYLE = ("QLabel { background: $warning_bg; border: 1px solid $warning_border;"
             " border-radius: 3px; padding: 4px 6px; color: $warning_text; }")  # ui.theme


NEW_RULE = "\x00new-rule"  # the data of the "New rule…" item (never a rule id)
NEW_RULE_TEXT = "New rule…"


class BasicInfoTab(SectionTab):
    SECTION = "basic-info"
    TITLE = "Basic Info"
    INTRO = ("How the Help Desk greets and identifies this client: its main phone, its email "
             "domain and the notification rule to escalate through.")

    def build_form(self, body: QWidget) -> None:
        outer = QVBoxLayout(body)
        box = QGroupBox("Client", body)
        form = QFormLayout(box)
        self._errors: dict[str, QLabel] = {}
        self.phone = phone_row(box, "mainPhone")
        self._errors["main_phone"] = self._errors["main_phone_country"] = self.phone.error
        form.addRow("Main phone:", self.phone)
        self.domain = QLineEdit(box)
        self.domain.setObjectName("emailDomain")
        self.domain.setPlaceholderText("example.com")
        self.no_domain = QCheckBox("No Client Email Domain", box)
        self.no_domain.setToolTip("Select when the client's people use a public email domain "
                                  "such as gmail.com or outlook.com.")
        self.no_domain.setObjectName("noEmailDomain")
        self._errors["email_domain"] = error_label(box, "email_domain")
        form.addRow("Email domain:", field_cell(box, self.domain, self.no_domain,
                                                self._errors["email_domain"]))
        self.rule = QComboBox(box)
        self.rule.setObjectName("notificationRule")
        self._rule_selected = ""
        self.rule.activated.connect(self._rule_activated)
        self._errors["notification_rule_id"] = error_label(box, "notification_rule_id")
        form.addRow("Notification rule:", field_cell(
            box, self.rule,
            muted("Partner-level rules, set up on the Notification Rules page.", box),
            self._errors["notification_rule_id"]))
        self.greeting = QLineEdit(box)
        self.greeting.setObjectName("greetingName")
        self.greeting.setPlaceholderText("Contoso Dental")
        self._errors["greeting_name"] = error_label(box, "greeting_name")
        form.addRow("Name in greetings/SMS:", field_cell(box, self.greeting,
                                                         self._errors["greeting_name"]))
        self.message = QPlainTextEdit(box)
        self.message.setObjectName("siteMessage")
        self.message.setTabChangesFocus(True)
        self.message.setFixedHeight(80)
        self._errors["site_message"] = error_label(box, "site_message")
        form.addRow("Site message:", field_cell(box, self.message, self._errors["site_message"]))
        # short: a check box does not wrap (the fee notice below says the rest)
        self.opt_in = QCheckBox("Let the Help Desk install it", box)
        self.opt_in.setAccessibleName("Let the Help Desk install the RMM desktop agent")
        self.opt_in.setObjectName("desktopAgentOptIn")
        self.fee = QLabel(DESKTOP_AGENT_FEE_NOTICE, box)
        self.fee.setObjectName("desktopAgentFee")
        self.fee.setWordWrap(True)
        theme.set_style(self.fee, FEE_STYLE)
        self.fee.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Desktop agent:", field_cell(box, self.opt_in, self.fee))
        outer.addWidget(box)
        outer.addStretch(1)
        for signal in (self.phone.changed, self.domain.textChanged, self.no_domain.toggled,
                       self.rule.currentIndexChanged, self.greeting.textChanged,
                       self.message.textChanged, self.opt_in.toggled):
            signal.connect(self.edited)

    def labels(self) -> dict[str, QLabel]:
        return self._errors

    def _fill_rules(self, selected: str) -> None:
        assert self.context is not None
        self.rule.clear()
        self.rule.addItem("Not selected", "")
        for rule in self.context.setup.rules:
            self.rule.addItem(rule.name or "(unnamed rule)", rule.id)
        if selected and self.rule.findData(selected) < 0:
            self.rule.addItem("(a deleted rule)", selected)
        self.rule.insertSeparator(self.rule.count())
        self.rule.addItem(NEW_RULE_TEXT, NEW_RULE)
        self.rule.setCurrentIndex(max(0, self.rule.findData(selected)))
        self._rule_selected = selected

    def _rule_activated(self, index: int) -> None:
        """"New rule…": the rules are partner-level, so it opens the Notification Rules page
        with a new rule; back here, the new rule is in the list to select."""
        if self.rule.itemData(index) != NEW_RULE:
            self._rule_selected = self.rule.itemData(index) or ""
            return
        with QSignalBlocker(self.rule):
            self.rule.setCurrentIndex(max(0, self.rule.findData(self._rule_selected)))
        self.edited()  # the brief change to "New rule…" is undone: the form is as it was
        from ui.pages.rules_page import RulesPage

        page = self.navigator.go("notification-rules", RulesPage)
        if page is None:
            self.notice.show_message("Create rules on the Notification Rules page.", "info")
            return
        page.new_rule()

    def update_choices(self) -> None:
        self._fill_rules(self._rule_id())

    def fill(self, value: BasicInfo | None) -> None:
        info = value or BasicInfo()
        self.phone.set_value(info.main_phone_country, info.main_phone)
        self.domain.setText(info.email_domain)
        self.no_domain.setChecked(info.no_client_email_domain)
        self._fill_rules(info.notification_rule_id)
        self.greeting.setText(info.greeting_name)
        self.message.setPlainText(info.site_message)
        self.opt_in.setChecked(info.desktop_agent_opt_in)

    def value(self) -> BasicInfo:
        country, phone = self.phone.value()
        return BasicInfo(
            main_phone_country=country, main_phone=phone, email_domain=self.domain.text(),
            no_client_email_domain=self.no_domain.isChecked(),
            notification_rule_id=self._rule_id(),
            greeting_name=self.greeting.text(), site_message=self.message.toPlainText(),
            desktop_agent_opt_in=self.opt_in.isChecked())

    def _rule_id(self) -> str:
        data = self.rule.currentData()
        return "" if not data or data == NEW_RULE else str(data)

    def check(self, value: Any) -> list[Finding]:
        assert self.context is not None
        return (identity_conflicts(self.context.site_id, value, self.context.input.other_sites)
                + validate_basic_info(value, rule_ids={r.id for r in self.context.setup.rules}))
