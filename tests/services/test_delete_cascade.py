"""Deleting a site or a company takes everything of it, in one transaction; undo brings it all
back (issue 14). Real SQLite files; tests/sync/test_delete_sync.py takes it to the server."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import event

from app.domain.errors import RuleViolation
from app.domain.helpdesk import Reference
from app.services.sample import populate_sample
from app.services.workspace import Workspace
from tests.services.cascade_helpers import live_counts
from tests.sync.helpers import open_ws

SITE = "Northside Clinic"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """The sample workspace, plus a vault item and a device override at Northside Clinic."""
    monkeypatch.setenv("PREFLIGHT_VAULT_INSECURE_TEST_KDF", "1")
    workspace = open_ws(tmp_path, "sample")
    populate_sample(workspace)
    workspace.vault.session.init("correct horse battery staple 42")
    workspace.vault.items.add(SITE, "server", "DC01", username="admin", password="s3cret-value")
    device = workspace.devices.all(SITE)[0]
    workspace.devices.set_override(device.id, "remote-access", "notification_balloon", True)
    yield workspace
    workspace.close()


def test_site_delete_takes_everything_of_the_site_and_counts_it(ws: Workspace) -> None:
    site = ws.sites.get(SITE)
    before = live_counts(ws.path, [site.id])
    assert before == {"devices": 5, "device_overrides": 1, "client_profiles": 7,
                      "helpdesk_sections": 5, "vault_items": 1, "sites": 1}
    preview = ws.sites.preview_delete(SITE)
    assert preview.to_dict() == {"removed": {"devices": 5, "client_profiles": 7,
                                             "helpdesk_sections": 5, "vault_items": 1}}
    assert preview.removed_ids == {}, "a preview writes and keeps nothing"
    assert preview.device_overrides == 1
    assert live_counts(ws.path, [site.id]) == before

    gone = ws.sites.delete(SITE)
    assert gone.to_dict() == preview.to_dict()
    assert gone.device_overrides == 1
    assert set(live_counts(ws.path, [site.id]).values()) == {0}, "nothing is left behind"
    assert gone.summary() == ("5 devices (with 1 setting override), 7 client profiles, "
                              "5 Help Desk sections and 1 vault item")
    assert [x.name for x in ws.sites.all("Contoso Dental")] == ["Lab", "Main Office"]


def test_company_delete_takes_its_sites_and_counts_them(ws: Workspace) -> None:
    sites = [x.id for x in ws.sites.all("Contoso Dental")]
    expected = live_counts(ws.path, sites)
    gone = ws.companies.delete("Contoso Dental")
    assert gone.to_dict() == {"removed": {
        "devices": expected["devices"], "client_profiles": expected["client_profiles"],
        "helpdesk_sections": expected["helpdesk_sections"],
        "vault_items": expected["vault_items"], "sites": len(sites)}}
    assert set(live_counts(ws.path, sites).values()) == {0}
    assert "Contoso Dental" not in [c.name for c in ws.companies.all()]


def test_a_delete_is_one_transaction_with_a_tombstone_each_in_the_outbox(
        ws: Workspace) -> None:
    site = ws.sites.get(SITE)
    commits: list[int] = []
    event.listen(ws.db.engine, "commit", lambda _conn: commits.append(1))
    with closing(sqlite3.connect(ws.path)) as db:
        seq = db.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0]
    gone = ws.sites.delete(SITE)
    assert len(commits) == 1
    with closing(sqlite3.connect(ws.path)) as db:
        ops = db.execute("SELECT entity, op FROM outbox WHERE seq > ?", (seq,)).fetchall()
        audit = db.execute("SELECT entity, action FROM audit WHERE entity_id = ?",
                           (site.id,)).fetchall()
    assert {op for _, op in ops} == {"delete"}
    assert sorted({e for e, _ in ops}) == sorted(gone.removed_ids)
    assert len(ops) == sum(len(ids) for ids in gone.removed_ids.values())
    assert ("site", "site.delete") in audit


def test_a_refused_delete_changes_nothing(ws: Workspace) -> None:
    with closing(sqlite3.connect(ws.path)) as db:
        before = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
    with pytest.raises(RuleViolation, match="no site"):
        ws.sites.delete("No Such Site")
    with closing(sqlite3.connect(ws.path)) as db:
        assert db.execute("SELECT count(*) FROM outbox").fetchone()[0] == before


def test_undo_of_a_site_delete_brings_all_of_it_back(ws: Workspace) -> None:
    site = ws.sites.get(SITE)
    before = live_counts(ws.path, [site.id])
    setup = ws.helpdesk.setup(SITE)
    gone = ws.sites.delete(SITE)
    back = ws.sites.restore(gone)
    assert (back.id, back.name, back.package) == (site.id, SITE, site.package)
    assert live_counts(ws.path, [site.id]) == before
    assert ws.helpdesk.setup(SITE) == setup
    assert ws.vault.items.reveal(ws.vault.items.list(SITE)[0].id) == "s3cret-value"
    with closing(sqlite3.connect(ws.path)) as db:
        restored = db.execute("SELECT count(*) FROM audit WHERE action LIKE '%.restore'"
                              ).fetchone()[0]
    assert restored == sum(len(ids) for ids in gone.removed_ids.values())


def test_undo_of_a_company_delete_brings_its_sites_back(ws: Workspace) -> None:
    sites = [x.id for x in ws.sites.all("Contoso Dental")]
    before = live_counts(ws.path, sites)
    gone = ws.companies.delete("Contoso Dental")
    assert ws.companies.restore(gone).site_count == len(sites)
    assert live_counts(ws.path, sites) == before


def test_undo_is_refused_when_the_name_was_taken_meanwhile(ws: Workspace) -> None:
    gone = ws.sites.delete(SITE)
    ws.sites.create("Contoso Dental", SITE)
    with pytest.raises(RuleViolation, match="another one of that name"):
        ws.sites.restore(gone)
    assert len(ws.sites.all("Contoso Dental")) == 3, "the refused undo changed nothing"


def test_undo_of_a_site_of_a_deleted_company_is_refused(ws: Workspace) -> None:
    gone = ws.sites.delete(SITE)
    ws.companies.delete("Contoso Dental")
    with pytest.raises(RuleViolation, match="undo that delete first"):
        ws.sites.restore(gone)


def test_a_restored_site_whose_package_was_deleted_inherits_the_default(
        ws: Workspace) -> None:
    gone = ws.sites.delete(SITE)
    ws.packages.delete("Help Desk Essentials", force=True)
    assert ws.sites.restore(gone).package is None


def test_references_files_go_with_the_site(ws: Workspace, tmp_path: Path) -> None:
    paper = tmp_path / "runbook.txt"
    paper.write_text("call the dentist", encoding="utf-8")
    stored = ws.attachments.attach(paper)
    refs = (Reference("Runbook", "", stored.name, stored.sha256, stored.size),)
    ws.helpdesk.save(SITE, "references", refs)
    gone = ws.sites.delete(SITE)
    with closing(sqlite3.connect(ws.path)) as db:
        live = db.execute("SELECT count(*) FROM helpdesk_sections WHERE section = 'references'"
                          " AND deleted_at IS NULL AND document_json LIKE ?",
                          (f"%{stored.sha256}%",)).fetchone()[0]
    assert live == 0, "no live reference names the file any more"
    ws.sites.restore(gone)
    assert ws.helpdesk.setup(SITE).references == refs


def _live_steps(path: Path, site_id: str) -> int:
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute("SELECT count(*) FROM golive_steps WHERE site_id = ? AND "
                              "deleted_at IS NULL", (site_id,)).fetchone()[0])


def test_a_site_delete_takes_its_go_live_steps_and_undo_brings_them_back(
        ws: Workspace) -> None:
    site = ws.sites.get(SITE)
    recorded = _live_steps(ws.path, site.id)
    assert recorded > 0, "the sample's Northside Clinic is mid-journey"
    kickoff = ws.golive.record_of(SITE, "kickoff")
    assert kickoff is not None
    gone = ws.sites.delete(SITE)
    assert len(gone.removed_ids["golive_step"]) == recorded
    assert _live_steps(ws.path, site.id) == 0
    ws.sites.restore(gone)
    assert _live_steps(ws.path, site.id) == recorded
    assert ws.golive.record_of(SITE, "kickoff") == kickoff
