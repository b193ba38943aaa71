"""outbox rows without a payload: NULL means "push the record as it is then"

Revision ID: 0013
Revises: 0012

Bulk changes (imports, their undo and redo) write outbox rows without a copy of the record and
one audit row for the whole batch. Pending rows made before keep their payloads; going back
down writes the record's current state into the rows that have none (client profiles, and the
devices a ConnectWise pull adds, are the records written so), or `{"id": ...}` for a delete or
a record gone, as the old code did.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PROFILE_TEXT = ("first_name", "last_name", "email", "title", "mobile_country_code",
                 "mobile_phone", "mobile_provider", "mobile_sms_gateway", "office_country_code",
                 "office_phone", "office_extension", "home_country_code", "home_phone",
                 "computer_name", "notes")


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("payload_json", existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    fields = ", ".join(f"'{name}', p.{name}" for name in _PROFILE_TEXT)
    op.execute(
        "UPDATE outbox SET payload_json = (SELECT json_object('id', p.id, 'site_id', "
        f"p.site_id, {fields}, 'vip', json(CASE WHEN p.vip THEN 'true' ELSE 'false' END)) "
        "FROM client_profiles AS p WHERE p.id = outbox.entity_id) "
        "WHERE payload_json IS NULL AND op = 'upsert' AND entity = 'client_profile'")
    # the shape of storage.repository.device_payload; a tombstoned device keeps {"id"} below
    op.execute(
        "UPDATE outbox SET payload_json = (SELECT json_object('id', d.id, 'siteId', d.site_id, "
        "'name', d.name, 'kind', d.kind, 'os', d.os) FROM devices AS d "
        "WHERE d.id = outbox.entity_id AND d.deleted_at IS NULL) "
        "WHERE payload_json IS NULL AND op = 'upsert' AND entity = 'device'")
    op.execute("UPDATE outbox SET payload_json = json_object('id', entity_id) "
               "WHERE payload_json IS NULL")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("payload_json", existing_type=sa.Text(), nullable=False)
