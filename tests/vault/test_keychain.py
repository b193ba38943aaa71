"""'Remember on this device': only trusted keyring backends, only the 256-bit key in them."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from app.services.vault import Vault
from app.vault.keychain import SERVICE, Keychain, backend_name
from tests.vault.conftest import PASSWORD, Env


class MemoryKeyring(KeyringBackend):
    """A test double of an OS keyring service (trusted only through the explicit allow-list)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.store[(service, username)]


TRUSTED_DOUBLE = f"{MemoryKeyring.__module__}.{MemoryKeyring.__qualname__}"


def _plaintext_lookalike() -> type[KeyringBackend]:
    """A class that presents itself as keyrings.alt's plaintext file backend."""
    cls = type("PlaintextKeyring", (MemoryKeyring,), {})
    cls.__module__ = "keyrings.alt.file"
    return cls


@pytest.fixture
def registered() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_fail_and_null_backends_are_not_trusted() -> None:
    for backend in (fail.Keyring(), null.Keyring()):
        chain = Keychain(backend=backend, extra_trusted=[backend_name(backend)])
        assert not chain.available
        assert "no secure keyring on this machine" in chain.unavailable_message()


def test_keyrings_alt_plaintext_is_refused_even_when_allow_listed() -> None:
    backend = _plaintext_lookalike()()
    assert backend_name(backend) == "keyrings.alt.file.PlaintextKeyring"
    chain = Keychain(backend=backend, extra_trusted=["keyrings.alt.file.PlaintextKeyring"])
    assert not chain.available


def test_real_keyrings_alt_if_installed() -> None:
    file_module = pytest.importorskip("keyrings.alt.file")
    chain = Keychain(backend=file_module.PlaintextKeyring())
    assert not chain.available


def test_unknown_backends_need_the_allow_list() -> None:
    backend = MemoryKeyring()
    assert not Keychain(backend=backend).available
    assert Keychain(backend=backend, extra_trusted=[TRUSTED_DOUBLE]).available


def test_allow_list_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFLIGHT_TRUSTED_KEYRINGS", f" other.Thing , {TRUSTED_DOUBLE}")
    assert Keychain(backend=MemoryKeyring()).available


def test_os_backends_are_on_the_allow_list() -> None:
    chain = Keychain()
    for name in ("keyring.backends.Windows.WinVaultKeyring", "keyring.backends.macOS.Keyring",
                 "keyring.backends.SecretService.Keyring"):
        assert name in chain.trusted


def test_a_chainer_uses_its_trusted_member() -> None:
    trusted = MemoryKeyring()

    class Chainer:
        backends: list[Any] = [fail.Keyring(), _plaintext_lookalike()(), trusted]  # noqa: RUF012

    assert Keychain(backend=Chainer(), extra_trusted=[TRUSTED_DOUBLE]).secure_backend() is trusted


def test_remember_stores_only_the_key_and_unlocks_later(env: Env,
                                                        registered: MemoryKeyring) -> None:
    service = env.service(keychain=Keychain(extra_trusted=[TRUSTED_DOUBLE]))
    service.session.init(PASSWORD)
    item = service.items.add(env.site, "server", "DC01", password="s3cret")
    service.session.lock()
    result = service.session.unlock(PASSWORD, remember=True)
    assert result.remembered
    assert result.keyring_message is None
    ((svc, user), value), = registered.store.items()
    assert (svc, user) == (SERVICE, service.session.workspace_id)
    assert len(value) == 44
    assert len(base64.b64decode(value)) == 32
    # Never in SQLite (nor beside the workspace).
    with closing(sqlite3.connect(env.ws.path)) as db:
        dump = "\n".join(db.iterdump())
    assert value not in dump
    assert not any(value.encode() in p.read_bytes()
                   for p in env.ws.path.parent.iterdir() if p.is_file())
    service.session.lock()
    fresh = env.service(keychain=Keychain(extra_trusted=[TRUSTED_DOUBLE]))
    assert fresh.session.unlock_from_keychain()
    assert fresh.items.reveal(item.id) == "s3cret"
    # The password change keeps the same key: the remembered one still opens the vault.
    fresh.session.change_password(PASSWORD, "another master password 7")
    fresh.session.lock()
    assert fresh.session.unlock_from_keychain()
    assert fresh.session.forget_device()
    fresh.session.lock()
    assert not fresh.session.unlock_from_keychain()


def test_a_stale_remembered_key_is_forgotten(env: Env, registered: MemoryKeyring) -> None:
    service = env.service(keychain=Keychain(extra_trusted=[TRUSTED_DOUBLE]))
    service.session.init(PASSWORD)
    registered.store[(SERVICE, service.session.workspace_id)] = base64.b64encode(bytes(32)).decode()
    service.session.lock()
    assert not service.session.unlock_from_keychain()
    assert registered.store == {}


def test_remember_without_a_secure_keyring_says_so(env: Env, vault: Vault) -> None:
    vault.session.lock()
    result = vault.session.unlock(PASSWORD, remember=True)
    assert vault.session.is_unlocked
    assert not result.remembered
    assert result.keyring_message is not None
    assert result.keyring_message.startswith("no secure keyring on this machine")
    assert vault.session.keychain_message == result.keyring_message
    assert not vault.session.keychain_available
    assert not vault.session.unlock_from_keychain()
