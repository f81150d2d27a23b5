"""The audit log: who read or changed which young person's data, when and through what."""

from __future__ import annotations

from backend.extensions import db
from backend.models import AuditLog, User, utcnow


def record(
    user: User | None,
    action: str,
    youth_id: str | None = None,
    entity: str | None = None,
    count: int = 0,
    detail: str = "",
    channel: str = "api",
) -> None:
    """Add an audit entry to the current transaction (it commits with the work it describes)."""
    db.session.add(
        AuditLog(
            at=utcnow(),
            user_id=user.id if user else None,
            action=action,
            entity=entity,
            youth_id=youth_id,
            record_count=count,
            detail=detail[:2000],
            channel=channel,
        )
    )


def record_many(
    user: User | None,
    action: str,
    counts: dict[tuple[str | None, str | None], int],
    channel: str = "api",
    detail: str = "",
) -> None:
    """One entry per (youth_id, entity) with how many records were touched."""
    now = utcnow()
    uid = user.id if user else None
    db.session.add_all(
        AuditLog(
            at=now, user_id=uid, action=action, youth_id=y, entity=e, record_count=n, detail=detail, channel=channel
        )
        for (y, e), n in counts.items()
    )
