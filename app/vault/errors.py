"""Errors of the vault. None of them ever carries a secret (a password, a key or a plaintext)."""

from __future__ import annotations

from app.domain.errors import PreflightError, RuleViolation


class VaultError(PreflightError):
    """Base of the vault's errors meant for the user (CLI exit 2 unless a RuleViolation)."""


class VaultLocked(RuleViolation):
    """The operation needs the vault key and the vault is locked (CLI exit 1)."""

    def __init__(self, what: str = "this") -> None:
        super().__init__(f"the vault is locked; unlock it to {what}")


class VaultNotInitialized(RuleViolation):
    """This workspace has no vault yet (`preflight vault init`)."""

    def __init__(self) -> None:
        super().__init__("this workspace has no vault yet; create one with `preflight vault init`")


class VaultExists(RuleViolation):
    def __init__(self) -> None:
        super().__init__("this workspace already has a vault; change its password instead")


class WrongPassword(RuleViolation):
    """The master (or export) password does not open the vault key. Nothing was changed."""

    def __init__(self, what: str = "master password") -> None:
        super().__init__(f"wrong {what}: the vault was not unlocked (nothing was changed)")


class WeakPassword(RuleViolation):
    pass


class DecryptionFailed(VaultError):
    """A ciphertext fails authentication: it was altered, damaged, or moved from another record,
    field or workspace. Names the record and field, never a value."""


class FormatError(VaultError):
    """A stored or exported record is not in a format this version reads."""


class NoSecureKeyring(VaultError):
    """No trusted OS keyring on this machine: "remember on this device" is not available."""
