"""Help Desk → References: titled documents with an optional attachment name."""

from __future__ import annotations

from pathlib import Path

from app.domain.helpdesk import Reference
from tests.ui.conftest import ScriptedDialogs
from tests.ui.helpdesk_support import open_tab, save, type_into
from ui.helpdesk.references_tab import ReferencesTab


def test_write_attach_save_and_undo(qtbot, sample_workspace, undo_stack, tmp_path: Path,
                                    qtmodeltester) -> None:
    tab = open_tab(qtbot, ReferencesTab, sample_workspace, undo_stack)
    assert not tab.editor.isEnabled()
    tab.add_ref.click()
    type_into(qtbot, tab.title_edit, "")
    assert "Enter the reference title" in tab.errors["title"].text()
    assert "Write the reference text or attach a file" in tab.errors["body"].text()
    type_into(qtbot, tab.title_edit, "Opening hours")
    assert tab.ref_list.item(0).text() == "Opening hours"
    type_into(qtbot, tab.body_edit, "Mon-Fri 08:00-18:00")
    assert not tab.errors["body"].isVisible()

    tab.add_ref.click()
    type_into(qtbot, tab.title_edit, "opening hours ")
    assert "Remove the spaces" in tab.errors["title"].text()
    assert not tab.save_button.isEnabled()  # refused: spaces around the title
    type_into(qtbot, tab.title_edit, "Imaging")
    dialogs = ScriptedDialogs()
    dialogs.paths.append(tmp_path / "imaging-setup.pdf")
    tab.dialogs = dialogs
    tab.attach.click()
    assert tab.attachment.text() == "imaging-setup.pdf"
    assert not tab.errors["body"].isVisible()  # a file is enough
    qtmodeltester.check(tab.ref_list.model())
    save(qtbot, tab)
    assert sample_workspace.helpdesk.setup("Main Office").references == (
        Reference("Opening hours", "Mon-Fri 08:00-18:00"),
        Reference("Imaging", "", "imaging-setup.pdf"))

    again = open_tab(qtbot, ReferencesTab, sample_workspace, undo_stack)
    assert again.ref_list.count() == 2
    assert again.title_edit.text() == "Opening hours"
    again.ref_list.setCurrentRow(1)
    assert again.attachment.text() == "imaging-setup.pdf"
    again.remove_ref.click()
    assert again.ref_list.count() == 1
    save(qtbot, again)
    assert len(sample_workspace.helpdesk.setup("Main Office").references) == 1
    with qtbot.waitSignal(again.saved, timeout=10_000):
        undo_stack.undo()
    assert len(sample_workspace.helpdesk.setup("Main Office").references) == 2
    assert again.ref_list.count() == 2
