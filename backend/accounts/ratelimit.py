"""A `limits` storage on the app's own database (scheme `trinvis-db://`), so the login throttle's
counts are shared by every gunicorn worker without extra infrastructure. Fixed windows: one row per
key, incremented with a single atomic INSERT … ON CONFLICT DO UPDATE … RETURNING (PostgreSQL and
SQLite ≥ 3.35). Redis (RATELIMIT_STORAGE_URI=redis://…) is used instead when configured."""

from __future__ import annotations

import random
import time

from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.exc import SQLAlchemyError

from backend.accounts.models import RateLimitCounter
from backend.extensions import db

TABLE = RateLimitCounter.__table__


def _insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


class DatabaseStorage(Storage):
    """Rate-limit counters in the `rate_limit_counter` table of the app's database."""

    STORAGE_SCHEME = ["trinvis-db"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def _engine(self):
        # Counters commit on their own connection, apart from the request's transaction.
        return db.engine

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        engine = self._engine()
        ins = _insert(engine.dialect.name)(TABLE).values(key=key, count=amount, expires_at=now + expiry)
        stale = TABLE.c.expires_at <= now
        stmt = ins.on_conflict_do_update(
            index_elements=[TABLE.c.key],
            set_={
                "count": case((stale, amount), else_=TABLE.c.count + amount),
                "expires_at": case((stale, now + expiry), else_=TABLE.c.expires_at),
            },
        ).returning(TABLE.c.count)
        with engine.begin() as conn:
            count = conn.execute(stmt).scalar_one()
            if random.random() < 0.01:  # now and then, drop windows long over
                conn.execute(delete(TABLE).where(TABLE.c.expires_at < now - 3600))
        return int(count)

    def _row(self, key: str):
        with self._engine().connect() as conn:
            return conn.execute(select(TABLE.c.count, TABLE.c.expires_at).where(TABLE.c.key == key)).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return int(row.count) if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return float(row.expires_at) if row is not None and row.expires_at > time.time() else time.time()

    def check(self) -> bool:
        try:
            with self._engine().connect() as conn:
                conn.execute(select(1))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self._engine().begin() as conn:
            return conn.execute(delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        with self._engine().begin() as conn:
            conn.execute(delete(TABLE).where(TABLE.c.key == key))
