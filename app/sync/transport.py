"""What the sync engine needs from a backend, as one interface: the reference server speaks it
over HTTP (`HttpTransport`); a real Asio adapter can implement it later (docs/architecture.md
§8)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

Status = Literal["applied", "conflict", "rejected"]


class SyncError(Exception):
    """Sync could not run (network down after every retry, refused credentials, a bad server
    answer). The outbox is untouched by whatever failed."""


class AuthError(SyncError):
    """The server refused the client id and secret."""


class AttachmentRefused(SyncError):
    """The server refused a file for good (too large, damaged): sending it again will not
    help, the rest of the sync goes on."""


class CursorExpired(SyncError):
    """The server's feed no longer reaches back to our cursor: resync from 0."""


@dataclass(frozen=True)
class Op:
    """One change for the server: the newest state of a record and the version it edits."""

    entity: str
    id: str
    op: Literal["upsert", "delete"]
    base_version: int
    payload: dict[str, Any]
    op_key: str

    def to_json(self) -> dict[str, Any]:
        return {"entity": self.entity, "id": self.id, "op": self.op,
                "base_version": self.base_version, "payload": self.payload,
                "op_key": self.op_key}


@dataclass(frozen=True)
class ServerCopy:
    version: int
    deleted: bool
    payload: dict[str, Any]
    last_op_key: str | None = None


@dataclass(frozen=True)
class OpResult:
    entity: str
    id: str
    status: Status
    version: int = 0
    server: ServerCopy | None = None  # conflict: the server's current copy (None: no record)
    base: ServerCopy | None = None  # conflict: the server's copy at our base version
    reasons: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OpResult:
        def copy(raw: Any) -> ServerCopy | None:
            if not isinstance(raw, dict):
                return None
            return ServerCopy(int(raw.get("version", 0)), bool(raw.get("deleted")),
                              dict(raw.get("payload") or {}), raw.get("last_op_key"))

        return cls(str(data.get("entity")), str(data.get("id")), data["status"],
                   int(data.get("version") or 0), copy(data.get("server")),
                   copy(data.get("base")), tuple(data.get("reasons") or ()))


@dataclass(frozen=True)
class RemoteChange:
    cursor: int
    entity: str
    id: str
    version: int
    updated_at: str
    deleted: bool
    payload: dict[str, Any]


@dataclass(frozen=True)
class ChangePage:
    changes: list[RemoteChange]
    next_cursor: int
    has_more: bool
    counts: dict[str, int] | None = None  # the server's live counts, if it sends them


class Transport(Protocol):
    """A backend. Every method may retry inside; it raises SyncError when it gives up."""

    requests: int  # HTTP requests sent so far (figures and tests)

    async def push(self, ops: list[Op], idempotency_key: str) -> list[OpResult]: ...

    async def changes(self, since: int, limit: int) -> ChangePage: ...

    async def counts(self) -> dict[str, int]: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class AttachmentTransport(Protocol):
    """A backend that also stores the files attached to Help Desk references, by the SHA-256
    of their bytes (the reference server's `/v1/attachments/{sha256}`). A transport without it
    syncs the references sections and leaves their files where they are."""

    async def put_attachment(self, sha256: str, data: bytes) -> bool:
        """Store the bytes (idempotent); True when the server did not have them yet."""
        ...

    async def get_attachment(self, sha256: str) -> bytes | None:
        """The stored bytes, or None when the server has no such file."""
        ...
