"""Help Desk → References: titled documents with an optional attached file, stored in the
workspace (Attach file…, or a file dropped on the editor), written out again (Save file…)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.domain.helpdesk import Reference
from app.domain.helpdesk.references import MAX_ATTACHMENT_BYTES
from tests.ui.conftest import ScriptedDialogs
from tests.ui.helpdesk_support import open_tab, save, type_into
from tests.ui.profiles_support import drop_files
from ui.helpdesk.references_tab import ReferencesTab

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 16


class FileDialogs(ScriptedDialogs):
    """The scripted dialogs, with the Help Desk's "where to save the attached file"."""

    def save_file_path(self, title: str, start: Path) -> Path | None:
        self.asked.append((title, str(start)))
        return self.paths.pop(0)


def attach(qtbot, tab: ReferencesTab, path: Path) -> None:
    dialogs = FileDialogs()
    dialogs.paths.append(path)
    tab.dialogs = dialogs
    with qtbot.waitSignal(tab.attached, timeout=10_000):
        tab.attach.click()


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
    source = tmp_path / "imaging-setup.pdf"
    source.write_bytes(PDF)
    attach(qtbot, tab, source)
    assert tab.attachment.text() == "imaging-setup.pdf"
    assert tab.attachment_size.text() == "4.0 KB"
    assert tab.save_file.isEnabled()
    assert not tab.errors["body"].isVisible()  # a file is enough
    qtmodeltester.check(tab.ref_list.model())
    save(qtbot, tab)
    sha = hashlib.sha256(PDF).hexdigest()
    assert sample_workspace.helpdesk.setup("Main Office").references == (
        Reference("Opening hours", "Mon-Fri 08:00-18:00"),
        Reference("Imaging", "", "imaging-setup.pdf", sha, len(PDF)))
    assert sample_workspace.attachments.attachment_bytes(sha) == PDF

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


def test_save_file_writes_the_stored_bytes(qtbot, sample_workspace, undo_stack,
                                           tmp_path: Path) -> None:
    tab = open_tab(qtbot, ReferencesTab, sample_workspace, undo_stack)
    tab.add_ref.click()
    type_into(qtbot, tab.title_edit, "Floor plan")
    source = tmp_path / "floor plan.pdf"
    source.write_bytes(PDF)
    attach(qtbot, tab, source)
    save(qtbot, tab)
    source.unlink()  # the workspace has its own copy

    again = open_tab(qtbot, ReferencesTab, sample_workspace, undo_stack)
    assert again.attachment.text() == "floor plan.pdf"
    assert again.save_file.isEnabled()
    dialogs = FileDialogs()
    out = tmp_path / "out" / "plan copy.pdf"
    out.parent.mkdir()
    dialogs.paths.append(out)
    again.dialogs = dialogs
    with qtbot.waitSignal(again.file_saved, timeout=10_000):
        again.save_file.click()
    assert out.read_bytes() == PDF
    assert dialogs.asked == [("Save the attached file", str(Path.home() / "floor plan.pdf"))]
    assert f"Saved floor plan.pdf to {out}" in again.notice.text()

    dialogs.paths.append(None)  # cancelled: nothing written, nothing said
    again.save_file.click()
    assert len(dialogs.asked) == 2

    again.detach.click()  # Remove file keeps working
    assert again.attachment.text() == ""
    assert again.attachment_size.text() == ""
    assert not again.save_file.isEnabled()
    assert not again.detach.isEnabled()
    save(qtbot, again)
    (ref,) = sample_workspace.helpdesk.setup("Main Office").references
    assert (ref.attachment_name, ref.attachment_sha256, ref.attachment_size) == (None, None, None)


def test_a_file_that_cannot_be_attached_says_why(qtbot, sample_workspace, undo_stack,
                                                 tmp_path: Path) -> None:
    tab = open_tab(qtbot, ReferencesTab, sample_workspace, undo_stack)
    tab.add_ref.click()
    big = tmp_path / "disk image.iso"
    with big.open("wb") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES + 1)
    attach(qtbot, tab, big)
    assert "Not attached" in tab.notice.text()
    assert "'disk image.iso'" in tab.notice.text()
    assert "25.0 MB" in tab.notice.text()
    assert tab.attachment.text() == ""
    assert tab.attach.isEnabled()
    attach(qtbot, tab, tmp_path / "gone.pdf")
    assert "no such file" in tab.notice.text()
    assert tab.refs[0].attachment_sha256 is None


def test_a_file_dropped_on_the_editor_attaches(qtbot, sample_workspace, undo_stack,
                                               tmp_path: Path) -> None:
    tab = open_tab(qtbot, ReferencesTab, sample_workspace, undo_stack)
    source = tmp_path / "network map.png"
    source.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert not drop_files(tab.editor, [source])  # no reference selected: not taken
    tab.add_ref.click()
    with qtbot.waitSignal(tab.attached, timeout=10_000):
        assert drop_files(tab.body_edit.viewport(), [source])
    assert tab.attachment.text() == "network map.png"
    assert tab.body_edit.toPlainText() == ""  # the file attached; no path typed into the text
    assert tab.refs[0].attachment_sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert tab.save_button.isEnabled()


def test_a_name_saved_before_files_were_stored_warns(qtbot, sample_workspace, undo_stack
                                                     ) -> None:
    sample_workspace.helpdesk.save("Main Office", "references",
                                   (Reference("Map", "", "floor-plan.pdf"),))
    tab = open_tab(qtbot, ReferencesTab, sample_workspace, undo_stack)
    assert tab.attachment.text() == "floor-plan.pdf"
    assert tab.attachment_size.text() == ""
    assert not tab.save_file.isEnabled()
    assert tab.detach.isEnabled()
    assert "attach the file again" in tab.errors["attachment_name"].text()
