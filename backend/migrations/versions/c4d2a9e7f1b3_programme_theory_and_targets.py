"""programme theory, date-anchored expected effects, phase descriptions, target-group targets (issue 15)

Revision ID: c4d2a9e7f1b3
Revises: b6e1c0a7d3f2
Create Date: 2026-12-01 11:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c4d2a9e7f1b3"
down_revision = "b6e1c0a7d3f2"
branch_labels = None
depends_on = None

_TEXT_COLUMNS = ("target_group_text", "follow_on")
_LIST_COLUMNS = ("target_groups", "goals", "sub_goals", "content", "mechanisms")


def upgrade():
    # New NOT NULL columns are added with a server default so existing rows are filled, then the
    # default is dropped again (the models give the default on insert), keeping the schema equal
    # to the models on SQLite and PostgreSQL.
    with op.batch_alter_table("programme") as b:
        for col in _TEXT_COLUMNS:
            b.add_column(sa.Column(col, sa.Text(), nullable=False, server_default=""))
        for col in _LIST_COLUMNS:
            b.add_column(sa.Column(col, sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("programme") as b:
        for col in (*_TEXT_COLUMNS, *_LIST_COLUMNS):
            b.alter_column(col, server_default=None)
    with op.batch_alter_table("programme_phase") as b:
        b.add_column(sa.Column("description", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("programme_phase") as b:
        b.alter_column("description", server_default=None)
    with op.batch_alter_table("expected_effect") as b:
        b.add_column(sa.Column("measure_date", sa.Date(), nullable=True))
        b.add_column(sa.Column("anchor_text", sa.String(length=200), nullable=False, server_default=""))
        b.alter_column("weeks_after_start", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("expected_effect") as b:
        b.alter_column("anchor_text", server_default=None)
    op.create_table(
        "target_group_target",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("municipality", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("target_group", sa.String(length=30), nullable=False),
        sa.Column("self_supporting_pct", sa.Integer(), nullable=False),
        sa.Column("target_group_change_pct", sa.Integer(), nullable=False),
        sa.Column("other_benefit_pct", sa.Integer(), nullable=False),
        sa.Column("reduction", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_by_user_id", sa.String(length=36), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("municipality", "year", "target_group", name="uq_target_group_target_muni_year_group"),
    )


def downgrade():
    op.drop_table("target_group_target")
    op.execute("DELETE FROM expected_effect WHERE weeks_after_start IS NULL")
    with op.batch_alter_table("expected_effect") as b:
        b.alter_column("weeks_after_start", existing_type=sa.Integer(), nullable=False)
        b.drop_column("anchor_text")
        b.drop_column("measure_date")
    with op.batch_alter_table("programme_phase") as b:
        b.drop_column("description")
    with op.batch_alter_table("programme") as b:
        for col in (*_LIST_COLUMNS, *_TEXT_COLUMNS):
            b.drop_column(col)
