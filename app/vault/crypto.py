"""The vault's cryptography: the record format, field encryption and the key wrap.

Pure Python over `cryptography` (AES-256-GCM) and `argon2-cffi` (Argon2id); no storage, no Qt.
Those two libraries load when a key is first made or derived, not when this module is imported:
the vault's lock state (the desktop's status bar at start-up) needs neither.
The format is documented in app/vault/FORMAT.md and pinned by test vectors in
tests/vault/test_format.py — change neither without bumping `FORMAT_VERSION`.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import unicodedata
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from app.vault.errors import DecryptionFailed, FormatError, WrongPassword

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT_VERSION = 1
KEY_LEN = 32  # AES-256
NONCE_LEN = 12  # 96-bit GCM nonce, fresh from os.urandom for every encryption
TAG_LEN = 16
SALT_LEN = 16
AD_CONTEXT = b"preflight-vault\x00"

# Purposes bound into the associated data, so a record made for one use fails in another.
FIELD = "field"
VAULT_KEY = "vault-key"
KEY_CHECK = "key-check"
EXPORT = "export"

# Argon2id as docs/architecture.md §6 (the Bitwarden defaults): 64 MiB, 3 iterations, 4 lanes.
DEFAULT_MEMORY_KIB = 64 * 1024
DEFAULT_TIME_COST = 3
DEFAULT_PARALLELISM = 4
# Tests (and only tests) may ask for cheap parameters with this variable; a vault wrapped with
# them is re-wrapped with the defaults at its next unlock in a process without it.
INSECURE_TEST_KDF_ENV = "PREFLIGHT_VAULT_INSECURE_TEST_KDF"


class VaultKey:
    """The 256-bit vault key in a bytearray that `wipe()` overwrites with zeros.

    Best effort: Python cannot promise no other copy exists (the AES context inside OpenSSL
    holds the expanded key until it is freed; `wipe()` drops our reference to it as well)."""

    __slots__ = ("_aead", "_key")

    def __init__(self, key: bytes | bytearray) -> None:
        if len(key) != KEY_LEN:
            raise FormatError(f"a vault key is {KEY_LEN} bytes, not {len(key)}")
        self._key: bytearray | None = bytearray(key)
        self._aead: AESGCM | None = _aesgcm(self._key)

    @classmethod
    def generate(cls) -> VaultKey:
        raw = bytearray(secrets.token_bytes(KEY_LEN))
        try:
            return cls(raw)
        finally:
            wipe(raw)

    @property
    def alive(self) -> bool:
        return self._key is not None

    @property
    def aead(self) -> AESGCM:
        if self._aead is None:
            raise FormatError("the vault key was wiped")
        return self._aead

    def raw(self) -> bytearray:
        """A copy of the key bytes (the caller wipes it)."""
        if self._key is None:
            raise FormatError("the vault key was wiped")
        return bytearray(self._key)

    def wipe(self) -> None:
        if self._key is not None:
            wipe(self._key)
        self._key = None
        self._aead = None

    def __repr__(self) -> str:  # never the bytes
        return f"<VaultKey {'alive' if self.alive else 'wiped'}>"


def _aesgcm(key: bytes | bytearray) -> AESGCM:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def wipe(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0


# --- associated data and records -------------------------------------------------------------

def associated_data(purpose: str, workspace_id: str, record_id: str, field: str,
                    version: int = FORMAT_VERSION) -> bytes:
    """`"preflight-vault\\0" ‖ version ‖ (u16be length ‖ UTF-8) of purpose, workspace id,
    record id and field`: unambiguous, so no two (record, field) pairs share an AD."""
    out = bytearray(AD_CONTEXT)
    out.append(version)
    for part in (purpose, workspace_id, record_id, field):
        data = part.encode("utf-8")
        if len(data) > 0xFFFF:
            raise FormatError("an associated-data part is longer than 65535 bytes")
        out += len(data).to_bytes(2, "big") + data
    return bytes(out)


def seal_bytes(aead: AESGCM, plaintext: bytes, ad: bytes, *, nonce: bytes | None = None) -> bytes:
    """One binary record: version byte ‖ 12-byte nonce ‖ ciphertext ‖ 16-byte tag.
    `nonce` is for test vectors only; leave it out and a fresh random one is used."""
    nonce = os.urandom(NONCE_LEN) if nonce is None else nonce
    if len(nonce) != NONCE_LEN:
        raise FormatError(f"a nonce is {NONCE_LEN} bytes")
    return bytes([FORMAT_VERSION]) + nonce + aead.encrypt(nonce, plaintext, ad)


def open_bytes(aead: AESGCM, record: bytes, ad: bytes, *, what: str = "a record") -> bytes:
    from cryptography.exceptions import InvalidTag  # loaded with `aead`'s module already

    if len(record) < 1 + NONCE_LEN + TAG_LEN:
        raise DecryptionFailed(f"{what} is damaged: too short to be a vault record")
    if record[0] != FORMAT_VERSION:
        raise FormatError(f"{what} has record format version {record[0]}; this Preflight reads "
                          f"version {FORMAT_VERSION} (update Preflight)")
    nonce, body = record[1:1 + NONCE_LEN], record[1 + NONCE_LEN:]
    try:
        return aead.decrypt(nonce, body, ad)
    except InvalidTag:
        raise DecryptionFailed(
            f"{what} fails to decrypt: it was altered, damaged, or copied from another record, "
            "field or workspace") from None


def encode(record: bytes) -> str:
    """The text form stored in SQLite, outbox payloads and exports: RFC 4648 base64, padded."""
    return base64.b64encode(record).decode("ascii")


def decode(text: str, *, what: str = "a record") -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise DecryptionFailed(f"{what} is damaged: not base64") from None


def seal(aead: AESGCM, plaintext: str, ad: bytes, *, nonce: bytes | None = None) -> str:
    return encode(seal_bytes(aead, plaintext.encode("utf-8"), ad, nonce=nonce))


def open_text(aead: AESGCM, record: str, ad: bytes, *, what: str = "a record") -> str:
    return open_bytes(aead, decode(record, what=what), ad, what=what).decode("utf-8")


# --- the key wrap ----------------------------------------------------------------------------

@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters, stored beside every wrap so they can be raised later."""

    memory_kib: int = DEFAULT_MEMORY_KIB
    time_cost: int = DEFAULT_TIME_COST
    parallelism: int = DEFAULT_PARALLELISM
    salt: bytes = b""
    algorithm: str = "argon2id"

    def with_new_salt(self) -> KdfParams:
        return replace(self, salt=secrets.token_bytes(SALT_LEN))

    def weaker_than(self, other: KdfParams) -> bool:
        return (self.memory_kib < other.memory_kib or self.time_cost < other.time_cost
                or self.parallelism < other.parallelism)

    def cost(self) -> str:
        memory = (f"{self.memory_kib // 1024} MiB" if self.memory_kib >= 1024
                  else f"{self.memory_kib} KiB")
        return f"Argon2id {memory}, t={self.time_cost}, p={self.parallelism}"

    def to_dict(self) -> dict[str, Any]:
        return {"algorithm": self.algorithm, "memory_kib": self.memory_kib,
                "time_cost": self.time_cost, "parallelism": self.parallelism,
                "salt": base64.b64encode(self.salt).decode("ascii")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KdfParams:
        try:
            params = cls(int(data["memory_kib"]), int(data["time_cost"]),
                         int(data["parallelism"]), base64.b64decode(data["salt"], validate=True),
                         str(data["algorithm"]))
        except (KeyError, TypeError, ValueError, binascii.Error):
            raise FormatError("the key-derivation parameters are damaged") from None
        params.check()
        return params

    def check(self) -> None:
        if self.algorithm != "argon2id":
            raise FormatError(f"unknown key derivation '{self.algorithm}' (expected argon2id)")
        if (len(self.salt) < 8 or self.time_cost < 1 or self.parallelism < 1
                or self.memory_kib < 8 * self.parallelism or self.memory_kib > 4 * 1024 * 1024):
            raise FormatError("the key-derivation parameters are out of range")

    def derive(self, password: str) -> bytearray:
        """The 256-bit key-encryption key of `password` (NFC-normalised UTF-8)."""
        from argon2.low_level import Type, hash_secret_raw

        self.check()
        secret = unicodedata.normalize("NFC", password).encode("utf-8")
        return bytearray(hash_secret_raw(secret, self.salt, time_cost=self.time_cost,
                                         memory_cost=self.memory_kib,
                                         parallelism=self.parallelism, hash_len=KEY_LEN,
                                         type=Type.ID))


TEST_KDF = KdfParams(memory_kib=8, time_cost=1, parallelism=1)


def target_kdf() -> KdfParams:
    """The parameters new wraps use (without salt): the defaults; cheap only under the test
    variable, and never weaker than that for anything but tests."""
    if os.environ.get(INSECURE_TEST_KDF_ENV) == "1":
        return TEST_KDF
    return KdfParams()


def wrap_with_kek(key: VaultKey, kek: bytes | bytearray, workspace_id: str, wrap_id: str) -> str:
    raw = key.raw()
    try:
        ad = associated_data(VAULT_KEY, workspace_id, wrap_id, "key")
        return encode(seal_bytes(_aesgcm(kek), bytes(raw), ad))
    finally:
        wipe(raw)


def unwrap_with_kek(wrapped: str, kek: bytes | bytearray, workspace_id: str, wrap_id: str, *,
                    what: str = "master password") -> VaultKey:
    """The vault key, or `WrongPassword` (a GCM tag mismatch is what a wrong password gives)."""
    try:
        ad = associated_data(VAULT_KEY, workspace_id, wrap_id, "key")
        raw = bytearray(open_bytes(_aesgcm(kek), decode(wrapped), ad))
    except DecryptionFailed:
        raise WrongPassword(what) from None
    try:
        return VaultKey(raw)
    finally:
        wipe(raw)


def wrap_key(key: VaultKey, password: str, params: KdfParams, workspace_id: str,
             wrap_id: str) -> str:
    kek = params.derive(password)
    try:
        return wrap_with_kek(key, kek, workspace_id, wrap_id)
    finally:
        wipe(kek)


def unwrap_key(wrapped: str, password: str, params: KdfParams, workspace_id: str,
               wrap_id: str, *, what: str = "master password") -> VaultKey:
    kek = params.derive(password)
    try:
        return unwrap_with_kek(wrapped, kek, workspace_id, wrap_id, what=what)
    finally:
        wipe(kek)


KEY_CHECK_TEXT = "preflight vault key check"


def key_check(key: VaultKey, workspace_id: str) -> str:
    """A record only the right vault key opens: how a key from the OS keyring is verified."""
    return seal(key.aead, KEY_CHECK_TEXT, associated_data(KEY_CHECK, workspace_id, "", "check"))


def verify_key_check(key: VaultKey, check: str, workspace_id: str) -> bool:
    try:
        ad = associated_data(KEY_CHECK, workspace_id, "", "check")
        return open_text(key.aead, check, ad) == KEY_CHECK_TEXT
    except (DecryptionFailed, FormatError):
        return False
