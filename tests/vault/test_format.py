"""Test vectors of the record format (app/vault/FORMAT.md), committed: if one of these changes,
old vaults no longer open. Fixed key + nonce + associated data give exactly these bytes."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.vault import crypto
from app.vault.crypto import KdfParams, VaultKey, associated_data
from app.vault.errors import DecryptionFailed, FormatError, WrongPassword

KEY = bytes(range(32))
NONCE = bytes.fromhex("000102030405060708090a0b")
PLAINTEXT = "correct horse"
AD_HEX = ("707265666c696768742d7661756c74000100056669656c64000477732d3100066974656d2d3100087061"
          "7373776f7264")
RECORD_HEX = ("01000102030405060708090a0b246da469a086b63be52ee5f8d41d3e50562e279960d6539c96e1"
              "2c9cb2")
RECORD_B64 = "AQABAgMEBQYHCAkKCyRtpGmghrY75S7l+NQdPlBWLieZYNZTnJbhLJyy"
SALT = bytes.fromhex("00112233445566778899aabbccddeeff")
KDF = KdfParams(memory_kib=64, time_cost=1, parallelism=1, salt=SALT)
KEK_HEX = "e5beef87dc0d7554d87c695517cb2edd181548c6401f8704a2eb1d9b28a0416e"
# KEY wrapped under KDF("pässwörd") for workspace "ws-1" (random nonce, made once, committed).
WRAPPED = "AR8t1w7SLwDKuUIlqY7MMQ0Jfsub1JL+EFzVVKnPkAJCkThL0pVvfUtnzXSdtAiPEk2IumGi6JDTe6GGDg=="


def test_associated_data_layout() -> None:
    ad = associated_data("field", "ws-1", "item-1", "password")
    assert ad.hex() == AD_HEX
    assert ad.startswith(b"preflight-vault\x00\x01\x00\x05field")


def test_seal_vector_is_exact() -> None:
    ad = associated_data("field", "ws-1", "item-1", "password")
    record = crypto.seal_bytes(AESGCM(KEY), PLAINTEXT.encode(), ad, nonce=NONCE)
    assert record.hex() == RECORD_HEX
    assert crypto.encode(record) == RECORD_B64
    # version byte, nonce, ciphertext (13 bytes), tag (16 bytes)
    assert record[0] == crypto.FORMAT_VERSION == 1
    assert record[1:13] == NONCE
    assert len(record) == 1 + 12 + len(PLAINTEXT) + 16


def test_committed_blob_decrypts() -> None:
    ad = associated_data("field", "ws-1", "item-1", "password")
    assert crypto.open_text(AESGCM(KEY), RECORD_B64, ad) == PLAINTEXT


def test_kdf_vector() -> None:
    assert bytes(KDF.derive("pässwörd")).hex() == KEK_HEX
    # NFC: the decomposed spelling of the same password derives the same key.
    assert bytes(KDF.derive("pa\u0308sswo\u0308rd")).hex() == KEK_HEX


def test_committed_wrap_unwraps() -> None:
    key = crypto.unwrap_key(WRAPPED, "pässwörd", KDF, "ws-1", "ws-1")
    assert bytes(key.raw()) == KEY
    with pytest.raises(WrongPassword):
        crypto.unwrap_key(WRAPPED, "passwörd", KDF, "ws-1", "ws-1")
    with pytest.raises(WrongPassword):  # the wrap is bound to its workspace too
        crypto.unwrap_key(WRAPPED, "pässwörd", KDF, "ws-2", "ws-2")


def test_every_encryption_has_a_fresh_nonce() -> None:
    key = VaultKey(KEY)
    ad = associated_data("field", "w", "r", "password")
    records = {crypto.seal(key.aead, "same", ad) for _ in range(50)}
    assert len(records) == 50
    nonces = {base64.b64decode(r)[1:13] for r in records}
    assert len(nonces) == 50


@pytest.mark.parametrize("index", [0, 5, 20, -1])
def test_one_flipped_byte_fails(index: int) -> None:
    ad = associated_data("field", "ws-1", "item-1", "password")
    record = bytearray(bytes.fromhex(RECORD_HEX))
    record[index] ^= 0x01
    with pytest.raises((DecryptionFailed, FormatError)) as caught:
        crypto.open_text(AESGCM(KEY), crypto.encode(bytes(record)), ad, what="the password")
    assert PLAINTEXT not in str(caught.value)
    if index == 0:
        assert "version" in str(caught.value)
    else:
        assert "altered" in str(caught.value)


def test_truncated_and_garbage_records_fail_cleanly() -> None:
    ad = associated_data("field", "ws-1", "item-1", "password")
    with pytest.raises(DecryptionFailed, match="too short"):
        crypto.open_text(AESGCM(KEY), RECORD_B64[:12], ad)
    with pytest.raises(DecryptionFailed, match="base64"):
        crypto.open_text(AESGCM(KEY), "not base64 !!", ad)


def test_kdf_params_round_trip_and_range() -> None:
    assert KdfParams.from_dict(KDF.to_dict()) == KDF
    with pytest.raises(FormatError):
        KdfParams.from_dict({**KDF.to_dict(), "algorithm": "scrypt"})
    with pytest.raises(FormatError):
        KdfParams.from_dict({**KDF.to_dict(), "memory_kib": 1})
    with pytest.raises(FormatError):
        KdfParams.from_dict({"salt": "x"})


def test_defaults_are_the_design_values() -> None:
    params = KdfParams()
    assert (params.memory_kib, params.time_cost, params.parallelism) == (65536, 3, 4)
    assert crypto.target_kdf() == KdfParams() or crypto.target_kdf() == crypto.TEST_KDF


def test_cheap_parameters_only_under_the_test_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(crypto.INSECURE_TEST_KDF_ENV, raising=False)
    assert crypto.target_kdf() == KdfParams()
    monkeypatch.setenv(crypto.INSECURE_TEST_KDF_ENV, "yes")  # only exactly "1"
    assert crypto.target_kdf() == KdfParams()
    monkeypatch.setenv(crypto.INSECURE_TEST_KDF_ENV, "1")
    assert crypto.target_kdf() == crypto.TEST_KDF


def test_key_wipe_overwrites_the_bytes() -> None:
    key = VaultKey(KEY)
    buffer = key._key
    assert buffer is not None
    key.wipe()
    assert buffer == bytearray(32)
    assert not key.alive
    assert "wiped" in repr(key)
    with pytest.raises(FormatError):
        _ = key.aead
