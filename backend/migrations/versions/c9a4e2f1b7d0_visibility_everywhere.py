"""visibility for agreements, outreach, enrolments; comment/note visibility (issue 9)

Existing rows are filled with the default of their organisation's kind: organisation-only for
treatment organisations (rusmiddelcenter, psychiatry), shared for the rest. Records that become
organisation-only get a new change number (and `narrowed`, for whole records) so devices that hold
a copy receive a tombstone, or the record without its now private comment or note, at next pull.

Revision ID: c9a4e2f1b7d0
Revises: d4f18a0c9e27
Create Date: 2026-12-01 11:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c9a4e2f1b7d0"
down_revision = "d4f18a0c9e27"
branch_labels = None
depends_on = None

TREATMENT_KINDS = ("rusmiddelcenter", "psychiatry", "psykiatri", "behandling")  # shared.permissions

# table, column, how to find the owning organisation, whether the whole record narrows
COLUMNS = (
    ("agreement", "visibility", "organization_id", True),
    ("outreach", "visibility", "organization_id", True),
    ("assessment", "comment_visibility", "organization_id", False),
    ("attendance", "note_visibility", "organization_id", False),
    ("enrolment", "visibility", None, False),  # not synced; owner: the programme's organisation
)


def upgrade():
    for table, column, _, _ in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(column, sa.String(length=20), nullable=False, server_default="shared"))
    with op.batch_alter_table("enrolment") as batch:
        batch.add_column(sa.Column("organization_id", sa.String(length=36), nullable=True))
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "UPDATE enrolment SET organization_id = (SELECT organization_id FROM programme "
            "WHERE programme.id = enrolment.programme_id)"
        )
    )
    kinds = ", ".join(f"'{k}'" for k in TREATMENT_KINDS)
    treatment = f"SELECT id FROM organization WHERE lower(kind) IN ({kinds})"
    changed: list[tuple[str, str, bool]] = []
    for table, column, org_col, whole in COLUMNS:
        if org_col is None:
            conn.execute(
                sa.text(
                    f"UPDATE enrolment SET visibility = 'organization' WHERE programme_id IN "
                    f"(SELECT id FROM programme WHERE organization_id IN ({treatment}))"
                )
            )
            continue
        ids = [r[0] for r in conn.execute(sa.text(f"SELECT id FROM {table} WHERE {org_col} IN ({treatment})"))]
        if ids:
            conn.execute(sa.text(f"UPDATE {table} SET {column} = 'organization' WHERE {org_col} IN ({treatment})"))
            changed += [(table, i, whole) for i in ids]
    _renumber(conn, changed)
    for table, column, _, _ in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, server_default=None)


def _renumber(conn, changed) -> None:
    """New change numbers for the records that became (partly) organisation-only."""
    if not changed:
        return
    top = conn.execute(sa.text("SELECT value FROM sync_counter WHERE id = 1")).scalar() or 0
    seq = top
    for table, rid, whole in changed:
        row = conn.execute(
            sa.text("SELECT seq FROM change_log WHERE entity = :e AND record_id = :r"), {"e": table, "r": rid}
        ).first()
        if row is None:
            continue
        seq += 1
        params = {"e": table, "r": rid, "s": seq}
        if whole:
            conn.execute(
                sa.text(
                    "UPDATE change_log SET seq = :s, visibility = 'organization', narrowed = :t "
                    "WHERE entity = :e AND record_id = :r"
                ),
                {**params, "t": True},
            )
        else:
            conn.execute(sa.text("UPDATE change_log SET seq = :s WHERE entity = :e AND record_id = :r"), params)
    conn.execute(sa.text("UPDATE sync_counter SET value = :v WHERE id = 1"), {"v": seq})


def downgrade():
    with op.batch_alter_table("enrolment") as batch:
        batch.drop_column("organization_id")
    for table, column, _, _ in reversed(COLUMNS):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
