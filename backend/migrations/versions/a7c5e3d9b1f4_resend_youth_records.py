"""send every young person's record to every device again (contact details narrowed, schema 4)

Since schema 4 a partner's pull blanks the young person's phone, contact time and reminder
settings. A pull sends only what changed after a device's cursor, so a partner's phone would keep
the copy it pulled before. New change numbers for every live `youth` record make every device
pull it again, redacted afresh (the same as `flask --app backend resend-records youth`, which
stays for later narrowings). The downgrade changes nothing: new change numbers are harmless.

Revision ID: a7c5e3d9b1f4
Revises: f2b8d4c6a1e3
Create Date: 2026-12-01 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a7c5e3d9b1f4"
down_revision = "f2b8d4c6a1e3"
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    ids = conn.execute(
        sa.text("SELECT record_id FROM change_log WHERE entity = 'youth' AND deleted = :f ORDER BY seq"),
        {"f": False},
    ).scalars()
    seq = conn.execute(sa.text("SELECT value FROM sync_counter WHERE id = 1")).scalar() or 0
    for rid in list(ids):
        seq += 1
        conn.execute(
            sa.text("UPDATE change_log SET seq = :s WHERE entity = 'youth' AND record_id = :r"), {"s": seq, "r": rid}
        )
    conn.execute(sa.text("UPDATE sync_counter SET value = :v WHERE id = 1"), {"v": seq})


def downgrade():
    pass
