"""The vault's SQL (`storage.vault_item_repository`, `storage.vault_repository`) on a real
workspace file: lookups by id or title, lists without ciphertexts, application secrets, and every
write with its outbox and audit rows in the same transaction (checked with sqlite3 on the file).
The rows hold made-up ciphertext strings: this layer never sees a plaintext."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from typing import Any

import pytest

from app.domain.errors import NotFound, RuleViolation
from app.domain.model import new_id
from app.services.workspace import Workspace
from storage.tables import VaultItemRow
from storage.vault_item_repository import VaultItemRepository
from storage.vault_items import vault_item_payload
from storage.vault_repository import VaultRepository


def item(site_id: str | None, title: str, *, kind: str = "server", password_ct: str | None = "ct1",
         notes_ct: str | None = None, properties: list[dict[str, Any]] | None = None,
         ) -> VaultItemRow:
    return VaultItemRow(id=new_id(), site_id=site_id, kind=kind, title=title, username="admin",
                        url="", application="", password_ct=password_ct, notes_ct=notes_ct,
                        properties_json=json.dumps(properties or []),
                        updated_at="2026-01-01T00:00:00Z")


def values(row: VaultItemRow) -> dict[str, Any]:
    """The columns of a new row, as the bulk path takes them."""
    return {**{c.name: getattr(row, c.name) for c in VaultItemRow.__table__.columns},
            "version": 0, "deleted_at": None}


def outbox(ws: Workspace) -> list[tuple[str, str, str, dict[str, Any] | None]]:
    with closing(sqlite3.connect(ws.path)) as db:
        rows = db.execute("SELECT entity, entity_id, op, payload_json FROM outbox ORDER BY seq")
        return [(e, i, op, json.loads(p) if p else None) for e, i, op, p in rows]


def audit(ws: Workspace, entity: str) -> list[str]:
    with closing(sqlite3.connect(ws.path)) as db:
        return [r[0] for r in db.execute(
            "SELECT action FROM audit WHERE entity = ? ORDER BY seq", (entity,))]


@pytest.fixture
def site(workspace: Workspace) -> str:
    workspace.companies.create("Contoso")
    site_id: str = workspace.sites.create("Contoso", "HQ").id
    with workspace.db.write() as s:  # the hierarchy's own outbox rows are not ours to count
        s.connection().exec_driver_sql("DELETE FROM outbox")
    return site_id


def test_add_find_and_summaries_without_ciphertexts(workspace: Workspace, site: str) -> None:
    with workspace.db.write() as s:
        repo = VaultItemRepository(s)
        dc = repo.add(item(site, "DC01", notes_ct="ct-notes"), "vault.add")
        repo.add(item(site, "Router", kind="lom", password_ct=None), "vault.add")
    with workspace.db.read() as s:
        repo = VaultItemRepository(s)
        assert repo.find(dc.id).title == "DC01"
        assert repo.find(" DC01 ").id == dc.id  # an exact title, trimmed
        rows = repo.summaries(site)
        assert sorted((r.title, r.has_password, r.has_notes) for r in rows) == [
            ("DC01", True, True), ("Router", False, False)]
        assert all("password_ct" not in r._fields for r in rows)
        assert [r.title for r in repo.summaries(site, "lom")] == ["Router"]
        assert [r.title for r in repo.site_rows(site)] == ["Router", "DC01"]  # kind, title
        assert repo.site_rows(site)[1].password_ct == "ct1"
    entries = outbox(workspace)
    assert [(e, op) for e, _i, op, _p in entries] == [("vault_item", "upsert")] * 2
    assert entries[0][3] is not None
    assert entries[0][3]["password_ct"] == "ct1"  # ciphertexts travel as they are
    assert audit(workspace, "vault_item") == ["vault.add", "vault.add"]


def test_find_refuses_unknown_and_ambiguous_titles(workspace: Workspace, site: str) -> None:
    with workspace.db.write() as s:
        repo = VaultItemRepository(s)
        repo.add(item(site, "Switch"), "vault.add")
        repo.add(item(site, "Switch"), "vault.add")
    with workspace.db.read() as s:
        repo = VaultItemRepository(s)
        with pytest.raises(NotFound, match="no vault item with id or title 'Printer'"):
            repo.find("Printer")
        with pytest.raises(RuleViolation, match="2 vault items are titled 'Switch'; use the id"):
            repo.find("Switch")


def test_change_and_tombstone_record_before_and_after(workspace: Workspace, site: str) -> None:
    with workspace.db.write() as s:
        repo = VaultItemRepository(s)
        row = repo.add(item(site, "NAS"), "vault.add")
        item_id = row.id
    with workspace.db.write() as s:
        repo = VaultItemRepository(s)
        row = repo.find(item_id)
        before = vault_item_payload(row)
        row.password_ct = "ct2"
        repo.changed(row, before, "vault.update")
    with workspace.db.write() as s:
        repo = VaultItemRepository(s)
        repo.tombstone(repo.find(item_id), "vault.delete")
    with workspace.db.read() as s:
        repo = VaultItemRepository(s)
        with pytest.raises(NotFound):
            repo.find(item_id)
        assert repo.summaries(site) == []
        gone = s.get(VaultItemRow, item_id)
        assert gone is not None
        assert gone.deleted_at is not None
        assert gone.password_ct == "ct2"  # kept until the server knows
    assert audit(workspace, "vault_item") == ["vault.add", "vault.update", "vault.delete"]
    with closing(sqlite3.connect(workspace.path)) as db:
        befores = [json.loads(b)["password_ct"] for (b,) in db.execute(
            "SELECT before_json FROM audit WHERE entity = 'vault_item' "
            "AND before_json IS NOT NULL "
            "ORDER BY seq")]
    assert befores == ["ct1", "ct2"]
    assert outbox(workspace)[-1][2] == "delete"


def test_app_secrets_are_one_per_name_and_of_no_site(workspace: Workspace, site: str) -> None:
    with workspace.db.write() as s:
        repo = VaultItemRepository(s)
        repo.add(item(None, "sync.client_secret", kind="app-secret"), "vault.app_secret")
        repo.add(item(None, "asio.client_secret", kind="app-secret"), "vault.app_secret")
        repo.add(item(site, "sync.client_secret"), "vault.add")  # a site's item, same title
    with workspace.db.read() as s:
        repo = VaultItemRepository(s)
        assert [r.title for r in repo.app_secrets()] == ["asio.client_secret",
                                                          "sync.client_secret"]
        found = repo.app_secret("sync.client_secret")
        assert found is not None
        assert found.site_id is None
        assert repo.app_secret("psa:x:public_key") is None
    with (pytest.raises(RuleViolation, match="refused by the workspace: UNIQUE"),
          workspace.db.write() as s):
        VaultItemRepository(s).add(item(None, "sync.client_secret", kind="app-secret"),
                                   "vault.app_secret")
    with workspace.db.read() as s:
        assert len(VaultItemRepository(s).app_secrets()) == 2  # the failed add left nothing


def test_add_many_is_one_transaction_with_its_outbox(workspace: Workspace, site: str) -> None:
    rows = [values(item(site, f"Server {n:02}")) for n in range(50)]
    with workspace.db.write() as s:
        VaultItemRepository(s).add_many(rows, "vault.import")
    assert len(outbox(workspace)) == 50
    assert set(audit(workspace, "vault_item")) == {"vault.import"}
    broken = [values(item(site, "Fine")), {**values(item(site, "Bad")), "site_id": "no-such"}]
    with (pytest.raises(RuleViolation, match="refused by the workspace: FOREIGN KEY"),
          workspace.db.write() as s):
        VaultItemRepository(s).add_many(broken, "vault.import")
    with workspace.db.read() as s:
        assert len(VaultItemRepository(s).summaries(site)) == 50  # nothing of the failed one
    assert len(outbox(workspace)) == 50


def test_the_vault_row_create_and_rewrap(workspace: Workspace) -> None:
    vault_id = workspace.db.info("workspace_id")
    assert vault_id is not None
    with workspace.db.write() as s:
        repo = VaultRepository(s)
        assert repo.live_ids() == []
        assert not repo.any(vault_id)
        repo.create(vault_id, 1, {"memory_kib": 8}, "wrapped-1", "check")
    with workspace.db.write() as s:
        repo = VaultRepository(s)
        row = repo.live(vault_id)
        assert row is not None
        repo.rewrap(row, {"memory_kib": 16}, "wrapped-2", "vault.change_password")
    with workspace.db.read() as s:
        repo = VaultRepository(s)
        assert repo.live_ids() == [vault_id]
        row = repo.live(vault_id)
        assert row is not None
        assert (json.loads(row.kdf_json), row.wrapped_key, row.key_check) == (
            {"memory_kib": 16}, "wrapped-2", "check")
    assert audit(workspace, "vault") == ["vault.init", "vault.change_password"]
    payloads = [p for e, _i, _op, p in outbox(workspace) if e == "vault"]
    assert payloads[-1] == {"id": vault_id, "formatVersion": 1, "kdf": {"memory_kib": 16},
                            "wrappedKey": "wrapped-2", "keyCheck": "check"}
