"""Files attached to Help Desk references travel with their sections through the real server:
uploaded before the section is pushed, downloaded after it is pulled, and a file that cannot
be fetched leaves the section in place and is fetched at a later sync."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest

from app.domain.helpdesk import Reference
from app.services.sample import ATTACHMENT_NAME, populate_sample
from app.services.workspace import Workspace
from app.sync import SyncError, local
from tests.server.live import LiveServer, sync
from tests.sync.helpers import open_ws, outbox

SITE = "Main Office"
# The sample workspace brings one file of its own (a reference of Northside Clinic), which
# moves with the sections like the files these tests attach.
SAMPLE_FILES = 1
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 64


def _attach(ws: Workspace, path: Path, data: bytes, title: str) -> Reference:
    path.write_bytes(data)
    sha, size, name = ws.attachments.attach(path)
    return Reference(title, "", name, sha, size)


def _server_has(server: LiveServer, sha: str, client: str = "alpha") -> bytes | None:
    with server.client(client) as http:
        answer = http.get(f"/v1/attachments/{sha}")
    return answer.content if answer.status_code == 200 else None


def test_a_file_attached_in_one_workspace_arrives_in_another(server: LiveServer,
                                                             tmp_path: Path) -> None:
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        populate_sample(a)
        ref = _attach(a, tmp_path / "floor plan.pdf", PDF, "Floor plan")
        a.helpdesk.save(SITE, "references", (ref, Reference("Wi-Fi", "SSID Staff")))
        pushed = sync(a, server)
        assert pushed.files_uploaded == 1 + SAMPLE_FILES
        assert pushed.file_problems == []
        assert outbox(a) == 0
        assert _server_has(server, ref.attachment_sha256 or "") == PDF
        sent = a.attachments.info(ref.attachment_sha256 or "")
        assert sent is not None
        assert sent.uploaded_at is not None

        pulled = sync(b, server)
        assert pulled.files_downloaded == 1 + SAMPLE_FILES
        assert pulled.file_problems == []
        assert pulled.count_check == "ok"
        (got, _wifi) = b.helpdesk.setup(SITE).references
        assert got == ref
        assert b.attachments.attachment_bytes(got.attachment_sha256 or "") == PDF
        out = tmp_path / "saved in b.pdf"
        b.attachments.save_attachment(got.attachment_sha256 or "", out)
        assert out.read_bytes() == PDF
        info = b.attachments.info(got.attachment_sha256 or "")
        assert info is not None
        assert info.media_type == "application/pdf"
        assert info.uploaded_at is not None  # it came from the server: never sent back

        # Nothing left to move: the next syncs send and fetch no file (a's PUT, this test's
        # GET and b's GET were the only requests for it).
        path = f"/v1/attachments/{ref.attachment_sha256}"
        assert server.hits(path) == 3
        again_a, again_b = sync(a, server), sync(b, server)
        assert (again_a.files_uploaded, again_a.files_downloaded) == (0, 0)
        assert (again_b.files_uploaded, again_b.files_downloaded) == (0, 0)
        assert server.hits(path) == 3
    finally:
        a.close()
        b.close()


def test_a_file_the_server_lacks_is_reported_kept_and_fetched_later(server: LiveServer,
                                                                    tmp_path: Path) -> None:
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        populate_sample(a)
        ref = _attach(a, tmp_path / "map.pdf", PDF, "Map")
        sha = ref.attachment_sha256 or ""
        a.helpdesk.save(SITE, "references", (ref,))
        # The section reaches the server without its file (as a client without file support,
        # or one whose upload was lost, would leave it): push the outbox by hand.
        with server.client() as http, a.db.read() as s:
            planned = local.plan(s)
            answer = http.post("/v1/batch", json={"ops": [p.op.to_json() for p in planned]},
                               headers={"Idempotency-Key": local.batch_key(planned)})
            assert {r["status"] for r in answer.json()["results"]} == {"applied"}

        first = sync(b, server)
        assert first.files_downloaded == 0
        assert len(first.file_problems) == 1 + SAMPLE_FILES  # the sample's file was not sent
        assert "'map.pdf' is not on the server yet" in first.file_problems[0]
        assert f"'{ATTACHMENT_NAME}' is not on the server yet" in first.file_problems[1]
        (kept,) = b.helpdesk.setup(SITE).references  # the section is there all the same
        assert kept == ref
        assert not b.attachments.has(sha)

        sync(a, server)  # a's next sync uploads what its sections name
        assert _server_has(server, sha) == PDF
        second = sync(b, server)
        assert second.files_downloaded == 1 + SAMPLE_FILES
        assert second.file_problems == []
        assert b.attachments.attachment_bytes(sha) == PDF
    finally:
        a.close()
        b.close()


def test_a_server_out_of_reach_for_files_loses_nothing(server: LiveServer,
                                                       tmp_path: Path) -> None:
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        populate_sample(a)
        ref = _attach(a, tmp_path / "setup.docx", b"PK\x03\x04 a document", "Setup")
        sha = ref.attachment_sha256 or ""
        a.helpdesk.save(SITE, "references", (ref,))
        sync(a, server)
        sync(b, server)  # b holds the section and the file…
        assert b.attachments.has(sha)

        # …c syncs while every file download fails with a server error (after its retries).
        c = open_ws(tmp_path, "c")
        try:
            server.fault(f"/v1/attachments/{sha}", mode="status", status=503, times=100)
            report = sync(c, server)
            assert report.files_downloaded == SAMPLE_FILES  # only setup.docx fails
            assert len(report.file_problems) == 1
            assert "'setup.docx' first, were not downloaded" in report.file_problems[0]
            assert c.helpdesk.setup(SITE).references == (ref,)
            assert not c.attachments.has(sha)
            httpx.delete(f"{server.url}/_test/faults").raise_for_status()
            later = sync(c, server)
            assert later.files_downloaded == 1
            assert c.attachments.attachment_bytes(sha) == b"PK\x03\x04 a document"
        finally:
            c.close()
    finally:
        a.close()
        b.close()


def test_an_upload_that_fails_stops_the_push_before_its_section(server: LiveServer,
                                                                tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        populate_sample(a)
        sync(a, server)
        data = b"%PDF-1.4 guide"
        ref = _attach(a, tmp_path / "guide.pdf", data, "Guide")
        a.helpdesk.save(SITE, "references", (ref,))
        pending = outbox(a)
        server.fault(f"/v1/attachments/{hashlib.sha256(data).hexdigest()}", mode="status",
                     status=503, times=100)
        with pytest.raises(SyncError, match="503"):  # after every retry
            sync(a, server)
        assert outbox(a) == pending  # the section was not sent without its file
        httpx.delete(f"{server.url}/_test/faults").raise_for_status()
        report = sync(a, server)
        assert report.files_uploaded == 1
        assert outbox(a) == 0
        assert _server_has(server, ref.attachment_sha256 or "") == data
    finally:
        a.close()
