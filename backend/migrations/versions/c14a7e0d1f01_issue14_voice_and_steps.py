"""issue 14: the young person's voice on the plan, plan revisions and answers, goal proposals, steps

Revision ID: c14a7e0d1f01
Revises: c13a7e5d0b91
Create Date: 2026-12-01 11:40:00

Existing plans get empty words, revision 1 (revised when they were last changed) and no answer.
"""

import sqlalchemy as sa
from alembic import op

revision = "c14a7e0d1f01"
down_revision = "c13a7e5d0b91"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plan", schema=None) as batch_op:
        for name in ("youth_wish", "youth_strengths", "youth_barriers", "youth_answer_comment"):
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("voice_updated_by_user_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("voice_updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("revised_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("youth_answer", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("youth_answer_revision", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("youth_answered_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE plan SET revised_at = updated_at WHERE revised_at IS NULL")

    op.create_table(
        "goal_proposal",
        sa.Column("youth_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("goal_id", sa.String(length=36), nullable=True),
        sa.Column("proposed_by_user_id", sa.String(length=36), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_user_id", sa.String(length=36), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["youth_id"], ["youth.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("goal_proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_proposal_youth_id"), ["youth_id"], unique=False)

    op.create_table(
        "step_change",
        sa.Column("youth_id", sa.String(length=36), nullable=False),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("changed_by_user_id", sa.String(length=36), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["youth_id"], ["youth.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("step_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_step_change_youth_id"), ["youth_id"], unique=False)

    op.create_table(
        "company_agreement",
        sa.Column("youth_id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("activity_id", sa.String(length=36), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_phone", sa.String(length=30), nullable=True),
        sa.Column("hours_per_week", sa.Float(), nullable=True),
        sa.Column("hours_spread", sa.String(length=500), nullable=False),
        sa.Column("tasks", sa.Text(), nullable=False),
        sa.Column("workplace_support", sa.Text(), nullable=False),
        sa.Column("health_considerations", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("follow_ups", sa.JSON(), nullable=False),
        sa.Column("created_by_user_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["youth_id"], ["youth.id"]),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("company_agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_company_agreement_youth_id"), ["youth_id"], unique=False)

    op.create_table(
        "work_hours",
        sa.Column("youth_id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("company_agreement_id", sa.String(length=36), nullable=True),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("ordinary_hours", sa.Float(), nullable=False),
        sa.Column("supported_hours", sa.Float(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("recorded_by_user_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["youth_id"], ["youth.id"]),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("work_hours", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_hours_youth_id"), ["youth_id"], unique=False)


def downgrade():
    with op.batch_alter_table("work_hours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_hours_youth_id"))
    op.drop_table("work_hours")
    with op.batch_alter_table("company_agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_agreement_youth_id"))
    op.drop_table("company_agreement")
    with op.batch_alter_table("step_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_step_change_youth_id"))
    op.drop_table("step_change")
    with op.batch_alter_table("goal_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_proposal_youth_id"))
    op.drop_table("goal_proposal")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        for name in (
            "youth_answered_at",
            "youth_answer_revision",
            "youth_answer",
            "revised_at",
            "revision",
            "voice_updated_at",
            "voice_updated_by_user_id",
            "youth_answer_comment",
            "youth_barriers",
            "youth_strengths",
            "youth_wish",
        ):
            batch_op.drop_column(name)
