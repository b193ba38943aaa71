"""The sync service (`workspace.sync`): where the client secret is kept (the vault when there is
one, else a trusted OS keychain, else nowhere; never the settings), which server and client a
sync uses, and one real sync that remembers them."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from keyring.backends import fail

from app.services.client_secrets import KEYCHAIN, SESSION, VAULT
from app.services.sync import (
    CLIENT_ENV,
    KEYCHAIN_SERVICE,
    SECRET_NAME,
    SERVER_ENV,
    SyncSettings,
    normalise_url,
    url_problem,
)
from app.services.workspace import Workspace
from app.sync import AuthError, SyncError
from app.vault.errors import VaultLocked
from app.vault.keychain import Keychain
from tests.server.live import CLIENTS, LiveServer
from tests.vault.test_keychain import TRUSTED_DOUBLE, MemoryKeyring, _plaintext_lookalike

MASTER = "correct horse battery staple"
SECRET = "CANARY-sync-secret-5b1e0c"


@pytest.fixture
def ws(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("PREFLIGHT_VAULT_INSECURE_TEST_KDF", "1")
    monkeypatch.delenv(SERVER_ENV, raising=False)
    monkeypatch.delenv(CLIENT_ENV, raising=False)
    workspace.vault.session.keychain = Keychain(backend=fail.Keyring())  # no keychain here
    return workspace


def trust(ws: Workspace, backend: MemoryKeyring) -> MemoryKeyring:
    ws.vault.session.keychain = Keychain(backend, extra_trusted=[TRUSTED_DOUBLE])
    return backend


def file_holds(ws: Workspace, text: str) -> bool:
    """The secret's bytes anywhere in the SQLite file or its WAL (never plaintext there)."""
    data = b"".join(p.read_bytes() for p in ws.path.parent.glob(ws.path.name + "*"))
    return text.encode() in data


def info_values(ws: Workspace) -> dict[str, str]:
    with closing(sqlite3.connect(ws.path)) as db:
        return dict(db.execute("SELECT key, value FROM workspace_info").fetchall())


def test_an_unlocked_vault_keeps_the_secret_and_nothing_else_does(ws: Workspace) -> None:
    keyring = trust(ws, MemoryKeyring())  # a keychain exists, but the vault comes first
    ws.vault.session.init(MASTER)
    secrets = ws.sync.secrets
    assert (secrets.home(), secrets.stored()) == (VAULT, None)
    assert secrets.store("alpha", SECRET) == VAULT
    assert (secrets.stored(), secrets.read("alpha")) == (VAULT, SECRET)
    assert keyring.store == {}
    assert [(v.title, v.username) for v in ws.vault.app_secrets.list()] == [
        (SECRET_NAME, "alpha")]
    ws.sync.save_settings(SyncSettings("https://sync.example.com", "alpha"))
    assert SECRET not in info_values(ws).values()
    assert not file_holds(ws, SECRET)
    assert secrets.store("alpha", "replaced-secret-2") == VAULT  # replaced, not a second item
    assert len(ws.vault.app_secrets.list()) == 1
    assert secrets.read("alpha") == "replaced-secret-2"


def test_a_locked_vault_stores_nothing_and_asks_to_unlock(ws: Workspace) -> None:
    keyring = trust(ws, MemoryKeyring())
    ws.vault.session.init(MASTER)
    ws.vault.session.lock()
    secrets = ws.sync.secrets
    assert secrets.read("alpha") is None  # nothing stored: no reason to unlock
    with pytest.raises(VaultLocked, match="the vault is locked"):
        secrets.store("alpha", SECRET)
    assert ws.vault.app_secrets.list() == []
    assert keyring.store == {}
    assert not file_holds(ws, SECRET)
    ws.vault.session.unlock(MASTER)
    secrets.store("alpha", SECRET)
    ws.vault.session.lock()
    assert secrets.stored() == VAULT  # known without the key
    with pytest.raises(VaultLocked):
        secrets.read("alpha")


def test_without_a_vault_a_trusted_keychain_keeps_it(ws: Workspace) -> None:
    keyring = trust(ws, MemoryKeyring())
    secrets = ws.sync.secrets
    assert secrets.home() == KEYCHAIN
    assert secrets.store("alpha", SECRET) == KEYCHAIN
    workspace_id = ws.db.info("workspace_id")
    assert keyring.store == {(KEYCHAIN_SERVICE, f"{workspace_id}:alpha"): SECRET}
    assert secrets.read("alpha") == SECRET
    assert secrets.read("beta") is None  # per client id
    assert secrets.stored() is None  # the keychain is not read just to say so
    assert not ws.vault.session.exists
    assert not file_holds(ws, SECRET)


