"""Typed SQLAlchemy mappings. Every synced row has a client-made UUID `id`, the server
`version` (0 = never synced), `updated_at` and a `deleted_at` tombstone (docs/architecture.md
§3)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, MetaData, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ALIVE = text("deleted_at IS NULL")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SyncedMixin:
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[str] = mapped_column(String(32))
    deleted_at: Mapped[str | None] = mapped_column(String(32), default=None)


class WorkspaceInfo(Base):
    """Key/value facts about this workspace (its id, partner, schema major)."""

    __tablename__ = "workspace_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PartnerRow(SyncedMixin, Base):
    __tablename__ = "partners"
    name: Mapped[str] = mapped_column(String(200))


class CompanyRow(SyncedMixin, Base):
    __tablename__ = "companies"
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    name: Mapped[str] = mapped_column(String(200, collation="NOCASE"))
    __table_args__ = (
        Index("uq_companies_name_alive", "name", unique=True, sqlite_where=ALIVE),
    )


class PolicyRow(SyncedMixin, Base):
    __tablename__ = "policies"
    type_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200, collation="NOCASE"))
    settings_json: Mapped[str] = mapped_column(Text)
    __table_args__ = (
        Index("uq_policies_name_alive", "name", unique=True, sqlite_where=ALIVE),
    )


class PackageRow(SyncedMixin, Base):
    __tablename__ = "packages"
    name: Mapped[str] = mapped_column(String(200, collation="NOCASE"))
    is_default: Mapped[bool] = mapped_column(default=False, server_default="0")
    __table_args__ = (
        Index("uq_packages_name_alive", "name", unique=True, sqlite_where=ALIVE),
        # One default package at a time, enforced by the database too.
        Index("uq_packages_one_default", "is_default", unique=True,
              sqlite_where=text("is_default = 1 AND deleted_at IS NULL")),
    )


class PackagePolicyRow(Base):
    """A package's building blocks. The primary key makes "one policy per type" a hard rule."""

    __tablename__ = "package_policies"
    package_id: Mapped[str] = mapped_column(
        ForeignKey("packages.id", ondelete="CASCADE"), primary_key=True
    )
    type_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    policy_id: Mapped[str] = mapped_column(ForeignKey("policies.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SiteRow(SyncedMixin, Base):
    __tablename__ = "sites"
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200, collation="NOCASE"))
    package_id: Mapped[str | None] = mapped_column(ForeignKey("packages.id"), index=True)
    __table_args__ = (
        Index("uq_sites_company_name_alive", "company_id", "name", unique=True,
              sqlite_where=ALIVE),
    )


class DeviceRow(SyncedMixin, Base):
    __tablename__ = "devices"
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="desktop")
    os: Mapped[str] = mapped_column(String(100), default="")


class DeviceOverrideRow(SyncedMixin, Base):
    __tablename__ = "device_overrides"
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    type_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(100))
    value_json: Mapped[str] = mapped_column(Text)
    __table_args__ = (
        Index("uq_device_overrides_setting_alive", "device_id", "type_id", "key", unique=True,
              sqlite_where=ALIVE),
    )


class ClientProfileRow(SyncedMixin, Base):
    """A Help Desk client profile of a site (docs/architecture.md §4). Columns are the template's
    field ids; `match_key` is `app.profiles.profile_key` as JSON, so a re-import finds the profile
    it updates and the database refuses a second live profile of the same person on a site."""

    __tablename__ = "client_profiles"
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    match_key: Mapped[str] = mapped_column(Text)
    first_name: Mapped[str] = mapped_column(String(255))
    last_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(254), default="")
    title: Mapped[str] = mapped_column(String(255), default="")
    vip: Mapped[bool] = mapped_column(default=False, server_default="0")
    mobile_country_code: Mapped[str] = mapped_column(String(255), default="")
    mobile_phone: Mapped[str] = mapped_column(String(255), default="")
    mobile_provider: Mapped[str] = mapped_column(String(255), default="")
    mobile_sms_gateway: Mapped[str] = mapped_column(String(255), default="")
    office_country_code: Mapped[str] = mapped_column(String(255), default="")
    office_phone: Mapped[str] = mapped_column(String(255), default="")
    office_extension: Mapped[str] = mapped_column(String(10), default="")
    home_country_code: Mapped[str] = mapped_column(String(255), default="")
    home_phone: Mapped[str] = mapped_column(String(255), default="")
    computer_name: Mapped[str] = mapped_column(String(255), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        Index("uq_client_profiles_site_key_alive", "site_id", "match_key", unique=True,
              sqlite_where=ALIVE),
    )


