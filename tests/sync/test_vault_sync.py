"""The vault travels as ciphertext and opens in another workspace of the same partner."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.vault.errors import WrongPassword
from tests.server.live import LiveServer, sync
from tests.sync.helpers import open_ws

PASSWORD = "correct horse battery staple 42"
CANARY = "canary-7f3a9c-sync-secret"


def test_a_vault_pulled_into_another_workspace_opens_with_the_same_password(
        server: LiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFLIGHT_VAULT_INSECURE_TEST_KDF", "1")
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        company = a.companies.create("Acme")
        site = a.sites.create(company.id, "HQ")
        a.vault.session.init(PASSWORD)
        item = a.vault.items.add(site.id, "server", "DC01", username="admin", password=CANARY)
        assert sync(a, server).conflicts == 0
        assert not b.vault.session.exists
        assert sync(b, server).count_check == "ok"
        assert b.vault.session.exists
        with pytest.raises(WrongPassword):
            b.vault.session.unlock("not the master password")
        b.vault.session.unlock(PASSWORD)
        assert [i.title for i in b.vault.items.list(site.id)] == ["DC01"]
        assert b.vault.items.reveal(item.id) == CANARY
        # An item added on B decrypts on A after the next round.
        added = b.vault.items.add(site.id, "desktop", "WS-01", password=CANARY + "-b")
        sync(b, server)
        sync(a, server)
        assert a.vault.items.reveal(added.id) == CANARY + "-b"
        # What the server stored, on either database: every version of every object.
        with server.app.state.store.engine.connect() as conn:
            stored = " ".join(conn.execute(text("SELECT payload FROM object_versions")).scalars())
        assert "password_ct" in stored
        assert CANARY not in stored
    finally:
        a.close()
        b.close()
    for path in (tmp_path / "a.preflight", tmp_path / "b.preflight", tmp_path / "server.db"):
        if path.exists():  # the server's file, on SQLite
            assert CANARY.encode() not in path.read_bytes()
