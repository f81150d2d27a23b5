"""The backend's one clock: the current instant, local wall-clock time and today's date.

"Today" is the municipality's date (Europe/Copenhagen, `shared.clock.LOCAL_TZ`), never the host's.
Demos and tests can pin it with the config key `TRINVIS_TODAY` (`YYYY-MM-DD`; `from_env` reads the
environment variable of the same name): then `now()` is that day at the current local time of
day. Bookkeeping instants (versions, history, audit, tokens) use `utcnow()`, the real instant.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from flask import current_app, has_app_context

from shared.clock import LOCAL_TZ, moved_to_day, to_local, wall_clock

__all__ = ["LOCAL_TZ", "TODAY_KEY", "local_now", "now", "parse_today", "to_local", "today", "utcnow"]

TODAY_KEY = "TRINVIS_TODAY"


def utcnow() -> datetime:
    """The real current instant (aware, UTC): for what the server records as having happened."""
    return datetime.now(UTC)


def parse_today(value: str | None) -> date | None:
    """A pinned today from its `YYYY-MM-DD` setting; None when unset; ValueError when malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{TODAY_KEY} must be a date as YYYY-MM-DD, not {value!r}") from None


def _pinned() -> date | None:
    value = current_app.config.get(TODAY_KEY) if has_app_context() else os.environ.get(TODAY_KEY)
    return value if isinstance(value, date) else parse_today(value)


def now() -> datetime:
    """The current instant as the case rules see it (aware, UTC), on the pinned day if one is set."""
    instant = utcnow()
    pinned = _pinned()
    return moved_to_day(instant, pinned) if pinned else instant


def local_now(instant: datetime | None = None) -> datetime:
    """`instant` (default: `now()`) as naive local wall-clock time."""
    return wall_clock(instant or now())


def today() -> date:
    """The municipality's date today (the pinned one, if set)."""
    return local_now().date()
