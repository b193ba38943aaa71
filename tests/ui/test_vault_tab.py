# ruff: noqa: F811  (the shared fixtures are imported, then named as parameters)
"""The site's Passwords tab through the real window: the five sub-tabs, add / edit / delete
through the form, secrets masked with Reveal, Copy that clears the clipboard (only when it still
holds our copy), the generator, search, and the locked state."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.services.views import SiteView
from app.services.workspace import Workspace
from app.vault.items import KINDS, ItemView, PropertyView
from tests.ui.conftest import wait_idle
from tests.ui.test_vault_support import (  # noqa: F401 (fixtures)
    SHORT_CLEAR_MS,
    add_item,
    cheap_kdf,
    create_vault,
    session,
    site,
    tab,
)
from ui.vault.clipboard import KDE_HINT
from ui.vault.generator import PasswordGeneratorDialog
from ui.vault.item_form import CUSTOM_APPLICATION, ItemDialog
from ui.vault.item_model import MASK, VaultItemModel
from ui.vault.passwords_tab import PasswordsTab
from ui.vault.session import VaultSession

SECRET = "s3cr3t-Pa55word!x"


def titles(tab: PasswordsTab, kind: str) -> list[str]:
    return [r.title for r in tab.models[kind].rows()]


def test_five_sub_tabs_with_the_seed_labels(tab: PasswordsTab) -> None:
    labels = [tab.kinds.tabToolTip(i) for i in range(tab.kinds.count())]
    texts = [tab.kinds.tabText(i) for i in range(tab.kinds.count())]
    assert texts[2] == "Lights Out\nManagement"  # two lines fit the narrow site panel
    assert texts[4] == "Custom Passwords\n&& Properties"  # "&" is not a mnemonic
    assert labels == list(KINDS.values())
    assert labels == ["Servers", "Desktops", "Lights Out Management", "Applications",
                      "Custom Passwords & Properties"]
    site_tabs = tab.parentWidget()
    while site_tabs is not None and site_tabs.objectName() != "siteTabs":
        site_tabs = site_tabs.parentWidget()
    assert site_tabs is not None  # a site-level tab, beside Devices and Help Desk


def test_add_an_item_masked_by_default_then_reveal(
        qtbot: Any, tab: PasswordsTab, sample_workspace: Workspace, site: SiteView) -> None:
    create_vault(qtbot, tab)
    add_item(qtbot, tab, kind="server", title="DC01 local admin", username="administrator",
             password=SECRET, url="10.0.0.5", notes="PIN 2468",
             properties=(("Recovery key", "RK-999", True), ("Rack", "B4", False)))
    assert titles(tab, "server") == ["DC01 local admin"]
    assert tab.kinds.tabText(0) == "Servers (1)"
    stored = sample_workspace.vault.items.list(site.id)
    assert [(i.title, i.username, i.url) for i in stored] == [
        ("DC01 local admin", "administrator", "10.0.0.5")]
    assert sample_workspace.vault.items.reveal(stored[0].id, "password") == SECRET

    assert tab.current_id() == stored[0].id  # the new item is selected and shown
    secrets = tab.detail.secrets
    assert set(secrets) == {"password", "notes",
                            f"property:{stored[0].properties[0].id}"}
    assert all(s.value.text() == MASK for s in secrets.values())
    shown = [w.text() for w in tab.detail.widget().findChildren(type(secrets["password"].value))]
    assert SECRET not in shown
    assert "B4" in shown  # a plain property shows as it is

    password = secrets["password"]
    qtbot.mouseClick(password.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: password.value.text() == SECRET)
    assert password.reveal_button.text() == "Hide"
    assert secrets["notes"].value.text() == MASK  # Reveal is per field
    qtbot.mouseClick(password.reveal_button, Qt.MouseButton.LeftButton)
    assert password.value.text() == MASK


def test_copy_clears_the_clipboard_after_the_delay(
        qtbot: Any, tab: PasswordsTab, session: VaultSession) -> None:
    create_vault(qtbot, tab)
    add_item(qtbot, tab, title="Router", password=SECRET)
    clipboard = QApplication.clipboard()
    clipboard.setText("before")
    qtbot.mouseClick(tab.detail.secrets["password"].copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: clipboard.text() == SECRET)
    mime = clipboard.mimeData()
    assert mime.hasFormat(KDE_HINT)
    assert bytes(mime.data(KDE_HINT).data()) == b"secret"
    assert "cleared in" in tab.notice.text()
    assert session.clipboard.timer.interval() == SHORT_CLEAR_MS
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=5_000)
    assert not session.clipboard.pending


def test_copy_leaves_something_copied_meanwhile(
        qtbot: Any, tab: PasswordsTab, session: VaultSession) -> None:
    create_vault(qtbot, tab)
    add_item(qtbot, tab, title="Router", password=SECRET)
    clipboard = QApplication.clipboard()
    qtbot.mouseClick(tab.detail.secrets["password"].copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: clipboard.text() == SECRET)
    clipboard.setText("the user's own text")
    qtbot.waitUntil(lambda: not session.clipboard.pending, timeout=5_000)  # the timer ran
    assert clipboard.text() == "the user's own text"


def test_copy_is_cleared_when_the_vault_locks(
        qtbot: Any, tab: PasswordsTab, session: VaultSession) -> None:
    create_vault(qtbot, tab)
    add_item(qtbot, tab, title="Router", password=SECRET)
    session.clipboard.clear_after_ms = 60_000
    qtbot.mouseClick(tab.detail.secrets["password"].copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == SECRET)
    session.lock()
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == "")


def test_locked_vault_lists_items_but_refuses_secrets(
        qtbot: Any, tab: PasswordsTab, session: VaultSession) -> None:
    create_vault(qtbot, tab)
    add_item(qtbot, tab, title="Router", username="admin", password=SECRET)
    qtbot.mouseClick(tab.detail.secrets["password"].reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.detail.secrets["password"].value.text() == SECRET)
    session.lock()
    qtbot.waitUntil(lambda: session.state == "locked")
    password = tab.detail.secrets["password"]
    assert password.value.text() == MASK  # hidden again at once
    assert not password.reveal_button.isEnabled()
    assert not password.copy_button.isEnabled()
    assert not tab.add_button.isEnabled()
    assert not tab.edit_button.isEnabled()
    assert not tab.export_button.isEnabled()
    assert tab.banner.isVisible()
    assert "locked" in tab.banner_text.text()
    with qtbot.waitSignal(tab.loaded):
        tab.refresh()
    assert [(r.title, r.username) for r in tab.models["server"].rows()] == [("Router", "admin")]


def test_edit_and_delete_through_the_tab(
        qtbot: Any, tab: PasswordsTab, sample_workspace: Workspace, site: SiteView) -> None:
    create_vault(qtbot, tab)
    add_item(qtbot, tab, kind="desktop", title="Front desk PC", username="clerk",
             password=SECRET, properties=(("PIN", "1234", True),))
    tab.edit_selected()
    qtbot.waitUntil(lambda: tab.item_dialog is not None)
    dialog = tab.item_dialog
    assert isinstance(dialog, ItemDialog)
    assert dialog.password.text() == SECRET  # starts from the revealed secrets
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    assert dialog.properties.rows[0].value.text() == "1234"
    dialog.username.clear()
    qtbot.keyClicks(dialog.username, "reception")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                         Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    item = sample_workspace.vault.items.list(site.id)[0]
    assert item.username == "reception"
    assert sample_workspace.vault.items.reveal(item.id, "password") == SECRET
    assert sample_workspace.vault.items.reveal(item.id, "property:PIN") == "1234"

    tab.dialogs.confirms.append(True)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert sample_workspace.vault.items.list(site.id) == []
    assert titles(tab, "desktop") == []


def test_an_application_is_pre_defined_or_custom(
        qtbot: Any, tab: PasswordsTab, sample_workspace: Workspace, site: SiteView) -> None:
    create_vault(qtbot, tab)
    tab.kinds.setCurrentIndex(list(KINDS).index("application"))
    for choice, custom in (("QuickBooks", ""), (CUSTOM_APPLICATION, "Dentrix")):
        qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
        dialog = tab.item_dialog
        assert isinstance(dialog, ItemDialog)
        assert dialog.application.isVisible()
        dialog.title.setText(f"{custom or choice} admin")  # keyClicks types ASCII only
        dialog.application.setCurrentText(choice)
        assert dialog.custom_application.isVisible() == bool(custom)
        if custom:
            qtbot.keyClicks(dialog.custom_application, custom)
        with qtbot.waitSignal(tab.loaded, timeout=10_000):
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                             Qt.MouseButton.LeftButton)
        wait_idle(qtbot)
    apps = sorted(i.application for i in sample_workspace.vault.items.list(site.id, "application"))
    assert apps == ["Dentrix", "QuickBooks"]
    table = tab.tables["application"]
    assert not table.isColumnHidden(VaultItemModel.COL_APPLICATION)
    assert tab.tables["server"].isColumnHidden(VaultItemModel.COL_APPLICATION)


def test_search_within_the_site(qtbot: Any, tab: PasswordsTab) -> None:
    create_vault(qtbot, tab)
    add_item(qtbot, tab, kind="server", title="DC01", username="administrator")
    add_item(qtbot, tab, kind="lom", title="iDRAC DC01", username="root", url="10.0.9.1")
    add_item(qtbot, tab, kind="custom", title="Wi-Fi", username="guest")
    qtbot.keyClicks(tab.search, "dc01")
    assert titles(tab, "server") == ["DC01"]
    assert titles(tab, "lom") == ["iDRAC DC01"]
    assert titles(tab, "custom") == []
    assert tab.count.text() == "2 of 3"
    assert tab.kinds.tabText(list(KINDS).index("lom")) == "Lights Out\nManagement (1)"
    tab.search.clear()
    qtbot.keyClicks(tab.search, "10.0.9")
    assert titles(tab, "lom") == ["iDRAC DC01"]
    assert titles(tab, "server") == []
    tab.search.clear()
    assert tab.count.text() == "3 items"


def test_generator_strength_copy_and_use(
        qtbot: Any, tab: PasswordsTab, session: VaultSession) -> None:
    create_vault(qtbot, tab)
    generator = tab.open_generator()
    assert isinstance(generator, PasswordGeneratorDialog)
    assert not generator.use_button.isVisible()  # nothing to use it in
    generator.length.setValue(32)
    assert len(generator.password()) == 32
    assert generator.strength.text().startswith("very strong")
    for name in ("upper", "symbols", "lower"):
        generator.classes[name].setChecked(False)
    assert generator.password().isdigit()
    assert "bits" in generator.strength.text()
    generator.classes["digits"].setChecked(False)
    assert generator.password() == ""
    assert not generator.copy_button.isEnabled()
    generator.classes["lower"].setChecked(True)
    qtbot.mouseClick(generator.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == generator.password()
    assert session.clipboard.pending
    generator.reject()

    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    form = tab.item_dialog
    assert isinstance(form, ItemDialog)
    generate = form.findChild(type(form.show_password), "generateItemPassword")
    qtbot.mouseClick(generate, Qt.MouseButton.LeftButton)
    used = tab.generator
    assert used is not None
    assert used.use_button.isVisible()
    chosen = used.password()
    qtbot.mouseClick(used.use_button, Qt.MouseButton.LeftButton)
    assert form.password.text() == chosen
    qtbot.waitUntil(lambda: not shiboken6.isValid(used))
    form.reject()


def test_item_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = VaultItemModel()
    model.set_rows([
        ItemView("a", "s", "server", "DC01", "admin", "10.0.0.1", "", True, False,
                 (PropertyView("p1", "PIN", True, None),), "2026-01-02T03:04:05"),
        ItemView("b", "s", "application", "QB", "", "", "QuickBooks", False, True),
        ItemView("c", "s", "custom", "Empty"),
    ])
    qtmodeltester.check(model)
    assert model.data(model.index(0, VaultItemModel.COL_SECRETS)) == (
        "password, 1 secret property")
    model.sort(VaultItemModel.COL_TITLE, Qt.SortOrder.DescendingOrder)
    assert [r.title for r in model.rows()] == ["QB", "Empty", "DC01"]
    qtmodeltester.check(model)


def test_table_actions_and_the_empty_states(
        qtbot: Any, tab: PasswordsTab, session: VaultSession) -> None:
    create_vault(qtbot, tab)
    assert "No passwords for this site yet" in tab.detail.placeholder
    add_item(qtbot, tab, title="Router", username="netadmin", password=SECRET)
    table = tab.tables["server"]
    actions = {a.text(): a for a in table.actions()}
    assert set(actions) == {"Copy Username", "Copy Password", "Edit…", "Delete"}
    actions["Copy Username"].trigger()
    assert QApplication.clipboard().text() == "netadmin"
    assert not session.clipboard.pending  # a username is not a secret: left on the clipboard
    actions["Copy Password"].trigger()
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == SECRET)
    assert session.clipboard.pending
    qtbot.keyClicks(tab.search, "zzz")
    assert tab.detail.placeholder == "Nothing matches the search."
