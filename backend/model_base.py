"""What every table shares: ids, timezone-aware UTC instants, and the columns of a synced case record
(`backend.models` and `backend.models_steps` build on it; callers import the names from `backend.models`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import JSON, Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.clock import utcnow
from backend.extensions import db


def new_id() -> str:
    return str(uuid.uuid4())


class UTCDateTime(db.TypeDecorator):
    """Timezone-aware UTC instants on both SQLite (which drops the zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


ID = String(36)


class CaseRecord:
    """Columns every synced case record has."""

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    field_versions: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
