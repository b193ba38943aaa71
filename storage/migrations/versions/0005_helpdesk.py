"""help desk site setup sections (issue 8)

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "helpdesk_sections",
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("section", sa.String(length=40), nullable=False),
        sa.Column("document_json", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name=op.f("fk_helpdesk_sections_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_helpdesk_sections")),
    )
    with op.batch_alter_table("helpdesk_sections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_helpdesk_sections_site_id"), ["site_id"],
                              unique=False)
        batch_op.create_index("uq_helpdesk_sections_site_section_alive", ["site_id", "section"],
                              unique=True, sqlite_where=sa.text("deleted_at IS NULL"))


def downgrade() -> None:
    with op.batch_alter_table("helpdesk_sections", schema=None) as batch_op:
        batch_op.drop_index("uq_helpdesk_sections_site_section_alive")
        batch_op.drop_index(batch_op.f("ix_helpdesk_sections_site_id"))
    op.drop_table("helpdesk_sections")
