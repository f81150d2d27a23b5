"""record_history: the writer's device and the base version each version was written from (issue 18)

A change is a conflict only between two writers. One phone's consecutive edits from the same base
(the second queued while the first was unanswered) are one writer: the merge needs the device and
the base of the version that last wrote a field to tell them apart.

Revision ID: d4f18a0c9e27
Revises: b6e1c0a7d3f2
Create Date: 2026-12-01 11:15:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d4f18a0c9e27"
down_revision = "b6e1c0a7d3f2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("record_history") as batch:
        batch.add_column(sa.Column("device_id", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("base_version", sa.Integer(), nullable=True))
    # Existing versions: the device is known from the mutation that wrote them; the base is not
    # (NULL: such a version is never taken for this device's own earlier edit).
    op.execute(
        "UPDATE record_history SET device_id = (SELECT MIN(am.device_id) FROM applied_mutation am "
        "WHERE am.entity = record_history.entity AND am.record_id = record_history.record_id "
        "AND am.version = record_history.version AND am.status IN ('applied', 'merged'))"
    )


def downgrade():
    with op.batch_alter_table("record_history") as batch:
        batch.drop_column("base_version")
        batch.drop_column("device_id")
