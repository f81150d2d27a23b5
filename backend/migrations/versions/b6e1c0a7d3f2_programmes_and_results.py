"""programmes, enrolments, target-group and outcome history (issue 6)

Revision ID: b6e1c0a7d3f2
Revises: 546b1981e0d5
Create Date: 2026-11-25 17:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b6e1c0a7d3f2"
down_revision = "546b1981e0d5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "programme",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("team_size", sa.Integer(), nullable=True),
        sa.Column("hours_per_week", sa.Integer(), nullable=True),
        sa.Column("start_rule", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "programme_phase",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("programme_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_programme_phase_programme_id", "programme_phase", ["programme_id"])
    op.create_table(
        "expected_effect",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("programme_id", sa.String(length=36), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("share_pct", sa.Integer(), nullable=False),
        sa.Column("weeks_after_start", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_expected_effect_programme_id", "expected_effect", ["programme_id"])
    op.create_table(
        "programme_activity",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("programme_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("phase_position", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("end_time", sa.String(length=5), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_programme_activity_programme_id", "programme_activity", ["programme_id"])
    op.create_table(
        "enrolment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("youth_id", sa.String(length=36), nullable=False),
        sa.Column("programme_id", sa.String(length=36), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("planned_end_date", sa.Date(), nullable=False),
        sa.Column("actual_end_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=30), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("activity_ids", sa.JSON(), nullable=False),
        sa.Column("recorded_by_user_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"]),
        sa.ForeignKeyConstraint(["youth_id"], ["youth.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_enrolment_youth_id", "enrolment", ["youth_id"])
    op.create_index("ix_enrolment_programme_start", "enrolment", ["programme_id", "start_date"])
    for table, col in (("target_group_history", "target_group"), ("outcome_history", "outcome")):
        op.create_table(
            table,
            sa.Column("id", sa.String(length=36), nullable=False),
            sa.Column("youth_id", sa.String(length=36), nullable=False),
            sa.Column(col, sa.String(length=30), nullable=False),
            sa.Column("valid_from", sa.Date(), nullable=False),
            sa.Column("note", sa.Text(), nullable=False),
            sa.Column("recorded_by_user_id", sa.String(length=36), nullable=True),
            sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["youth_id"], ["youth.id"]),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(f"ix_{table}_youth_from", table, ["youth_id", "valid_from"])


def downgrade():
    for table in ("outcome_history", "target_group_history"):
        op.drop_index(f"ix_{table}_youth_from", table_name=table)
        op.drop_table(table)
    op.drop_index("ix_enrolment_programme_start", table_name="enrolment")
    op.drop_index("ix_enrolment_youth_id", table_name="enrolment")
    op.drop_table("enrolment")
    op.drop_index("ix_programme_activity_programme_id", table_name="programme_activity")
    op.drop_table("programme_activity")
    op.drop_index("ix_expected_effect_programme_id", table_name="expected_effect")
    op.drop_table("expected_effect")
    op.drop_index("ix_programme_phase_programme_id", table_name="programme_phase")
    op.drop_table("programme_phase")
    op.drop_table("programme")
