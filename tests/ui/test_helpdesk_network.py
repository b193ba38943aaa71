"""Help Desk → Network Info: sections with Not applicable, inline findings, vault logins by id
(never a secret), save + reload + undo."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit

from tests.ui.helpdesk_support import open_tab, save, type_into
from ui.helpdesk.network_tab import NetworkInfoTab


def test_sections_items_and_not_applicable(qtbot, sample_workspace, undo_stack) -> None:
    vault = sample_workspace.vault
    vault.session.init("correct horse battery staple")
    item = vault.items.add("Main Office", "application", "Backup console", username="backup",
                     password="s3cret-Passw0rd")
    tab = open_tab(qtbot, NetworkInfoTab, sample_workspace, undo_stack)
    printers = tab.sections["printers"]
    printers.add.click()
    row = printers.rows[0]
    name = row.editors["name"]
    ip = row.editors["ip_address"]
    assert isinstance(name, QLineEdit)
    assert isinstance(ip, QLineEdit)
    type_into(qtbot, name, "Front desk")
    assert "Enter the IP address of network printer Front desk" in row.error.text()
    type_into(qtbot, ip, "192.168.1.300")
    assert "is not an IP address" in row.error.text()
    assert not tab.save_button.isEnabled()
    type_into(qtbot, ip, "192.168.1.30")
    assert not row.error.isVisible()

    backup = tab.sections["backup"]
    backup.add.click()
    login = backup.rows[0].editors["credential_id"]
    assert isinstance(login, QComboBox)
    labels = [login.itemText(i) for i in range(login.count())]
    assert labels == ["No login linked", "Backup console (Applications)"]
    assert all("s3cret" not in text for text in labels)
    login.setCurrentIndex(1)
    type_into(qtbot, backup.rows[0].editors["server_name"], "BACKUP01")  # type: ignore[arg-type]
    type_into(qtbot, backup.rows[0].editors["address"], "10.0.0.5")  # type: ignore[arg-type]
    assert not backup.rows[0].error.isVisible()

    for name in ("network_drives", "email", "remote_access", "applications",
                 "active_directory", "unlicensed_software"):
        tab.sections[name].not_applicable.click()
    save(qtbot, tab)
    stored = sample_workspace.helpdesk.setup("Main Office").network
    assert stored.printers.items[0].ip_address == "192.168.1.30"
    assert stored.backup.items[0].credential_id == item.id
    assert stored.missing() == []

    again = open_tab(qtbot, NetworkInfoTab, sample_workspace, undo_stack)
    combo = again.sections["backup"].rows[0].editors["credential_id"]
    assert isinstance(combo, QComboBox)
    assert combo.currentData() == item.id
    assert again.sections["email"].not_applicable.isChecked()

    again.sections["printers"].not_applicable.click()  # N/A with an entry: advice
    assert "marked not applicable but has 1 entries" in \
        again.sections["printers"].error.text()
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        undo_stack.undo()
    assert sample_workspace.helpdesk.setup("Main Office").network.missing() != []