@pytest.mark.parametrize("backend", [fail.Keyring(), _plaintext_lookalike()()],
                         ids=["no keyring", "plaintext file keyring"])
def test_without_a_vault_or_a_trusted_keychain_nothing_is_kept(ws: Workspace,
                                                               backend: object) -> None:
    ws.vault.session.keychain = Keychain(backend)
    secrets = ws.sync.secrets
    assert secrets.home() == SESSION
    assert secrets.store("alpha", SECRET) == SESSION
    assert secrets.read("alpha") is None
    if isinstance(backend, MemoryKeyring):
        assert backend.store == {}  # an untrusted keyring never sees it
    assert not file_holds(ws, SECRET)


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise OSError("the keyring daemon went away")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise OSError("the keyring daemon went away")


def test_a_broken_keychain_never_blocks(ws: Workspace, caplog: pytest.LogCaptureFixture) -> None:
    ws.vault.session.keychain = Keychain(BrokenKeyring(), extra_trusted=[
        f"{BrokenKeyring.__module__}.{BrokenKeyring.__qualname__}"])
    secrets = ws.sync.secrets
    assert secrets.store("alpha", SECRET) == SESSION
    assert secrets.read("alpha") is None
    assert "keychain" in caplog.text
    assert SECRET not in caplog.text


def test_the_asio_secret_is_kept_apart_from_the_sync_secret(ws: Workspace) -> None:
    ws.vault.session.init(MASTER)
    asio = ws.client_secrets("asio.client_secret", "Preflight ConnectWise Asio")
    ws.sync.secrets.store("alpha", SECRET)
    assert asio.read("alpha") is None
    assert asio.stored() is None
    assert asio.store("asio-client", "asio-secret-77") == VAULT
    assert (ws.sync.secrets.read("alpha"), asio.read("asio-client")) == (SECRET, "asio-secret-77")


def test_server_and_client_a_flag_then_the_environment_then_the_last_used(
        ws: Workspace) -> None:
    sync = ws.sync
    assert sync.settings() == SyncSettings()
    assert not sync.settings().complete
    assert sync.resolve() == SyncSettings("", "")
    sync.save_settings(SyncSettings("  https://saved.example.com ", " saved-client "))
    assert sync.settings() == SyncSettings("https://saved.example.com", "saved-client")
    assert sync.resolve(environ={}) == sync.settings()
    env = {SERVER_ENV: "https://env.example.com", CLIENT_ENV: "env-client"}
    assert sync.resolve(environ=env) == SyncSettings("https://env.example.com", "env-client")
    assert sync.resolve("https://flag.example.com", None, env) == SyncSettings(
        "https://flag.example.com", "env-client")
    assert sync.resolve(None, "flag-client", {}) == SyncSettings(
        "https://saved.example.com", "flag-client")


def test_server_urls_are_checked_and_completed() -> None:
    assert normalise_url(" sync.example.com/ ") == "https://sync.example.com"
    assert normalise_url("http://127.0.0.1:8765") == "http://127.0.0.1:8765"
    assert url_problem("") is None
    assert url_problem("sync.example.com") is None
    assert url_problem("ftp://sync.example.com") == (
        "The server URL must look like https://sync.example.com")


def test_the_offline_engine_plans_but_never_sends(ws: Workspace) -> None:
    ws.companies.create("Contoso")
    engine = ws.sync.engine()
    assert [p.entity for p in engine.plan()] == ["company"]
    with pytest.raises(SyncError, match="not connected"):
        asyncio.run(engine.sync())
    assert ws.pending_changes() == 1


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'server.db'}"  # the engine's tests cover PostgreSQL


def test_a_sync_remembers_the_server_only_once_it_worked(ws: Workspace,
                                                         server: LiveServer) -> None:
    ws.companies.create("Contoso")
    settings = SyncSettings(server.url, "alpha")
    with pytest.raises(AuthError):
        asyncio.run(ws.sync.run(settings, "not-the-secret"))
    assert ws.sync.settings() == SyncSettings()
    assert ws.pending_changes() == 1
    run = asyncio.run(ws.sync.run(settings, CLIENTS["alpha"][0]))
    assert (run.report.applied, run.open_conflicts) == (1, [])
    assert ws.sync.settings() == settings
    assert ws.pending_changes() == 0
