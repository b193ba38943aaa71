"""client profiles (issue 5)

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT_FIELDS = (
    ("email", 254), ("title", 255), ("mobile_country_code", 255), ("mobile_phone", 255),
    ("mobile_provider", 255), ("mobile_sms_gateway", 255), ("office_country_code", 255),
    ("office_phone", 255), ("office_extension", 10), ("home_country_code", 255),
    ("home_phone", 255), ("computer_name", 255),
)


def upgrade() -> None:
    op.create_table(
        "client_profiles",
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("match_key", sa.Text(), nullable=False),
        sa.Column("first_name", sa.String(length=255), nullable=False),
        sa.Column("last_name", sa.String(length=255), nullable=False),
        sa.Column("vip", sa.Boolean(), server_default="0", nullable=False),
        *(sa.Column(name, sa.String(length=size), nullable=False) for name, size in _TEXT_FIELDS),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name=op.f("fk_client_profiles_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_profiles")),
    )
    with op.batch_alter_table("client_profiles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_profiles_site_id"), ["site_id"], unique=False)
        batch_op.create_index("uq_client_profiles_site_key_alive", ["site_id", "match_key"],
                              unique=True, sqlite_where=sa.text("deleted_at IS NULL"))


def downgrade() -> None:
    with op.batch_alter_table("client_profiles", schema=None) as batch_op:
        batch_op.drop_index("uq_client_profiles_site_key_alive", sqlite_where=sa.text(
            "deleted_at IS NULL"))
        batch_op.drop_index(batch_op.f("ix_client_profiles_site_id"))
    op.drop_table("client_profiles")
