"""Vault: unlock, wrong password, password change, parameter upgrade, idle lock, items."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from app.services.vault import Vault, VaultState
from app.vault import crypto
from app.vault.crypto import TEST_KDF, KdfParams
from app.vault.errors import (
    DecryptionFailed,
    VaultExists,
    VaultLocked,
    VaultNotInitialized,
    WeakPassword,
    WrongPassword,
)
from app.vault.items import Property
from tests.cli.helpers import assert_unchanged, snapshot
from tests.vault.conftest import CANARY, PASSWORD, Env


def test_states_from_none_to_unlocked(env: Env) -> None:
    service = env.service()
    assert service.session.state is VaultState.NONE
    with pytest.raises(VaultNotInitialized):
        service.items.add(env.site, "server", "DC01", password="x")
    service.session.init(PASSWORD)
    assert service.session.state is VaultState.UNLOCKED
    service.session.lock()
    assert service.session.state is VaultState.LOCKED
    assert service.session.locked_reason == "on demand"
    with pytest.raises(VaultExists):
        service.session.init(PASSWORD)


def test_master_password_must_be_long_enough(env: Env) -> None:
    service = env.service()
    with pytest.raises(WeakPassword):
        service.session.init("short")
    with pytest.raises(WeakPassword):
        service.session.init("aaaaaaaaaaaaaaaa")
    assert service.session.state is VaultState.NONE


def test_wrong_password_message_delay_and_nothing_changed(env: Env, vault: Vault) -> None:
    vault.items.add(env.site, "server", "DC01", username="admin", password=CANARY)
    vault.session.lock()
    before = snapshot(env.ws.path)
    with pytest.raises(WrongPassword) as caught:
        vault.session.unlock("not the password at all")
    assert str(caught.value) == ("wrong master password: the vault was not unlocked "
                                 "(nothing was changed)")
    assert env.sleeps.calls == [0.5]
    assert vault.session.state is VaultState.LOCKED
    with pytest.raises(WrongPassword):
        vault.session.change_password("not the password at all", "another long password 9")
    assert_unchanged(before, snapshot(env.ws.path))
    assert CANARY not in str(caught.value)


def test_locked_vault_refuses_reveal_add_update_delete_export(env: Env,
                                                             vault: Vault,
                                                             tmp_path: object) -> None:
    item = vault.items.add(env.site, "server", "DC01", password=CANARY)
    vault.session.lock()
    for call in (lambda: vault.items.reveal(item.id),
                 lambda: vault.items.add(env.site, "lom", "iLO"),
                 lambda: vault.items.update(item.id, password="x"),
                 lambda: vault.items.delete(item.id),
                 lambda: vault.app_secrets.set("psa.public_key", "k")):
        with pytest.raises(VaultLocked, match="the vault is locked; unlock it to"):
            call()
    # Listing needs no key and shows no secret.
    assert [i.title for i in vault.items.list(env.site)] == ["DC01"]


def test_change_password_rewraps_only_the_key(env: Env, vault: Vault) -> None:
    items = [vault.items.add(env.site, "server", f"S{i}", password=f"{CANARY}-{i}",
                       notes=f"note {i}", properties=[Property("pin", str(i), secret=True)])
             for i in range(5)]
    with closing(sqlite3.connect(env.ws.path)) as db:
        items_before = db.execute("SELECT * FROM vault_items ORDER BY id").fetchall()
        vault_before = db.execute(
            "SELECT kdf_json, wrapped_key, key_check FROM vaults").fetchone()
    vault.session.change_password(PASSWORD, "a brand new master password")
    with closing(sqlite3.connect(env.ws.path)) as db:
        assert db.execute("SELECT * FROM vault_items ORDER BY id").fetchall() == items_before
        kdf, wrapped, check = db.execute(
            "SELECT kdf_json, wrapped_key, key_check FROM vaults").fetchone()
        actions = [r[0] for r in db.execute("SELECT action FROM audit WHERE entity = 'vault'")]
    assert wrapped != vault_before[1]
    assert json.loads(kdf)["salt"] != json.loads(vault_before[0])["salt"]
    assert check == vault_before[2]  # the same vault key
    assert actions == ["vault.init", "vault.change_password"]
    vault.session.lock()
    with pytest.raises(WrongPassword):
        vault.session.unlock(PASSWORD)
    vault.session.unlock("a brand new master password")
    for i, item in enumerate(items):
        assert vault.items.reveal(item.id) == f"{CANARY}-{i}"
        assert vault.items.reveal(item.id, "notes") == f"note {i}"
        assert vault.items.reveal(item.id, "property:pin") == str(i)


def test_parameter_upgrade_on_unlock_and_on_demand(env: Env) -> None:
    weak = env.service(kdf=TEST_KDF)
    weak.session.init(PASSWORD)
    item = weak.items.add(env.site, "desktop", "PC1", password=CANARY)
    weak.session.lock()
    stronger = KdfParams(memory_kib=256, time_cost=2, parallelism=2)
    service = env.service(kdf=stronger)
    result = service.session.unlock(PASSWORD)
    assert result.upgraded
    stored = service.session.kdf_params()
    assert (stored.memory_kib, stored.time_cost, stored.parallelism) == (256, 2, 2)
    assert service.items.reveal(item.id) == CANARY
    service.session.lock()
    assert not service.session.unlock(PASSWORD).upgraded  # already at the target
    again = service.session.upgrade_kdf(
        PASSWORD, KdfParams(memory_kib=512, time_cost=2, parallelism=2))
    assert service.session.kdf_params().memory_kib == 512 == again.memory_kib
    service.session.lock()
    service.session.unlock(PASSWORD)
    assert service.items.reveal(item.id) == CANARY


def test_idle_lock_with_an_injected_clock(env: Env) -> None:
    states: list[VaultState] = []
    service = env.service(idle_seconds=300)
    service.session.add_listener(states.append)
    service.session.init(PASSWORD)
    item = service.items.add(env.site, "server", "DC01", password=CANARY)
    buffer = service.session._key._key  # type: ignore[union-attr]
    env.clock.advance(299)
    assert not service.session.check_idle()
    assert service.items.reveal(item.id) == CANARY  # activity restarts the clock
    env.clock.advance(299)
    service.session.touch()
    env.clock.advance(299)
    assert service.session.is_unlocked
    env.clock.advance(2)
    assert service.session.check_idle()
    assert service.session.state is VaultState.LOCKED
    assert service.session.locked_reason == "idle"
    assert buffer == bytearray(32)  # the key bytes were overwritten
    assert states == [VaultState.UNLOCKED, VaultState.LOCKED]
    with pytest.raises(VaultLocked):
        service.items.reveal(item.id)


def test_idle_expiry_is_noticed_by_the_next_call(env: Env) -> None:
    service = env.service(idle_seconds=60)
    service.session.init(PASSWORD)
    item = service.items.add(env.site, "server", "DC01", password=CANARY)
    env.clock.advance(61)
    with pytest.raises(VaultLocked):
        service.items.reveal(item.id)


def test_lock_and_close_drop_the_key(env: Env, vault: Vault) -> None:
    key = vault.session._key
    assert key is not None
    buffer = key._key
    vault.session.lock()
    assert vault.session._key is None
    assert not key.alive
    assert buffer == bytearray(32)
    vault.session.unlock(PASSWORD)
    key = vault.session._key
    assert key is not None
    vault.close()
    assert not key.alive
    assert vault.session.locked_reason == "closed"


def test_workspace_close_locks_its_vault(env: Env) -> None:
    ws_vault = env.ws.vault
    assert ws_vault is env.ws.vault  # one service per workspace
    ws_vault.session._kdf = TEST_KDF
    ws_vault.session.init(PASSWORD)
    key = ws_vault.session._key
    assert key is not None
    env.ws.close()
    assert not key.alive


def test_ad_binding_moved_ciphertexts_fail(env: Env, vault: Vault) -> None:
    a = vault.items.add(env.site, "server", "A", password=CANARY, notes="notes of A")
    b = vault.items.add(env.site, "server", "B", password="password of B")
    with closing(sqlite3.connect(env.ws.path)) as db:
        a_pw, a_notes = db.execute("SELECT password_ct, notes_ct FROM vault_items WHERE id = ?",
                                   (a.id,)).fetchone()
        # Another record: A's password onto B.
        db.execute("UPDATE vault_items SET password_ct = ? WHERE id = ?", (a_pw, b.id))
        # Another field: A's notes into A's password.
        db.execute("UPDATE vault_items SET password_ct = ? WHERE id = ?", (a_notes, a.id))
        db.commit()
    for item, field in ((b, "password"), (a, "password")):
        with pytest.raises(DecryptionFailed) as caught:
            vault.items.reveal(item.id, field)
        message = str(caught.value)
        assert "copied from another record" in message
        assert item.id in message
        assert CANARY not in message


def test_ciphertext_from_another_workspace_fails(env: Env, vault: Vault) -> None:
    item = vault.items.add(env.site, "server", "A", password=CANARY)
    with closing(sqlite3.connect(env.ws.path)) as db:
        (ct,) = db.execute("SELECT password_ct FROM vault_items").fetchone()
    # Same key, same record id and field, another workspace id: the AD differs.
    key = vault.session._key
    assert key is not None
    with pytest.raises(DecryptionFailed):
        crypto.open_text(key.aead, ct, crypto.associated_data(
            crypto.FIELD, "another-workspace", item.id, "password"))
    assert crypto.open_text(key.aead, ct, crypto.associated_data(
        crypto.FIELD, vault.session.workspace_id, item.id, "password")) == CANARY


def test_tampered_byte_fails_with_a_clear_error(env: Env, vault: Vault) -> None:
    item = vault.items.add(env.site, "server", "A", password=CANARY)
    with closing(sqlite3.connect(env.ws.path)) as db:
        (ct,) = db.execute("SELECT password_ct FROM vault_items").fetchone()
        raw = bytearray(crypto.decode(ct))
        raw[20] ^= 0x80
        db.execute("UPDATE vault_items SET password_ct = ?", (crypto.encode(bytes(raw)),))
        db.commit()
    with pytest.raises(DecryptionFailed, match="altered, damaged"):
        vault.items.reveal(item.id)


def test_items_crud_search_and_views_without_secrets(env: Env, vault: Vault) -> None:
    dc = vault.items.add(env.site, "server", "DC01", username="admin", url="10.0.0.5",
                   password=CANARY, properties=[Property("Role", "domain controller"),
                                                Property("Recovery", "RC-123", secret=True)])
    vault.items.add(env.site, "lom", "iLO DC01", username="Administrator", password="ilo pw")
    vault.items.add(env.site, "application", "QuickBooks", application="QuickBooks",
              password="qb pw")
    vault.items.add(env.other_site, "server", "Elsewhere", password="x")
    views = vault.items.list(env.site)
    assert [v.kind for v in views] == ["server", "lom", "application"]
    assert CANARY not in repr(views)
    assert "RC-123" not in repr(views)
    assert [v.title for v in vault.items.list(env.site, kind="lom")] == ["iLO DC01"]
    assert [v.title for v in vault.items.list(env.site, search="dc01")] == ["DC01", "iLO DC01"]
    assert [v.title for v in vault.items.list(env.site, search="controller")] == ["DC01"]
    assert vault.items.list(env.site, search=CANARY) == []  # secrets are not searchable
    recovery = next(p for p in dc.properties if p.name == "Recovery")
    assert recovery.value is None
    assert recovery.secret
    assert vault.items.reveal(dc.id, f"property:{recovery.id}") == "RC-123"
    assert vault.items.reveal(dc.id, "property:Role") == "domain controller"
    assert dc.secret_fields() == ["password", f"property:{recovery.id}"]
    updated = vault.items.update(dc.id, password="new pw", title="DC-01", notes="")
    assert updated.title == "DC-01"
    assert not updated.has_notes
    assert vault.items.reveal(dc.id) == "new pw"
    vault.items.delete(dc.id)
    assert "DC-01" not in [v.title for v in vault.items.list(env.site)]
    with pytest.raises(Exception, match="no vault item"):
        vault.items.reveal(dc.id)


def test_outbox_and_audit_carry_ciphertext_only(env: Env, vault: Vault) -> None:
    item = vault.items.add(env.site, "server", "DC01", password=CANARY, notes=CANARY + "-notes",
                     properties=[Property("k", CANARY + "-prop", secret=True)])
    vault.items.update(item.id, password=CANARY + "-2")
    with closing(sqlite3.connect(env.ws.path)) as db:
        outbox = db.execute("SELECT payload_json FROM outbox WHERE entity = 'vault_item'"
                            ).fetchall()
        audit = db.execute("SELECT before_json, after_json FROM audit "
                           "WHERE entity = 'vault_item'").fetchall()
    assert len(outbox) == 2
    assert len(audit) == 2
    for text in [o[0] for o in outbox] + [x for a in audit for x in a if x]:
        assert CANARY not in text
    payload = json.loads(outbox[0][0])
    assert payload["title"] == "DC01"
    key = vault.session._key
    assert key is not None
    assert "password" not in payload
    assert crypto.open_text(key.aead, payload["password_ct"], crypto.associated_data(
        crypto.FIELD, vault.session.workspace_id, item.id, "password")) == CANARY


def test_app_secrets_live_in_the_vault(env: Env, vault: Vault) -> None:
    vault.app_secrets.set("psa.public_key", "PUB", username="api-user")
    vault.app_secrets.set("psa.private_key", CANARY)
    vault.app_secrets.set("psa.private_key", CANARY + "-rotated")
    assert vault.app_secrets.get("psa.private_key") == CANARY + "-rotated"
    assert vault.app_secrets.get("sync.client_secret") is None
    assert [v.title for v in vault.app_secrets.list()] == ["psa.private_key", "psa.public_key"]
    assert vault.items.list(env.site) == []  # not in any site's tabs
    assert vault.app_secrets.delete("psa.public_key")
    assert not vault.app_secrets.delete("psa.public_key")
    vault.session.lock()
    with pytest.raises(VaultLocked):
        vault.app_secrets.get("psa.private_key")


def test_logs_never_hold_a_secret(env: Env, caplog: pytest.LogCaptureFixture,
                                  tmp_path: object) -> None:
    caplog.set_level("DEBUG")
    service = env.service()
    service.session.init(PASSWORD)
    item = service.items.add(env.site, "server", "DC01", password=CANARY)
    service.items.reveal(item.id)
    service.session.lock()
    with pytest.raises(WrongPassword):
        service.session.unlock(CANARY)  # a secret typed into the wrong box
    service.session.unlock(PASSWORD)
    service.session.change_password(PASSWORD, PASSWORD + " 2")
    assert "vault unlocked" in caplog.text
    assert CANARY not in caplog.text
    assert PASSWORD not in caplog.text


def test_idle_timeout_is_configurable(env: Env) -> None:
    service = env.service()
    service.session.init(PASSWORD)
    service.session.set_idle_timeout(10)
    env.clock.advance(11)
    assert service.session.check_idle()
    service.session.unlock(PASSWORD)
    service.session.set_idle_timeout(None)
    env.clock.advance(10_000)
    assert not service.session.check_idle()
    assert service.session.is_unlocked


def test_change_password_in_the_unlocked_session_needs_no_old_password(
        env: Env, vault: Vault) -> None:
    item = vault.items.add(env.site, "server", "DC01", password=CANARY)
    vault.session.change_password(None, "a brand new master password")
    assert vault.items.reveal(item.id) == CANARY
    vault.session.lock()
    with pytest.raises(WrongPassword):
        vault.session.unlock(PASSWORD)
    vault.session.unlock("a brand new master password")
    assert vault.items.reveal(item.id) == CANARY


def test_change_password_without_the_old_one_refuses_when_locked(
        env: Env, vault: Vault) -> None:
    vault.session.lock()
    with closing(sqlite3.connect(env.ws.path)) as db:
        before = db.execute("SELECT kdf_json, wrapped_key FROM vaults").fetchone()
    with pytest.raises(VaultLocked):
        vault.session.change_password(None, "a brand new master password")
    with closing(sqlite3.connect(env.ws.path)) as db:
        assert db.execute("SELECT kdf_json, wrapped_key FROM vaults").fetchone() == before
