"""Send records to every device again, redacted afresh (after the visibility rule narrows a field).

A pull sends only what changed after the device's cursor, so a copy a device pulled before the rule
changed keeps the fields it may no longer see. Giving each record a new change number makes every
device that reaches it pull it again, in its new, redacted form (the phone overwrites its copy).
"""

from __future__ import annotations

from sqlalchemy import select

from backend.extensions import db
from backend.models import ChangeLog
from backend.sync.changes import ChangeSet

RESENDABLE = frozenset({"youth"})
"""Entities whose fields the rule has narrowed since devices first pulled them (contact details)."""


def resend(entity: str) -> int:
    """New change numbers for every live record of `entity`, in one transaction; how many."""
    if entity not in RESENDABLE:
        raise ValueError(f"Kan kun sende {', '.join(sorted(RESENDABLE))} igen.")
    changes = ChangeSet()
    rows = db.session.scalars(select(ChangeLog).where(ChangeLog.entity == entity, ChangeLog.deleted.is_(False)))
    for row in rows:
        changes.touch(entity, row.record_id, row.youth_id, row.organization_id, row.visibility)
    count = len(changes.touches)
    changes.finalize()
    db.session.commit()
    return count
