"""Fixtures of the vault tests: a workspace with a site, and a vault service with cheap Argon2id
parameters (tests only: the defaults are 64 MiB, t=3, p=4), a fake clock, and a sleep that
records instead of sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from keyring.backends import fail

from app.services.vault import Vault
from app.services.workspace import Workspace
from app.vault.crypto import TEST_KDF
from app.vault.keychain import Keychain

PASSWORD = "correct horse battery staple"
CANARY = "CANARY-7f3a9c1e-d00d-4b1d-9e55-0123456789ab"


@dataclass
class FakeClock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Sleeps:
    calls: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@dataclass
class Env:
    ws: Workspace
    site: str  # site id
    other_site: str
    clock: FakeClock
    sleeps: Sleeps

    def service(self, **kwargs: object) -> Vault:
        options: dict[str, object] = {
            "kdf": TEST_KDF, "clock": self.clock, "sleep": self.sleeps,
            "wrong_password_delay": 0.5, "keychain": Keychain(backend=fail.Keyring()),
        }
        options.update(kwargs)
        return Vault(self.ws.db, **options)  # type: ignore[arg-type]


@pytest.fixture
def env(workspace: Workspace) -> Iterator[Env]:
    workspace.companies.create("Contoso")
    site = workspace.sites.create("Contoso", "HQ")
    other = workspace.sites.create("Contoso", "Branch")
    return Env(workspace, site.id, other.id, FakeClock(), Sleeps())


@pytest.fixture
def vault(env: Env) -> Iterator[Vault]:
    service = env.service()
    service.session.init(PASSWORD)
    yield service
    service.close()
