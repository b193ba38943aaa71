"""The shapes of the server's successful answers, for the OpenAPI document (schemathesis checks
every answer against them, tests/server/test_schemathesis.py). The handlers build plain dicts
(and the feed splices stored JSON); these models describe them, they do not re-encode them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class IdRef(BaseModel):
    id: str | None


class CorpContainer(BaseModel):
    id: str
    name: str
    partnerId: str


class CompanyOut(BaseModel):
    id: str
    name: str
    corpContainer: CorpContainer
    version: int
    updatedAt: str


class SiteOut(BaseModel):
    id: str
    name: str
    activeFlag: bool
    company: IdRef
    packageId: str | None
    version: int
    updatedAt: str


class EmailOut(BaseModel):
    emailAddress: str


class PhoneOut(BaseModel):
    """The vendor's `PhoneNumberReference` (with the request's countryCode)."""

    designation: str
    countryCode: str
    nationalNumber: str


class ContactOut(BaseModel):
    id: str
    firstName: str
    lastName: str
    title: str
    emails: list[EmailOut]
    phoneNumbers: list[PhoneOut]
    site: IdRef = Field(description="Preflight extension: the site the contact belongs to")
    version: int
    updatedAt: str


class ObjectOut(BaseModel):
    entity: str
    id: str
    version: int
    updated_at: str
    deleted: bool
    payload: dict[str, Any]


class Change(ObjectOut):
    cursor: int


class ChangePage(BaseModel):
    changes: list[Change]
    next_cursor: int
    has_more: bool
    counts: dict[str, int] | None = Field(
        default=None, description="live objects per entity; on the last page only")


class Assignment(BaseModel):
    siteId: str
    packageId: str


class ServerCopy(ObjectOut):
    last_op_key: str | None


class BaseCopy(BaseModel):
    version: int
    deleted: bool
    payload: dict[str, Any]


class OpResult(BaseModel):
    entity: str
    id: str
    status: Literal["applied", "conflict", "rejected"]
    version: int | None = Field(default=None, description="applied: the new version")
    updated_at: str | None = Field(default=None, description="applied")
    reasons: list[str] | None = Field(default=None, description="rejected: why")
    http_status: Literal[412] | None = Field(default=None, description="conflict")
    server: ServerCopy | None = Field(
        default=None, description="conflict: the server's copy (null: it exists for no one)")
    base: BaseCopy | None = Field(
        default=None, description="conflict: the copy at the op's base version, if kept")


class BatchResponse(BaseModel):
    results: list[OpResult]


class RateLimit(BaseModel):
    limit: int
    remaining: int
    reset: int


class RateLimits(BaseModel):
    resources: dict[str, dict[str, RateLimit]]


class AttachmentOut(BaseModel):
    sha256: str = Field(description="the SHA-256 of the file's bytes, 64 lowercase hex digits")
    size: int = Field(description="the file's size in bytes")
