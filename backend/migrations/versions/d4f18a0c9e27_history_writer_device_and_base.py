"""record_history: the writer's device and the base version each version was written from (issue 18)

A change is a conflict only between two writers. One phone's consecutive edits from the same base
(the second queued while the first was unanswered) are one writer: the merge needs the device and
the base of the version that last wrote a field to tell them apart.

Revision ID: d4f18a0c9e27
Revises: c3a9e5d1f7b2
Create Date: 2026-12-01 11:15:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d4f18a0c9e27"
down_revision = "c3a9e5d1f7b2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("record_history") as batch:
        batch.add_column(sa.Column("device_id", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("base_version", sa.Integer(), nullable=True))
    # Existing versions stay NULL ("not known"): they are never taken for a device's own earlier
    # edit, so they merge exactly as before. Filling them from applied_mutation is not sound (a
    # no-op edit answers with the version it did not write, so several devices can share one) and
    # would scan applied_mutation, which has no index on (entity, record_id, version), per row.


def downgrade():
    with op.batch_alter_table("record_history") as batch:
        batch.drop_column("base_version")
        batch.drop_column("device_id")
