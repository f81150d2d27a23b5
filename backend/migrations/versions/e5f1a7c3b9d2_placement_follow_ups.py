"""company agreement follow-ups become their own synced entity, placement_follow_up (issue 14)

Each entry of `company_agreement.follow_ups` ({date, done, note}) becomes a `placement_follow_up`
row (due_date = date; done_date = date when it was marked done, the day it was done not being
known; the agreement's owner and visibility), version 1, with its history row and a change number
so devices receive it at next pull. The list column is then dropped. Two devices adding a follow-up
now create two records instead of overwriting one list.

Revision ID: e5f1a7c3b9d2
Revises: c9a4e2f1b7d0
Create Date: 2026-12-01 14:10:00
"""

import json
import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "e5f1a7c3b9d2"
down_revision = "c9a4e2f1b7d0"
branch_labels = None
depends_on = None


def upgrade():
    # Read the lists first: on SQLite dropping the column rebuilds the table, which a foreign key
    # from placement_follow_up would forbid.
    conn = op.get_bind()
    agreements = conn.execute(
        sa.text(
            "SELECT id, youth_id, organization_id, visibility, created_by_user_id, deleted, follow_ups "
            "FROM company_agreement"
        )
    ).mappings()
    rows = [r for ag in agreements for r in follow_up_rows(dict(ag))]
    with op.batch_alter_table("company_agreement", schema=None) as batch_op:
        batch_op.drop_column("follow_ups")
    op.create_table(
        "placement_follow_up",
        sa.Column("youth_id", sa.String(length=36), nullable=False),
        sa.Column("company_agreement_id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done_date", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("recorded_by_user_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["youth_id"], ["youth.id"]),
        sa.ForeignKeyConstraint(["company_agreement_id"], ["company_agreement.id"]),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("placement_follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placement_follow_up_youth_id"), ["youth_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_placement_follow_up_company_agreement_id"), ["company_agreement_id"], unique=False
        )
    _insert(conn, rows)


def follow_up_rows(agreement: dict) -> list[dict]:
    """The placement_follow_up rows (wire-like values) of one agreement's follow-up list."""
    raw = agreement["follow_ups"]
    items = json.loads(raw) if isinstance(raw, str) else (raw or [])
    out = []
    for f in items:
        if not isinstance(f, dict) or not f.get("date"):
            continue
        due = str(f["date"])[:10]
        out.append(
            {
                "id": str(uuid.uuid4()),
                "youth_id": agreement["youth_id"],
                "company_agreement_id": agreement["id"],
                "organization_id": agreement["organization_id"],
                "visibility": agreement["visibility"],
                "due_date": due,
                "done_date": due if f.get("done") else None,
                "note": str(f.get("note") or "")[:500],
                "recorded_by_user_id": agreement["created_by_user_id"],
                "deleted": bool(agreement["deleted"]),
            }
        )
    return out


def _insert(conn, rows: list[dict]) -> None:
    """The rows, their first history version and their change numbers."""
    now = datetime.now(UTC)
    if not rows:
        return
    table = sa.table(
        "placement_follow_up",
        *(
            sa.column(c)
            for c in (
                "id",
                "youth_id",
                "company_agreement_id",
                "organization_id",
                "visibility",
                "note",
                "recorded_by_user_id",
                "deleted",
                "version",
                "created_at",
                "updated_at",
            )
        ),
        sa.column("due_date", sa.Date),
        sa.column("done_date", sa.Date),
        sa.column("field_versions", sa.JSON),
    )

    def day(v):
        return date.fromisoformat(v) if v else None

    conn.execute(
        table.insert(),
        [
            {
                **r,
                "due_date": day(r["due_date"]),
                "done_date": day(r["done_date"]),
                "version": 1,
                "field_versions": {},
                "created_at": now,
                "updated_at": now,
            }
            for r in rows
        ],
    )
    _history(conn, rows, now)
    _change_numbers(conn, rows)


def _history(conn, rows: list[dict], now: datetime) -> None:
    """Version 1 of each row, the base of later three-way merges."""
    history = sa.table(
        "record_history",
        sa.column("entity"),
        sa.column("record_id"),
        sa.column("version"),
        sa.column("data", sa.JSON),
        sa.column("user_id"),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    conn.execute(
        history.insert(),
        [
            {
                "entity": "placement_follow_up",
                "record_id": r["id"],
                "version": 1,
                "data": {k: v for k, v in r.items() if k != "deleted"},
                "user_id": r["recorded_by_user_id"],
                "at": now,
            }
            for r in rows
        ],
    )


def _change_numbers(conn, rows: list[dict]) -> None:
    """A change number each (after every existing one), so devices pull them."""
    top = conn.execute(sa.text("SELECT value FROM sync_counter WHERE id = 1")).scalar() or 0
    log = sa.table(
        "change_log",
        *(sa.column(c) for c in ("entity", "record_id", "seq", "youth_id", "organization_id", "visibility")),
        sa.column("deleted", sa.Boolean),
        sa.column("narrowed", sa.Boolean),
    )
    conn.execute(
        log.insert(),
        [
            {
                "entity": "placement_follow_up",
                "record_id": r["id"],
                "seq": top + i + 1,
                "youth_id": r["youth_id"],
                "organization_id": r["organization_id"],
                "visibility": r["visibility"],
                "deleted": r["deleted"],
                "narrowed": False,
            }
            for i, r in enumerate(rows)
        ],
    )
    conn.execute(sa.text("UPDATE sync_counter SET value = :v WHERE id = 1"), {"v": top + len(rows)})


def downgrade():
    conn = op.get_bind()
    lists: dict[str, list] = {}
    for r in conn.execute(
        sa.text(
            "SELECT company_agreement_id, due_date, done_date, note FROM placement_follow_up "
            "WHERE deleted = :f ORDER BY due_date"
        ),
        {"f": False},
    ).mappings():
        lists.setdefault(r["company_agreement_id"], []).append(
            {"date": str(r["due_date"])[:10], "done": r["done_date"] is not None, "note": r["note"]}
        )
    conn.execute(sa.text("DELETE FROM change_log WHERE entity = 'placement_follow_up'"))
    conn.execute(sa.text("DELETE FROM record_history WHERE entity = 'placement_follow_up'"))
    with op.batch_alter_table("placement_follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_follow_up_company_agreement_id"))
        batch_op.drop_index(batch_op.f("ix_placement_follow_up_youth_id"))
    op.drop_table("placement_follow_up")
    with op.batch_alter_table("company_agreement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("follow_ups", sa.JSON(), nullable=False, server_default="[]"))
    for agreement_id, ups in lists.items():
        conn.execute(
            sa.text("UPDATE company_agreement SET follow_ups = :u WHERE id = :i"),
            {"u": json.dumps(ups), "i": agreement_id},
        )
