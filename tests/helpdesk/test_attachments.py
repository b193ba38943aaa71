"""`workspace.attachments`: the files attached to Help Desk references, stored once per content
in the real workspace file, refused with a message naming the file when they cannot be."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.errors import NotFound, RuleViolation
from app.domain.helpdesk import Reference
from app.domain.helpdesk.references import MAX_ATTACHMENT_BYTES
from app.services.attachments import AttachedFile, AttachmentService
from app.services.workspace import Workspace
from storage.tables import AttachmentRow, OutboxRow

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40


def _rows(ws: Workspace) -> int:
    with ws.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(AttachmentRow)) or 0)


def test_attach_stores_the_bytes_under_their_sha256(workspace: Workspace,
                                                    tmp_path: Path) -> None:
    source = tmp_path / "Imaging setup.pdf"
    source.write_bytes(PDF)
    outbox_before = workspace.pending_changes()
    attached = workspace.attachments.attach(source)
    sha = hashlib.sha256(PDF).hexdigest()
    assert attached == AttachedFile(sha, len(PDF), "Imaging setup.pdf")
    sha_, size, name = attached  # what a reference takes
    assert (sha_, size, name) == (sha, len(PDF), "Imaging setup.pdf")
    assert workspace.attachments.attachment_bytes(sha) == PDF
    info = workspace.attachments.info(sha)
    assert info is not None
    assert (info.size, info.media_type, info.uploaded_at) == (len(PDF), "application/pdf", None)
    # Storing bytes is no change of the user's by itself: saving the reference is.
    assert workspace.pending_changes() == outbox_before


def test_attaching_the_same_content_again_stores_it_once(workspace: Workspace,
                                                         tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "copy of a.txt"
    first.write_bytes(b"same bytes")
    second.write_bytes(b"same bytes")
    one = workspace.attachments.attach(first)
    again = workspace.attachments.attach(first)
    other_name = workspace.attachments.attach(second)
    assert one == again
    assert other_name.sha256 == one.sha256
    assert other_name.name == "copy of a.txt"
    assert _rows(workspace) == 1


def test_an_empty_file_attaches(workspace: Workspace, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    attached = workspace.attachments.attach(empty)
    assert attached.size == 0
    assert attached.sha256 == hashlib.sha256(b"").hexdigest()
    assert workspace.attachments.attachment_bytes(attached.sha256) == b""


def test_a_file_over_the_limit_is_refused_naming_it_and_its_size(workspace: Workspace,
                                                                 tmp_path: Path) -> None:
    big = tmp_path / "server image.iso"
    with big.open("wb") as handle:  # sparse: 25 MB + 1 byte without writing them
        handle.truncate(MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(RuleViolation) as refused:
        workspace.attachments.attach(big)
    message = str(refused.value)
    assert "'server image.iso'" in message
    assert "25.0 MB (26,214,401 bytes)" in message
    assert "over the 25.0 MB limit" in message
    assert _rows(workspace) == 0
    exactly = tmp_path / "exactly.bin"
    exactly.write_bytes(b"x" * 10)
    small_limit = AttachmentService(workspace.db, limit=10)
    assert small_limit.attach(exactly).size == 10
    exactly.write_bytes(b"x" * 11)
    with pytest.raises(RuleViolation, match=r"'exactly.bin': it is 11 bytes \(11 bytes\)"):
        small_limit.attach(exactly)


def test_missing_files_folders_and_unreadable_paths_are_refused(workspace: Workspace,
                                                                tmp_path: Path) -> None:
    with pytest.raises(RuleViolation, match=r"nowhere\.pdf'.*no such file"):
        workspace.attachments.attach(tmp_path / "nowhere.pdf")
    with pytest.raises(RuleViolation, match="it is a folder; attach a file"):
        workspace.attachments.attach(tmp_path)
    not_a_folder = tmp_path / "plain.txt"
    not_a_folder.write_text("x")
    with pytest.raises(RuleViolation, match=r"cannot attach .*plain\.txt/inside\.pdf"):
        workspace.attachments.attach(not_a_folder / "inside.pdf")
    assert _rows(workspace) == 0


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads files whatever their mode")
def test_a_file_without_read_permission_is_refused(workspace: Workspace,
                                                   tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(PDF)
    locked.chmod(0)
    try:
        with pytest.raises(RuleViolation, match="permission denied"):
            workspace.attachments.attach(locked)
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_save_attachment_writes_the_bytes_out(workspace: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "in.pdf"
    source.write_bytes(PDF)
    sha = workspace.attachments.attach(source).sha256
    out = tmp_path / "out" / "copy.pdf"
    out.parent.mkdir()
    out.write_bytes(b"an older file of that name")
    assert workspace.attachments.save_attachment(sha, out) == out
    assert out.read_bytes() == PDF
    assert sorted(p.name for p in out.parent.iterdir()) == ["copy.pdf"]  # no temp file left
    with pytest.raises(RuleViolation, match="it is a folder"):
        workspace.attachments.save_attachment(sha, out.parent)
    with pytest.raises(RuleViolation, match=r"cannot save 'copy\.pdf' in"):
        workspace.attachments.save_attachment(sha, tmp_path / "no such folder" / "copy.pdf")


def test_unknown_and_malformed_hashes(workspace: Workspace) -> None:
    unknown = hashlib.sha256(b"never stored").hexdigest()
    with pytest.raises(NotFound, match="not in this workspace yet; sync to fetch it"):
        workspace.attachments.attachment_bytes(unknown)
    assert not workspace.attachments.has(unknown)
    assert workspace.attachments.info(unknown) is None
    with pytest.raises(RuleViolation, match="is not a SHA-256"):
        workspace.attachments.attachment_bytes("ABC")


def test_a_saved_reference_keeps_its_file_across_reopening(sample_workspace: Workspace,
                                                           tmp_path: Path) -> None:
    source = tmp_path / "floor plan.pdf"
    source.write_bytes(PDF)
    sha, size, name = sample_workspace.attachments.attach(source)
    before = sample_workspace.pending_changes()
    findings = sample_workspace.helpdesk.save(
        "Main Office", "references", (Reference("Floor plan", "", name, sha, size),))
    assert findings == []
    assert sample_workspace.pending_changes() == before + 1
    with sample_workspace.db.read() as s:
        payload = s.scalars(select(OutboxRow.payload_json).order_by(OutboxRow.seq.desc())).first()
    assert payload is not None
    assert sha in payload  # the section names the file by its hash…
    assert "%PDF" not in payload  # …and never carries its bytes
    assert "JVBER" not in payload  # (nor their base64)
    path = sample_workspace.path
    sample_workspace.close()
    again = Workspace.open(path)
    try:
        (ref,) = again.helpdesk.setup("Main Office").references
        assert ref == Reference("Floor plan", "", "floor plan.pdf", sha, len(PDF))
        assert again.attachments.attachment_bytes(sha) == PDF
    finally:
        again.close()
