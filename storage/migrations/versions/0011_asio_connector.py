"""asio connector: links to the platform's objects, its ticketing lookups, the drift report

Revision ID: 0011
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "asio_links",
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("local_id", sa.String(length=36), nullable=False),
        sa.Column("remote_id", sa.String(length=64), nullable=False),
        sa.Column("remote_parent_id", sa.String(length=64), nullable=False),
        sa.Column("remote_name", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("linked_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("entity", "local_id", name=op.f("pk_asio_links")),
    )
    op.create_index("ix_asio_links_entity_remote_id", "asio_links", ["entity", "remote_id"])
    op.create_table(
        "asio_lookups",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("remote_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("fetched_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("kind", "remote_id", name=op.f("pk_asio_lookups")),
    )
    op.create_table(
        "asio_drift",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("domain", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("planned_json", sa.Text(), nullable=True),
        sa.Column("applied_json", sa.Text(), nullable=True),
        sa.Column("mapping_json", sa.Text(), nullable=False),
        sa.Column("pulled_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_asio_drift")),
    )
    op.create_index(op.f("ix_asio_drift_site_id"), "asio_drift", ["site_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_asio_drift_site_id"), table_name="asio_drift")
    op.drop_table("asio_drift")
    op.drop_table("asio_lookups")
    op.drop_index("ix_asio_links_entity_remote_id", table_name="asio_links")
    op.drop_table("asio_links")