class OutboxRow(Base):
    """A change waiting to be pushed to the server, written in the change's own transaction.
    `payload_json` NULL: the push sends the record as it is then (bulk changes write no copy;
    the outbox is folded per record, so only the newest state is ever sent)."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(10))  # upsert | delete
    payload_json: Mapped[str | None] = mapped_column(Text)
    base_version: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[str] = mapped_column(String(32))


class AuditRow(Base):
    """Who did what and when, with the object before and after. Undo adds rows; never edits.
    A bulk change writes one row for the batch: `entity` "batch", `entity_id` the batch's id,
    `after_json` what it was and the ids it touched, `before_json` the before-state of the
    records it updated, by id (storage.changes.record_batch)."""

    __tablename__ = "audit"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)


class VaultRow(SyncedMixin, Base):
    """The workspace's vault (issue 6, app/vault/FORMAT.md): the vault key wrapped by the
    master password's Argon2id key, with the parameters and salt of that derivation, and a
    key-check record that tells a remembered key from a wrong one. `id` is the workspace id.
    Nothing here opens anything without the master password."""

    __tablename__ = "vaults"
    format_version: Mapped[int] = mapped_column(Integer)
    kdf_json: Mapped[str] = mapped_column(Text)
    wrapped_key: Mapped[str] = mapped_column(Text)
    key_check: Mapped[str] = mapped_column(Text)


class VaultItemRow(SyncedMixin, Base):
    """A vault item of a site (or, `site_id` NULL and kind `app-secret`, of the application).
    `*_ct` and secret properties hold base64 records of app/vault/FORMAT.md; kind, title,
    username, url, application and non-secret properties are plain (app/vault/items.py)."""

    __tablename__ = "vault_items"
    site_id: Mapped[str | None] = mapped_column(ForeignKey("sites.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    username: Mapped[str] = mapped_column(String(255), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    application: Mapped[str] = mapped_column(String(100), default="")
    password_ct: Mapped[str | None] = mapped_column(Text, default=None)
    notes_ct: Mapped[str | None] = mapped_column(Text, default=None)
    properties_json: Mapped[str] = mapped_column(Text, default="[]")
    __table_args__ = (
        Index("uq_vault_items_app_secret_alive", "title", unique=True,
              sqlite_where=text("site_id IS NULL AND deleted_at IS NULL")),
    )


class SyncConflictRow(Base):
    """A record the server and this workspace both changed (or the server refused): both
    versions kept until the user chooses mine / theirs / per field (issue 7). While a conflict
    is open its outbox rows stay and are not pushed. JSON NULL for mine/theirs = deleted."""

    __tablename__ = "sync_conflicts"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # edit | rejected
    base_json: Mapped[str | None] = mapped_column(Text)
    mine_json: Mapped[str | None] = mapped_column(Text)
    theirs_json: Mapped[str | None] = mapped_column(Text)
    theirs_version: Mapped[int] = mapped_column(Integer)
    fields_json: Mapped[str] = mapped_column(Text)  # conflicting fields, or rejection reasons
    created_at: Mapped[str] = mapped_column(String(32))
    resolved_at: Mapped[str | None] = mapped_column(String(32), default=None)
    resolution: Mapped[str | None] = mapped_column(String(16), default=None)


class HelpDeskSectionRow(SyncedMixin, Base):
    """One section of a site's Help Desk setup (issue 8: product options, basic info, security
    requests, notification rules, network info, references) as a JSON document of
    `app.domain.helpdesk` (`section_document`). Credentials are vault item ids, never secrets."""

    __tablename__ = "helpdesk_sections"
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    section: Mapped[str] = mapped_column(String(40))
    document_json: Mapped[str] = mapped_column(Text)
    __table_args__ = (
        Index("uq_helpdesk_sections_site_section_alive", "site_id", "section", unique=True,
              sqlite_where=ALIVE),
    )


class GoLiveStepRow(SyncedMixin, Base):
    """One recorded step of the go-live journey (issue 19; `app.domain.helpdesk.journey`): a
    site's, or the partner's when `site_id` is NULL (`interest`, `course`). `reviews_json`: the
    dates the escalation reviews were held (a JSON list of YYYY-MM-DD)."""

    __tablename__ = "golive_steps"
    site_id: Mapped[str | None] = mapped_column(ForeignKey("sites.id"), index=True, default=None)
    step: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(8))
    date: Mapped[str | None] = mapped_column(String(10), default=None)
    by: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    reviews_json: Mapped[str] = mapped_column(Text, default="[]")


class NotificationRuleRow(SyncedMixin, Base):
    """A partner-level notification rule (seed 002 "RMM Setup > Notification Rules"): its name
    and its escalation paths as the JSON list of `app.domain.helpdesk.EscalationPath`. The RMM
    Site Configuration policy and the sites' Basic Info reference it by id."""

    __tablename__ = "notification_rules"
    name: Mapped[str] = mapped_column(String(200, collation="NOCASE"))
    paths_json: Mapped[str] = mapped_column(Text, default="[]")
    __table_args__ = (
        Index("uq_notification_rules_name_alive", "name", unique=True, sqlite_where=ALIVE),
    )


