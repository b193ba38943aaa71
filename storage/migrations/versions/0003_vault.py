"""the encrypted vault (issue 6)

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _synced() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "vaults",
        sa.Column("format_version", sa.Integer(), nullable=False),
        sa.Column("kdf_json", sa.Text(), nullable=False),
        sa.Column("wrapped_key", sa.Text(), nullable=False),
        sa.Column("key_check", sa.Text(), nullable=False),
        *_synced(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vaults")),
    )
    op.create_table(
        "vault_items",
        sa.Column("site_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("application", sa.String(length=100), nullable=False),
        sa.Column("password_ct", sa.Text(), nullable=True),
        sa.Column("notes_ct", sa.Text(), nullable=True),
        sa.Column("properties_json", sa.Text(), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name=op.f("fk_vault_items_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vault_items")),
    )
    with op.batch_alter_table("vault_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vault_items_site_id"), ["site_id"], unique=False)
        batch_op.create_index("uq_vault_items_app_secret_alive", ["title"], unique=True,
                              sqlite_where=sa.text("site_id IS NULL AND deleted_at IS NULL"))


def downgrade() -> None:
    with op.batch_alter_table("vault_items", schema=None) as batch_op:
        batch_op.drop_index("uq_vault_items_app_secret_alive", sqlite_where=sa.text(
            "site_id IS NULL AND deleted_at IS NULL"))
        batch_op.drop_index(batch_op.f("ix_vault_items_site_id"))
    op.drop_table("vault_items")
    op.drop_table("vaults")
