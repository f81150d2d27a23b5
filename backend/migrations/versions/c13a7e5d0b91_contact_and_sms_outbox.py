"""contact details (youth phone, reminder settings; organisation on-call number and hours) and the SMS outbox (issue 13)

Revision ID: c13a7e5d0b91
Revises: c4d2a9e7f1b3
Create Date: 2026-12-01 11:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c13a7e5d0b91"
down_revision = "c4d2a9e7f1b3"
branch_labels = None
depends_on = None


def upgrade():
    # server_default fills the existing rows; batch mode rebuilds the table on SQLite.
    with op.batch_alter_table("youth") as b:
        b.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
        b.add_column(sa.Column("contact_time", sa.String(length=100), nullable=False, server_default=""))
        b.add_column(sa.Column("reminder_time", sa.String(length=5), nullable=True))
        b.add_column(sa.Column("reminders_enabled", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("user_account") as b:
        b.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
    with op.batch_alter_table("organization") as b:
        b.add_column(sa.Column("on_call_phone", sa.String(length=20), nullable=True))
        b.add_column(sa.Column("opening_weekdays", sa.JSON(), nullable=False, server_default="[]"))
        b.add_column(sa.Column("opens_at", sa.String(length=5), nullable=True))
        b.add_column(sa.Column("closes_at", sa.String(length=5), nullable=True))
    op.create_table(
        "sms_outbox",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("youth_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("to_phone", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("sender", sa.String(length=20), nullable=False),
        sa.Column("provider_ref", sa.String(length=200), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_sms_outbox_youth_id", "sms_outbox", ["youth_id"])
    op.create_index("ix_sms_outbox_day", "sms_outbox", ["day"])


def downgrade():
    op.drop_index("ix_sms_outbox_day", table_name="sms_outbox")
    op.drop_index("ix_sms_outbox_youth_id", table_name="sms_outbox")
    op.drop_table("sms_outbox")
    with op.batch_alter_table("organization") as b:
        for c in ("closes_at", "opens_at", "opening_weekdays", "on_call_phone"):
            b.drop_column(c)
    with op.batch_alter_table("user_account") as b:
        b.drop_column("phone")
    with op.batch_alter_table("youth") as b:
        for c in ("reminders_enabled", "reminder_time", "contact_time", "phone"):
            b.drop_column(c)
