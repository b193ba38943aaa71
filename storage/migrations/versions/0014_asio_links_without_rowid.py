"""asio links: one b-tree per row (WITHOUT ROWID), no index on the platform's ids

Revision ID: 0014
Revises: 0013

A first pull writes tens of thousands of links in one transaction. As a rowid table with its
key in a second b-tree and an index on (entity, remote_id) each link cost three b-tree
inserts; nothing reads links by the platform's id (the connector reads a kind's links whole
and looks them up in memory), so the table becomes its key alone. Every link is kept both ways.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = "entity, local_id, remote_id, remote_parent_id, remote_name, state, linked_at"


def _rebuild(with_rowid: bool) -> None:
    """asio_links again under a temporary name, its rows copied, then renamed back."""
    op.create_table(
        "_asio_links_rebuilt",
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("local_id", sa.String(length=36), nullable=False),
        sa.Column("remote_id", sa.String(length=64), nullable=False),
        sa.Column("remote_parent_id", sa.String(length=64), nullable=False),
        sa.Column("remote_name", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("linked_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("entity", "local_id", name="pk_asio_links"),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(f"INSERT INTO _asio_links_rebuilt ({_COLUMNS}) "
               f"SELECT {_COLUMNS} FROM asio_links ORDER BY entity, local_id")
    op.drop_table("asio_links")
    op.rename_table("_asio_links_rebuilt", "asio_links")


def upgrade() -> None:
    op.drop_index("ix_asio_links_entity_remote_id", table_name="asio_links")
    _rebuild(with_rowid=False)


def downgrade() -> None:
    _rebuild(with_rowid=True)
    op.create_index("ix_asio_links_entity_remote_id", "asio_links", ["entity", "remote_id"])
