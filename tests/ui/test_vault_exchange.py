# ruff: noqa: F811  (the shared fixtures are imported, then named as parameters)
"""Export and import from the Passwords tab: the IT Glue / Hudu CSV import with its report grid,
encrypted export and import, and the plaintext export behind its confirmation (its cells
guarded against formula injection, and read back unchanged)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt

from app.services.views import SiteView
from app.services.workspace import Workspace
from app.vault.exchange import plaintext_csv, unguard_plaintext
from tests.ui.conftest import wait_idle
from tests.ui.test_vault_support import (  # noqa: F401 (fixtures)
    add_item,
    cheap_kdf,
    create_vault,
    session,
    site,
    tab,
)
from ui.vault.csv_report import CsvReportDialog, ReportModel
from ui.vault.exchange_actions import PLAINTEXT_WARNING
from ui.vault.passwords_tab import PasswordsTab

ITGLUE = ("Name,Username,Password,URL,Notes,Password Category\n"
          "DC01,administrator,Adm1n-Pass!,10.0.0.5,,Windows Server\n"
          "iLO,root,ilo-Secret-9,10.0.0.6,,iLO\n"
          ",,,,,\n"
          "No password row,bob,,,,Other\n"
          "DC01,administrator,Dup-Pass-1,10.0.0.5,,Windows Server\n"
          ",,Orphan-Pass,,,Other\n")


def other_site(ws: Workspace, site: SiteView) -> SiteView:
    return next(s for s in ws.sites.all() if s.id != site.id)


def test_csv_import_shows_the_report_grid_then_imports(  # noqa: PLR0917
        qtbot: Any, tab: PasswordsTab, tmp_path: Path, sample_workspace: Workspace,
        site: SiteView, qtmodeltester: Any) -> None:
    create_vault(qtbot, tab)
    source = tmp_path / "itglue.csv"
    source.write_text(ITGLUE, encoding="utf-8")
    tab.dialogs.paths.append(source)
    tab.import_csv_action.trigger()
    qtbot.waitUntil(lambda: tab.csv_dialog is not None)
    dialog = tab.csv_dialog
    assert isinstance(dialog, CsvReportDialog)
    model = dialog.model
    assert isinstance(model, ReportModel)
    qtmodeltester.check(model)
    assert model.HEADERS == ("Row", "Column", "Severity", "Message")
    cells = [tuple(model.data(model.index(r, c)) for c in range(4))
             for r in range(model.rowCount())]
    assert ("7", "Title", "error", "No title, username or URL to name the entry by.") in cells
    assert any(row == "6" and severity == "warning" for row, _c, severity, _m in cells)
    joined = " ".join(" ".join(c) for c in cells)
    assert "Adm1n-Pass!" not in joined  # no secret in the report
    assert "Orphan-Pass" not in joined
    assert "with errors" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()  # errors: leave those rows out first
    dialog.skip.setChecked(True)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    items = {i.title: i for i in sample_workspace.vault.items.list(site.id)}
    assert {"DC01", "iLO"} <= set(items)
    assert items["DC01"].kind == "server"
    assert items["iLO"].kind == "lom"
    assert sample_workspace.vault.items.reveal(items["iLO"].id, "password") == "ilo-Secret-9"
    assert "Imported" in tab.notice.text()


def test_encrypted_export_then_import_into_another_site(
        qtbot: Any, tab: PasswordsTab, tmp_path: Path, sample_workspace: Workspace,
        site: SiteView) -> None:
    create_vault(qtbot, tab)
    add_item(qtbot, tab, title="Firewall", username="admin", password="Fw-Pass-0001")
    target = tmp_path / "site.pfvault"
    tab.dialogs.paths.append(target)
    tab.dialogs.passwords.append("export password 42")
    tab.export_encrypted_action.trigger()
    wait_idle(qtbot)
    assert "encrypted" in tab.notice.text()
    assert b"Fw-Pass-0001" not in target.read_bytes()

    other = other_site(sample_workspace, site)
    tab.set_site(other)
    wait_idle(qtbot)
    tab.dialogs.paths.append(target)
    tab.dialogs.passwords.append("not the export password")
    tab.import_encrypted_action.trigger()
    wait_idle(qtbot)
    assert tab.notice.kind == "error"
    assert "wrong export password" in tab.notice.text().lower()
    assert sample_workspace.vault.items.list(other.id) == []  # nothing changed

    tab.dialogs.paths.append(target)
    tab.dialogs.passwords.append("export password 42")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.import_encrypted_action.trigger()
    wait_idle(qtbot)
    [item] = sample_workspace.vault.items.list(other.id)
    assert item.title == "Firewall"
    assert sample_workspace.vault.items.reveal(item.id, "password") == "Fw-Pass-0001"


def test_plaintext_export_only_after_the_clear_text_confirmation(
        qtbot: Any, tab: PasswordsTab, tmp_path: Path) -> None:
    create_vault(qtbot, tab)
    add_item(qtbot, tab, title="Switch", username="admin", password="Sw-Pass-0002")
    target = tmp_path / "clear.csv"
    tab.dialogs.confirms.append(False)
    tab.export_plaintext_action.trigger()
    wait_idle(qtbot)
    title, text = tab.dialogs.asked[-1]
    assert "Clear Text" in title
    assert "every secret" in text
    assert "clear text" in text
    assert PLAINTEXT_WARNING in text
    assert not target.exists()  # refused: no file, not even asked where

    tab.dialogs.confirms.append(True)
    tab.dialogs.paths.append(target)
    tab.export_plaintext_action.trigger()
    wait_idle(qtbot)
    assert "Sw-Pass-0002" in target.read_text(encoding="utf-8")
    assert tab.notice.kind == "warning"
    assert target.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_plaintext_cells_are_guarded_against_formula_injection_and_read_back(
        qtbot: Any, tab: PasswordsTab, tmp_path: Path, sample_workspace: Workspace,
        site: SiteView) -> None:
    create_vault(qtbot, tab)
    nasty = {"=HYPERLINK(\"http://x\")": "=1+1", "+cmd": "-5", "@SUM(A1)": "@x",
             "Plain": "'=quoted"}
    for title, password in nasty.items():
        sample_workspace.vault.items.add(site.id, "custom", title, username="-u",
                                   password=password, notes="\tnote")
    target = tmp_path / "clear.csv"
    tab.dialogs.confirms.append(True)
    tab.dialogs.paths.append(target)
    tab.export_plaintext_action.trigger()
    wait_idle(qtbot)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    for row in rows[1:]:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r\n", row
    by_title = {r[0]: r for r in rows[1:]}
    assert by_title["'=HYPERLINK(\"http://x\")"][3] == "'=1+1"
    assert by_title["Plain"][3] == "''=quoted"  # the guard stays a bijection

    other = other_site(sample_workspace, site)
    result = sample_workspace.vault.exchange.import_csv(target, other.id)
    assert result.imported == len(nasty)
    back = {i.title: sample_workspace.vault.items.reveal(i.id, "password")
            for i in sample_workspace.vault.items.list(other.id)}
    assert back == nasty  # read back exactly as they were
    usernames = {i.username for i in sample_workspace.vault.items.list(other.id)}
    assert usernames == {"-u"}


def test_the_guard_helpers_leave_foreign_files_alone() -> None:
    data = plaintext_csv([{"title": "=x", "kind": "custom", "username": "", "password": "-p",
                           "url": "", "notes": "", "application": "", "properties": []}])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[1][:4] == ["'=x", "custom", "", "'-p"]
    assert unguard_plaintext(rows)[1][:4] == ["=x", "custom", "", "-p"]
    foreign = [["Name", "Password"], ["'=x", "'-p"]]
    assert unguard_plaintext(foreign) == foreign