class AttachmentRow(Base):
    """The bytes of a file attached to a Help Desk reference, stored once per content: the key
    is their SHA-256 (64 lowercase hex digits), so attaching the same file twice stores it once
    and a reference's document needs only the hash. Not a synced record of its own: it travels
    through `/v1/attachments/{sha256}` with the references section that names it.
    `uploaded_at`: when the server confirmed it holds the bytes (NULL: not yet)."""

    __tablename__ = "attachments"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[str] = mapped_column(String(32))
    uploaded_at: Mapped[str | None] = mapped_column(String(32), default=None)


class AsioLinkRow(Base):
    """Which object on ConnectWise Asio one of ours is (docs/asio.md): local to this workspace,
    never synced. `remote_parent_id`: the platform's company of a site, site of a device or
    contact. `remote_name`: the name the platform last confirmed (a push PATCHes a site whose
    name has changed here since). `state`: linked, or vanished (a device the platform no
    longer reports; kept with its overrides)."""

    __tablename__ = "asio_links"
    entity: Mapped[str] = mapped_column(String(16), primary_key=True)  # company|site|device|contact
    local_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    remote_id: Mapped[str] = mapped_column(String(64))
    remote_parent_id: Mapped[str] = mapped_column(String(64), default="")
    remote_name: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="linked")
    linked_at: Mapped[str] = mapped_column(String(32))
    # its key is the table (one b-tree a row: a pull writes tens of thousands); nothing reads
    # links by remote_id (a kind's links are read whole), so no index on it
    __table_args__ = ({"sqlite_with_rowid": False},)


class AsioLookupRow(Base):
    """A ticketing lookup value of the platform (service board, priority, status, type,
    source): the PSA Integration policy's pick lists, kept for offline use."""

    __tablename__ = "asio_lookups"
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    remote_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[str] = mapped_column(String(32))


class AsioDriftRow(Base):
    """One setting of one endpoint where what the platform applies differs from what we
    planned (or that only one side has). Replaced per site at every pull. JSON columns:
    the two values (NULL: that side has no such setting) and the platform's mapping link."""

    __tablename__ = "asio_drift"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[str] = mapped_column(String(36))
    domain: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    planned_json: Mapped[str | None] = mapped_column(Text, default=None)
    applied_json: Mapped[str | None] = mapped_column(Text, default=None)
    mapping_json: Mapped[str] = mapped_column(Text, default="{}")
    pulled_at: Mapped[str] = mapped_column(String(32))
