"""golive_steps: the recorded steps of each site's go-live journey (issue 19)

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "golive_steps",
        sa.Column("site_id", sa.String(length=36), nullable=True),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reviews_json", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name=op.f("fk_golive_steps_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_golive_steps")),
    )
    with op.batch_alter_table("golive_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_golive_steps_site_id"), ["site_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("golive_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_golive_steps_site_id"))
    op.drop_table("golive_steps")
